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


# ---- the chores the engine owns ----------------------------------------------------------------------
class Lazy(Box):
    """Returns nothing from its changes: the engine reads the result."""

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.calls.append("create")
        self.client[self.name] = dict(desired)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        self.calls.append("update")
        self.client[self.name].update(changes)


def test_a_change_that_returns_nothing_is_read_back() -> None:
    store: t.Dict[str, t.Any] = {}
    created = converge(Lazy(store, {"name": "b1", "color": "red"}))
    assert created.state == {"color": "red", "name": "b1"}
    updated = converge(Lazy(store, {"name": "b1", "color": "blue"}))
    assert (updated.action, updated.state) == ("update", {"color": "blue", "name": "b1"})
    replaced = converge(Lazy(store, {"name": "b1", "size": 3}))
    assert (replaced.action, replaced.state["size"]) == ("replace", 3)


class Partial(Box):
    """Creation sets the size only; the color takes an update, as EC2's attributes do."""

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        self.calls.append("create")
        self.client[self.name] = {"size": desired.get("size"), "color": "grey"}
        return self.complete(t.cast(t.Dict[str, t.Any], self.read()), desired, ["color"])


def test_complete_updates_after_a_create_only_what_creation_left_different() -> None:
    store: t.Dict[str, t.Any] = {}
    painted = Partial(store, {"name": "b1", "size": 2, "color": "red"})
    assert converge(painted).state == {"size": 2, "color": "red", "name": "b1"}
    assert painted.calls == ["create", "update:color"]
    plain = Partial({}, {"name": "b1", "size": 2, "color": "grey"})
    assert converge(plain).state == {"size": 2, "color": "grey", "name": "b1"}
    assert plain.calls == ["create"]


class Draining(Box):
    """Deleted asynchronously: still readable for ``reads_left`` reads after delete()."""

    deletes_slowly = True
    poll_interval = 5.0

    def __init__(self, store: t.Dict[str, t.Dict[str, t.Any]], params: t.Dict[str, t.Any], reads_left: int) -> None:
        super().__init__(store, params)
        self.reads_left = reads_left
        self.deleted: t.Optional[t.Dict[str, t.Any]] = None

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        if self.deleted is not None and self.reads_left > 0:
            self.reads_left -= 1
            return self.deleted
        return super().read()

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.deleted = current
        super().delete(current)


def test_a_slow_deletion_is_waited_for_on_the_engine_clock(clock: t.Any) -> None:
    resource = Draining({"b1": {"color": "red"}}, {"name": "b1"}, reads_left=2)
    outcome = converge(resource, present=False, wait=True, wait_timeout=60, clock=clock)
    assert (outcome.action, resource.reads_left, clock.sleeps) == ("delete", 0, [5.0, 5.0])


def test_a_slow_deletion_is_not_waited_for_without_wait(clock: t.Any) -> None:
    resource = Draining({"b1": {"color": "red"}}, {"name": "b1"}, reads_left=2)
    converge(resource, present=False, wait=False, clock=clock)
    assert (resource.reads_left, clock.sleeps) == (2, [])


def test_a_replacement_waits_for_the_deletion_even_without_wait(clock: t.Any) -> None:
    resource = Draining({"b1": {"size": 1}}, {"name": "b1", "size": 2}, reads_left=1)
    assert converge(resource, clock=clock).action == "replace"
    assert (resource.calls, clock.sleeps) == (["delete", "create"], [5.0])


def test_a_deletion_that_never_ends_fails_with_one_sentence_at_the_wait_timeout(clock: t.Any) -> None:
    resource = Draining({"b1": {}}, {"name": "b1"}, reads_left=1000)
    with pytest.raises(ResourceError) as error:
        converge(resource, present=False, wait=True, wait_timeout=12, clock=clock)
    assert error.value.msg == "box b1 is still being deleted after 12 s: raise wait_timeout, or run again later."
    assert clock.time >= 12


