"""The Ansible glue: one run_module call makes a module of a resource type, with check mode, diff, and failures as sentences."""

from __future__ import annotations

import json
import typing as t

import pytest
from ansible.module_utils.basic import missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._engine import runner
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError
from ansible_collections.agno.infra.tests.unit.support import module_run

NOTES: t.Dict[str, t.Dict[str, t.Any]] = {}
SPEC = dict({"name": {"type": "str", "required": True}, "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
             "text": {"type": "str"}, "token": {"type": "str", "no_log": True}}, **runner.wait_argument_spec(False, 30))


class Note(Resource):
    """A note in the store the provider connects to; its token is a secret. Waiting records the timeout."""

    kind = "note"
    result_key = "note"
    secret_fields = ("token",)

    def desired(self) -> t.Dict[str, t.Any]:
        if self.params["text"] == "":
            raise ResourceError("Note %s has empty text: give some text, or state: absent." % self.name, hint="text")
        return {field: self.params[field] for field in ("text", "token") if self.params[field] is not None}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        if self.params["text"] == "boom":
            raise KeyError("revision")
        found = self.client.get(self.name)
        return None if found is None else dict(found, name=self.name)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.client[self.name] = dict(desired)
        return dict(desired, name=self.name)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.client[self.name].update(changes)
        return dict(self.client[self.name], name=self.name)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        del self.client[self.name]

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        return dict(state, waited=timeout)


class Provider:
    """A provider of notes: connects to the store, or fails to; explains the errors it knows."""

    library = "notes-sdk"
    argument_spec = {"store": {"type": "str", "default": "memory"}}

    def __init__(self, import_error: t.Optional[str] = None, refusal: t.Optional[BaseException] = None) -> None:
        self.import_error = import_error
        self.refusal = refusal

    def connect(self, params: t.Dict[str, t.Any]) -> t.Dict[str, t.Dict[str, t.Any]]:
        if self.refusal is not None:
            raise self.refusal
        return NOTES

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        if isinstance(error, ConnectionError):
            return ResourceError("The note store dropped the connection while managing %s %s." % (resource.kind, resource.name),
                                 store="memory")
        return None


@pytest.fixture(autouse=True)
def empty_store() -> None:
    NOTES.clear()


def run(capsys: pytest.CaptureFixture[str], provider: t.Optional[Provider] = None,
        **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    """One task of the notes module."""
    return module_run(lambda: runner.run_module(Note, provider or Provider(), SPEC), dict({"name": "n1"}, **args), capsys)


def test_create_then_rerun_then_delete(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run(capsys, text="hello")
    assert (code, result["changed"], result["action"], result["changes"], result["note"]) == (
        0, True, "create", [], {"text": "hello", "name": "n1"})
    assert "diff" not in result
    code, result = run(capsys, text="hello")
    assert (code, result["changed"], result["action"]) == (0, False, "none")
    code, result = run(capsys, state="absent")
    assert (code, result["changed"], result["action"], result["note"], NOTES) == (0, True, "delete", {}, {})


def test_check_mode_predicts_and_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    NOTES["n1"] = {"text": "old"}
    code, result = run(capsys, text="new", _ansible_check_mode=True)
    assert (code, result["changed"], result["action"], result["changes"], result["note"]["text"]) == (0, True, "update", ["text"], "new")
    assert NOTES == {"n1": {"text": "old"}}


def test_diff_mode_shows_before_and_after_and_secrets_never_leave_the_module(capsys: pytest.CaptureFixture[str]) -> None:
    NOTES["n1"] = {"text": "old", "token": "s3cret-old"}
    code, result = run(capsys, text="new", token="s3cret-new", _ansible_diff=True)
    assert code == 0 and result["changes"] == ["text", "token"]
    assert result["diff"]["before"] == {"text": "old", "token": "********", "state": "present"}
    assert result["diff"]["after"] == {"text": "new", "token": "******** (changed)", "state": "present"}
    assert result["diff"]["before_header"] == "note n1"
    assert "token" not in result["note"] and "s3cret" not in json.dumps(result)


def test_wait_and_its_timeout_come_from_the_task(capsys: pytest.CaptureFixture[str]) -> None:
    assert "waited" not in run(capsys, text="hello")[1]["note"]
    assert run(capsys, text="hello again", wait=True, wait_timeout=7)[1]["note"]["waited"] == 7
    assert runner.wait_argument_spec(True, 600) == {"wait": {"type": "bool", "default": True},
                                                    "wait_timeout": {"type": "int", "default": 600}}


def test_a_missing_sdk_fails_with_the_install_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run(capsys, Provider(import_error="ModuleNotFoundError: No module named 'notes_sdk'"), text="hello")
    assert (code, result["failed"], result["msg"]) == (1, True, missing_required_lib("notes-sdk"))
    assert NOTES == {}


def test_a_resource_error_fails_the_task_with_its_sentence_and_details(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run(capsys, text="")
    assert (code, result["msg"], result["hint"]) == (1, "Note n1 has empty text: give some text, or state: absent.", "text")
    refused = Provider(refusal=ResourceError("The note store is read-only: open it for writing."))
    assert run(capsys, refused, text="hello")[1]["msg"] == "The note store is read-only: open it for writing."


def test_provider_errors_are_explained_and_others_reported_as_bugs(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run(capsys, Provider(refusal=ConnectionError("reset by peer")), text="hello")
    assert (code, result["msg"], result["store"]) == (1, "The note store dropped the connection while managing note n1.", "memory")
    code, result = run(capsys, text="boom")
    assert code == 1 and result["msg"] == ("Unexpected KeyError while managing note n1: 'revision'. This is a bug in agno.infra; "
                                           "please report it with the output of -vvv.")
