"""Connections that cannot work, through real ansible-playbook runs of the example environments: each fails in
seconds (above the floor of the same run ending on its own input), once per run, with one sentence, and no credential
is ever echoed. An endpoint nobody listens on, a session token that ends in a newline, an empty AWS_ENDPOINT_URL and a
Docker socket that does not exist (issue 11, findings 9 and 13)."""

from __future__ import annotations

import contextlib
import json
import pathlib
import socket
import sys
import time
import typing as t

import pytest

from harness import ROOT, TARGETS, PlaybookRun, ready_images, run_playbook, secret, secret_hits

sys.path.insert(0, str(TARGETS / "moto_record" / "filter_plugins"))
from moto_calls import moto_calls, moto_mutating_calls  # noqa: E402  pylint: disable=wrong-import-position
from test_example_prd import recorder  # noqa: E402  pylint: disable=wrong-import-position

PRD = ready_images()
DEV = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
DB_PASSWORD = secret("conn-it-pw-5d1c9e")
# Shaped like an STS session token; declared secret, so the session-wide scan searches every output for it too.
SESSION_TOKEN = secret("FwoGZXIvYXdzEJr-agno-it-session-token-0c4b7e1d9a")
# What "in seconds" means, above the floor (see floor_seconds): before, a closed port took 60 s and more.
SECONDS_ABOVE_FLOOR = 10.0
FAILURE = "fatal: [localhost]: FAILED! => "
# An environment name of these tests' own: a run that changes an environment waits for its lock, which another test
# (or a helper's run) of the example's own name may hold.
NAME = {"agno_env_name": "conn-it"}


@contextlib.contextmanager
def closed_port() -> t.Iterator[str]:
    """The URL of a loopback port that is ours but where nobody listens: every connection to it is refused."""
    with socket.socket() as unbound:
        unbound.bind(("127.0.0.1", 0))
        yield "http://127.0.0.1:%d" % unbound.getsockname()[1]


def timed(playbook: t.Union[str, pathlib.Path], *args: str, **options: t.Any) -> t.Tuple[PlaybookRun, float]:
    started = time.monotonic()
    run = run_playbook(playbook, *args, **options)
    return run, time.monotonic() - started


def floor_seconds(playbook: str, inventory: pathlib.Path, env: t.Dict[str, str]) -> float:
    """How long the same run takes right now when it ends on its own input before connecting to anything (a limit that
    picks nothing): ansible-playbook, the module's imports and the environment's validation, on this machine's load."""
    run, seconds = timed(playbook, inventory=inventory, env=env, extra_vars=dict(NAME, agno_limit="no-such-part"))
    assert run.rc != 0 and "which picks no resource" in run.output, run.tail()
    return seconds


def failure_message(run: PlaybookRun) -> str:
    """The msg of the one failed task (without -vvv, Ansible prints its result as one JSON line)."""
    lines = [line for line in run.output.splitlines() if line.startswith(FAILURE)]
    assert len(lines) == 1, run.tail()
    return str(json.loads(lines[0][len(FAILURE):])["msg"])


def fails_fast(run: PlaybookRun, seconds: float, floor: float) -> None:
    assert run.rc != 0 and run.recap["failed"] == 1, run.tail()
    assert seconds - floor < SECONDS_ABOVE_FLOOR, (seconds, floor)
    print("failed after %.1f s (floor %.1f s)" % (seconds, floor))


def aws_settings(**extra: str) -> t.Dict[str, str]:
    return dict({"AWS_ACCESS_KEY_ID": "AKIAAGNOTEST00000000", "AWS_SECRET_ACCESS_KEY": secret("conn-it-secret-access-key"),
                 "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AGNO_DB_PASSWORD": DB_PASSWORD,
                 "AGNO_REDIS_AUTH_TOKEN": secret("conn-it-redis-auth-token-8e3f1a")}, **extra)