def test_transient_failures_are_retried_on_the_engine_clock(clock: t.Any) -> None:
    class Flaky(Box):
        failures = 2

        def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
            if Flaky.failures:
                Flaky.failures -= 1
                raise ConnectionError("lost")
            return super().create(desired)

    outcome = converge(Flaky({}, {"name": "b1", "color": "red"}), is_transient=lambda error: isinstance(error, ConnectionError),
                       clock=clock)
    assert outcome.action == "create" and len(clock.sleeps) == 2


def test_a_resource_whose_writes_lose_their_answers_one_after_another_converges_within_the_passes(clock: t.Any) -> None:
    class Lossy(Box):
        """Every write is applied, then its answer lost, until `losses` run out: as a proxy that loses answers."""

        losses = lifecycle.CONVERGE_PASSES - 1

        def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
            key = sorted(changes)[0]  # one field a write, as a route table writes one route or association a call
            self.client[self.name][key] = changes[key]
            if Lossy.losses:
                Lossy.losses -= 1
                raise ConnectionError("answer lost")
            return t.cast(t.Dict[str, t.Any], self.read())

    fields = {"f%d" % number: "new" for number in range(lifecycle.CONVERGE_PASSES)}
    store = {"b1": {field: "old" for field in fields}}
    outcome = converge(Lossy(store, dict(fields, name="b1")), is_transient=lambda error: isinstance(error, ConnectionError), clock=clock)
    assert outcome.action == "update" and store["b1"] == fields and len(clock.sleeps) == lifecycle.CONVERGE_PASSES - 1


def test_resource_poll_uses_the_clock_and_interval_of_the_type(clock: t.Any) -> None:
    resource = box({})
    resource.clock, resource.poll_interval = clock, 2.0
    answers = iter([False, False, True])
    assert resource.poll(lambda: (next(answers), "ready"), 30, str) == "ready"
    assert clock.sleeps == [2.0, 2.0]


# ---- refusals -----------------------------------------------------------------------------------------
HOLDS_DATA = lifecycle.Refusal("{kind} {name} holds data and {fields} cannot change in place: set recreate: true.",
                               unless=("recreate", True))
IN_USE = lifecycle.Refusal({
    "delete": "{kind} {name} cannot be removed while {blockers} use it.",
    "replace": "{kind} {name} cannot be recreated to change {changes} while {blockers} use it.",
}, actions=("delete", "replace"), blockers=lambda resource, current: current.get("users"))


class Guarded(Box):
    refusals = (HOLDS_DATA, IN_USE)


def test_a_replacement_that_destroys_data_is_refused_in_check_mode_too() -> None:
    resource = Guarded({"b1": {"size": 1}}, {"name": "b1", "size": 2})
    with pytest.raises(ResourceError) as error:
        converge(resource, check_mode=True)
    assert error.value.msg == "box b1 holds data and size cannot change in place: set recreate: true."
    assert resource.calls == []


def test_the_option_named_by_unless_lifts_a_refusal() -> None:
    resource = Guarded({"b1": {"size": 1}}, {"name": "b1", "size": 2, "recreate": True})
    assert converge(resource).action == "replace"


def test_a_refusal_with_blockers_applies_only_while_there_are_some() -> None:
    with pytest.raises(ResourceError) as error:
        converge(Guarded({"b1": {"users": ["web", "worker"]}}, {"name": "b1"}), present=False)
    assert error.value.msg == "box b1 cannot be removed while web, worker use it."
    assert converge(Guarded({"b1": {"users": []}}, {"name": "b1"}), present=False).action == "delete"


def test_refusal_placeholders_show_current_and_wanted_values() -> None:
    class Fixed(Box):
        refusals = (lifecycle.Refusal("{kind} {name} ({id}) has {values}; wanted: {wants}; owner {current[owner]}."),)

    with pytest.raises(ResourceError) as error:
        converge(Fixed({"b1": {"id": "b-1", "size": 1, "owner": "ops"}}, {"name": "b1", "size": 2}))
    assert error.value.msg == "box b1 (b-1) has size 1; wanted: size 1 (task wants 2); owner ops."


