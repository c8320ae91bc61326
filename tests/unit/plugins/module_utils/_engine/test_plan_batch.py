"""The plan's batch reads with in-memory resources: read ahead by type and wave, each state used once, re-read after
a change, fallbacks when a batch cannot be read."""

from __future__ import annotations

import threading
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import plan as planning
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Refusal, Resource, ResourceError, converge

STORE: t.Dict[str, t.Dict[str, t.Any]] = {}
CALLS: t.List[str] = []
LOCK = threading.Lock()


def call(name: str) -> None:
    with LOCK:
        CALLS.append(name)


class Provider:
    def connect(self, params: t.Dict[str, t.Any]) -> str:
        return "client"

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        return ResourceError("provider error: %s" % error)


SPEC = {"name": {"type": "str", "required": True}, "size": {"type": "int"}, "parent": {"type": "str"},
        "shelf": {"type": "str"}, "broken": {"type": "bool"}, "state": {"type": "str", "default": "present"}}


class Box(Resource):
    """Found by name: the store is its provider, every read or batch a call."""

    kind = "box"
    argument_spec = SPEC
    provider = Provider()

    def desired(self) -> t.Dict[str, t.Any]:
        return {"size": self.params.get("size"), "parent": self.params.get("parent")}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        call("read " + self.name)
        return self.state()

    def state(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = STORE.get(self.name)
        return dict(found) if found else None

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        call("create " + self.name)
        STORE[self.name] = dict(desired, name=self.name, id="id-" + self.name)
        return dict(STORE[self.name])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        call("update " + self.name)
        STORE[self.name].update(changes)
        return t.cast(t.Dict[str, t.Any], self.read())

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        call("delete " + self.name)
        del STORE[self.name]


class Crate(Box):
    """A box type that reads many at once; it lives in a box (``shelf``), which locates it."""

    locator = ("name", "shelf")

    @classmethod
    def read_batch(cls, resources: t.List[Resource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        call("batch " + ",".join(sorted(resource.name for resource in resources)))
        if any(resource.params.get("broken") for resource in resources):
            raise RuntimeError("the batch call failed")
        return [t.cast(Crate, resource).state() for resource in resources]


class Bin(Box):
    """A type read ahead that reads alone: it declares what locates it, and no batch."""

    locator = ("name",)


class Seal(Bin):
    """A type that refuses, before anything changes, an unlucky size (as a listener refuses a certificate not issued)."""

    locator = ("name", "shelf")
    preflight_options = ("size",)

    def preflight(self, current: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
        call("preflight " + self.name)
        return ["size 13 brings bad luck: choose another."] if self.params.get("size") == 13 and not current else []


class Sealed(Bin):
    """A type whose size cannot change in place, and which is always in use: a new size is refused (as a security
    group in use is not replaced)."""

    replace_fields = ("size",)
    refusals = (Refusal("{kind} {name} has {wants} and is in use by {blockers}.", blockers=lambda resource, current: ["a user"]),)


TYPES: planning.Types = {"box": Box, "crate": Crate, "bin": Bin, "seal": Seal, "sealed": Sealed}


@pytest.fixture(autouse=True)
def empty_store() -> None:
    STORE.clear()
    CALLS.clear()


def entries() -> t.List[t.Dict[str, t.Any]]:
    """A shelf (a plain box), crates on it, and a crate whose size comes from another crate (not what locates it)."""
    return [
        {"id": "shelf", "type": "box", "params": {"name": "shelf"}},
        {"id": "top", "type": "crate", "params": {"name": "top", "size": 1}},
        {"id": "left", "type": "crate", "params": {"name": "left", "shelf": "${top.id}", "size": 2}},
        {"id": "right", "type": "crate", "params": {"name": "right", "shelf": "${top.id}", "parent": "${left.id}"}},
    ]


def up(items: t.List[t.Dict[str, t.Any]], check_mode: bool = False, limit: t.Optional[t.List[str]] = None) -> t.List[planning.ItemResult]:
    plan = planning.Plan(planning.parse_items(items, TYPES), TYPES, {}, check_mode=check_mode, parallel=4, limit=limit)
    return plan.up()


def rerun(items: t.List[t.Dict[str, t.Any]], **options: t.Any) -> t.List[planning.ItemResult]:
    up(items)
    CALLS.clear()
    return up(items, **options)


def test_a_no_op_reads_each_type_in_one_batch_per_wave_and_nothing_more() -> None:
    results = rerun(entries())
    assert not any(result.outcome.changed for result in results)
    # Before anything converges: top, then left and right once top's id locates them, though right's parent (left)
    # was not read yet. The shelf, of a type that reads alone, reads when it converges; the crates read no more.
    assert CALLS == ["batch top", "batch left,right", "read shelf"]
    assert {result.id: result.outcome.state["id"] for result in results} == {
        "shelf": "id-shelf", "top": "id-top", "left": "id-left", "right": "id-right"}


def test_check_mode_uses_what_was_read_ahead() -> None:
    changed = entries()
    changed[2]["params"]["size"] = 5
    up(entries())
    CALLS.clear()
    results = {result.id: result for result in up(changed, check_mode=True)}
    assert results["left"].outcome.changes == ["size"] and STORE["left"]["size"] == 2
    assert sorted(name for name in CALLS if name.startswith("read")) == ["read shelf"]


def test_a_state_read_ahead_is_used_once_and_a_change_reads_again() -> None:
    up(entries())
    CALLS.clear()
    changed = entries()
    changed[1]["params"]["size"] = 7
    results = {result.id: result for result in up(changed)}
    assert results["top"].outcome.changes == ["size"] and STORE["top"]["size"] == 7
    # The update re-reads top; after that write, left and right read afresh rather than trust the earlier batch.
    assert CALLS.count("read top") == 1 and CALLS.count("update top") == 1
    assert "read left" in CALLS and "read right" in CALLS


def test_a_failed_batch_leaves_each_item_to_read_and_report_for_itself() -> None:
    up(entries())
    broken = entries()
    broken[2]["params"]["broken"] = True
    CALLS.clear()
    results = {result.id: result for result in up(broken)}
    assert "batch left,right" in CALLS and "read left" in CALLS and "read right" in CALLS
    assert all(result.status == "ok" for result in results.values())


def test_an_item_located_by_one_not_read_ahead_reads_when_it_converges() -> None:
    items = entries()
    items[1]["params"]["shelf"] = "${shelf.id}"
    rerun(items)
    # top's shelf is a plain box, not read ahead: nor is top, nor what top locates.
    assert not any(name.startswith("batch") for name in CALLS)
    assert sorted(CALLS) == ["read left", "read right", "read shelf", "read top"]


def test_read_ahead_on_a_first_run_finds_nothing_and_creates_everything() -> None:
    results = up(entries())
    assert [result.outcome.action for result in results] == ["create"] * 4
    assert STORE["right"]["parent"] == "id-left"


def test_only_what_the_limit_needs_is_read_ahead() -> None:
    up(entries())
    CALLS.clear()
    results = {result.id: result for result in up(entries(), limit=["left"])}
    assert set(results) == {"top", "left"}
    assert CALLS == ["batch top", "batch left"]


def test_converge_takes_a_first_read_once_and_asks_the_provider_after_a_change() -> None:
    STORE["box"] = {"name": "box", "id": "id-box", "size": 1, "parent": None}
    outcome = converge(Box(None, {"name": "box", "size": 2}), first_read=lambda: dict(STORE["box"]))
    assert outcome.changes == ["size"] and outcome.state["size"] == 2
    # No read before the update (the plan's state served); the one after it is the provider's.
    assert CALLS == ["update box", "read box"]


def test_a_type_that_reads_alone_is_read_ahead_one_item_each() -> None:
    items = entries() + [{"id": "%s-bin" % name, "type": "bin", "params": {"name": "%s-bin" % name, "parent": "${left.id}"}}
                         for name in ("red", "blue")]
    rerun(items)
    # Read ahead with the first wave (their name locates them; the parent, not yet read, does not matter), once each.
    assert sorted(CALLS[:3]) == ["batch top", "read blue-bin", "read red-bin"]
    assert CALLS.count("read red-bin") == 1 and CALLS.count("read blue-bin") == 1


def test_a_type_that_reads_many_waits_for_its_items_still_being_located_and_reads_them_in_one_batch() -> None:
    items = [{"id": "bin", "type": "bin", "params": {"name": "bin"}},
             {"id": "loose", "type": "crate", "params": {"name": "loose"}},
             {"id": "binned", "type": "crate", "params": {"name": "binned", "shelf": "${bin.id}"}}]
    rerun(items)
    assert CALLS == ["read bin", "batch binned,loose"]


def test_items_that_can_never_be_located_hold_back_no_batch() -> None:
    # "shelf" is not read ahead (a box), so "held" can only be read when it converges; "free" is read ahead at once.
    items = [{"id": "shelf", "type": "box", "params": {"name": "shelf"}},
             {"id": "free", "type": "crate", "params": {"name": "free"}},
             {"id": "held", "type": "crate", "params": {"name": "held", "shelf": "${shelf.id}"}}]
    rerun(items)
    assert CALLS[0] == "batch free" and sorted(CALLS[1:]) == ["read held", "read shelf"]


def test_a_preflight_refusal_fails_its_item_before_any_change_even_one_whose_location_is_new() -> None:
    # The seal lives in a bin that does not exist yet: it is not read, it is new.
    items = [{"id": "bin", "type": "bin", "params": {"name": "bin"}},
             {"id": "seal", "type": "seal", "params": {"name": "seal", "size": 13, "shelf": "${bin.id}"}}]
    results = {result.id: result for result in up(items)}
    assert (results["seal"].status, results["seal"].msg) == (planning.FAILED, "size 13 brings bad luck: choose another.")
    assert (results["bin"].status, results["bin"].msg) == (planning.SKIPPED, "not attempted: a check before any change failed")
    assert STORE == {} and CALLS == ["read bin", "preflight seal"]
    assert planning.failure_message(list(results.values())).startswith("resource seal (seal): size 13 brings bad luck")


def test_a_preflight_that_passes_changes_nothing_in_the_plan() -> None:
    items = [{"id": "seal", "type": "seal", "params": {"name": "seal", "size": 12}}]
    assert [result.outcome.action for result in up(items)] == ["create"]
    # Asked before anything changes, then again as it converges.
    assert CALLS == ["read seal", "preflight seal", "preflight seal", "create seal"]


def test_a_declared_refusal_of_an_item_read_ahead_fails_the_run_before_any_change() -> None:
    up([{"id": "sealed", "type": "sealed", "params": {"name": "sealed", "size": 1}}])
    CALLS.clear()
    results = {result.id: result for result in up([{"id": "sealed", "type": "sealed", "params": {"name": "sealed", "size": 2}},
                                                   {"id": "crate", "type": "crate", "params": {"name": "crate"}}])}
    assert (results["sealed"].status, results["sealed"].msg) == (planning.FAILED, "box sealed has size 1 (task wants 2) and is in use by a user.")
    assert results["crate"].status == planning.SKIPPED and "crate" not in STORE and STORE["sealed"]["size"] == 1
    assert not any(name.startswith(("create", "update", "delete")) for name in CALLS)