@pytest.mark.parametrize("playbook", ["agno.infra.up", "agno.infra.down"])
def test_prd_against_a_closed_port_fails_in_seconds_with_one_sentence(playbook: str) -> None:
    with closed_port() as url:
        env = aws_settings(AWS_ENDPOINT_URL=url)
        floor = floor_seconds(playbook, PRD, env)
        run, seconds = timed(playbook, inventory=PRD, env=env, extra_vars=NAME)
    fails_fast(run, seconds, floor)
    assert failure_message(run) == ("Cannot reach the AWS endpoint %s/ (connection refused): start the endpoint, or correct "
                                    "endpoint_url (or AWS_ENDPOINT_URL)." % url)


@pytest.mark.aws
def test_a_session_token_with_a_newline_fails_before_any_call_unechoed(aws_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    env = dict(aws_env, AWS_SESSION_TOKEN=SESSION_TOKEN + "\n", AGNO_DB_PASSWORD=DB_PASSWORD)
    floor = floor_seconds("agno.infra.up", PRD, env)
    recorder(aws_env, "reset-recording")
    recorder(aws_env, "start-recording")
    run, seconds = timed("agno.infra.up", "-vvv", inventory=PRD, env=env, extra_vars=NAME)
    recorder(aws_env, "stop-recording")
    fails_fast(run, seconds, floor)
    assert ("The AWS session_token (AWS_SESSION_TOKEN) holds a space, a line break or another character that no AWS credential "
            "has: set it again without it (a value read from a file or written by echo often ends in a newline).") in run.output
    assert moto_calls(recorder(aws_env, "download-recording")) == []
    output = tmp_path / "up.log"
    output.write_text(run.output)
    forms = [SESSION_TOKEN, repr(SESSION_TOKEN + "\n"), repr((SESSION_TOKEN + "\n").encode()), SESSION_TOKEN[8:30]]
    assert secret_hits([output], forms) == []


@pytest.mark.aws
def test_an_empty_endpoint_variable_is_unset(aws_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    """AWS_ENDPOINT_URL set but empty, as a CI template leaves it: AWS's own settings apply, here a profile that points
    botocore at moto, and the plan of the whole environment is made (every resource to create, no call that changes)."""
    config = tmp_path / "config"
    config.write_text("[default]\nendpoint_url = %s\n" % aws_env["AWS_ENDPOINT_URL"])
    env = dict(aws_env, AWS_ENDPOINT_URL="", AWS_CONFIG_FILE=str(config), AGNO_DB_PASSWORD=DB_PASSWORD)
    recorder(aws_env, "reset-recording")
    recorder(aws_env, "start-recording")
    run = run_playbook("agno.infra.up", "--check", inventory=PRD, env=env)
    recorder(aws_env, "stop-recording")
    assert run.rc == 0, run.tail()
    assert "ValueError" not in run.output and "Invalid endpoint" not in run.output
    recording = recorder(aws_env, "download-recording")
    assert moto_calls(recording) and moto_mutating_calls(recording) == []
    assert run.recap["changed"] == 1


@pytest.mark.parametrize("api_version", ["auto", "1.41"], ids=["version-asked", "version-fixed"])
def test_dev_without_a_docker_daemon_fails_in_seconds_with_one_sentence(tmp_path: pathlib.Path, api_version: str) -> None:
    """With a fixed API version the client asks the daemon nothing when it connects: the first call finds it missing."""
    env = {"DOCKER_HOST": "unix://%s" % (tmp_path / "docker.sock"), "DOCKER_API_VERSION": api_version}
    floor = floor_seconds("agno.infra.up", DEV, env)
    run, seconds = timed("agno.infra.up", inventory=DEV, env=env, extra_vars=NAME)
    fails_fast(run, seconds, floor)
    assert failure_message(run) == (
        "Cannot reach the Docker daemon at %s (the socket does not exist): start the Docker engine (for example `systemctl start "
        "docker` or `dockerd`), or set docker_host (or DOCKER_HOST) to the address of a running one." % env["DOCKER_HOST"])
