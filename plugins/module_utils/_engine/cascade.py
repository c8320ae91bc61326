# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What check mode predicts of the cascade a change makes through a plan, so that it predicts what the apply does.

In check mode nothing changes: an item that refers to a changing one would compare against the values from before
the change. ``Cascade`` remembers the changes a plan predicts, and says which references of the items after them
have a value only the apply gives ("known after apply"), which items live in one still to be created, and which
deletes were predicted first. ``escalated`` turns an outcome into what the apply will do. See docs/developing.md.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    CREATE, NO_CHANGE, REPLACE, UPDATE, Outcome, Resource, marked_replacement, replace_reason)

#: What a reference resolves to in check mode when only the apply will give its value (an id not yet made).
KNOWN_AFTER_APPLY = "(known after apply)"
CHANGING = (CREATE, UPDATE, REPLACE)
#: (item id, field path) of one ``${item_id.path}`` reference.
Reference = t.Tuple[str, str]


def first_field(path: str) -> str:
    return path.lstrip(".").split(".")[0]


class Cascade:
    """The changes a plan predicted so far, as the items that refer to them must take them."""

    def __init__(self) -> None:
        # Items to be created (whatever lives in them is new too), the fields of changing items that only the apply
        # gives a value, and the names of the items predicted deleted.
        self.created: t.Set[str] = set()
        self.renewed: t.Dict[str, t.Set[str]] = {}
        self.deleted_names: t.Dict[str, str] = {}

    def remember(self, item_id: str, kind: t.Type[Resource], action: str) -> None:
        if action in CHANGING:
            if action == CREATE:
                self.created.add(item_id)
            self.renewed[item_id] = set(kind.renewed_by_replace if action == REPLACE else kind.renewed_by_update if action == UPDATE else ())

    def unresolved(self, reference: Reference, states: t.Dict[str, t.Dict[str, t.Any]]) -> bool:
        """Whether the reference names a field that an item to be created does not have yet (its id, its arn)."""
        item_id, path = reference
        return item_id in self.created and first_field(path) not in (states.get(item_id) or {})

    def renewed_options(self, references: t.Dict[str, t.List[Reference]], states: t.Dict[str, t.Dict[str, t.Any]]) -> t.Set[str]:
        """The options (with their references) that refer to a value only the apply gives: the apply changes them."""
        return {option for option, found in references.items()
                if any(self.unresolved(reference, states) or first_field(reference[1]) in self.renewed.get(reference[0], ())
                       for reference in found)}

    def in_new_place(self, kind: t.Type[Resource], whole_references: t.Dict[str, str]) -> bool:
        """Whether an option that says where the item lives (one whole reference, by option) names an item to be
        created: then the item is to be created too, and cannot be read."""
        return any(item_id in self.created and (kind.located_by is None or option in kind.located_by)
                   for option, item_id in whole_references.items())

    def deleted_first(self, dependants: t.Iterable[str]) -> t.FrozenSet[str]:
        """Names of the dependants predicted deleted: they block no deletion in check mode."""
        return frozenset(self.deleted_names[other] for other in dependants if other in self.deleted_names)


def changing(result: t.Any) -> bool:
    """Whether an item result (of a plan) creates, updates or replaces its resource, or would in check mode."""
    return bool(result is not None and result.outcome is not None and result.outcome.action in CHANGING)


def refresh_problems(items: t.Iterable[t.Any], types: t.Mapping[str, t.Type[Resource]]) -> t.List[str]:
    """A sentence for each item (of a plan) with refresh_on whose type has nothing to refresh."""
    return ["Resource %s (%s) has refresh_on, but its type cannot be refreshed: remove refresh_on." % (item.id, item.type)
            for item in items if item.refresh_on and not types[item.type].refresh]


def escalated(resource: Resource, outcome: Outcome, renewed: t.Set[str]) -> Outcome:
    """The outcome of an existing item whose options take a value only the apply gives: what the apply will do.

    The value a reference resolves to in check mode is the one before the change (or a placeholder), so the
    comparison may find no difference where the apply will find one: the options are changed all the same.
    """
    if not renewed or outcome.action not in (NO_CHANGE, UPDATE):
        return outcome
    changes = sorted(set(outcome.changes) | renewed)
    action = REPLACE if any(field in resource.replace_fields for field in changes) else UPDATE
    after = {key: KNOWN_AFTER_APPLY if key in renewed else value for key, value in outcome.diff.get("after", {}).items()}
    reason = replace_reason(resource, action, changes)
    return outcome._replace(changed=True, action=action, changes=changes, replace_reason=reason,
                            diff=marked_replacement(dict(outcome.diff, after=after), reason))
