"""The Docker provider without a daemon: the connection sentences, which calls are retried, and SDK errors explained."""

from __future__ import annotations

import pathlib
import socket
import typing as t

import pytest
from docker.errors import APIError, DockerException, NotFound
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import ReadTimeout

from ansible_collections.agno.infra.plugins.module_utils._docker import client
from ansible_collections.agno.infra.plugins.module_utils._docker.network import NetworkResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_params

START = ("start the Docker engine (for example `systemctl start docker` or `dockerd`), or set docker_host (or DOCKER_HOST) to "
         "the address of a running one.")


def connection(**options: t.Any) -> t.Dict[str, t.Any]:
    return task_params(client.DOCKER_ARGUMENT_SPEC, **options)


def test_a_missing_socket_is_named_with_the_fix_after_a_few_quick_tries(tmp_path: pathlib.Path, clock: FakeClock) -> None:
    host = "unix://%s" % (tmp_path / "docker.sock")
    with pytest.raises(ResourceError) as raised:
        client.DockerProvider().connect(connection(docker_host=host))
    assert raised.value.msg == "Cannot reach the Docker daemon at %s (the socket does not exist): %s" % (host, START)
    assert len(clock.sleeps) == 2  # three attempts: a daemon that is starting gets a moment


def test_a_socket_nobody_listens_on_refuses_the_connection(tmp_path: pathlib.Path) -> None:
    path = str(tmp_path / "docker.sock")
    with socket.socket(socket.AF_UNIX) as unbound:
        unbound.bind(path)  # the file exists, but no daemon accepts on it
    with pytest.raises(ResourceError) as raised:
        client.DockerProvider().connect(connection(docker_host="unix://" + path))
    assert raised.value.msg == "Cannot reach the Docker daemon at unix://%s (connection refused): %s" % (path, START)


def test_bad_tls_settings_are_named() -> None:
    with pytest.raises(ResourceError) as raised:
        client.DockerProvider().connect(connection(docker_host="tcp://127.0.0.1:2376", tls=True, client_cert="/nonexistent/cert.pem",
                                                   client_key="/nonexistent/key.pem"))
    assert raised.value.msg.startswith("Cannot use the Docker connection settings for tcp://127.0.0.1:2376: Path to a certificate "
                                       "and key files must be provided through the client_cert param.")
    assert raised.value.msg.endswith("; check docker_host, the TLS options and api_version.")
    assert client.tls_config(connection()) is False


def test_with_a_fixed_api_version_the_client_is_made_without_asking_the_daemon(tmp_path: pathlib.Path) -> None:
    host = "unix://%s" % (tmp_path / "docker.sock")
    docker = client.DockerProvider().connect(connection(docker_host=host, api_version="1.41"))
    assert docker.host == host and docker.api.base_url == "http+docker://localhost"


def test_unreachable_sentences_give_the_fix_for_the_reason() -> None:
    denied = client.unreachable_message("unix:///var/run/docker.sock", PermissionError("[Errno 13] Permission denied"))
    assert denied == ("Cannot reach the Docker daemon at unix:///var/run/docker.sock (permission denied on the socket): run the "
                      "task with become, or add the remote user to the docker group.")
    assert client.connection_reason(OSError("nodename nor servname provided")) == "the host name does not resolve"
    assert client.connection_reason(OSError("timed out")) == "no answer"


class FlakyApi:
    """An SDK client whose calls fail with the given errors, in turn, before they answer."""

    base_url = "http+docker://localhost"

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls: t.List[str] = []

    def answer(self, name: str) -> str:
        self.calls.append(name)
        if self.errors:
            raise self.errors.pop(0)
        return "answer of " + name

    def inspect_container(self, ref: str) -> str:
        return self.answer("inspect_container")

    def create_container(self, **_kwargs: t.Any) -> str:
        return self.answer("create_container")


def api_error(status: int, explanation: t.Any = "daemon busy") -> APIError:
    """The error the SDK raises for an HTTP error answer of the daemon."""
    response = type("Response", (), {"status_code": status, "reason": "Error", "url": "http+docker://localhost/networks/create"})()
    return APIError("%d Error" % status, response=t.cast(t.Any, response), explanation=explanation)


def test_reads_are_retried_after_any_transient_failure() -> None:
    api = FlakyApi(RequestsConnectionError("Connection aborted."), api_error(500))
    assert client.DockerClient(api, "unix:///var/run/docker.sock").inspect_container("app") == "answer of inspect_container"
    assert api.calls == ["inspect_container"] * 3


