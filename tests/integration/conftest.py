"""Fixtures for integration tests (a Docker engine that answers, a moto server on loopback), and the secret scan
of every playbook output of the session."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import time
import typing as t
import urllib.request

import pytest

from harness import OUTPUT_DIR, known_secrets, secret, secret_hits

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCAN = pytest.StashKey[t.Tuple[int, int, int, t.List[str]]]()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def moto_url() -> t.Iterator[str]:
    """A moto server for this test session (or the one AGNO_MOTO_URL names)."""
    if os.environ.get("AGNO_MOTO_URL"):
        yield os.environ["AGNO_MOTO_URL"]
        return
    port = free_port()
    workdir = ROOT / ".build" / ("moto-%d" % port)
    workdir.mkdir(parents=True, exist_ok=True)
    log = open(workdir / "server.log", "w")  # pylint: disable=consider-using-with
    # The recorder writes its file into the server's working directory: keep it out of the repo.
    server = subprocess.Popen(  # pylint: disable=consider-using-with
        [str(pathlib.Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
        env=dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true"),
    )
    url = "http://127.0.0.1:%d" % port
    try:
        wait_for_http(url + "/moto-api/")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture()
def aws_env(moto_url: str) -> t.Dict[str, str]:
    """Environment for a playbook that talks to the moto server with dummy credentials, state reset."""
    request = urllib.request.Request(moto_url + "/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()  # pylint: disable=consider-using-with
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "AKIAAGNOTEST00000000",
        "AWS_SECRET_ACCESS_KEY": secret("agno-test-secret-access-key"),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        # The example prd inventory's Redis AUTH token (agno_secrets.redis_auth_token).
        "AGNO_REDIS_AUTH_TOKEN": secret("agno-test-redis-auth-token-5d2e"),
    }


def pytest_sessionstart(session: pytest.Session) -> None:  # pylint: disable=unused-argument
    for stale in OUTPUT_DIR.glob("*.log"):
        stale.unlink()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The secret scan: every playbook output of the session is searched for every secret value the tests declared."""
    files = sorted(OUTPUT_DIR.glob("*.log"))
    hits = secret_hits(files, known_secrets())
    session.config.stash[SCAN] = (len(files), sum(path.stat().st_size for path in files), len(known_secrets()), hits)
    if hits and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: t.Any, exitstatus: int, config: pytest.Config) -> None:  # pylint: disable=unused-argument
    if SCAN not in config.stash:
        return
    files, size, secrets, hits = config.stash[SCAN]
    terminalreporter.write_line("secret scan%s: %d playbook outputs (%d bytes) searched for %d secret values, hits: %d"
                                % (" FAILED" if hits else "", files, size, secrets, len(hits)), red=bool(hits))
    for hit in hits:
        terminalreporter.write_line("secret found in " + hit, red=True)
