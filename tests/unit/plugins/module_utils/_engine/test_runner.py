"""run_module builds the AnsibleModule from the type's declarations, checks constraints first, and converges."""

from __future__ import annotations

import json
import typing as t

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.agno.infra.plugins.module_utils._engine import lifecycle
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module

STORE: t.Dict[str, t.Dict[str, t.Any]] = {}


class Provider:
    library = "nothing"
    import_error = None
    argument_spec = {"endpoint": {"type": "str"}}

    def __init__(self) -> None:
        self.connections = 0

    def connect(self, params: t.Dict[str, t.Any]) -> t.Dict[str, t.Dict[str, t.Any]]:
        self.connections += 1
        return STORE

    def explain(self, error: BaseException, resource: lifecycle.Resource) -> None:
        return None


class Port(lifecycle.Resource):
    module_name = "port"
    kind = "port"
    result_key = "port"
    provider = Provider()
    argument_spec = {"name": {"type": "str", "required": True}, "number": {"type": "int"}, "spare": {"type": "int"},
                     "state": {"type": "str", "default": "present", "choices": ["present", "absent"]}}
    validation = {"required_if": [("state", "present", ["number"])]}
    constraints = {"number": lifecycle.PORT, "spare": lifecycle.PORT}

    def desired(self) -> t.Dict[str, t.Any]:
        return {"number": self.params["number"]}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        return self.client.get(self.name)

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.client[self.name] = dict(desired)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        del self.client[self.name]


def run(capsys: pytest.CaptureFixture[str], **args: t.Any) -> t.Dict[str, t.Any]:
    with patch_module_args(args), pytest.raises(SystemExit):
        run_module(Port)
    return t.cast(t.Dict[str, t.Any], json.loads(capsys.readouterr().out))


def test_a_module_is_one_call_with_its_class(capsys: pytest.CaptureFixture[str]) -> None:
    STORE.clear()
    created = run(capsys, name="web", number=443)
    assert (created["changed"], created["action"], created["port"]) == (True, "create", {"number": 443})
    assert run(capsys, name="web", state="absent")["action"] == "delete"


def test_the_declared_validation_applies(capsys: pytest.CaptureFixture[str]) -> None:
    assert "missing: number" in run(capsys, name="web")["msg"]


def test_every_constraint_problem_fails_the_task_before_connecting(capsys: pytest.CaptureFixture[str]) -> None:
    connections = Port.provider.connections
    failed = run(capsys, name="web", number=70000, spare=0)
    assert failed["failed"] is True
    assert failed["msg"] == "number is 70000: use 1 to 65535. spare is 0: use 1 to 65535."
    assert Port.provider.connections == connections
