"""Check mode predicts the cascade the apply makes: values known only after the apply, refreshes, teardowns.

Every scenario runs the plan in check mode, then applies it, and asserts that the action predicted for each item is
the action taken, and that check mode called nothing that changes.
"""

from __future__ import annotations

import itertools
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import plan as planning
from ansible_collections.agno.infra.plugins.module_utils._engine.cascade import KNOWN_AFTER_APPLY
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, Refusal, Resource

STORE: t.Dict[str, t.Dict[str, t.Any]] = {}
CALLS: t.List[str] = []
IDS = itertools.count(1)


class FakeProvider:
    def connect(self, params: t.Dict[str, t.Any]) -> str:
        return "client"

    def explain(self, error: BaseException, resource: Resource) -> None:
        return None


FIELDS = ("parent", "uses", "routes", "value", "shape")


class Part(Resource):
    """A resource with an id and an arn made on creation; shape cannot change in place."""

    kind = "part"
    provider = FakeProvider()
    argument_spec = {"name": {"type": "str", "required": True}, "state": {"type": "str", "default": "present"},
                     "parent": {"type": "str"}, "uses": {"type": "str"}, "routes": {"type": "list", "elements": "str"},
                     "value": {"type": "str", "no_log": True}, "shape": {"type": "str"},
                     "redeploy": {"type": "bool", "default": False}}
    replace_fields = ("shape",)
    secret_fields = ("value",)

    def desired(self) -> t.Dict[str, t.Any]:
        wanted = {field: self.params[field] for field in FIELDS if self.params.get(field) is not None}
        if self.params["redeploy"]:
            wanted["redeploy"] = True  # never part of the state: always a change
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = STORE.get(self.name)
        return dict(found) if found else None

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        CALLS.append("create " + self.name)
        number = next(IDS)
        STORE[self.name] = dict({key: value for key, value in desired.items() if key != "redeploy"},
                                name=self.name, id="id-%d" % number, arn="arn:%s:%d" % (self.name, number))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        CALLS.append("update " + self.name)
        STORE[self.name].update({key: value for key, value in changes.items() if key != "redeploy"})

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        CALLS.append("delete " + self.name)
        del STORE[self.name]


class Revision(Part):
    """Like a task definition: each update is a new revision with a new arn."""

    renewed_by_update = ("arn",)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        super().update(current, desired, changes)
        STORE[self.name]["arn"] = "arn:%s:%d" % (self.name, next(IDS))


class Deployment(Part):
    """Like an ECS service: a refresh starts new tasks."""

    refresh = {"redeploy": True}


class Router(Part):
    """Like a listener: it lives on its parent; what it routes to is content."""

    located_by = ("parent",)


class Holder(Part):
    """Like an ECS cluster: not deleted while parts live in it."""

    refusals = (Refusal("{name} still holds {blockers}: delete them first.", actions=(DELETE,),
                        blockers=lambda resource, current: sorted(name for name, state in STORE.items()
                                                                  if state.get("parent") == current["id"])),)


TYPES: planning.Types = {"part": Part, "revision": Revision, "deployment": Deployment, "router": Router, "holder": Holder}


@pytest.fixture(autouse=True)
def empty_store() -> None:
    STORE.clear()
    CALLS.clear()


def item(item_id: str, kind: str = "part", **params: t.Any) -> t.Dict[str, t.Any]:
    return {"id": item_id, "type": kind, "params": dict(params, name=item_id)}


def run(entries: t.List[t.Dict[str, t.Any]], check_mode: bool = False, state: str = "present") -> t.Dict[str, planning.ItemResult]:
    plan = planning.Plan(planning.parse_items(entries, TYPES), TYPES, {}, check_mode=check_mode, parallel=3,
                         secrets={"password": "s3cret-1"})
    results = plan.up() if state == "present" else plan.down()
    assert planning.failure_message(results) is None, planning.failure_message(results)
    return {result.id: result for result in results}


def actions(results: t.Dict[str, planning.ItemResult]) -> t.Dict[str, str]:
    return {key: result.outcome.action for key, result in results.items() if result.outcome is not None}


def predicted_then_applied(entries: t.List[t.Dict[str, t.Any]], state: str = "present") -> t.Dict[str, planning.ItemResult]:
    """Check mode, then the apply: the same action for every item, and no change made by check mode."""
    before = dict(STORE)
    CALLS.clear()
    predicted = run(entries, check_mode=True, state=state)
    assert CALLS == [] and STORE == before
    applied = run(entries, state=state)
    assert actions(predicted) == actions(applied)
    assert not any(result.outcome.changed for result in run(entries, state=state).values())
    return predicted


