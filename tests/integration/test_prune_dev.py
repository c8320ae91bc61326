"""Pruning on the example dev environment (local Docker engine): an app removed from agno_env loses its container,
Postgres removed (with the api that needs it) keeps its volume (reported as a leftover) until delete_data, and a rerun changes nothing."""

from __future__ import annotations

import pathlib
import subprocess
import typing as t

import pytest

from harness import ROOT, edited_inventory, leftovers, run_playbook, secret, status_table

INVENTORY = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
ENV_NAME = "agent-app-prune"
# Ports of their own: the dev example's test may run at the same time.
VARS = {"agno_env_name": ENV_NAME, "agno_api_port": "28200", "agno_ui_port": "28701"}
DEV_PASSWORD = secret("dev-only-password")

pytestmark = pytest.mark.docker


def without_ui(env: t.Dict[str, t.Any]) -> None:
    env["apps"] = [app for app in env["apps"] if app["name"] != "ui"]


def worker_only(env: t.Dict[str, t.Any]) -> None:
    """Postgres off, and the apps that need it (the api, the ui behind it) removed."""
    env["apps"] = [app for app in env["apps"] if app["name"] == "worker"]
    env["postgres"]["enabled"] = False


def play(name: str, path: pathlib.Path, *args: str, **extra: str) -> t.Any:
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=path, extra_vars=dict(VARS, **extra), timeout=1800)
    assert run.rc == 0, run.tail(60)
    return run


def exists(kind: str, name: str) -> bool:
    return subprocess.run(["docker", kind, "inspect", name], capture_output=True, check=False).returncode == 0


def test_removed_app_and_postgres_are_pruned_and_data_kept(tmp_path: pathlib.Path) -> None:
    try:
        prune_and_keep(tmp_path)
    finally:
        run_playbook("agno.infra.down", inventory=INVENTORY, extra_vars=dict(VARS, agno_delete_data="true"))


def prune_and_keep(tmp_path: pathlib.Path) -> None:
    play("up", INVENTORY)
    assert exists("container", ENV_NAME + "-ui") and exists("volume", ENV_NAME + "-postgres-data")

    # The preview predicts the removal and changes nothing.
    preview = play("up", edited_inventory(INVENTORY, tmp_path, without_ui), "--check")
    assert leftovers(preview.output) == {"ui": "delete"} and exists("container", ENV_NAME + "-ui")

    pruned = play("up", edited_inventory(INVENTORY, tmp_path, without_ui))
    assert pruned.recap["changed"] == 1 and leftovers(pruned.output) == {"ui": "delete"}
    assert not exists("container", ENV_NAME + "-ui") and exists("container", ENV_NAME + "-api")
    rerun = play("up", edited_inventory(INVENTORY, tmp_path, without_ui))
    assert rerun.recap["changed"] == 0 and leftovers(rerun.output) == {}

    # Postgres removed: its container goes, its volume holds data and stays, reported on every run until delete_data.
    no_db = edited_inventory(INVENTORY, tmp_path, worker_only)
    removed = play("up", no_db)
    assert leftovers(removed.output) == {"api": "delete", "postgres": "delete", "postgres-data": "keep"}
    assert not exists("container", ENV_NAME + "-postgres") and exists("volume", ENV_NAME + "-postgres-data")
    kept = play("up", no_db)
    assert kept.recap["changed"] == 0 and leftovers(kept.output) == {"postgres-data": "keep"}
    assert status_table(play("status", no_db).output)["postgres-data"][:2] == ("docker_volume", "leftover")

    play("up", no_db, agno_delete_data="true")
    assert not exists("volume", ENV_NAME + "-postgres-data")
