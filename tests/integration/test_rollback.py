"""agno.infra.rollback on both targets: on the real Docker engine a rebuilt api back to the image its rebuild replaced
(the old answer served) and the next up restoring the new one; on moto every ECS service back to the revision before."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import time
import typing as t

import pytest
import yaml

from example_app import http
from harness import ROOT, PlaybookRun, run_playbook, secret

NAME = "agent-app-rollback"
API = "http://127.0.0.1:28760"
PASSWORD = secret("rollback-it-password-3b9e")
HEALTH = 'return {"status": "ok", "env": os.environ.get("AGNO_ENV")}'
EDITED = 'return {"status": "ok", "env": os.environ.get("AGNO_ENV"), "edited": True}'


@pytest.fixture()
def inventory(tmp_path: pathlib.Path) -> t.Iterator[pathlib.Path]:
    """A dev environment of the example api, built from a copy of its source that the test edits (no live reload: an
    edit is a rebuild)."""
    source = tmp_path / "api"
    shutil.copytree(ROOT / "examples" / "agent-app" / "api", source, ignore=shutil.ignore_patterns("__pycache__"))
    env = {"name": NAME, "target": "docker",
           "docker": {"host_ip": "127.0.0.1", "extra_ca_certificates": ["/usr/local/share/ca-certificates"]},
           "postgres": {"enabled": True, "pgvector": True, "database": "app", "user": "app"},
           "apps": [{"name": "api", "kind": "fastapi", "source": str(source), "module": "main:app", "port": 8000, "host_port": 28760}]}
    path = tmp_path / "rollback.yml"
    path.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}},
                                            "vars": {"agno_env": env, "agno_secrets": {"postgres_password": PASSWORD}}}}))
    try:
        yield path
    finally:
        run_playbook("agno.infra.down", inventory=path, extra_vars={"agno_delete_data": "true"}, timeout=600)


def play(name: str, inventory: pathlib.Path, *args: str) -> PlaybookRun:
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=inventory, timeout=1800)
    assert run.rc == 0, run.failures() or run.tail(60)
    return run


def health(timeout: float = 60) -> t.Dict[str, t.Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return t.cast(t.Dict[str, t.Any], http(API + "/health"))
        except OSError:
            assert time.monotonic() < deadline, "%s/health did not answer in %d s" % (API, timeout)
            time.sleep(0.5)


def image_ids() -> t.Dict[str, str]:
    """The ids of the environment's api image by tag."""
    done = subprocess.run(["docker", "images", "--no-trunc", "--format", "{{json .}}", NAME + "/api"], capture_output=True,
                          text=True, check=True)
    return {entry["Tag"]: entry["ID"] for entry in map(json.loads, done.stdout.splitlines())}


def running_image() -> str:
    done = subprocess.run(["docker", "inspect", "--format", "{{.Image}}", NAME + "-api"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.docker
def test_docker_rollback_serves_the_image_before_the_rebuild_and_up_restores_the_new_one(inventory: pathlib.Path) -> None:
    play("up", inventory)
    assert "edited" not in health()
    first = image_ids()["latest"]
    refused = run_playbook("agno.infra.rollback", inventory=inventory, timeout=600)
    assert refused.rc != 0 and "App api has no previous image %s/api:previous on the Docker host" % NAME in refused.output

    main = inventory.parent / "api" / "main.py"  # the fixture's copy of the source
    main.write_text(main.read_text().replace(HEALTH, EDITED))
    play("up", inventory)
    assert health().get("edited") is True
    assert image_ids()["previous"] == first and image_ids()["latest"] != first

    preview = play("rollback", inventory, "--check")
    assert preview.recap["changed"] == 1 and running_image() == image_ids()["latest"]
    started = time.monotonic()
    rolled = play("rollback", inventory)
    print("agno.infra.rollback on docker: %.1f s" % (time.monotonic() - started))
    assert "Apply: 0 added, 0 changed, 1 replaced, 0 destroyed." in rolled.output, rolled.tail()
    assert "edited" not in health() and running_image() == first

    plan = play("up", inventory, "--check")
    assert "Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy." in plan.output, plan.tail()
    play("up", inventory)
    assert health().get("edited") is True and running_image() == image_ids()["latest"]
    again = play("up", inventory)
    assert again.recap["changed"] == 0

    run_playbook("agno.infra.down", inventory=inventory, extra_vars={"agno_delete_data": "true"}, timeout=600)
    assert image_ids() == {}, "the environment left images behind"
