"""The lifecycle engine with an in-memory resource: actions, check mode, diffs, secrets, retries, polling."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import lifecycle
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


class Box(lifecycle.Resource):
    """A resource kept in a dict, recording every mutating call."""

    kind = "box"
    result_key = "box"
    secret_fields = ("password",)
    replace_fields = ("size",)

    def __init__(self, store: t.Dict[str, t.Dict[str, t.Any]], params: t.Dict[str, t.Any]) -> None:
        super().__init__(store, params)
        self.calls: t.List[str] = []

    def desired(self) -> t.Dict[str, t.Any]:
        return {key: value for key, value in self.params.items() if key != "name" and value is not None}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.client.get(self.name)
        return dict(found, name=self.name) if found is not None else None

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.calls.append("create")
        self.client[self.name] = dict(desired)
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.calls.append("update:" + ",".join(sorted(changes)))
        self.client[self.name].update(changes)
        return t.cast(t.Dict[str, t.Any], self.read())

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.calls.append("delete")
        del self.client[self.name]


def box(store: t.Dict[str, t.Any], **params: t.Any) -> Box:
    return Box(store, dict({"name": "b1"}, **params))


def test_create_then_rerun_is_a_no_op() -> None:
    store: t.Dict[str, t.Any] = {}
    first = converge(box(store, color="red"))
    assert (first.changed, first.action, first.state) == (True, "create", {"color": "red", "name": "b1"})
    rerun = box(store, color="red")
    outcome = converge(rerun)
    assert (outcome.changed, outcome.action, rerun.calls) == (False, "none", [])


def test_only_fields_the_task_sets_are_compared() -> None:
    store = {"b1": {"color": "red", "size": 1}}
    resource = box(store, color="red")
    assert converge(resource).action == "none"
    assert resource.calls == []


def test_in_place_update_and_replace_are_chosen_by_field() -> None:
    store = {"b1": {"color": "red", "size": 1}}
    updated = box(store, color="blue")
    assert converge(updated).changes == ["color"]
    assert updated.calls == ["update:color"]
    replaced = box(store, size=2)
    outcome = converge(replaced)
    assert (outcome.action, replaced.calls) == ("replace", ["delete", "create"])


def test_check_mode_predicts_without_calling() -> None:
    store = {"b1": {"color": "red"}}
    resource = box(store, color="blue")
    outcome = converge(resource, check_mode=True)
    assert (outcome.changed, outcome.action, outcome.state["color"]) == (True, "update", "blue")
    assert resource.calls == [] and store == {"b1": {"color": "red"}}
    assert outcome.diff["before"] == {"color": "red", "state": "present"}
    assert outcome.diff["after"] == {"color": "blue", "state": "present"}


def test_delete_and_absent_twice() -> None:
    store = {"b1": {"color": "red"}}
    gone = converge(box(store), present=False)
    assert (gone.action, gone.state, gone.diff["after"]) == ("delete", None, {"state": "absent"})
    assert converge(box(store), present=False).action == "none"


def test_secrets_are_masked_in_diffs_and_dropped_from_results() -> None:
    store = {"b1": {"password": "old-secret"}}
    outcome = converge(box(store, password="new-secret"), check_mode=True)
    assert outcome.diff["before"]["password"] == lifecycle.SECRET_MASK
    assert outcome.diff["after"]["password"] == lifecycle.SECRET_CHANGED
    assert "password" not in outcome.state
    assert "secret" not in repr(outcome)


def test_secret_dicts_show_which_keys_changed() -> None:
    before, after = lifecycle.mask_secret({"A": "1", "B": "2"}, {"A": "1", "B": "3", "C": "4"})
    assert before == {"A": "********", "B": "********"}
    assert after == {"A": "********", "B": "******** (changed)", "C": "******** (changed)"}


def test_check_allowed_refuses_before_any_call() -> None:
    class Guarded(Box):
        def check_allowed(self, action: str, current: t.Any, changes: t.Dict[str, t.Any]) -> None:
            if action == "delete":
                raise ResourceError("box b1 holds data: set force: true to delete it.")

    resource = Guarded({"b1": {}}, {"name": "b1"})
    with pytest.raises(ResourceError, match="holds data"):
        converge(resource, present=False, check_mode=True)
    assert resource.calls == []


def test_wait_runs_after_changes_but_not_in_check_mode() -> None:
    waited: t.List[str] = []

    class Slow(Box):
        def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
            waited.append(state["name"])
            return dict(state, ready=True)

    assert converge(Slow({}, {"name": "b1", "color": "red"}), wait=True).state["ready"] is True
    converge(Slow({}, {"name": "b2", "color": "red"}), wait=True, check_mode=True)
    assert waited == ["b1"]


def test_retry_repeats_transient_failures_with_growing_delays() -> None:
    attempts: t.List[int] = []
    delays: t.List[float] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("throttled")
        return "ok"

    assert lifecycle.retry(flaky, lambda error: isinstance(error, ConnectionError), sleep=delays.append,
                           base_delay=1.0) == "ok"
    assert len(attempts) == 3 and len(delays) == 2
    assert 0 <= delays[0] <= 1.0 and 0 <= delays[1] <= 2.0


def test_retry_gives_up_on_permanent_errors_at_once() -> None:
    calls: t.List[int] = []

    def broken() -> None:
        calls.append(1)
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        lifecycle.retry(broken, lambda error: isinstance(error, ConnectionError), sleep=lambda _delay: None)
    assert calls == [1]


def test_poll_times_out_with_the_description() -> None:
    now = [0.0]

    def tick(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(ResourceError, match="still creating"):
        lifecycle.poll(lambda: (False, None), timeout=3, describe=lambda: "box b1 still creating",
                       clock=lambda: now[0], sleep=tick)
    assert now[0] >= 3
    assert lifecycle.poll(lambda: (True, "done"), timeout=3, describe=str) == "done"
