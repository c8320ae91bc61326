"""Run real ansible-playbook processes against the collection from source, and read their results."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import pathlib
import re
import subprocess
import sys
import typing as t

ROOT = pathlib.Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "tests" / "integration"
TARGETS = INTEGRATION / "targets"
COLLECTIONS = ROOT / ".build" / "collections"
# Every playbook output of the session is kept here, for the secret scan at the end of the session.
# Each pytest process of `make integration` (the Docker and the AWS half run side by side) keeps its own outputs.
OUTPUT_DIR = ROOT / ".build" / os.environ.get("AGNO_IT_OUTPUT", "playbook-output")
EXAMPLE_INVENTORY = ROOT / "examples" / "agent-app" / "inventory"
#: What gives an app of the example prd inventory a ready image in place of its source (see ready_images).
READY_IMAGE = ("image: \"{{ agno_image_registry | default('123456789012.dkr.ecr.us-east-1.amazonaws.com') }}/agent-app-prd/\\1:"
               "{{ agno_image_tag | default('1') }}\"")
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


_SECRETS: t.Set[str] = set()
_RUN_NUMBERS = itertools.count(1)


def secret(value: str) -> str:
    """Declare a secret value the tests use: no playbook output of the session may contain it."""
    _SECRETS.add(value)
    return value


def ready_images() -> pathlib.Path:
    """The example prd inventory with each app given a ready image (agno_image_registry, agno_image_tag) in place of the
    source it builds: for the tests of everything but the build, which then need no Docker engine nor registry."""
    text = re.sub(r"source: \"\{\{ inventory_dir \}\}/\.\./([a-z]+)\"", READY_IMAGE, (EXAMPLE_INVENTORY / "prd.yml").read_text())
    path = ROOT / ".build" / "inventories" / "prd-images.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Both halves of the suite write it: the same text, each through its own file moved into place.
    staged = path.with_suffix(".%d" % os.getpid())
    staged.write_text(text)
    os.replace(staged, path)
    return path


def known_secrets() -> t.FrozenSet[str]:
    return frozenset(_SECRETS)


def keep_output(playbook: t.Union[str, pathlib.Path], output: str) -> None:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    name = "%04d-%s.log" % (next(_RUN_NUMBERS), pathlib.Path(str(playbook)).name)
    (OUTPUT_DIR / name).write_text(output)


def secret_hits(files: t.Iterable[pathlib.Path], values: t.Iterable[str]) -> t.List[str]:
    """'<file>: <value>' for each secret value found in one of the files."""
    values = sorted(values)
    hits = []
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        hits += ["%s: %s" % (path, value) for value in values if value in text]
    return hits


@dataclasses.dataclass
class PlaybookRun:
    rc: int
    output: str

    @property
    def recap(self) -> t.Dict[str, int]:
        match = RECAP.search(self.output)
        assert match, "no PLAY RECAP in the output:\n" + self.tail()
        ok, changed, unreachable, failed = (int(group) for group in match.groups())
        return {"ok": ok, "changed": changed, "unreachable": unreachable, "failed": failed}

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def failures(self, lines: int = 60) -> str:
        """Each failed task of the run, its header and the start of its result: the tail of a long -vvv run is the
        cleanup after the failure, not the failure."""
        found = []
        for block in re.split(r"\n(?=TASK \[)", self.output):
            if "\nfatal:" in block and "\n...ignoring" not in block:
                start = block.splitlines()
                fatal = next(number for number, line in enumerate(start) if line.startswith("fatal:"))
                found.append("\n".join([start[0]] + start[fatal:fatal + lines]))
        return "\n----\n".join(found)


def ansible_env(extra: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, str]:
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_ROLES_PATH": str(TARGETS),
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def playbook_command(playbook: t.Union[str, pathlib.Path], *args: str, extra_vars: t.Optional[t.Dict[str, t.Any]] = None,
                     inventory: t.Optional[pathlib.Path] = None) -> t.List[str]:
    """The ansible-playbook command line for localhost (or the given inventory), with this venv's Python for modules."""
    command = [
        str(pathlib.Path(sys.executable).with_name("ansible-playbook")), str(playbook),
        "-i", str(inventory) if inventory else "localhost,", "-c", "local",
        "-e", "ansible_python_interpreter=%s" % sys.executable,
    ]
    for key, value in (extra_vars or {}).items():
        command += ["-e", "%s=%s" % (key, value)]
    return command + list(args)


