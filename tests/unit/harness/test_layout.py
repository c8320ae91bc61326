"""The layout shows the layers: module_utils only in layer folders, small files, every file under a unit test."""

from __future__ import annotations

import ast
import pathlib
import re
import typing as t

ROOT = pathlib.Path(__file__).resolve().parents[3]
PLUGINS = ROOT / "plugins"
MODULE_UTILS = PLUGINS / "module_utils"
UNIT = ROOT / "tests" / "unit"
LAYERS = {"_engine", "_docker", "_aws", "_environment", "_k8s"}
MAX_CODE_LINES = 400
DOC_NAMES = {"DOCUMENTATION", "EXAMPLES", "RETURN"}


def docs_lines(tree: ast.Module) -> t.Set[int]:
    """Lines of docstrings and of the DOCUMENTATION / EXAMPLES / RETURN strings."""
    lines: t.Set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            lines.update(range(body[0].lineno, t.cast(int, body[0].end_lineno) + 1))
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id in DOC_NAMES for target in node.targets):
            lines.update(range(node.lineno, t.cast(int, node.end_lineno) + 1))
    return lines


def code_lines(path: pathlib.Path) -> int:
    """Lines that hold code: not blank, not only a comment, not documentation."""
    source = path.read_text()
    docs = docs_lines(ast.parse(source))
    return sum(1 for number, line in enumerate(source.splitlines(), 1)
               if number not in docs and line.strip() and not line.strip().startswith("#"))


def test_module_utils_files_live_in_layer_folders() -> None:
    assert sorted(path.name for path in MODULE_UTILS.glob("*.py")) == []
    assert {path.name for path in MODULE_UTILS.iterdir() if path.is_dir() and path.name != "__pycache__"} == LAYERS


def test_no_plugin_file_exceeds_the_code_size_limit() -> None:
    sizes = {str(path.relative_to(ROOT)): code_lines(path) for path in PLUGINS.rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > MAX_CODE_LINES} == {}


def test_code_lines_leave_out_docs_comments_and_blank_lines(tmp_path: pathlib.Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Module doc."""\n\nDOCUMENTATION = r"""\nmodule: x\n"""\n\n# a comment\n'
                      'def f(a,\n      b):\n    """Doc."""\n    return a + b\n')
    assert code_lines(sample) == 3


def imported_module_utils(path: pathlib.Path) -> t.Set[str]:
    """module_utils files a test imports, as layer/name."""
    found: t.Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and ".plugins.module_utils." in "." + node.module:
            layer_path = node.module.split(".plugins.module_utils.", 1)[-1].split(".")
            if len(layer_path) == 2:
                found.add("/".join(layer_path))
            elif len(layer_path) == 1:
                found.update("%s/%s" % (layer_path[0], alias.name) for alias in node.names)
    return found


def test_every_module_utils_file_is_imported_by_a_unit_test() -> None:
    imported = set().union(*(imported_module_utils(path) for path in UNIT.rglob("test_*.py")))
    files = {"%s/%s" % (path.parent.name, path.stem) for path in MODULE_UTILS.glob("_*/*.py")}
    assert sorted(files - imported) == []


def test_unit_tests_mirror_the_plugins_tree() -> None:
    mirrored = UNIT / "plugins" / "module_utils"
    strays = [str(path.relative_to(UNIT)) for path in mirrored.rglob("test_*.py")
              if not (MODULE_UTILS / path.parent.relative_to(mirrored)).is_dir()]
    assert strays == []
    assert [path.name for path in UNIT.glob("test_*.py")] == []
    assert all(re.fullmatch(r"test_\w+\.py", path.name) for path in mirrored.rglob("test_*.py"))