@pytest.mark.parametrize("error", [NotFound("No such container: app"), api_error(409)])
def test_reads_are_not_retried_after_an_answer_that_will_not_change(error: BaseException) -> None:
    api = FlakyApi(error)
    with pytest.raises(APIError):
        client.DockerClient(api, "unix:///var/run/docker.sock").inspect_container("app")
    assert api.calls == ["inspect_container"]


def test_a_change_is_sent_again_only_when_the_daemon_never_got_it() -> None:
    refused = FlakyApi(RequestsConnectionError("Connection refused"))
    assert client.DockerClient(refused, "tcp://127.0.0.1:2375").create_container(name="app") == "answer of create_container"
    assert refused.calls == ["create_container"] * 2
    aborted = FlakyApi(RequestsConnectionError("Connection aborted."))
    with pytest.raises(RequestsConnectionError):
        client.DockerClient(aborted, "tcp://127.0.0.1:2375").create_container(name="app")
    assert aborted.calls == ["create_container"]
    assert client.DockerClient(aborted, "tcp://127.0.0.1:2375").base_url == "http+docker://localhost"


NETWORK = NetworkResource(None, {"name": "app", "docker_host": "unix:///var/run/docker.sock", "timeout": 60})


@pytest.mark.parametrize("error, message", [
    (RequestsConnectionError("('Connection aborted.', ConnectionRefusedError(111, 'Connection refused'))"),
     "Lost the connection to the Docker daemon at unix:///var/run/docker.sock while managing docker network app (connection "
     "refused): check that the engine is running, then run the task again; it converges from where it stopped."),
    (ReadTimeout("Read timed out."), "The Docker daemon at unix:///var/run/docker.sock did not answer within 60 s while managing "
                                     "docker network app: raise the timeout option or check the daemon's load."),
    (api_error(400, b"invalid pool request: Pool overlaps with other one on this address space"),
     "Docker refused a request for docker network app (HTTP 400): invalid pool request: Pool overlaps with other one on this "
     "address space."),
    (DockerException("Credentials store error."), "Docker SDK error while managing docker network app: Credentials store error."),
])
def test_sdk_errors_become_one_sentence_naming_the_resource(error: BaseException, message: str) -> None:
    explained = client.DockerProvider().explain(error, NETWORK)
    assert explained is not None and explained.msg == message


def test_other_errors_are_left_to_the_runner() -> None:
    assert client.DockerProvider().explain(KeyError("Id"), NETWORK) is None


def test_labels_of_the_object_itself_without_inherited_or_internal_ones() -> None:
    labels = {"app": "api", "maintainer": "base", client.INTERNAL_LABEL_PREFIX + "build_hash": "abc", "version": "2"}
    assert client.user_labels(labels, {"maintainer": "base", "version": "1"}) == {"app": "api", "version": "2"}
    assert client.user_labels(None) == {}


def test_inspect_or_none() -> None:
    def inspect(ref: str) -> t.Dict[str, t.Any]:
        if ref != "app":
            raise NotFound("No such object: %s" % ref)
        return {"Id": "c0ffee"}

    assert client.inspect_or_none(inspect, "app") == {"Id": "c0ffee"}
    assert client.inspect_or_none(inspect, "gone") is None


@pytest.mark.parametrize("error, reason", [
    (RequestsConnectionError("('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))"), "the socket does not exist"),
    (RequestsConnectionError("('Connection aborted.', ConnectionRefusedError(111, 'Connection refused'))"), "connection refused"),
    (RequestsConnectionError("('Connection aborted.', PermissionError(13, 'Permission denied'))"), "permission denied on the socket"),
])
def test_a_daemon_that_is_not_there_is_one_sentence_for_the_whole_run(error: BaseException, reason: str) -> None:
    sentence = client.DockerProvider.unreachable(error, connection(docker_host="unix:///run/nope.sock"))
    assert sentence == client.unreachable_message("unix:///run/nope.sock", error)
    assert sentence and sentence.startswith("Cannot reach the Docker daemon at unix:///run/nope.sock (%s): " % reason)


@pytest.mark.parametrize("error", [RequestsConnectionError("('Connection aborted.', RemoteDisconnected('closed'))"),
                                   ReadTimeout("Read timed out."), api_error(500), NotFound("No such network: app")])
def test_other_failures_leave_the_run_going(error: BaseException) -> None:
    assert client.DockerProvider.unreachable(error, connection()) is None
