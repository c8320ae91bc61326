"""A network, a volume and a container, run as whole playbooks: the recap is what a user sees."""

from __future__ import annotations

import json
import subprocess
import typing as t

import pytest

from harness import INTEGRATION, run_playbook, secret

PLAYBOOK = INTEGRATION / "playbooks" / "docker_stack.yml"
SECRET = secret("agno-it-stack-secret-91c2")

pytestmark = pytest.mark.docker


def inspect(kind: str, name: str) -> t.Optional[t.Dict[str, t.Any]]:
    done = subprocess.run(["docker", kind, "inspect", name], capture_output=True, text=True, check=False)
    return json.loads(done.stdout)[0] if done.returncode == 0 else None


def container_env(name: str) -> t.List[str]:
    info = inspect("container", name)
    assert info is not None, "container %s is missing" % name
    return list(info["Config"]["Env"])


@pytest.fixture()
def stack() -> t.Iterator[None]:
    yield
    run_playbook(PLAYBOOK, extra_vars={"stack_state": "absent"})


@pytest.mark.usefixtures("stack")
def test_stack_converges_previews_and_removes() -> None:
    first = run_playbook(PLAYBOOK)
    assert first.rc == 0, first.tail()
    assert first.recap["changed"] == 3
    created_id = inspect("container", "agno-it-stack-app")["Id"]  # type: ignore[index]

    rerun = run_playbook(PLAYBOOK)
    assert rerun.rc == 0, rerun.tail()
    assert rerun.recap["changed"] == 0, rerun.tail()

    preview = run_playbook(PLAYBOOK, "--check", extra_vars={"app_mode": "prod"})
    assert preview.rc == 0, preview.tail()
    assert preview.recap["changed"] == 1
    assert inspect("container", "agno-it-stack-app")["Id"] == created_id  # type: ignore[index]
    assert "APP_MODE=dev" in container_env("agno-it-stack-app")

    applied = run_playbook(PLAYBOOK, extra_vars={"app_mode": "prod"})
    assert applied.rc == 0, applied.tail()
    assert applied.recap["changed"] == 1
    assert inspect("container", "agno-it-stack-app")["Id"] != created_id  # type: ignore[index]
    assert "APP_MODE=prod" in container_env("agno-it-stack-app")

    removed = run_playbook(PLAYBOOK, extra_vars={"stack_state": "absent"})
    assert removed.rc == 0, removed.tail()
    assert removed.recap["changed"] == 3
    assert inspect("container", "agno-it-stack-app") is None
    assert inspect("volume", "agno-it-stack-data") is None
    assert inspect("network", "agno-it-stack") is None


@pytest.mark.usefixtures("stack")
def test_secret_env_never_appears_in_verbose_diff_or_check_output() -> None:
    runs = [
        run_playbook(PLAYBOOK, "-vvv", "--diff"),
        run_playbook(PLAYBOOK, "-vvv", "--diff", "--check", extra_vars={"secret": SECRET + "-rotated"}),
        run_playbook(PLAYBOOK, "-vvv", "--diff", extra_vars={"secret": SECRET + "-rotated"}),
    ]
    for run in runs:
        assert run.rc == 0, run.tail()
        assert SECRET not in run.output
    # The secret did reach the container: the scan above is not vacuous.
    assert "APP_SECRET=%s-rotated" % SECRET in container_env("agno-it-stack-app")
