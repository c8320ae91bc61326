# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle engine: one converge loop that serves every resource type of every provider.

A resource type is a small subclass of ``Resource`` that says how to read, create, update,
delete and wait. The engine owns everything else: comparing only the fields the task set,
check mode, diff views with secrets masked, the choice between update and replace, and
reporting. It knows nothing of Ansible, so one process can converge many resources.
"""

from __future__ import annotations

import random
import time
import typing as t

SECRET_MASK = "********"
SECRET_CHANGED = "******** (changed)"

NO_CHANGE = "none"
CREATE = "create"
UPDATE = "update"
REPLACE = "replace"
DELETE = "delete"


class ResourceError(Exception):
    """A failure reported to the user as one sentence: what is wrong and how to fix it."""

    def __init__(self, msg: str, **details: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = details


class Resource:
    """One resource type. Subclasses fill in the provider calls; the engine drives them.

    State dicts (what ``read``, ``create`` and ``update`` return) use the same field names as
    ``desired()``, normalised so that plain equality means "no change", plus any extra read-only
    fields (ids, status) that the result should carry.
    """

    #: Human name of the type, used in messages ("docker network").
    kind = "resource"
    #: Key under which the module returns the resource's state.
    result_key = "resource"
    #: Desired fields whose values must never leave the module (masked in diffs, dropped from results).
    secret_fields: t.Tuple[str, ...] = ()
    #: Fields that cannot change in place: a difference in any of them means delete and create.
    replace_fields: t.Tuple[str, ...] = ()

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        self.client = client
        self.params = params

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

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise NotImplementedError

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise NotImplementedError

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        raise NotImplementedError

    # ---- hooks with sensible defaults ---------------------------------------------------
    def differs(self, field: str, current_value: t.Any, desired_value: t.Any) -> bool:
        """Whether one managed field differs; override for fields compared loosely."""
        return bool(current_value != desired_value)

    def replace(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.delete(current)
        return self.create(desired)

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]],
                      changes: t.Dict[str, t.Any]) -> None:
        """Raise ResourceError to refuse an action (destroying data, say); runs in check mode too."""

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        """Block until the resource is ready and return its state; by default it already is."""
        return state

    def public(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The state returned to the user: everything but the secret fields."""
        return {key: value for key, value in state.items() if key not in self.secret_fields}


class Outcome(t.NamedTuple):
    changed: bool
    action: str
    changes: t.List[str]
    state: t.Optional[t.Dict[str, t.Any]]
    diff: t.Dict[str, t.Any]


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
    if action == CREATE:
        return resource.create(desired)
    if action == UPDATE:
        return resource.update(t.cast(t.Dict[str, t.Any], current), desired, changes)
    if action == REPLACE:
        return resource.replace(t.cast(t.Dict[str, t.Any], current), desired)
    if action == DELETE:
        resource.delete(t.cast(t.Dict[str, t.Any], current))
        return None
    return current


class Pass(t.NamedTuple):
    """What one pass found and chose: the current state, the changes and the action."""

    current: t.Optional[t.Dict[str, t.Any]]
    changes: t.Dict[str, t.Any]
    action: str


def plan_pass(resource: Resource, present: bool, desired: t.Dict[str, t.Any]) -> Pass:
    current = resource.read()
    changes = changed_fields(resource, current, desired) if (present and current is not None) else {}
    action = choose_action(resource, present, current, changes)
    resource.check_allowed(action, current, changes)
    return Pass(current, changes, action)


def transient_check(provider: t.Any) -> t.Callable[[BaseException], bool]:
    """The provider's test for failures after which converge reads and acts again (optional: Docker retries per call)."""
    return t.cast(t.Callable[[BaseException], bool], getattr(provider, "is_transient", lambda error: False))


def converge(resource: Resource, present: bool = True, check_mode: bool = False,
             wait: bool = False, wait_timeout: float = 300,
             is_transient: t.Callable[[BaseException], bool] = lambda error: False) -> Outcome:
    """Bring one resource to its desired state, or say what would change in check mode.

    A transient failure (``is_transient``) may come after the provider applied the call, its answer lost: the
    pass starts again from ``read``, so a create that did happen is found, not made twice.
    """
    desired = resource.desired() if present else {}
    passes: t.List[Pass] = []

    def one_pass() -> t.Optional[t.Dict[str, t.Any]]:
        passes.append(plan_pass(resource, present, desired))
        current, changes, action = passes[-1]
        if check_mode:
            return predicted_state(current, desired) if present else None
        after = apply_action(resource, action, current, desired, changes)
        return resource.wait(after, wait_timeout) if (wait and after is not None) else after

    after = retry(one_pass, lambda error: not check_mode and is_transient(error))
    # The first pass says what the task found and did, even when a later pass only found it done.
    current, changes, action = passes[0]
    changed_list = sorted(changes) if action in (UPDATE, REPLACE) else []
    return Outcome(
        changed=action != NO_CHANGE,
        action=action,
        changes=changed_list,
        state=resource.public(after) if after is not None else None,
        diff=diff_views(resource, desired or {f: None for f in resource.public(current or {})}, current, after),
    )


def retry(call: t.Callable[[], t.Any], is_transient: t.Callable[[BaseException], bool],
          attempts: int = 5, base_delay: float = 0.5, max_delay: float = 10.0,
          sleep: t.Callable[[float], None] = time.sleep) -> t.Any:
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
         interval: float = 1.0, clock: t.Callable[[], float] = time.monotonic,
         sleep: t.Callable[[float], None] = time.sleep) -> t.Any:
    """Call ``check`` until it reports done; on timeout raise ResourceError with ``describe()``."""
    deadline = clock() + timeout
    while True:
        done, value = check()
        if done:
            return value
        if clock() >= deadline:
            raise ResourceError(describe())
        sleep(interval)
