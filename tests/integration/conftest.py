"""Fixtures for integration tests (a Docker engine that answers, a moto server on loopback), and the secret scan
of every playbook output of the session."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import typing as t
import urllib.error
import urllib.request

import pytest

from harness import OUTPUT_DIR, known_secrets, secret, secret_hits

ROOT = pathlib.Path(__file__).resolve().parents[2]
# moto_server with a fix (see its docstring).
MOTO_LAUNCH = ROOT / "tests" / "integration" / "moto_launch.py"
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
        [sys.executable, str(MOTO_LAUNCH), "-H", "127.0.0.1", "-p", str(port)],
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


# The Kubernetes kit (a real API server and node) that the repository's CI machines carry next to the checkout.
KIT = pathlib.Path(os.environ.get("AGNO_K8S_KIT") or ROOT.parent / "shared" / "k8s")


@pytest.fixture(scope="session")
def kube_env() -> t.Iterator[t.Dict[str, str]]:
    """Environment for a playbook that talks to a Kubernetes API server: the one KUBECONFIG names when it is set (no
    audit log then unless AGNO_K8S_AUDIT names it: writes are not counted), else the kit, started for the session and stopped after it."""
    if os.environ.get("KUBECONFIG"):
        yield {"KUBECONFIG": os.environ["KUBECONFIG"], "AGNO_K8S_AUDIT": os.environ.get("AGNO_K8S_AUDIT", "")}
        return
    directory = ROOT / ".build" / "k8skit"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / "k8skit-start.log", "w") as log:  # pylint: disable=unspecified-encoding
        subprocess.run([str(KIT / "start"), str(directory)], stdout=log, stderr=subprocess.STDOUT, check=True, timeout=600)
    try:
        yield {"KUBECONFIG": str(directory / "kubeconfig"), "AGNO_K8S_AUDIT": str(directory / "logs" / "audit.log")}
    finally:
        with open(directory.parent / "k8skit-stop.log", "w") as log:  # pylint: disable=unspecified-encoding
            subprocess.run([str(KIT / "stop"), str(directory)], stdout=log, stderr=subprocess.STDOUT, check=False, timeout=300)


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


@dataclasses.dataclass(frozen=True)
class LocalRegistry:
    """A registry process on 127.0.0.1 (scripts/ensure-registry.sh) with one htpasswd user."""

    host: str
    user: str
    password: str
    log: pathlib.Path

    def repository(self, path: str) -> str:
        return "%s/%s" % (self.host, path)

    def blob_uploads(self) -> int:
        """Requests of blob uploads the registry logged so far: a push that uploads nothing adds none."""
        return sum(1 for line in self.log.read_text().splitlines() if "blobs/uploads" in line)

    def tags(self, path: str) -> t.List[str]:
        """The tags of repository path, sorted (none: no such repository)."""
        request = urllib.request.Request("http://%s/v2/%s/tags/list" % (self.host, path), headers=self.authorization())
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the test's own registry
                return sorted(json.loads(answer.read()).get("tags") or [])
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise

    def authorization(self) -> t.Dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (self.user, self.password)).encode()).decode()}

    def manifest_digest(self, path: str, tag: str) -> t.Optional[str]:
        """The registry's digest for path:tag, read with the user's credentials (None: no such tag)."""
        request = urllib.request.Request("http://%s/v2/%s/manifests/%s" % (self.host, path, tag), method="HEAD", headers=dict(
            self.authorization(), Accept="application/vnd.docker.distribution.manifest.v2+json"))
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return str(answer.headers["Docker-Content-Digest"])
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise


@contextlib.contextmanager
def local_registry(user: str, password: str) -> t.Iterator[LocalRegistry]:
    """Start a registry with htpasswd basic auth and filesystem storage under .build/; stop it and remove its files."""
    port = free_port()
    workdir = ROOT / ".build" / ("registry-%d" % port)
    started = subprocess.run([str(ROOT / "scripts" / "ensure-registry.sh"), str(workdir), str(port), user],
                             env=dict(os.environ, REGISTRY_PASSWORD=password), capture_output=True, text=True, check=False)
    assert started.returncode == 0, started.stderr
    pid = int(started.stdout.split()[-1])
    try:
        yield LocalRegistry("127.0.0.1:%d" % port, user, password, workdir / "registry.log")
    finally:
        os.kill(pid, signal.SIGTERM)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def registry() -> t.Iterator[LocalRegistry]:
    """A local registry for this session, user agno-it-push with a password declared secret."""
    with local_registry("agno-it-push", secret("agno-it-registry-pw-3f8a61")) as served:
        yield served


def moto_ecr_password(moto_url: str) -> str:
    """The password in moto's ECR GetAuthorizationToken answer (moto makes it from the account id)."""
    import botocore.session  # pylint: disable=import-outside-toplevel
    session = botocore.session.Session()
    session.set_credentials("AKIAAGNOTEST00000000", "agno-test-secret-access-key")
    ecr = session.create_client("ecr", region_name="us-east-1", endpoint_url=moto_url)
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    return base64.b64decode(token).decode().partition(":")[2]


@pytest.fixture(scope="session")
def ecr_registry(moto_url: str) -> t.Iterator[LocalRegistry]:
    """A second local registry whose user is AWS with the password of moto's ECR login, for registry_auth.ecr (moto's
    proxy endpoint cannot be reached here)."""
    with local_registry("AWS", secret(moto_ecr_password(moto_url))) as served:
        yield served


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
