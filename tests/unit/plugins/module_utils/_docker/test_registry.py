"""docker_image's registry client: the push options' checks, manifest reads against a small real HTTP server (Basic
and Bearer auth), the sentences of refused credentials and of a registry that is down, the ECR login, the push."""

from __future__ import annotations

import base64
import http.server
import pathlib
import socket
import subprocess
import sys
import threading
import typing as t

import pytest
from docker.errors import APIError

from ansible_collections.agno.infra.plugins.module_utils._docker import registry
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

DIGEST = "sha256:" + "ab" * 32
PASSWORD = "unit-registry-pw-41c7"
BASIC = "Basic " + base64.b64encode(("agno:" + PASSWORD).encode()).decode()


class FakeRegistryHandler(http.server.BaseHTTPRequestHandler):
    """Tag ``1`` of ``agent/api`` exists; reads need the user agno's credentials, as Basic auth or a Bearer token."""

    bearer = False
    seen: t.List[t.Dict[str, str]] = []

    def log_message(self, *args: t.Any) -> None:  # pylint: disable=arguments-differ
        """Quiet: the test reads the requests from ``seen``."""

    def do_HEAD(self) -> None:  # pylint: disable=invalid-name
        self.seen.append({"path": self.path, "accept": self.headers.get("Accept", "")})
        wanted = "Bearer unit-token" if self.bearer else BASIC
        if self.headers.get("Authorization") != wanted:
            challenge = ('Bearer realm="http://%s/token",service="unit"' % self.headers["Host"] if self.bearer
                         else 'Basic realm="unit"')
            self.answer(401, {"WWW-Authenticate": challenge})
        elif self.path == "/v2/agent/api/manifests/1":
            self.answer(200, {"Docker-Content-Digest": DIGEST})
        else:
            self.answer(404, {})

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self.seen.append({"path": self.path})
        if self.headers.get("Authorization") != BASIC:
            self.answer(401, {})
            return
        body = b'{"token": "unit-token"}'
        self.answer(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def answer(self, status: int, headers: t.Dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", "0")
        self.end_headers()


class Served(t.NamedTuple):
    host: str
    seen: t.List[t.Dict[str, str]]


@pytest.fixture(params=[False, True], ids=["basic", "bearer"])
def served(request: pytest.FixtureRequest) -> t.Iterator[Served]:
    handler = type("Handler", (FakeRegistryHandler,), {"bearer": request.param, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Served("127.0.0.1:%d" % httpd.server_address[1], handler.seen)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def server(served: Served) -> str:
    return served.host


def reader(host: str, password: t.Optional[str] = PASSWORD, ecr: bool = False) -> registry.Registry:
    credentials = {"username": "agno", "password": password} if password else None
    return registry.Registry(host + "/agent/api", credentials, ecr, timeout=5)


# ---- the options --------------------------------------------------------------------------------------
@pytest.mark.parametrize("options, expected", [
    ({"push": True}, ["docker image agno/api has push: true but no repository: set repository to the registry's "
                      "repository, such as 127.0.0.1:5000/agent/api."]),
    ({"push": True, "repository": "agent/api"}, [
        "repository agent/api names no registry host: write it in full, such as 127.0.0.1:5000/agent/api or "
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api."]),
    ({"repository": "127.0.0.1:5000/agent/api:2"}, [
        "repository 127.0.0.1:5000/agent/api:2 carries a tag or digest: set repository without it; the pushed tag is "
        "the image's tag."]),
    ({"repository": "localhost/api", "registry_auth": {"ecr": True, "username": "u", "password": None}}, [
        "registry_auth sets ecr: true and a username or password: keep one of the two ways to log in."]),
    ({"registry_auth": {"ecr": False, "username": None, "password": "p"}}, [
        "registry_auth has a username or a password without the other: set both, or ecr: true."]),
    ({"push": True, "repository": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api",
      "registry_auth": {"ecr": True, "username": None, "password": None}}, []),
    ({"push": False}, []),
    ({"push": True, "repository": "${ecr-repo.uri}"}, []),
])
def test_push_problems(options: t.Dict[str, t.Any], expected: t.List[str]) -> None:
    assert registry.push_problems(dict({"name": "agno/api"}, **options)) == expected


@pytest.mark.parametrize("host, url", [
    ("127.0.0.1:5000", "http://127.0.0.1:5000"), ("localhost:5000", "http://localhost:5000"),
    ("localhost", "http://localhost"), ("[::1]:5000", "http://[::1]:5000"),
    ("registry.example.com", "https://registry.example.com"), ("10.0.0.5:5000", "https://10.0.0.5:5000"),
])
def test_only_loopback_registries_are_read_over_plain_http(host: str, url: str) -> None:
    assert registry.base_url(host) == url


def test_bearer_challenge_fields() -> None:
    assert registry.challenge_fields('Bearer realm="https://auth.example.com/token",service="registry",scope="x"') == {
        "realm": "https://auth.example.com/token", "service": "registry", "scope": "x"}


# ---- manifest reads -----------------------------------------------------------------------------------
def test_the_digest_of_a_tag_is_read_with_the_credentials(server: str) -> None:
    assert reader(server).digest("1") == DIGEST
    assert reader(server).digest("2") is None


def test_a_read_accepts_the_manifest_types_a_push_stores(served: Served) -> None:
    reader(served.host).digest("1")
    reads = [request for request in served.seen if "/manifests/" in request["path"]]
    assert len(reads) == 2  # anonymous, then with the credentials (after the token, for Bearer)
    assert all(request["accept"] == registry.MANIFEST_TYPES for request in reads)
    assert "application/vnd.docker.distribution.manifest.v2+json" in registry.MANIFEST_TYPES


def test_refused_credentials_are_one_sentence_without_the_password(server: str) -> None:
    with pytest.raises(ResourceError) as error:
        reader(server, password="wrong-unit-pw").digest("1")
    assert error.value.msg == ("Registry %s refused the credentials for %s/agent/api: check "
                               "registry_auth.username/password." % (server, server))
    with pytest.raises(ResourceError) as error:
        reader(server, password="wrong-unit-pw", ecr=True).digest("1")
    assert error.value.msg.endswith("check the AWS credentials and region of the ECR login (registry_auth.ecr).")
    assert "wrong-unit-pw" not in error.value.msg


def test_a_registry_that_wants_credentials_says_so(server: str) -> None:
    with pytest.raises(ResourceError) as error:
        reader(server, password=None).digest("1")
    assert error.value.msg == ("Registry %s asks for credentials for %s/agent/api: set registry_auth (username and "
                               "password, or ecr: true)." % (server, server))


def test_a_registry_that_is_down_is_one_sentence() -> None:
    with socket.socket() as unbound:
        unbound.bind(("127.0.0.1", 0))
        host = "127.0.0.1:%d" % unbound.getsockname()[1]
        with pytest.raises(ResourceError) as error:
            reader(host).digest("1")
    assert error.value.msg == ("Cannot reach registry %s for %s/agent/api (connection refused): start the registry, or "
                               "correct the host and port in repository." % (host, host))


# ---- credentials and the push -------------------------------------------------------------------------
class FakeEcr:
    def __init__(self) -> None:
        self.requests: t.List[t.Dict[str, t.Any]] = []

    def __call__(self, service: str) -> "FakeEcr":
        assert service == "ecr"
        return self

    def get_authorization_token(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.requests.append(request)
        token = base64.b64encode(b"AWS:ecr-unit-password:with-colon").decode()
        return {"authorizationData": [{"authorizationToken": token, "proxyEndpoint": "https://x"}]}


def test_the_ecr_login_decodes_the_token_and_names_the_registry_of_the_host() -> None:
    ecr = FakeEcr()
    assert registry.ecr_login(ecr, "123456789012.dkr.ecr.us-east-1.amazonaws.com") == {
        "username": "AWS", "password": "ecr-unit-password:with-colon"}
    assert registry.ecr_login(ecr, "127.0.0.1:5000")["username"] == "AWS"
    assert ecr.requests == [{"registryIds": ["123456789012"]}, {}]


def test_an_ecr_login_without_botocore_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry.AWS, "import_error", "ModuleNotFoundError: No module named 'botocore'")
    with pytest.raises(ResourceError) as error:
        registry.task_credentials({"registry_auth": {"ecr": True}, "repository": "127.0.0.1:5000/a"}, "docker image a:1")
    assert error.value.msg == ("registry_auth.ecr of docker image a:1 needs botocore on the host that runs the module: "
                               "install it (pip install botocore), or log in with registry_auth.username and password.")


def test_task_credentials() -> None:
    assert registry.task_credentials({"registry_auth": None}, "x") is None
    assert registry.task_credentials({"registry_auth": {"username": "u", "password": "p", "ecr": False}}, "x") == {
        "username": "u", "password": "p"}


class FakePushClient:
    def __init__(self, stream: t.List[t.Dict[str, t.Any]], error: t.Optional[str] = None) -> None:
        self.stream, self.error = stream, error
        self.calls: t.List[t.Dict[str, t.Any]] = []

    def push(self, repository: str, **kwargs: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
        self.calls.append(dict(kwargs, repository=repository))
        if self.error:
            raise APIError(self.error, explanation=self.error)
        return iter(self.stream)


def test_a_push_hands_the_credentials_to_that_call_only() -> None:
    client = FakePushClient([{"status": "Pushed"}, {"aux": {"Tag": "1", "Digest": DIGEST}}])
    reader("127.0.0.1:5000").push(client, "1")
    assert client.calls == [{"repository": "127.0.0.1:5000/agent/api", "tag": "1", "stream": True, "decode": True,
                             "auth_config": {"username": "agno", "password": PASSWORD, "serveraddress": "127.0.0.1:5000"}}]


@pytest.mark.parametrize("client", [
    FakePushClient([{"status": "Preparing"}, {"errorDetail": {"message": "unauthorized: authentication required"}}]),
    FakePushClient([], error="unauthorized: authentication required"),
])
def test_a_failed_push_is_one_sentence(client: FakePushClient) -> None:
    with pytest.raises(ResourceError) as error:
        reader("127.0.0.1:5000").push(client, "1")
    assert error.value.msg == ("Pushing 127.0.0.1:5000/agent/api:1 to registry 127.0.0.1:5000 failed (unauthorized: "
                               "authentication required): check that the credentials may push to the repository, then "
                               "run the task again.")


def test_the_image_type_loads_neither_requests_nor_botocore_sessions_until_a_push_needs_them() -> None:
    collections = pathlib.Path(__file__).resolve().parents[5] / ".build" / "collections"
    probe = ("import sys\nfrom ansible_collections.agno.infra.plugins.module_utils._docker import image\n"
             "print(sorted(name for name in ('docker', 'requests', 'botocore.session', 'botocore.client') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=str(collections), capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
