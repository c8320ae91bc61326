# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle engine: one converge loop that serves every resource type of every provider.

A resource type is a small subclass of ``Resource`` that says how to read, create, update,
delete and wait, and declares the rest: its options, how its fields compare, what it refuses,
which option values it takes. The engine owns everything else: comparing only the fields the
task set, check mode, diff views with secrets masked, the choice between update and replace,
re-reading after a change, waiting for a slow deletion, and reporting. It knows nothing of
Ansible, so one process can converge many resources.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time
import typing as t

SECRET_MASK = "********"
SECRET_CHANGED = "******** (changed)"

NO_CHANGE = "none"
CREATE = "create"
UPDATE = "update"
REPLACE = "replace"
DELETE = "delete"


class Clock:
    """Time as the engine sees it. converge hands one to each resource (real by default); tests hand a fake."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


REAL_TIME = Clock()


# ---- comparison modes: (current, desired, the task's params) -> whether the field differs ------------------
Compare = t.Callable[[t.Any, t.Any, t.Dict[str, t.Any]], bool]


def canonical(value: t.Any) -> str:
    """One text per value, so that lists of dicts can be compared as sets."""
    return json.dumps(value, sort_keys=True, default=str)


def equal(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """The default: any difference counts."""
    return bool(current != desired)


def as_set(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """Lists whose order means nothing."""
    return sorted(map(canonical, current or [])) != sorted(map(canonical, desired))


def subset(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """Only what the task lists must be there: its items in a list, its keys (with their values) in a dict."""
    if isinstance(desired, dict):
        have = current or {}
        return any(have.get(key) != value for key, value in desired.items())
    present = set(map(canonical, current or []))
    return not all(canonical(item) in present for item in desired)


def purge(option: str, purging: Compare = equal, keeping: Compare = subset) -> Compare:
    """``purging`` when the task's ``option`` (purge_tags, purge_rules...) is true, its default; else ``keeping``."""
    def compare(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
        return (purging if params.get(option, True) else keeping)(current, desired, params)
    return compare


def unreported(then: Compare = equal) -> Compare:
    """A field the provider may not report: None means "not reported", not a difference; else ``then``."""
    def compare(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
        return current is not None and then(current, desired, params)
    return compare


# ---- refusals ------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Refusal:
    """An action the engine refuses before any change (in check mode too), with the sentence it fails with.

    ``message`` is one sentence, or one per action, with these placeholders: ``{kind}``, ``{name}``, ``{id}``;
    ``{fields}`` (the changed replace fields), ``{changes}`` (every changed field), ``{values}`` (each changed
    replace field with its current value: "cidr_block 10.0.0.0/16"), ``{wants}`` (with both values: "port 6379
    (task wants 6380)"), ``{blockers}``, ``{verb}`` ("removed", "recreated"...), and ``{current[...]}`` /
    ``{params[...]}``.
    """

    message: t.Union[str, t.Mapping[str, str]]
    #: The actions refused: a replacement by default, or also a deletion, an update...
    actions: t.Tuple[str, ...] = (REPLACE,)
    #: (option, value): the task lifts the refusal by setting the option so, e.g. ("force", True).
    unless: t.Optional[t.Tuple[str, t.Any]] = None
    #: What stands in the way, as (resource, current state) -> a list (its items fill ``{blockers}``) or a bool;
    #: nothing or False lets the action through ("in use"). Unset, the refusal always applies ("holds data").
    blockers: t.Optional[t.Callable[[t.Any, t.Dict[str, t.Any]], t.Any]] = None

    def error(self, resource: "Resource", action: str, current: t.Optional[t.Dict[str, t.Any]],
              changes: t.Dict[str, t.Any]) -> t.Optional["ResourceError"]:
        """The failure for this action, or None when the refusal does not apply."""
        if action not in self.actions:
            return None
        if self.unless is not None and resource.params.get(self.unless[0]) == self.unless[1]:
            return None
        found = self.blockers(resource, current or {}) if self.blockers is not None else True
        if isinstance(found, (list, tuple)):
            # In check mode nothing is deleted: what the plan deletes first blocks nothing.
            found = [blocker for blocker in found if blocker not in resource.deleted_first]
        if not found:
            return None
        message = self.message if isinstance(self.message, str) else self.message[action]
        return ResourceError(message.format(**refusal_fields(resource, action, current or {}, changes, found)))


VERBS = {CREATE: "created", UPDATE: "changed", REPLACE: "recreated", DELETE: "removed"}


def refusal_fields(resource: "Resource", action: str, current: t.Dict[str, t.Any], changes: t.Dict[str, t.Any],
                   found: t.Any) -> t.Dict[str, t.Any]:
    fixed = sorted(field for field in changes if field in resource.replace_fields)
    return {
        "kind": resource.kind, "name": resource.name, "id": current.get("id"),
        "fields": ", ".join(fixed), "changes": ", ".join(sorted(changes)),
        "values": ", ".join("%s %s" % (field, current.get(field)) for field in fixed),
        "wants": ", ".join("%s %r (task wants %r)" % (field, current.get(field), changes[field]) for field in fixed),
        "blockers": ", ".join(found) if isinstance(found, (list, tuple)) else "", "verb": VERBS[action],
        "current": current, "params": resource.params,
    }


# ---- option constraints: checked before any call ---------------------------------------------------------
class Constraint:
    """A rule for one option's value beyond its argument spec; ``problem`` is one sentence naming the fix."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        raise NotImplementedError


def number(value: t.Any) -> t.Optional[float]:
    """The value as a number, or None when it is none (a reference not yet resolved, a type the spec refuses)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclasses.dataclass(frozen=True)
class Range(Constraint):
    """A number from ``low`` to ``high`` (either may be open)."""

    low: t.Optional[float] = None
    high: t.Optional[float] = None

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        found = number(value)
        if found is None or ((self.low is None or found >= self.low) and (self.high is None or found <= self.high)):
            return None
        return "%s is %s: use %s." % (option, value, self.span())

    def span(self) -> str:
        if self.high is None:
            return "%s or more" % shown(self.low)
        if self.low is None:
            return "at most %s" % shown(self.high)
        return "%s to %s" % (shown(self.low), shown(self.high))


def shown(bound: t.Optional[float]) -> str:
    """A bound as a user writes it: 65535, 0.01."""
    return str(int(bound)) if bound is not None and bound == int(bound) else str(bound)


PORT = Range(1, 65535)


@dataclasses.dataclass(frozen=True)
class Pattern(Constraint):
    """A string that matches ``regex`` whole; ``wanted`` says what it must look like ("letters and digits")."""

    regex: str
    wanted: str

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        if not isinstance(value, str) or re.fullmatch(self.regex, value):
            return None
        return "%s is %r: use %s." % (option, value, self.wanted)


@dataclasses.dataclass(frozen=True)
class OneOf(Constraint):
    """A value among ``choices``, for options whose argument spec cannot list them (list elements, dict values)."""

    choices: t.Tuple[t.Any, ...]

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        if value in self.choices:
            return None
        return "%s is %r: use one of %s." % (option, value, ", ".join(str(choice) for choice in self.choices))


@dataclasses.dataclass(frozen=True)
class Parses(Constraint):
    """A value that ``parse(value, option)`` accepts; the ResourceError it raises otherwise is the problem."""

    parse: t.Callable[[t.Any, str], t.Any]

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        try:
            self.parse(value, option)
        except ResourceError as error:
            return error.msg
        except (AttributeError, TypeError, ValueError):
            return None  # a value of the wrong type, which the argument spec reports (or converts) itself
        return None


# A value that refers to another item of a plan: known only once that item has converged, so not checked.
REFERENCE_TEXT = re.compile(r"\$\{[^}]*\}")


def option_values(value: t.Any, path: t.List[str], label: str) -> t.Iterator[t.Tuple[str, t.Any]]:
    """(label, value) of every value at a dotted path, through dicts and lists: ``ports.host_port``."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from option_values(item, path, "%s[%d]" % (label, index))
    elif not path:
        if value is not None and not (isinstance(value, str) and REFERENCE_TEXT.search(value)):
            yield label, value
    elif isinstance(value, dict):
        yield from option_values(value.get(path[0]), path[1:], "%s.%s" % (label, path[0]) if label else path[0])


def constraint_problems(constraints: t.Mapping[str, Constraint], params: t.Dict[str, t.Any]) -> t.List[str]:
    """Every value the constraints refuse, one sentence each, in declaration order."""
    return [problem for option, rule in constraints.items() for label, value in option_values(params, option.split("."), "")
            for problem in [rule.problem(label, value)] if problem]


class ResourceError(Exception):
    """A failure reported to the user as one sentence: what is wrong and how to fix it."""

    def __init__(self, msg: str, **details: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = details


class Resource:
    """One resource type. Subclasses fill in the provider calls and declare the rest; the engine drives them.

    State dicts (what ``read``, ``create`` and ``update`` return) use the same field names as
    ``desired()``, normalised so that the field's comparison (plain equality unless ``compare``
    says otherwise) means "no change", plus any extra read-only fields (ids, status) that the
    result should carry.

    The class describes itself, so that a module, the ``resources`` plan and an environment all
    build it the same way: ``module_name`` (the registry key, the name of its single module),
    ``argument_spec`` and ``validation`` (the task's options and their rules), ``provider`` (the
    shared provider instance that connects and explains SDK errors) and ``present`` (the presence
    rule).
    """

    #: Name of the type's single module and key of the registry ("aws_vpc"); bases leave it empty.
    module_name = ""
    #: The module's own options (the provider adds its connection options).
    argument_spec: t.Dict[str, t.Any] = {}
    #: AnsibleModule keyword arguments on the options: required_if, mutually_exclusive, required_one_of...
    validation: t.Dict[str, t.Any] = {}
    #: The provider instance shared by all types of a provider (connect, explain, is_transient).
    provider: t.Any = None
    #: Human name of the type, used in messages ("docker network").
    kind = "resource"
    #: Key under which the module returns the resource's state.
    result_key = "resource"
    #: Desired fields whose values must never leave the module (masked in diffs, dropped from results).
    secret_fields: t.Tuple[str, ...] = ()
    #: Fields that cannot change in place: a difference in any of them means delete and create.
    replace_fields: t.Tuple[str, ...] = ()
    #: What the engine refuses to do to it (a replacement that loses data, a deletion while in use), in order.
    refusals: t.Tuple[Refusal, ...] = ()
    #: How a field compares, by name: equal (the default), as_set, subset, purge(option), unreported(), or any
    #: Compare; merged with the bases' entries (AWS types inherit the tags comparison).
    compare: t.Dict[str, Compare] = {}
    #: Rules for option values by option, or a dotted path into list or dict options ("port": PORT,
    #: "ports.host_port": PORT); merged with the bases' entries. The runner checks them before connecting, the plan
    #: for every item before any converges, and every problem of a task is reported in one failure.
    constraints: t.Dict[str, Constraint] = {"wait_timeout": Range(0)}
    #: Deletion goes on after ``delete()`` returns: with wait (and always before a re-creation) the engine polls
    #: ``gone()`` every ``poll_interval`` seconds until the wait timeout.
    deletes_slowly = False
    poll_interval = 1.0
    # ---- what a plan of many items needs to know of the type (see plan.py) ----
    #: State fields an update gives a new value (a task definition's next revision has a new arn): a reference to
    #: one of them is known only after the apply, so check mode predicts that the items using it change too.
    renewed_by_update: t.Tuple[str, ...] = ()
    #: The same for a replacement: the new resource has a new id.
    renewed_by_replace: t.Tuple[str, ...] = ("id", "arn")
    #: The options that say where the resource lives (vpc_id, cluster): when one refers to an item still to be
    #: created, check mode predicts this one created too, without reading it. None: every option that is one
    #: whole reference (a task definition's arn in a service is one: the service is not read with a placeholder).
    located_by: t.Optional[t.Tuple[str, ...]] = None
    #: The options that make the next converge act on the resource anew (a new deployment, the password sent),
    #: set by a plan when an item named in the item's ``refresh_on`` changes. Empty: the type cannot be refreshed.
    refresh: t.Dict[str, t.Any] = {}
    #: Set by a plan in check mode: names of the dependants it deletes before this one (they block no deletion).
    deleted_first: t.FrozenSet[str] = frozenset()

    #: Set by converge before it drives the resource: the clock for poll/retry, and the task's wait settings.
    clock: Clock = REAL_TIME
    waits = False
    wait_timeout: float = 300

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        self.client = client
        self.params = params

    #: The kind of object that the discovery of an environment's resources (prune) reports for this type: the service and
    #: resource type of its ARNs on AWS ("ecs:service"), the object kind on Docker ("container").
    owned_kind: t.Optional[str] = None

    # ---- what the type says of itself ---------------------------------------------------
    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """The parameters that read and delete a resource found by its ownership tags (``found``: its name, or its ARN on
        AWS), left over by an environment that no longer has it."""
        return {"name": found}

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        """Whether a leftover of an environment holds data (a database, a bucket, a volume...): kept unless delete_data."""
        return False

    @classmethod
    def present(cls, params: t.Dict[str, t.Any]) -> bool:
        """Whether the task wants the resource to exist."""
        return params.get("state") != "absent"

    @classmethod
    def secret_values(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        """Values inside the task's options that no output may show, beyond its no_log options (a Secret's data)."""
        return []

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        """The task's option values the type's constraints refuse, one sentence each."""
        return constraint_problems(cls.declared("constraints"), params)

    @classmethod
    def declared(cls, attribute: str) -> t.Dict[str, t.Any]:
        """``compare`` or ``constraints`` merged along the class hierarchy: a type adds to its bases' entries."""
        merged: t.Dict[str, t.Any] = {}
        for klass in reversed(cls.__mro__):
            merged.update(vars(klass).get(attribute) or {})
        return merged

    # ---- what subclasses provide -------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.params.get("name"))

    def desired(self) -> t.Dict[str, t.Any]:
        """The fields the task set, normalised like ``read`` normalises them."""
        raise NotImplementedError

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        """The current state, or None when the resource does not exist."""
        raise NotImplementedError

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        """Create it; return the new state, or None to have the engine read it."""
        raise NotImplementedError

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        """Change the fields in ``changes``; return the new state, or None to have the engine read it."""
        raise NotImplementedError

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        raise NotImplementedError

    # ---- hooks with sensible defaults ---------------------------------------------------
    def differs(self, field: str, current_value: t.Any, desired_value: t.Any) -> bool:
        """Whether one managed field differs, by the field's declared comparison."""
        return t.cast(bool, self.declared("compare").get(field, equal)(current_value, desired_value, self.params))

    def complete(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
                 fields: t.Optional[t.Iterable[str]] = None) -> t.Optional[t.Dict[str, t.Any]]:
        """After a create that could not set everything (``fields``, or all), update what still differs: the
        state when nothing does, else None (the engine re-reads)."""
        wanted = desired if fields is None else {field: desired[field] for field in fields if field in desired}
        changes = changed_fields(self, current, wanted)
        if not changes:
            return current
        self.update(current, desired, changes)
        return None

    def replace(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        self.delete(current)
        self.await_deletion()
        return self.create(desired)

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]],
                      changes: t.Dict[str, t.Any]) -> None:
        """Raise ResourceError to refuse an action ``refusals`` cannot express; runs in check mode too."""

    def preflight(self, current: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
        """What only a read can refuse (a certificate not yet issued), one sentence each, from the current state and
        the options the type names in ``preflight_options``: a plan asks before anything of the run changes (the other
        options may then be references not yet resolved), converge asks again."""
        return []

    def predict(self, current: t.Optional[t.Dict[str, t.Any]], desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The state check mode reports: the current one with the desired fields, unless the provider can say better
        (a Kubernetes dry-run)."""
        return predicted_state(current, desired)

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        """Block until the resource is ready and return its state; by default it already is."""
        return state

    def gone(self) -> bool:
        """Whether a slow deletion has finished."""
        return self.read() is None

    def public(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The state returned to the user: everything but the secret fields."""
        return {key: value for key, value in state.items() if key not in self.secret_fields}

    # ---- engine chores a type may call ----------------------------------------------------
    def poll(self, check: t.Callable[[], t.Tuple[bool, t.Any]], timeout: float, describe: t.Callable[[], str],
             interval: t.Optional[float] = None) -> t.Any:
        """``poll`` on the engine's clock, every ``poll_interval`` seconds unless told otherwise."""
        return poll(check, timeout, describe, interval or self.poll_interval, self.clock.now, self.clock.sleep)

    def retry(self, call: t.Callable[[], t.Any], is_transient: t.Callable[[BaseException], bool], **backoff: t.Any) -> t.Any:
        """``retry`` on the engine's clock."""
        return retry(call, is_transient, sleep=self.clock.sleep, **backoff)

    def await_deletion(self) -> None:
        """For a type that deletes slowly: poll until it is gone, or fail with one sentence at the wait timeout."""
        if self.deletes_slowly:
            self.poll(lambda: (self.gone(), None), self.wait_timeout, lambda: (
                "%s %s is still being deleted after %d s: raise wait_timeout, or run again later."
                % (self.kind, self.name, self.wait_timeout)))


class Outcome(t.NamedTuple):
    changed: bool
    action: str
    changes: t.List[str]
    state: t.Optional[t.Dict[str, t.Any]]
    diff: t.Dict[str, t.Any]
    #: For a replacement, the changed fields that force it ("cidr_block").
    replace_reason: str = ""


def replace_reason(resource: Resource, action: str, changes: t.Iterable[str]) -> str:
    return ", ".join(sorted(field for field in changes if field in resource.replace_fields)) if action == REPLACE else ""


def marked_replacement(diff: t.Dict[str, t.Any], reason: str) -> t.Dict[str, t.Any]:
    """The diff with its header saying that the resource is replaced, and which fields force it."""
    return dict(diff, after_header="%s (replace, forced by %s)" % (diff["after_header"], reason)) if reason else diff


def changed_fields(resource: Resource, current: t.Dict[str, t.Any],
                   desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The desired fields whose current value differs, mapped to the desired value."""
    return {
        field: value for field, value in desired.items()
        if resource.differs(field, current.get(field), value)
    }


def choose_action(resource: Resource, present: bool, current: t.Optional[t.Dict[str, t.Any]],
                  changes: t.Dict[str, t.Any]) -> str:
    if not present:
        return DELETE if current is not None else NO_CHANGE
    if current is None:
        return CREATE
    if not changes:
        return NO_CHANGE
    if any(field in resource.replace_fields for field in changes):
        return REPLACE
    return UPDATE


def mask_secret(before: t.Any, after: t.Any) -> t.Tuple[t.Any, t.Any]:
    """Masked views of one secret field that still show whether (and, for dicts, which keys) changed."""
    if isinstance(before, dict) or isinstance(after, dict):
        old, new = before or {}, after or {}
        return (
            {key: SECRET_MASK for key in old},
            {key: SECRET_MASK if old.get(key) == new[key] else SECRET_CHANGED for key in new},
        )
    masked_before = None if before is None else SECRET_MASK
    masked_after = None if after is None else (SECRET_MASK if before == after else SECRET_CHANGED)
    return masked_before, masked_after


def diff_views(resource: Resource, desired: t.Dict[str, t.Any], before: t.Optional[t.Dict[str, t.Any]],
               after: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    """Before/after of the managed fields, secrets masked, with a ``state`` line for create and delete."""
    fields = list(desired)
    old = {field: (before or {}).get(field) for field in fields}
    new = {field: (after or {}).get(field) for field in fields}
    for field in resource.secret_fields:
        if field in fields:
            old[field], new[field] = mask_secret(old[field], new[field])
    old_view = dict(old, state="present") if before is not None else {"state": "absent"}
    new_view = dict(new, state="present") if after is not None else {"state": "absent"}
    label = "%s %s" % (resource.kind, resource.name)
    return {"before": old_view, "after": new_view, "before_header": label, "after_header": label}


def predicted_state(current: t.Optional[t.Dict[str, t.Any]], desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    return dict(current or {}, **desired)


def apply_action(resource: Resource, action: str, current: t.Optional[t.Dict[str, t.Any]],
                 desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
    if action == DELETE:
        resource.delete(t.cast(t.Dict[str, t.Any], current))
        if resource.waits:
            resource.await_deletion()
        return None
    if action == NO_CHANGE:
        return current
    if action == CREATE:
        after = resource.create(desired)
    elif action == UPDATE:
        after = resource.update(t.cast(t.Dict[str, t.Any], current), desired, changes)
    else:
        after = resource.replace(t.cast(t.Dict[str, t.Any], current), desired)
    # A type may return nothing from a change: the engine reads the result.
    return after if after is not None else resource.read()


class Pass(t.NamedTuple):
    """What one pass found and chose: the current state, the changes and the action."""

    current: t.Optional[t.Dict[str, t.Any]]
    changes: t.Dict[str, t.Any]
    action: str


def plan_pass(resource: Resource, present: bool, desired: t.Dict[str, t.Any], current: t.Optional[t.Dict[str, t.Any]]) -> Pass:
    changes = changed_fields(resource, current, desired) if (present and current is not None) else {}
    action = choose_action(resource, present, current, changes)
    refuse(resource, action, current, changes)
    return Pass(current, changes, action)


def refuse(resource: Resource, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
    """Raise the first declared refusal that applies, then let the type's own checks speak."""
    error = first_refusal(resource, action, current, changes)
    if error is not None:
        raise error
    resource.check_allowed(action, current, changes)
    problems = resource.preflight(current) if action != DELETE else []
    if problems:
        raise ResourceError(" ".join(problems))


def refusal_problems(resource: Resource, current: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
    """The declared refusal a converge of the resource would meet, asked before anything changes (by a plan, of the
    items it read ahead): the first one that applies, as converge would raise it."""
    if current is None or not resource.refusals:
        return []
    desired = resource.desired()
    changes = changed_fields(resource, current, desired)
    action = choose_action(resource, True, current, changes)
    error = first_refusal(resource, action, current, changes)
    return [error.msg] if error is not None else []


def first_refusal(resource: Resource, action: str, current: t.Optional[t.Dict[str, t.Any]],
                  changes: t.Dict[str, t.Any]) -> t.Optional[ResourceError]:
    """The failure of the first declared refusal that applies (those after it are not asked: their blockers may
    cost calls), or None."""
    for refusal in resource.refusals:
        error = refusal.error(resource, action, current, changes)
        if error is not None:
            return error
    return None


def transient_check(provider: t.Any) -> t.Callable[[BaseException], bool]:
    """The provider's test for failures after which converge reads and acts again (optional: Docker retries per call)."""
    return t.cast(t.Callable[[BaseException], bool], getattr(provider, "is_transient", lambda error: False))


# Passes of one converge when answers are lost. Each lost answer of a write costs a pass, and one pass may make several
# writes (a route table's routes and associations), each a chance of loss: with four writes and a fifth of the answers
# lost, five passes fail about one such resource in 100 (an `up` of test_fault_injection.py did on CI), eight about
# one in 2,500.
CONVERGE_PASSES = 8


def converge(resource: Resource, present: bool = True, check_mode: bool = False,
             wait: bool = False, wait_timeout: float = 300,
             is_transient: t.Callable[[BaseException], bool] = lambda error: False, clock: Clock = REAL_TIME,
             first_read: t.Optional[t.Callable[[], t.Optional[t.Dict[str, t.Any]]]] = None) -> Outcome:
    """Bring one resource to its desired state, or say what would change in check mode.

    A transient failure (``is_transient``) may come after the provider applied the call, its answer lost: the
    pass starts again from ``read``, so a create that did happen is found, not made twice. ``first_read`` serves
    the first pass instead of ``read`` (a plan passes the state it read ahead with other resources of the type);
    a later pass, and any read after a change, asks the provider.
    """
    resource.clock, resource.waits, resource.wait_timeout = clock, wait, wait_timeout
    desired = resource.desired() if present else {}
    passes: t.List[Pass] = []
    reads = [first_read] if first_read else []

    def one_pass() -> t.Optional[t.Dict[str, t.Any]]:
        passes.append(plan_pass(resource, present, desired, (reads.pop() if reads else resource.read)()))
        current, changes, action = passes[-1]
        if check_mode:
            return resource.predict(current, desired) if present else None
        after = apply_action(resource, action, current, desired, changes)
        return resource.wait(after, wait_timeout) if (wait and after is not None) else after

    after = retry(one_pass, lambda error: not check_mode and is_transient(error), attempts=CONVERGE_PASSES, sleep=clock.sleep)
    # The first pass says what the task found and did, even when a later pass only found it done.
    current, changes, action = passes[0]
    changed_list = sorted(changes) if action in (UPDATE, REPLACE) else []
    reason = replace_reason(resource, action, changes)
    return Outcome(
        changed=action != NO_CHANGE,
        action=action,
        changes=changed_list,
        state=resource.public(after) if after is not None else None,
        diff=marked_replacement(diff_views(resource, desired or {f: None for f in resource.public(current or {})}, current, after),
                                reason),
        replace_reason=reason,
    )


def retry(call: t.Callable[[], t.Any], is_transient: t.Callable[[BaseException], bool],
          attempts: int = 5, base_delay: float = 0.5, max_delay: float = 10.0,
          sleep: t.Callable[[float], None] = REAL_TIME.sleep) -> t.Any:
    """Run ``call``, retrying transient failures with capped exponential backoff and full jitter."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as error:  # pylint: disable=broad-except
            if attempt == attempts or not is_transient(error):
                raise
            sleep(random.uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1))))
    raise AssertionError("unreachable")  # pragma: no cover


def poll(check: t.Callable[[], t.Tuple[bool, t.Any]], timeout: float, describe: t.Callable[[], str],
         interval: float = 1.0, clock: t.Callable[[], float] = REAL_TIME.now,
         sleep: t.Callable[[float], None] = REAL_TIME.sleep) -> t.Any:
    """Call ``check`` until it reports done; on timeout raise ResourceError with ``describe()``."""
    deadline = clock() + timeout
    while True:
        done, value = check()
        if done:
            return value
        if clock() >= deadline:
            raise ResourceError(describe())
        sleep(interval)
