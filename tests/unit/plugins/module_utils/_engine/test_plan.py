"""The multi-resource plan with in-memory resources: ordering, references, parallelism, failures, teardown."""

from __future__ import annotations

import threading
import time
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import plan as planning
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range, Resource, ResourceError

STORE: t.Dict[str, t.Dict[str, t.Any]] = {}
EVENTS: t.List[str] = []
LOCK = threading.Lock()
# Where items that must run at the same time meet: by the number of items that meet there.
MEETINGS: t.Dict[int, threading.Barrier] = {}


def meet(parties: int) -> None:
    """Wait for the other parties; the wait ends in vain (BrokenBarrierError) when they do not run at the same time."""
    with LOCK:
        barrier = MEETINGS.setdefault(parties, threading.Barrier(parties, timeout=5))
    barrier.wait()


class FakeProvider:
    def connect(self, params: t.Dict[str, t.Any]) -> str:
        return "client"

    def explain(self, error: BaseException, resource: Resource) -> None:
        return None


SPEC = {"name": {"type": "str", "required": True}, "parent": {"type": "str"}, "size": {"type": "int"},
        "meet": {"type": "int"}, "fail": {"type": "bool"}, "state": {"type": "str", "default": "present"},
        "token": {"type": "str", "no_log": True}}


class Thing(Resource):
    kind = "thing"
    result_key = "thing"
    argument_spec = SPEC
    provider = FakeProvider()
    constraints = {"size": Range(0, 10)}

    def desired(self) -> t.Dict[str, t.Any]:
        if self.params.get("fail"):
            raise ResourceError("thing %s is broken on purpose." % self.name)
        return {"parent": self.params.get("parent"), "size": self.params.get("size")}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = STORE.get(self.name)
        return dict(found) if found else None

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        if self.params.get("meet"):
            meet(self.params["meet"])
        with LOCK:
            EVENTS.append("create " + self.name)
            STORE[self.name] = dict(desired, name=self.name, id="id-" + self.name)
        return dict(STORE[self.name])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        with LOCK:
            EVENTS.append("update " + self.name)
            STORE[self.name].update(changes)
        return dict(STORE[self.name])

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        with LOCK:
            EVENTS.append("delete " + self.name)
            del STORE[self.name]


TYPES: planning.Types = {"thing": Thing}


@pytest.fixture(autouse=True)
def empty_store() -> None:
    STORE.clear()
    EVENTS.clear()
    MEETINGS.clear()


def entries() -> t.List[t.Dict[str, t.Any]]:
    return [
        {"id": "app", "type": "thing", "params": {"name": "app", "parent": "${net.id}", "size": 2}, "group": "app"},
        {"id": "net", "type": "thing", "params": {"name": "net"}, "group": "network"},
        {"id": "db", "type": "thing", "params": {"name": "db", "parent": "on ${net.name}"}, "group": "db"},
    ]


def run(items: t.List[t.Dict[str, t.Any]], state: str = "present", check_mode: bool = False,
        limit: t.Optional[t.List[str]] = None) -> t.List[planning.ItemResult]:
    parsed = planning.parse_items(items, TYPES)
    plan = planning.Plan(parsed, TYPES, {}, check_mode=check_mode, parallel=4, limit=limit, secrets={"key": "s3cret"})
    return plan.up() if state == "present" else plan.down()


def test_dependencies_first_and_references_resolved() -> None:
    results = run(entries())
    assert [result.status for result in results] == ["ok", "ok", "ok"]
    assert EVENTS[0] == "create net"
    assert STORE["app"]["parent"] == "id-net"
    assert STORE["db"]["parent"] == "on net"


def test_rerun_changes_nothing_and_check_mode_predicts_children_of_new_parents() -> None:
    run(entries())
    EVENTS.clear()
    assert not any(result.outcome.changed for result in run(entries()))
    STORE.clear()
    predicted = run(entries(), check_mode=True)
    assert [result.outcome.action for result in predicted] == ["create", "create", "create"]
    assert EVENTS == [] and STORE == {}


def test_independent_items_run_in_parallel() -> None:
    # Each create waits for the other three: one after the other, the first would wait in vain and fail.
    items = [{"id": "t%d" % index, "type": "thing", "params": {"name": "t%d" % index, "meet": 4}} for index in range(4)]
    started = time.perf_counter()
    results = run(items)
    assert time.perf_counter() - started < 0.9
    assert [result.status for result in results] == ["ok"] * 4


def test_failure_skips_dependants_and_is_reported() -> None:
    items = entries()
    items[1]["params"]["fail"] = True
    results = {result.id: result for result in run(items)}
    assert results["net"].status == "failed" and "broken on purpose" in (results["net"].msg or "")
    assert results["app"].status == "skipped" and results["db"].status == "skipped"
    message = planning.failure_message(list(results.values()))
    assert message and "resource net (thing)" in message and "app, db" in message