def run_playbook(playbook: t.Union[str, pathlib.Path], *args: str, extra_vars: t.Optional[t.Dict[str, t.Any]] = None,
                 env: t.Optional[t.Dict[str, str]] = None, timeout: int = 900,
                 inventory: t.Optional[pathlib.Path] = None) -> PlaybookRun:
    """Run a playbook on localhost (or the given inventory) with this venv's Python as the module interpreter."""
    command = playbook_command(playbook, *args, extra_vars=extra_vars, inventory=inventory)
    done = subprocess.run(command, env=ansible_env(env), cwd=str(ROOT), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    keep_output(playbook, done.stdout)
    return PlaybookRun(done.returncode, done.stdout)


def target_aliases(target: pathlib.Path) -> t.List[str]:
    aliases = target / "aliases"
    return aliases.read_text().split() if aliases.exists() else []


def runnable_targets() -> t.List[pathlib.Path]:
    return sorted(
        path for path in TARGETS.iterdir()
        if (path / "tasks" / "main.yml").exists() and "hidden" not in target_aliases(path)
    )


def edited_inventory(source: pathlib.Path, directory: pathlib.Path, edit: t.Callable[[t.Dict[str, t.Any]], None]) -> pathlib.Path:
    """A copy of an example inventory in `directory` with its agno_env edited; `{{ inventory_dir }}/..` (the apps'
    sources) still points at the example."""
    import yaml  # pylint: disable=import-outside-toplevel
    data = yaml.safe_load(source.read_text().replace("{{ inventory_dir }}/..", str(source.parent.parent)))
    edit(data["all"]["vars"]["agno_env"])
    path = directory / ("%s-%d.yml" % (source.stem, len(list(directory.iterdir()))))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def leftovers(output: str) -> t.Dict[str, str]:
    """The leftovers among the environment module's results (in the -vvv output of its task), with their actions."""
    import json  # pylint: disable=import-outside-toplevel
    found = re.search(r"^(?:ok|changed): \[localhost\] => (\{.*?^\})$", output, re.S | re.M)
    assert found, output[-3000:]
    return {item["id"]: item["action"] for item in json.loads(found.group(1))["results"] if item.get("leftover")}


STATUS_TASK = "TASK [Show each resource, its state and its health, then the endpoints]"
STATUS_ROW = re.compile(r'^\s*"(\S+)\s+((?:aws|docker|k8s)_\w+)\s+(in sync|to change|to replace|missing|leftover)\s*(.*?)",?$', re.M)


def shown_lines(run: PlaybookRun, task: str) -> t.List[str]:
    """The lines a playbook's debug task (``TASK [<name>]``) printed as a list, in order."""
    start = run.output.index(task)
    block = run.output[start:run.output.index("\nTASK [", start + 1)]
    return [json.loads(found) for found in re.findall(r'^\s+("(?:[^"\\]|\\.)*"),?$', block, re.M)]


def status_shown(output: str) -> t.List[str]:
    """What the status playbook's table task printed, from its TASK line up to the next task or the recap."""
    start = output.index(STATUS_TASK)
    ends = [found for found in (output.find("\nTASK [", start), output.find("\nPLAY RECAP", start)) if found >= 0]
    return output[start:min(ends)].splitlines()


def status_table(output: str) -> t.Dict[str, t.Tuple[str, str, str]]:
    """(type, state, health) of each resource in the status table, by id."""
    return {row.group(1): (row.group(2), row.group(3), row.group(4))
            for row in STATUS_ROW.finditer("\n".join(status_shown(output)))}