# ---- comparison modes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("compare, current, desired, differs", [
    (lifecycle.as_set, ["b", "a"], ["a", "b"], False),
    (lifecycle.as_set, [{"k": 1}, {"k": 2}], [{"k": 2}], True),
    (lifecycle.subset, ["a", "b", "c"], ["c", "a"], False),
    (lifecycle.subset, ["a"], ["a", "b"], True),
    (lifecycle.subset, {"a": "1", "aws": "x"}, {"a": "1"}, False),
    (lifecycle.subset, None, {"a": "1"}, True),
    (lifecycle.unreported(), None, 5, False),
    (lifecycle.unreported(), 4, 5, True),
    (lifecycle.unreported(lifecycle.as_set), ["b", "a"], ["a", "b"], False),
])
def test_comparison_modes(compare: lifecycle.Compare, current: t.Any, desired: t.Any, differs: bool) -> None:
    assert compare(current, desired, {}) is differs


def test_purge_compares_whole_values_only_when_its_option_is_true() -> None:
    rules = lifecycle.purge("purge_rules")
    assert rules(["a", "b"], ["a"], {"purge_rules": True}) is True
    assert rules(["a", "b"], ["a"], {"purge_rules": False}) is False
    assert rules(["a", "b"], ["a"], {}) is True  # purging is the default of every purge option


def test_declared_comparisons_add_to_the_bases_and_a_callable_compares_anything() -> None:
    class Loose(Box):
        compare = {"labels": lifecycle.subset}

    class Looser(Loose):
        compare = {"color": lambda current, desired, params: current.lower() != desired.lower()}

    store = {"b1": {"color": "RED", "labels": {"a": "1", "b": "2"}}}
    assert converge(Looser(store, {"name": "b1", "color": "red", "labels": {"a": "1"}})).action == "none"
    assert converge(Looser(store, {"name": "b1", "labels": {"a": "2"}})).changes == ["labels"]


# ---- option constraints -------------------------------------------------------------------------------
class Constrained(Box):
    constraints = {
        "port": lifecycle.PORT,
        "retention": lifecycle.Range(0),
        "ports.host": lifecycle.PORT,
        "name": lifecycle.Pattern(r"[a-z0-9-]+", "lower-case letters, digits and hyphens"),
        "mode": lifecycle.OneOf(("fast", "safe")),
    }


def test_constraints_report_every_problem_of_a_task_at_once() -> None:
    params = {"name": "Bad_Name", "port": 70000, "retention": -1, "ports": [{"host": 80}, {"host": 0}], "mode": "turbo"}
    assert Constrained.problems(params) == [
        "port is 70000: use 1 to 65535.",
        "retention is -1: use 0 or more.",
        "ports[1].host is 0: use 1 to 65535.",
        "name is 'Bad_Name': use lower-case letters, digits and hyphens.",
        "mode is 'turbo': use one of fast, safe.",
    ]


def test_constraints_pass_good_values_unset_options_and_references() -> None:
    assert Constrained.problems({"name": "ok-1", "port": 443, "ports": [{"host": "${lb.port}"}], "retention": None}) == []
    assert lifecycle.Range(high=10).problem("count", 11) == "count is 11: use at most 10."


def test_a_parser_constraint_reports_its_sentence_and_leaves_wrong_types_to_the_argument_spec() -> None:
    def even(value: t.Any, option: str) -> int:
        if int(value) % 2:
            raise ResourceError("%s is %s: use an even number." % (option, value))
        return int(value)

    rule = lifecycle.Parses(even)
    assert (rule.problem("count", 3), rule.problem("count", 4), rule.problem("count", "many")) == (
        "count is 3: use an even number.", None, None)


def test_range_bounds_are_shown_as_written() -> None:
    assert lifecycle.Range(1, 1000000).problem("size", 0) == "size is 0: use 1 to 1000000."
    assert lifecycle.Range(0.01).problem("cpus", 0) == "cpus is 0: use 0.01 or more."
