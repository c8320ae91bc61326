"""The roles on the docker target, as a user's own playbook includes them: Postgres with pgvector, Redis, the API,
the Celery worker and the Streamlit UI of the example app. They work together, a rerun changes nothing, and their
removal leaves nothing of the environment behind."""

from __future__ import annotations

import subprocess
import typing as t

import pytest

from example_app import check_example_app
from harness import INTEGRATION, run_playbook, secret

PLAYBOOK = INTEGRATION / "playbooks" / "docker_roles.yml"
ENV_NAME = "agno-it-roles-dev"
API = "http://127.0.0.1:28010"
UI = "http://127.0.0.1:28510"
DB_PASSWORD = secret("agno-it-roles-db-password-6a1f")

pytestmark = pytest.mark.docker


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
    check_example_app(ENV_NAME, API, UI, "from the roles")

    rerun = run_playbook(PLAYBOOK, "--diff", timeout=1800)
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail(60)

    removal = run_playbook(PLAYBOOK, "--diff", extra_vars={"roles_state": "absent"}, timeout=1800)
    assert removal.rc == 0, removal.tail(60)
    assert removal.recap["changed"] == 6, removal.tail(60)
    assert leftovers() == []
