"""The example agent app's dev environment, end to end on the local Docker engine, through the collection's playbooks."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.parse
import typing as t

import pytest

from example_app import StreamRead, check_example_app, check_stream, http
from harness import ROOT, run_playbook, secret, status_table

INVENTORY = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
ENV_NAME = "agent-app-it"
API = "http://127.0.0.1:28000"
UI = "http://127.0.0.1:28501"
# The inventory's own dev password (AGNO_DB_PASSWORD is not set here): the session's secret scan looks for it.
DEV_PASSWORD = secret("dev-only-password")
VARS = {"agno_env_name": ENV_NAME, "agno_api_port": "28000", "agno_ui_port": "28501"}
STREAM_SECONDS, STREAM_EVERY = 90, 5

pytestmark = pytest.mark.docker


def play(name: str, *args: str, **extra: str) -> t.Any:
    # -vvv: the session-wide secret scan then also covers module arguments and results.
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=INVENTORY, extra_vars=dict(VARS, **extra), timeout=1800)
    assert run.rc == 0, run.tail(60)
    return run


def wait_for_health(url: str, timeout: float = 60) -> None:
    """The API answers once its container is healthy; up waits for that, this only absorbs the port forward's start."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            http(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def container_id(component: str) -> str:
    return subprocess.run(["docker", "inspect", "--format", "{{.Id}}", "%s-%s" % (ENV_NAME, component)],
                          capture_output=True, text=True, check=False).stdout.strip()


def volume_exists(component: str) -> bool:
    return subprocess.run(["docker", "volume", "inspect", "%s-%s-data" % (ENV_NAME, component)],
                          capture_output=True, check=False).returncode == 0


def image_exists(component: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", "%s/%s:latest" % (ENV_NAME, component)],
                          capture_output=True, check=False).returncode == 0


def removed_afterwards(variables: t.Dict[str, str]) -> t.Iterator[None]:
    """A fixture's body: the environment these variables name, with its data, goes once the tests are done."""
    try:
        yield
    finally:
        run_playbook("agno.infra.down", inventory=INVENTORY, extra_vars=dict(variables, agno_delete_data="true"))


@pytest.fixture(scope="module")
def environment() -> t.Iterator[None]:
    yield from removed_afterwards(VARS)


@pytest.mark.usefixtures("environment")
def test_dev_environment_up_rerun_status_restart_down() -> None:
    first = play("up")
    assert first.recap["changed"] == 1
    assert '"api": "%s"' % API in first.output

    check_example_app(ENV_NAME, API, UI, "remember this")
    # A streamed answer longer than a load balancer's default idle minute, read while the rerun and status run.
    stream = StreamRead(API + "/stream?seconds=%d&every=%d" % (STREAM_SECONDS, STREAM_EVERY), timeout=STREAM_EVERY + 30)
    stream.start()

    started = time.monotonic()
    rerun = play("up")
    assert rerun.recap["changed"] == 0, rerun.tail()
    rerun_seconds = time.monotonic() - started
    print("no-op rerun of the dev environment (13 resources): %.1f s" % rerun_seconds)

    status = play("status", agno_detailed_exitcode="true")
    assert status.recap["changed"] == 0
    table = status_table(status.output)
    assert len(table) == 13 and {state for _type, state, _health in table.values()} == {"in sync"}
    containers = {item_id: health for item_id, (kind, _state, health) in table.items() if kind == "docker_container"}
    # Every container has a healthcheck, and up waited until each was healthy.
    assert containers == {name: "healthy" for name in ("postgres", "redis", "api", "worker", "ui")}, table
    assert "13 resources: 13 in sync." in status.output and '"  api  %s"' % API in status.output

    check_stream(stream, STREAM_SECONDS, STREAM_EVERY)
    api_before = container_id("api")
    play("restart", agno_restart="api")
    assert container_id("api") not in ("", api_before)
    assert any(item["text"] == "remember this" for item in http(API + "/notes"))

    play("down")
    assert container_id("api") == "" and container_id("postgres") == ""
    assert volume_exists("postgres") and volume_exists("redis")
    assert image_exists("postgres") and image_exists("api")

    # Down then up: the Postgres data is still there.
    play("up")
    wait_for_health(API + "/health")
    assert any(item["text"] == "remember this" for item in http(API + "/notes"))

    play("down", agno_delete_data="true")
    assert not volume_exists("postgres")


# ---- a rotated database password reaches Postgres and the apps -----------------------------------------------------------
ROTATE_ENV = "agent-app-rot"
ROTATE_VARS = {"agno_env_name": ROTATE_ENV, "agno_api_port": "28100", "agno_ui_port": "28601"}
# Characters a URL must percent-encode: DATABASE_URL carries the encoded form, as secret as the password.
OLD_PASSWORD = secret("rot-before-pw-3b1")
NEW_PASSWORD = secret("rot:aft#er%pw?2&x")
secret(urllib.parse.quote(NEW_PASSWORD, safe=""))


def rotate_play(name: str, password: str, *args: str, **extra: str) -> t.Any:
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=INVENTORY, extra_vars=dict(ROTATE_VARS, **extra),
                       env={"AGNO_DB_PASSWORD": password}, timeout=1800)
    assert OLD_PASSWORD not in run.output and NEW_PASSWORD not in run.output
    return run


def item_actions(output: str) -> t.Dict[str, str]:
    """Each resource's action in the environment task's result (printed as JSON with -vvv)."""
    blocks = re.findall(r"^(?:changed|ok): \[localhost\] => (\{$.*?^\})$", output, re.M | re.S)
    result = next(parsed for parsed in map(json.loads, blocks) if "results" in parsed)
    return {item["id"]: item["action"] for item in result["results"]}


def connects(container: str, *command: str) -> bool:
    return subprocess.run(["docker", "exec", "%s-%s" % (ROTATE_ENV, container)] + list(command),
                          capture_output=True, check=False).returncode == 0


def app_connects() -> bool:
    """The api container's DATABASE_URL opens a session on Postgres."""
    return connects("api", "python", "-c", "import os, psycopg; psycopg.connect(os.environ['DATABASE_URL'], connect_timeout=5)")


def password_works(password: str) -> bool:
    return connects("postgres", "sh", "-c", "PGPASSWORD=\"$0\" psql -h 127.0.0.1 -U app -d app -tAc 'select 1'", password)


@pytest.fixture()
def rotating_environment() -> t.Iterator[None]:
    yield from removed_afterwards(ROTATE_VARS)


@pytest.mark.usefixtures("rotating_environment")
def test_dev_database_password_rotation_reaches_postgres_and_the_apps() -> None:
    first = rotate_play("up", OLD_PASSWORD)
    assert first.rc == 0, first.tail(60)
    assert app_connects() and password_works(OLD_PASSWORD)

    preview = rotate_play("up", NEW_PASSWORD, "--check", "--diff")
    assert preview.rc == 0, preview.tail(60)
    predicted = item_actions(preview.output)
    assert predicted["postgres"] == "replace" and predicted["api"] == "replace", predicted
    assert password_works(OLD_PASSWORD) and not password_works(NEW_PASSWORD)

    applied = rotate_play("up", NEW_PASSWORD)
    assert applied.rc == 0, applied.tail(60)
    assert {key: value for key, value in item_actions(applied.output).items() if value != "none"} == {
        key: value for key, value in predicted.items() if value != "none"}
    assert password_works(NEW_PASSWORD) and not password_works(OLD_PASSWORD)
    assert app_connects()
    assert http("http://127.0.0.1:28100/health")["status"] == "ok"

    rerun = rotate_play("up", NEW_PASSWORD)
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail(60)
