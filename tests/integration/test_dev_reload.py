"""Live reload on the example dev environment (docker.reload, local Docker engine): a saved edit of the API's code is
served within seconds by the same container, and the next up changes nothing."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import typing as t

import pytest

from example_app import check_example_app, http
from harness import ROOT, run_playbook, secret

ENV_NAME = "agent-app-reload"
# Ports of their own: the other dev tests may run at the same time.
VARS = {"agno_env_name": ENV_NAME, "agno_api_port": "28340", "agno_ui_port": "28840"}
API = "http://127.0.0.1:28340"
UI = "http://127.0.0.1:28840"
DEV_PASSWORD = secret("dev-only-password")
HEALTH = 'return {"status": "ok", "env": os.environ.get("AGNO_ENV")}'
EDITED = 'return {"status": "ok", "env": os.environ.get("AGNO_ENV"), "edited": True}'

pytestmark = pytest.mark.docker


@pytest.fixture()
def app_copy() -> t.Iterator[pathlib.Path]:
    """A copy of the example app (sources and inventories) that the test may edit; its files keep their modes, readable by
    the apps' user (10001)."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="agno-reload-"))
    copy = directory / "agent-app"
    shutil.copytree(ROOT / "examples" / "agent-app", copy, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        yield copy
    finally:
        run_playbook("agno.infra.down", inventory=copy / "inventory" / "dev.yml", extra_vars=dict(VARS, agno_delete_data="true"))
        shutil.rmtree(directory)


def play(name: str, inventory: pathlib.Path, **extra: str) -> t.Any:
    run = run_playbook("agno.infra.%s" % name, "-vvv", inventory=inventory, extra_vars=dict(VARS, **extra), timeout=1800)
    assert run.rc == 0, run.tail(60)
    return run


def inspect(component: str) -> t.Dict[str, t.Any]:
    done = subprocess.run(["docker", "inspect", "%s-%s" % (ENV_NAME, component)], capture_output=True, text=True, check=True)
    return t.cast(t.Dict[str, t.Any], json.loads(done.stdout)[0])


def served_within(url: str, wanted: t.Callable[[t.Any], bool], seconds: float) -> float:
    """Seconds until url answers as wanted (the reloading server refuses or drops requests meanwhile)."""
    started = time.monotonic()
    while True:
        try:
            if wanted(http(url)):
                return time.monotonic() - started
        except OSError:
            pass
        assert time.monotonic() - started < seconds, "%s did not serve the edit within %d s" % (url, seconds)
        time.sleep(0.2)


def test_a_saved_edit_is_served_by_the_same_container_and_up_stays_idempotent(app_copy: pathlib.Path) -> None:
    inventory = app_copy / "inventory" / "dev.yml"
    play("up", inventory)
    check_example_app(ENV_NAME, API, UI, "reloaded")

    api = inspect("api")
    source = str(app_copy / "api")
    assert api["HostConfig"]["Binds"] == ["%s:/app:ro" % source] and api["HostConfig"]["ReadonlyRootfs"] is True
    assert api["Config"]["User"] == "10001" and "--reload" in api["Config"]["Cmd"]
    assert inspect("worker")["Config"]["Cmd"][0] == "watchfiles"
    # The mount is read-only: nothing of the app (bytecode caches included) writes into the source.
    write = subprocess.run(["docker", "exec", ENV_NAME + "-api", "touch", "/app/probe"], capture_output=True, check=False)
    assert write.returncode != 0 and not os.path.exists(os.path.join(source, "probe"))

    main = app_copy / "api" / "main.py"
    assert HEALTH in main.read_text()
    main.write_text(main.read_text().replace(HEALTH, EDITED))
    seconds = served_within(API + "/health", lambda answer: answer.get("edited") is True, 5)
    print("edit served after %.1f s" % seconds)
    assert inspect("api")["Id"] == api["Id"]
    assert not list((app_copy / "api").rglob("__pycache__"))

    rerun = play("up", inventory)
    assert rerun.recap["changed"] == 0, rerun.tail()
    assert inspect("api")["Id"] == api["Id"] and http(API + "/health").get("edited") is True
