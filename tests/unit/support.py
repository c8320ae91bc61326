"""What unit tests of every layer share: a fake clock, a task's parameters, a module run."""

from __future__ import annotations

import json
import pathlib
import re
import typing as t

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.testing import patch_module_args

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, Resource

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "agent-app"
#: The example inventories' templates (env lookups, -e variables) and the plain values a unit test takes for them.
TEMPLATES = (
    (r"\"\{\{ agno_env_name \| default\('([a-z-]+)'\) \}\}\"", r"\1"),
    (r"\"\{\{ agno_(api|ui)_port[^\"]*\}\}\"", "18000"),
    (r"\"\{\{ inventory_dir \}\}/\.\./([a-z]+)\"", str(EXAMPLE) + r"/\1"),
    (r"wait: \"\{\{.*\}\}\"", "wait: false"),
    (r"registry: \"\{\{.*\}\}\"", "registry: ''"),
    (r"registry_auth: \"\{\{.*\}\}\"", "registry_auth: {}"),
)


def example_env(name: str) -> t.Dict[str, t.Any]:
    """agno_env of the example inventory NAME (dev, prd), its templates replaced by plain values."""
    text = (EXAMPLE / "inventory" / ("%s.yml" % name)).read_text()
    for pattern, value in TEMPLATES:
        text = re.sub(pattern, value, text)
    return dict(yaml.safe_load(text)["all"]["vars"]["agno_env"])


class FakeClock(Clock):
    """The engine's clock for tests, also standing in for time.sleep and time.monotonic: time passes only when the
    code sleeps, at once, and each sleep is recorded."""

    def __init__(self) -> None:
        self.time = 0.0
        self.sleeps: t.List[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


def task_params(argument_spec: t.Dict[str, t.Any], **options: t.Any) -> t.Dict[str, t.Any]:
    """The parameters a module gets for these options: defaults filled in and types converted, as AnsibleModule does."""
    result = ArgumentSpecValidator(argument_spec).validate(options)
    assert not result.error_messages, result.error_messages
    return t.cast(t.Dict[str, t.Any], result.validated_parameters)


def task_resource(resource_class: t.Type[Resource], client: t.Any, **options: t.Any) -> t.Any:
    """A resource with the parameters its module would get for these options (its own and its provider's)."""
    return resource_class(client, task_params(dict(resource_class.provider.argument_spec, **resource_class.argument_spec), **options))


def module_run(main: t.Callable[[], None], args: t.Dict[str, t.Any], capsys: pytest.CaptureFixture[str]) -> t.Tuple[int, t.Dict[str, t.Any]]:
    """Run a module's main with the task's arguments: its exit code and the JSON result it printed."""
    capsys.readouterr()
    with patch_module_args(args), pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0), json.loads(capsys.readouterr().out)