def test_down_deletes_dependants_first() -> None:
    run(entries())
    EVENTS.clear()
    results = run(entries(), state="absent")
    assert EVENTS[-1] == "delete net" and set(EVENTS[:2]) == {"delete app", "delete db"}
    assert [result.outcome.action for result in results] == ["delete", "delete", "delete"]
    assert not any(result.outcome.changed for result in run(entries(), state="absent"))


def test_limit_converges_the_selection_reads_what_it_depends_on_and_leaves_the_rest() -> None:
    run(entries())
    changed = entries()
    changed[0]["params"]["size"] = 3
    # Outside the selection and its dependencies, nothing is resolved: not even a secret that is not given.
    changed[2]["params"].update(parent="other", token="${secrets.not_given}")
    results = {result.id: result for result in run(changed, limit=["app"])}
    assert results["app"].outcome.changes == ["size"]
    assert results["net"].outcome.action == "none"
    assert "db" not in results and STORE["db"]["parent"] == "on net"
    # What the selection depends on is only read: its content may name a secret that is not given.
    changed[1]["params"]["parent"] = "net of ${secrets.not_given}"
    assert {result.id: result.status for result in run(changed, limit=["app"])} == {"app": "ok", "net": "ok"}
    EVENTS.clear()
    results = {result.id: result for result in run(changed, state="absent", limit=["app"])}
    assert EVENTS == ["delete app"] and sorted(results) == ["app", "net"]


def test_unselected_dependencies_whose_parent_is_absent_are_not_read() -> None:
    # Only the app, while no net exists: the db it refers to, only read, is reported absent, not failed; the app,
    # selected, cannot resolve ${db.id}.
    items = entries()
    items[0]["params"]["parent"] = "${db.id}"
    results = {result.id: result for result in run(items, limit=["app"])}
    assert results["db"].status == "ok" and results["db"].msg == "not read: net is absent"
    assert results["net"].status == "ok" and results["net"].outcome.state is None
    assert results["app"].status == "failed" and STORE == {}


def test_secrets_resolve_and_are_collected_for_masking() -> None:
    parsed = planning.parse_items([{"id": "a", "type": "thing", "params": {"name": "a", "token": "${secrets.key}"}}], TYPES)
    plan = planning.Plan(parsed, TYPES, {}, check_mode=False, parallel=1, secrets={"key": "s3cret"})
    assert plan.up()[0].status == "ok"
    assert "s3cret" in plan.no_log_values


@pytest.mark.parametrize("items, message", [
    ([{"id": "a", "type": "thing", "params": {"name": "a", "parent": "${a.id}"}}], "in a cycle"),
    ([{"id": "a", "type": "thing", "params": {"name": "a", "parent": "${b.id}"}}], "depends on b, which the list does not define"),
    ([{"id": "a", "type": "nope", "params": {}}], "unknown type 'nope'"),
    ([{"id": "a b", "type": "thing", "params": {}}], "has id 'a b'"),
    ([{"id": "a", "type": "thing"}, {"id": "a", "type": "thing"}], "repeats the id 'a'"),
])
def test_bad_lists_fail_before_any_change(items: t.List[t.Dict[str, t.Any]], message: str) -> None:
    with pytest.raises(planning.PlanError, match=message):
        planning.parse_items(items, TYPES)
    assert EVENTS == []


def test_constraints_of_every_item_are_checked_together_before_any_change() -> None:
    items = [{"id": "a", "type": "thing", "params": {"name": "a", "size": 11}},
             {"id": "b", "type": "thing", "params": {"name": "b", "size": 2}},
             {"id": "c", "type": "thing", "params": {"name": "c", "size": -1, "parent": "${b.id}"}}]
    with pytest.raises(planning.PlanError) as error:
        planning.parse_items(items, TYPES)
    assert error.value.msg == "Resource a (thing): size is 11: use 0 to 10. Resource c (thing): size is -1: use 0 to 10."
    assert EVENTS == []


def test_bad_parameters_and_references_name_the_resource() -> None:
    results = run([{"id": "a", "type": "thing", "params": {"name": "a", "size": "big"}}])
    assert "Resource a (thing) has invalid parameters" in (results[0].msg or "")
    results = run([{"id": "n", "type": "thing", "params": {"name": "n"}},
                   {"id": "a", "type": "thing", "params": {"name": "a", "parent": "${n.nope}"}}])
    assert "refers to ${n.nope}, but n has no field 'nope'" in (results[1].msg or "")


# ---- a provider that cannot be reached: the run stops once, with one sentence (issue 11, finding 13) ----
class Unreachable(Exception):
    """What a provider's SDK raises when its endpoint refuses every connection."""


