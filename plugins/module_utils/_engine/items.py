# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a plan is made of: items (a resource type, its parameters, its dependencies), their results, and the
``${item_id.field}`` references between them, resolved against the states of the items converged so far."""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.cascade import KNOWN_AFTER_APPLY
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome, Resource, ResourceError

REFERENCE = re.compile(r"\$\{([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+)*)\}")
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
SECRETS = "secrets"


#: Resource types by the name of their module (see registry.RESOURCE_TYPES).
Types = t.Mapping[str, t.Type[Resource]]


@dataclasses.dataclass
class Item:
    id: str
    type: str
    params: t.Dict[str, t.Any]
    depends_on: t.Set[str]
    group: t.Optional[str] = None
    app: t.Optional[str] = None
    #: Items whose change (create, update, replace) refreshes this one: its type's ``refresh`` options are set.
    refresh_on: t.Set[str] = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class ItemResult:
    id: str
    type: str
    status: str
    outcome: t.Optional[Outcome] = None
    msg: t.Optional[str] = None

    def as_dict(self) -> t.Dict[str, t.Any]:
        outcome = self.outcome
        result: t.Dict[str, t.Any] = {"id": self.id, "type": self.type, "status": self.status,
                                      "changed": bool(outcome and outcome.changed)}
        if outcome is not None:
            result.update(action=outcome.action, changes=outcome.changes, state=outcome.state or {})
            if outcome.replace_reason:
                result["replace_reason"] = outcome.replace_reason
        if self.msg:
            result["msg"] = self.msg
        return result


class PlanError(ResourceError):
    """A problem with the list of resources itself, found before anything changes."""


# ---- references ----------------------------------------------------------------------------
def references(value: t.Any) -> t.Iterator[t.Tuple[str, str]]:
    """(item id, field path) of every reference in a parameter value, at any depth."""
    if isinstance(value, str):
        yield from ((match.group(1), match.group(2)) for match in REFERENCE.finditer(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from references(item)


def referenced_ids(value: t.Any) -> t.Set[str]:
    """Ids of the items a parameter value refers to, at any depth."""
    return {item_id for item_id, _path in references(value)}


def whole_references(params: t.Dict[str, t.Any]) -> t.Dict[str, str]:
    """The id each option that is one whole reference refers to, by option."""
    return {option: whole.group(1) for option, value in params.items()
            for whole in [REFERENCE.fullmatch(value) if isinstance(value, str) else None] if whole}


def with_placeholders(value: t.Any, unknown: t.Callable[[str, str], bool]) -> t.Any:
    """The value with each reference that ``unknown`` picks replaced by KNOWN_AFTER_APPLY and what it refers to: two
    different references stay two different values (two subnets to be created are two subnets, not one)."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda match: "%s %s%s" % (KNOWN_AFTER_APPLY, match.group(1), match.group(2))
                             if unknown(match.group(1), match.group(2)) else match.group(0), value)
    if isinstance(value, dict):
        return {key: with_placeholders(item, unknown) for key, item in value.items()}
    if isinstance(value, list):
        return [with_placeholders(item, unknown) for item in value]
    return value


def lookup(states: t.Dict[str, t.Dict[str, t.Any]], item_id: str, path: str, owner: str, lenient: bool = False) -> t.Any:
    if item_id not in states:
        if lenient:
            return None
        raise PlanError("Resource %s refers to ${%s%s}, but %s could not be read." % (owner, item_id, path, item_id))
    value: t.Any = states[item_id]
    for field in [part for part in path.split(".") if part]:
        if not isinstance(value, dict) or field not in value:
            if lenient:
                return None
            raise PlanError("Resource %s refers to ${%s%s}, but %s has no field %r; its fields are: %s."
                            % (owner, item_id, path, item_id, field,
                               ", ".join(sorted(value)) if isinstance(value, dict) else "none"))
        value = value[field]
    return value


def text(value: t.Any) -> str:
    return "" if value is None else str(value)


def resolve(value: t.Any, states: t.Dict[str, t.Dict[str, t.Any]], owner: str, lenient: bool = False, depth: int = 0) -> t.Any:
    """The value with every reference replaced; a string that is one reference keeps the target's type.

    With ``lenient`` (reading what to delete), a reference to a resource that is gone resolves to nothing when it
    only describes the resource's content: inside a longer string, or nested below a parameter. A reference that is
    a whole parameter (vpc_id, cluster) may say where the resource lives, so it must still resolve.
    """
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return lookup(states, whole.group(1), whole.group(2), owner, lenient and depth > 1)
        return REFERENCE.sub(lambda match: text(lookup(states, match.group(1), match.group(2), owner, lenient)), value)
    if isinstance(value, dict):
        return {key: resolve(item, states, owner, lenient, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, states, owner, lenient, depth + 1) for item in value]
    return value
