"""What one run selects, worked out before any change: what it removes and keeps, the listeners a target group
brings along, and which images it builds."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import model, run, selection
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

DOCKER = model.environment({"name": "shop", "target": "docker", "postgres": {"enabled": True},
                            "apps": [{"name": "api", "kind": "fastapi", "source": "/src/api"},
                                     {"name": "ui", "kind": "streamlit", "image": "registry.local/shop/ui:2"}]})
AWS = model.environment({"name": "shop", "target": "aws", "postgres": {"enabled": True},
                         "apps": [{"name": "api", "kind": "fastapi", "image": "api:1", "path": "/api/*"},
                                  {"name": "ui", "kind": "streamlit", "image": "ui:1"},
                                  {"name": "worker", "kind": "celery", "image": "api:1"}]}, "us-east-1")


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    return dict({"limit": None, "recreate": None, "state": "present", "delete_data": False}, **overrides)


def test_removal_keeps_data_and_images_unless_delete_data() -> None:
    items = run.render(DOCKER)
    kept = selection.removable(items, None, False)
    assert kept == {"network", "postgres", "api", "ui"}
    assert selection.removable(items, None, True) == kept | {"postgres-data", "postgres-image", "api-image", "ui-image"}
    assert selection.removable(items, ["api"], False) == {"api"}


def test_only_the_selected_images_built_from_a_context_are_built() -> None:
    items = run.render(DOCKER)
    assert selection.builds(items, None) == {"postgres", "api"}  # ui's image is a ready one
    assert selection.builds(items, {"ui-image", "ui"}) == set()
    up = selection.select(DOCKER, items, params(limit=["api"]))
    assert (up.converge, up.parts, up.builds, up.remove) == ({"api-image", "api"}, {"api"}, {"api"}, set())


def test_a_selected_target_group_brings_the_listeners_that_route_to_it() -> None:
    items = run.render(AWS)
    listeners = {item.id for item in items if item.type == "aws_listener"}
    assert listeners and selection.with_routes(items, {"tg-api"}) == {"tg-api"} | listeners
    assert selection.with_routes(items, {"postgres"}) == {"postgres"}


def test_removing_an_app_without_a_target_group_reroutes_nothing() -> None:
    items = run.render(AWS)
    down = selection.select(AWS, items, params(state="absent", limit=["worker"]))
    assert (down.converge, down.reroute, down.parts) == (set(), [], {"worker"})
    assert down.remove == {item.id for item in items if item.app == "worker" and item.group not in selection.KEPT_ON_DOWN}


def test_a_restart_on_aws_redeploys_only_services() -> None:
    items = run.render(AWS)
    restart = selection.select(AWS, items, params(recreate=["api", "worker"]))
    assert restart.redeploy == restart.converge == {"service-api", "service-worker"}
    assert [item.type for item in items if item.id in restart.redeploy] == ["aws_ecs_service"] * 2


def test_an_entry_that_selects_nothing_names_what_could_be_selected() -> None:
    with pytest.raises(ResourceError) as raised:
        selection.select(DOCKER, run.render(DOCKER), params(limit=["apu"]))
    assert raised.value.msg == ("limit (agno_limit in the playbooks) has 'apu', which picks no resource of environment shop: give app "
                                "names (api, postgres, ui), resource ids, types or groups (app, data, db, image, network).")
