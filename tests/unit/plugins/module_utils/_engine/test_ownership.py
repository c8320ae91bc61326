"""Leftovers: found resources become items of the type that declares their kind, with the parameters it builds."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found, leftovers, owner_types


class Box(Resource):
    owned_kind = "box"
    argument_spec = {"name": {"type": "str"}, "shelf": {"type": "str"}, "state": {"type": "str"}}


class Shelf(Resource):
    owned_kind = "shelf"
    argument_spec = {"name": {"type": "str"}, "state": {"type": "str"}}

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        return {"name": found.upper()}


class Unowned(Resource):
    argument_spec = {"name": {"type": "str"}}


TYPES: t.Dict[str, t.Type[Resource]] = {"box": Box, "shelf": Shelf, "unowned": Unowned}
USES = {"box": ("shelf",)}


def found(kind: str, name: str, item_id: str, **tags: str) -> Found:
    return Found(kind, name, dict(tags, id=item_id))


def test_the_types_that_declare_a_kind_own_it() -> None:
    assert owner_types(TYPES) == {"box": "box", "shelf": "shelf"}


def test_found_ids_the_items_lack_become_items_to_delete_ordered_by_what_uses_what() -> None:
    items = leftovers([found("box", "b1", "box-1", app="api"), found("shelf", "s1", "shelf-1"), found("box", "b2", "box-2")],
                      TYPES, {"box-2"}, "id", "app", USES, {"shelf": "${room.id}"})
    assert [(item.id, item.type, item.params, item.app) for item in items] == [
        ("box-1", "box", {"name": "b1", "shelf": "${room.id}", "state": "absent"}, "api"),
        ("shelf-1", "shelf", {"name": "S1", "state": "absent"}, None)]
    # A box is removed before the shelf it may use; the scope's reference is a dependency too.
    assert items[0].depends_on == {"room", "shelf-1"} and items[1].depends_on == set()


def test_unknown_kinds_untagged_ones_and_repeats_are_no_leftovers() -> None:
    entries = [found("task", "t1", "service-api"), Found("box", "b0", {}), found("box", "b1", "box-1"),
               found("box", "b1-revision-2", "box-1"), found("box", "b3", "bad id")]
    assert [(item.id, item.params["name"]) for item in leftovers(entries, TYPES, set(), "id", "app", USES, {})] == [("box-1", "b1")]
