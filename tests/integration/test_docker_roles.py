"""The roles on the docker target, as a user's own playbook includes them: Postgres with pgvector, Redis, the API,
the Celery worker and the Streamlit UI of the example app. They work together, a rerun changes nothing, and their
removal leaves nothing of the environment behind."""

from __future__ import annotations

import json
import subprocess
import typing as t
import urllib.request

import pytest

from harness import INTEGRATION, run_playbook, secret

PLAYBOOK = INTEGRATION / "playbooks" / "docker_roles.yml"
ENV_NAME = "agno-it-roles-dev"
API = "http://127.0.0.1:28010"
UI = "http://127.0.0.1:28510"
DB_PASSWORD = secret("agno-it-roles-db-password-6a1f")

pytestmark = pytest.mark.docker


def http(url: str, body: t.Optional[t.Dict[str, t.Any]] = None) -> t.Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - a loopback URL of the test
        return json.loads(answer.read() or b"null")


def leftovers() -> t.List[str]:
    """Containers, volumes and networks of the environment still on the engine."""
    found = []
    for kind in ("container", "volume", "network"):
        listing = subprocess.run(["docker", kind, "ls", "-q", "--filter", "label=io.agno.env=" + ENV_NAME] + (["-a"] if kind == "container" else []),
                                 capture_output=True, text=True, check=True).stdout.split()
        found += ["%s %s" % (kind, name) for name in listing]
    return found


@pytest.fixture()
def removed_afterwards() -> t.Iterator[None]:
    try:
        yield
    finally:
        run_playbook(PLAYBOOK, extra_vars={"roles_state": "absent"}, timeout=1800)


@pytest.mark.usefixtures("removed_afterwards")
def test_roles_deploy_the_example_app_rerun_without_change_and_remove_it_all() -> None:
    first = run_playbook(PLAYBOOK, "--diff", timeout=1800)
    assert first.rc == 0, first.tail(60)
    assert first.recap["changed"] == 5, first.tail(60)
    assert DB_PASSWORD not in first.output
    assert http(API + "/health")["status"] == "ok"
    assert http(API + "/notes", {"text": "from the roles"})["text"] == "from the roles"
    assert http(API + "/tasks/add?x=40&y=2") == {"result": 42}
    with urllib.request.urlopen(UI + "/_stcore/health", timeout=10) as answer:  # noqa: S310
        assert answer.read() == b"ok"
    extensions = subprocess.run(["docker", "exec", ENV_NAME + "-postgres", "psql", "-U", "postgres", "-d", "app", "-tAc",
                                 "select extname from pg_extension"], capture_output=True, text=True, check=True).stdout
    assert "vector" in extensions.split()

    rerun = run_playbook(PLAYBOOK, "--diff", timeout=1800)
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail(60)

    removal = run_playbook(PLAYBOOK, "--diff", extra_vars={"roles_state": "absent"}, timeout=1800)
    assert removal.rc == 0, removal.tail(60)
    assert removal.recap["changed"] == 6, removal.tail(60)
    assert leftovers() == []
