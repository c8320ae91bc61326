"""Items and the references between them: ids found at any depth, whole references, placeholders, resolution."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import items


def test_references_are_found_at_any_depth_and_whole_ones_by_option() -> None:
    params = {"vpc_id": "${vpc.id}", "url": "postgresql://${db.address}:5432", "rules": [{"target": "${tg.arn}"}], "port": 80}
    assert items.referenced_ids(params) == {"vpc", "db", "tg"}
    assert sorted(items.references(params)) == [("db", ".address"), ("tg", ".arn"), ("vpc", ".id")]
    assert items.whole_references(params) == {"vpc_id": "vpc"}
    assert items.with_placeholders(params, lambda item_id, path: item_id == "tg")["rules"] == [{"target": items.KNOWN_AFTER_APPLY}]


def test_lenient_resolution_only_forgives_content_references() -> None:
    states = {"db": {}, "vpc": {}, "nat": {"id": "nat-1"}}
    params = {"name": "x", "secret_string": "postgresql://u@${db.endpoint}:5432/app", "routes": [{"nat": "${nat.id}", "gw": "${db.id}"}]}
    assert items.resolve(params, states, "item", lenient=True) == {
        "name": "x", "secret_string": "postgresql://u@:5432/app", "routes": [{"nat": "nat-1", "gw": None}]}
    with pytest.raises(items.PlanError, match="has no field 'id'"):
        items.resolve({"vpc_id": "${vpc.id}"}, states, "subnet", lenient=True)
    with pytest.raises(items.PlanError):
        items.resolve(params, states, "item")
    assert items.resolve({"port": "${n.port}"}, {"n": {"port": 0}}, "x") == {"port": 0}
