"""The registry is derived from the resource classes: every resource module is in it, every entry has a module."""

from __future__ import annotations

import ast
import pathlib
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine import registry

MODULES = pathlib.Path(registry.__file__).resolve().parents[2] / "modules"


def resource_modules() -> t.Dict[str, str]:
    """Module name -> the class its main() passes to run_module, for every module that manages one resource."""
    found = {}
    for path in sorted(MODULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "run_module":
                found[path.stem] = t.cast(ast.Name, node.args[0]).id
    return found


def test_every_resource_module_is_in_the_registry_under_its_own_name() -> None:
    modules = resource_modules()
    assert len(modules) >= 29
    assert {name: kind.__name__ for name, kind in registry.RESOURCE_TYPES.items()} == modules


def test_every_registry_entry_has_a_module_file_and_declares_its_name() -> None:
    for name, kind in registry.RESOURCE_TYPES.items():
        assert (MODULES / ("%s.py" % name)).is_file(), name
        assert kind.module_name == name


def test_no_two_types_declare_the_same_module_and_each_names_its_provider_first() -> None:
    registry.RESOURCE_TYPES.of("aws"), registry.RESOURCE_TYPES.of("docker")
    declared = {provider: [kind.module_name for kind in registry.declared_types("_" + provider)] for provider in registry.PROVIDERS}
    names = [name for provider_names in declared.values() for name in provider_names]
    assert len(names) == len(set(names)) == len(registry.RESOURCE_TYPES)
    assert all(name.startswith(provider + "_") for provider, provider_names in declared.items() for name in provider_names)


def test_a_lookup_imports_the_types_of_its_provider_only() -> None:
    lookup = registry.Registry()
    assert "docker_volume" in lookup and "aws_nothing" not in lookup and "nothing" not in lookup
    assert sorted(lookup.loaded) == ["aws", "docker"]
    assert lookup["docker_volume"].module_name == "docker_volume"


def test_every_type_describes_itself_fully() -> None:
    for name, kind in registry.RESOURCE_TYPES.items():
        assert kind.argument_spec and kind.provider is not None, name
        assert kind.present({"state": "absent"}) is False and kind.present({"state": "present"}) is True
