# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Leftovers: resources a list of items once made (found by their ownership tags) that the list no longer has.

Each becomes an item of the type that declares its kind (``Resource.owned_kind``), with the parameters the type builds
from what was found (``Resource.adopt``): the plan then reads and deletes it like any other item, in check mode too.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.items import Item, Types, referenced_ids
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import ITEM_ID


class Found(t.NamedTuple):
    """A resource found by its ownership tags (labels on Docker)."""

    #: What the provider calls its kind: "ecs:service" (from the ARN), "container".
    kind: str
    #: Its name, or its ARN on AWS.
    name: str
    tags: t.Dict[str, str]


def owner_types(types: Types) -> t.Dict[str, str]:
    """Type names by the kind of object they declare."""
    return {kind.owned_kind: name for name, kind in types.items() if kind.owned_kind}


def leftovers(found: t.List[Found], types: Types, known: t.Set[str], id_tag: str, app_tag: str,
              uses: t.Dict[str, t.Tuple[str, ...]], scope: t.Dict[str, t.Any]) -> t.List[Item]:
    """One item per id that the found resources carry and the known ids lack, ordered by what uses what.

    `uses` names, per type, the types its resources may use: a leftover is removed before the leftovers it uses.
    `scope` gives every leftover whose type has the option where it lives (vpc_id) or how it is removed (wait).
    Resources of kinds no type declares (tasks, snapshots that inherit the tags) are not leftovers of their own.
    """
    kinds = owner_types(types)
    items: t.Dict[str, Item] = {}
    for entry in found:
        item_id = entry.tags.get(id_tag) or ""
        if entry.kind in kinds and ITEM_ID.match(item_id) and item_id not in known and item_id not in items:
            type_name = kinds[entry.kind]
            params = dict(scoped(types[type_name].argument_spec, scope), **types[type_name].adopt(entry.name, entry.tags))
            items[item_id] = Item(item_id, type_name, dict(params, state="absent"), referenced_ids(params), app=entry.tags.get(app_tag))
    for item in items.values():
        item.depends_on |= {other.id for other in items.values() if other.type in uses.get(item.type, ())}
    return list(items.values())


def scoped(argument_spec: t.Dict[str, t.Any], scope: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    return {option: value for option, value in scope.items() if option in argument_spec}
