"""run_module builds the AnsibleModule from the type's declarations, checks constraints first, and converges: results,
check mode, diff with secrets masked, the wait options, and failures as sentences."""

from __future__ import annotations

import json
import typing as t

import pytest
from ansible.module_utils.basic import missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._engine import lifecycle
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module, wait_argument_spec
from ansible_collections.agno.infra.tests.unit.support import module_run

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
    return module_run(lambda: run_module(Port), args, capsys)[1]


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


NOTES: t.Dict[str, t.Dict[str, t.Any]] = {}
SPEC = dict({"name": {"type": "str", "required": True}, "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
             "text": {"type": "str"}, "token": {"type": "str", "no_log": True}}, **wait_argument_spec(False, 30))


class Note(Resource):
    """A note in the store the provider connects to; its token is a secret. Waiting records the timeout."""

    kind = "note"
    result_key = "note"
    secret_fields = ("token",)
    argument_spec = SPEC

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


class NoteProvider:
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


def note_task(capsys: pytest.CaptureFixture[str], provider: t.Optional[NoteProvider] = None,
              **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    """One task of the notes module, its provider as given."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Note, "provider", provider or NoteProvider())
        return module_run(lambda: run_module(Note), dict({"name": "n1"}, **args), capsys)


def test_create_then_rerun_then_delete(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = note_task(capsys, text="hello")
    assert (code, result["changed"], result["action"], result["changes"], result["note"]) == (
        0, True, "create", [], {"text": "hello", "name": "n1"})
    assert "diff" not in result
    code, result = note_task(capsys, text="hello")
    assert (code, result["changed"], result["action"]) == (0, False, "none")
    code, result = note_task(capsys, state="absent")
    assert (code, result["changed"], result["action"], result["note"], NOTES) == (0, True, "delete", {}, {})


def test_check_mode_predicts_and_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    NOTES["n1"] = {"text": "old"}
    code, result = note_task(capsys, text="new", _ansible_check_mode=True)
    assert (code, result["changed"], result["action"], result["changes"], result["note"]["text"]) == (0, True, "update", ["text"], "new")
    assert NOTES == {"n1": {"text": "old"}}


def test_diff_mode_shows_before_and_after_and_secrets_never_leave_the_module(capsys: pytest.CaptureFixture[str]) -> None:
    NOTES["n1"] = {"text": "old", "token": "s3cret-old"}
    code, result = note_task(capsys, text="new", token="s3cret-new", _ansible_diff=True)
    assert code == 0 and result["changes"] == ["text", "token"]
    assert result["diff"]["before"] == {"text": "old", "token": "********", "state": "present"}
    assert result["diff"]["after"] == {"text": "new", "token": "******** (changed)", "state": "present"}
    assert result["diff"]["before_header"] == "note n1"
    assert "token" not in result["note"] and "s3cret" not in json.dumps(result)


def test_wait_and_its_timeout_come_from_the_task(capsys: pytest.CaptureFixture[str]) -> None:
    assert "waited" not in note_task(capsys, text="hello")[1]["note"]
    assert note_task(capsys, text="hello again", wait=True, wait_timeout=7)[1]["note"]["waited"] == 7
    assert wait_argument_spec(True, 600) == {"wait": {"type": "bool", "default": True},
                                             "wait_timeout": {"type": "int", "default": 600}}


def test_a_missing_sdk_fails_with_the_install_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = note_task(capsys, NoteProvider(import_error="ModuleNotFoundError: No module named 'notes_sdk'"), text="hello")
    assert (code, result["failed"], result["msg"]) == (1, True, missing_required_lib("notes-sdk"))
    assert NOTES == {}


def test_a_resource_error_fails_the_task_with_its_sentence_and_details(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = note_task(capsys, text="")
    assert (code, result["msg"], result["hint"]) == (1, "Note n1 has empty text: give some text, or state: absent.", "text")
    refused = NoteProvider(refusal=ResourceError("The note store is read-only: open it for writing."))
    assert note_task(capsys, refused, text="hello")[1]["msg"] == "The note store is read-only: open it for writing."


def test_provider_errors_are_explained_and_others_reported_as_bugs(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = note_task(capsys, NoteProvider(refusal=ConnectionError("reset by peer")), text="hello")
    assert (code, result["msg"], result["store"]) == (1, "The note store dropped the connection while managing note n1.", "memory")
    code, result = note_task(capsys, text="boom")
    assert code == 1 and result["msg"] == ("Unexpected KeyError while managing note n1: 'revision'. This is a bug in agno.infra; "
                                           "please report it with the output of -vvv.")