class RemoteProvider:
    """A provider that connects (or refuses to, with ``refusal``), and whose calls fail while ``down`` is set."""

    def __init__(self) -> None:
        self.connects = 0
        self.refusal: t.Optional[str] = None
        self.down = False

    def connect(self, params: t.Dict[str, t.Any]) -> str:
        self.connects += 1
        if self.refusal:
            raise ResourceError(self.refusal)
        return "client"

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        return ResourceError("lost %s while managing %s." % (error, resource.name)) if isinstance(error, Unreachable) else None

    @staticmethod
    def unreachable(error: BaseException, params: t.Dict[str, t.Any]) -> t.Optional[str]:
        return "Cannot reach %s (connection refused): start it." % params["endpoint"] if isinstance(error, Unreachable) else None


class RemoteThing(Thing):
    provider = RemoteProvider()

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        with LOCK:
            EVENTS.append("read " + self.name)
        if t.cast(RemoteProvider, self.provider).down:
            raise Unreachable("connection refused")
        return super().read()


class LocatedRemoteThing(RemoteThing):
    """Read ahead of the converge (it declares what locates it)."""

    locator = ("name",)


REMOTE: planning.Types = {"thing": Thing, "remote": RemoteThing, "located": LocatedRemoteThing}


@pytest.fixture()
def remote() -> RemoteProvider:
    provider = RemoteThing.provider = LocatedRemoteThing.provider = RemoteProvider()
    return provider


def remote_items(count: int, kind: str = "remote") -> t.List[planning.Item]:
    entries = [{"id": "r%d" % index, "type": kind, "params": {"name": "r%d" % index}} for index in range(count)]
    return planning.parse_items(entries + [{"id": "local", "type": "thing", "params": {"name": "local"}}], REMOTE)


def remote_plan(items: t.List[planning.Item], parallel: int = 2) -> planning.Plan:
    return planning.Plan(items, REMOTE, {"endpoint": "http://127.0.0.1:9"}, check_mode=False, parallel=parallel)


@pytest.mark.parametrize("state, kind", [("present", "remote"), ("absent", "remote"), ("present", "located")],
                         ids=["up", "down", "up-read-ahead"])
def test_a_connection_that_cannot_be_made_fails_the_run_once_before_any_item(remote: RemoteProvider, state: str, kind: str) -> None:
    remote.refusal = "No AWS credentials were found: set them."
    plan = remote_plan(remote_items(6, kind))
    with pytest.raises(ResourceError) as raised:
        plan.up() if state == "present" else plan.down()
    assert raised.value.msg == "No AWS credentials were found: set them."
    assert remote.connects == 1 and EVENTS == [] and plan.results == {}


@pytest.mark.parametrize("state, kind", [("present", "remote"), ("absent", "remote"), ("present", "located")],
                         ids=["up", "down", "up-read-ahead"])
def test_an_unreachable_endpoint_stops_the_run_with_one_sentence(remote: RemoteProvider, state: str, kind: str) -> None:
    remote.down = True
    plan = remote_plan(remote_items(10, kind))
    with pytest.raises(ResourceError) as raised:
        plan.up() if state == "present" else plan.down()
    assert raised.value.msg == "Cannot reach http://127.0.0.1:9 (connection refused): start it."
    # The items already running finish, and at most one more per thread; the others never start (a teardown reads
    # before it deletes: the reads stop the same way).
    assert len([event for event in EVENTS if event.startswith("read r")]) <= 4 and remote.connects == 1
    assert not any(event.startswith(("create", "delete")) for event in EVENTS)


def test_other_failures_of_a_provider_fail_their_item_only(remote: RemoteProvider) -> None:
    items = remote_items(3)
    items[0].params["fail"] = True
    results = {result.id: result.status for result in remote_plan(items).up()}
    assert results == {"r0": "failed", "r1": "ok", "r2": "ok", "local": "ok"}


def test_the_runs_connection_fills_the_connection_options_an_item_type_takes_and_its_item_leaves_unset() -> None:
    class Located(Thing):
        argument_spec = dict(SPEC, region={"type": "str"})

    items = planning.parse_items([{"id": "a", "type": "located", "params": {"name": "a"}},
                                  {"id": "b", "type": "located", "params": {"name": "b", "region": "eu-west-1"}}],
                                 {"located": Located})
    plan = planning.Plan(items, {"located": Located}, {"region": "us-east-1", "endpoint": "http://x"}, check_mode=True, parallel=1)
    assert [(plan.build(item).params["region"], plan.build(item).params["endpoint"]) for item in items] == [
        ("us-east-1", "http://x"), ("eu-west-1", "http://x")]