def revision_and_deployment(image: str) -> t.List[t.Dict[str, t.Any]]:
    return [item("holder", "holder"), item("rev", "revision", uses=image),
            item("service", "deployment", parent="${holder.id}", uses="${rev.arn}")]


def test_a_new_revision_updates_the_deployment_that_uses_its_arn() -> None:
    run(revision_and_deployment("app:1"))
    predicted = predicted_then_applied(revision_and_deployment("app:2"))
    assert actions(predicted) == {"holder": "none", "rev": "update", "service": "update"}
    assert predicted["service"].outcome.changes == ["uses"]
    assert predicted["service"].outcome.diff["after"]["uses"] == KNOWN_AFTER_APPLY
    assert CALLS[:2] == ["update rev", "update service"]


def routing(targets: t.List[str], default: str) -> t.List[t.Dict[str, t.Any]]:
    routes = ["${%s.arn}" % target for target in targets]
    return ([item("lb")] + [item(target) for target in targets]
            + [item("listener", "router", parent="${lb.id}", uses="${%s.arn}" % default, routes=routes)])


@pytest.mark.parametrize("default", ["web", "new"])
def test_a_new_target_updates_the_router_that_routes_to_it(default: str) -> None:
    run(routing(["web"], "web"))
    predicted = predicted_then_applied(routing(["web", "new"], default))
    assert actions(predicted) == {"lb": "none", "web": "none", "new": "create", "listener": "update"}
    assert KNOWN_AFTER_APPLY in predicted["listener"].outcome.diff["after"]["routes"]


def test_what_lives_in_a_new_item_is_predicted_created_without_being_read() -> None:
    entries = [item("lb"), item("listener", "router", parent="${lb.id}", routes=["${lb.arn}"])]
    predicted = predicted_then_applied(entries)
    assert actions(predicted) == {"lb": "create", "listener": "create"}


def test_a_replacement_names_its_reason_and_updates_what_refers_to_its_id() -> None:
    entries = [item("group", shape="round"), item("db", uses="${group.id}"), item("logs", uses="${group.name}")]
    run(entries)
    entries[0]["params"]["shape"] = "square"
    predicted = predicted_then_applied(entries)
    assert actions(predicted) == {"group": "replace", "db": "update", "logs": "none"}
    assert predicted["group"].outcome.replace_reason == "shape"
    assert predicted["group"].as_dict()["replace_reason"] == "shape"
    assert predicted["group"].outcome.diff["after_header"] == "part group (replace, forced by shape)"
    assert "replace_reason" not in predicted["db"].as_dict()


def secret_and_readers(password: str) -> t.List[t.Dict[str, t.Any]]:
    return [item("holder", "holder"), item("secret", value=password),
            dict(item("service", "deployment", parent="${holder.id}"), refresh_on=["secret"]),
            dict(item("other", "deployment", parent="${holder.id}"), refresh_on=[])]


def test_a_changed_secret_refreshes_its_readers_and_only_them() -> None:
    run(secret_and_readers("s3cret-1"))
    predicted = predicted_then_applied(secret_and_readers("s3cret-2"))
    assert actions(predicted) == {"holder": "none", "secret": "update", "service": "update", "other": "none"}
    assert predicted["service"].outcome.changes == ["redeploy"]
    assert CALLS.index("update secret") < CALLS.index("update service")


def test_refresh_on_a_type_that_cannot_be_refreshed_is_refused_before_any_change() -> None:
    with pytest.raises(planning.PlanError, match=r"Resource db \(part\) has refresh_on, but its type cannot be refreshed"):
        planning.parse_items([item("secret"), dict(item("db"), refresh_on=["secret"])], TYPES)


def test_a_teardown_in_check_mode_predicts_every_delete_in_order() -> None:
    entries = revision_and_deployment("app:1") + [item("worker", "deployment", parent="${holder.id}")]
    run(entries)
    predicted = predicted_then_applied(entries, state="absent")
    assert set(actions(predicted).values()) == {"delete"}
    # Listed as the deletes go: what lives in the holder, then the holder.
    assert list(predicted)[-1] == "holder" and list(predicted).index("service") < list(predicted).index("rev")
    assert CALLS[-1] == "delete holder" and STORE == {}


def test_a_teardown_still_refuses_what_the_plan_does_not_delete() -> None:
    entries = [item("holder", "holder"), item("service", "deployment", parent="${holder.id}")]
    run(entries)
    STORE["stray"] = {"name": "stray", "parent": STORE["holder"]["id"]}
    results = planning.Plan(planning.parse_items(entries, TYPES), TYPES, {}, check_mode=True, parallel=2).down()
    # The service is deleted first (predicted), the stray is not: it alone is named.
    assert planning.failure_message(results) == "resource holder (holder): holder still holds stray: delete them first."
