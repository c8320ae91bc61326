# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Docker provider: connection options, a retrying client, and SDK errors turned into sentences."""

from __future__ import annotations

import gc
import importlib.util
import typing as t

from ansible.module_utils.basic import env_fallback

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range, Resource, ResourceError, retry

# The SDK (and requests with it) is imported where a run first needs it: a run that converges no Docker resource (an AWS
# environment) never loads it. ``SDK.APIError`` and the like are its exception classes, looked up when an error is.
IMPORT_ERROR = None if importlib.util.find_spec("docker") else "ModuleNotFoundError: No module named 'docker'"


class Unraised(Exception):
    """What the SDK's exception classes are without the SDK: nothing raises them."""

    status_code: t.Optional[int] = None
    explanation = ""


class SdkErrors:
    """The exception classes of the Docker SDK and of requests, by name, imported on first use."""

    def __getattr__(self, name: str) -> t.Type[Exception]:
        if IMPORT_ERROR:
            return Unraised
        if name in ("ConnectionError", "ReadTimeout"):
            import requests.exceptions  # pylint: disable=import-outside-toplevel
            return t.cast(t.Type[Exception], getattr(requests.exceptions, name))
        import docker.errors  # pylint: disable=import-outside-toplevel
        return t.cast(t.Type[Exception], getattr(docker.errors, name))


SDK = SdkErrors()

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"

# Calls that only read: safe to repeat after any transient failure, not just an undelivered request.
READ_ONLY_CALLS = frozenset([
    "inspect_container", "inspect_image", "inspect_network", "inspect_volume", "containers", "images",
    "networks", "volumes", "version", "ping", "logs", "df",
])

DOCKER_ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "docker_host": {"type": "str", "default": DEFAULT_DOCKER_HOST, "fallback": (env_fallback, ["DOCKER_HOST"])},
    "api_version": {"type": "str", "default": "auto", "fallback": (env_fallback, ["DOCKER_API_VERSION"])},
    "timeout": {"type": "int", "default": 60, "fallback": (env_fallback, ["DOCKER_TIMEOUT"])},
    "tls": {"type": "bool", "default": False, "fallback": (env_fallback, ["DOCKER_TLS"])},
    "validate_certs": {"type": "bool", "default": False, "aliases": ["tls_verify"],
                       "fallback": (env_fallback, ["DOCKER_TLS_VERIFY"])},
    "ca_path": {"type": "path"},
    "client_cert": {"type": "path"},
    "client_key": {"type": "path"},
}


def request_not_delivered(error: BaseException) -> bool:
    """The daemon never got the request (socket missing, connection refused): any call may be repeated."""
    text = str(error)
    return isinstance(error, SDK.ConnectionError) and (
        "Connection refused" in text or "No such file or directory" in text
    )


def is_transient(error: BaseException, call_name: str) -> bool:
    if request_not_delivered(error):
        return True
    if call_name not in READ_ONLY_CALLS:
        return False
    if isinstance(error, SDK.ConnectionError):
        return True
    return isinstance(error, SDK.APIError) and not isinstance(error, SDK.NotFound) and (error.status_code or 0) >= 500


class DockerClient:
    """The SDK's low-level APIClient, every call retried with backoff when the failure is transient."""

    def __init__(self, api: t.Any, host: str) -> None:
        self.api = api
        self.host = host

    def __getattr__(self, name: str) -> t.Any:
        target = getattr(self.api, name)
        if not callable(target):
            return target

        def call(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return retry(lambda: target(*args, **kwargs), lambda error: is_transient(error, name), attempts=4)

        return call


def tls_config(params: t.Dict[str, t.Any]) -> t.Any:
    if not (params.get("tls") or params.get("validate_certs")):
        return False
    client_cert = None
    if params.get("client_cert") or params.get("client_key"):
        client_cert = (params.get("client_cert"), params.get("client_key"))
    import docker.tls  # pylint: disable=import-outside-toplevel  # see IMPORT_ERROR

    return docker.tls.TLSConfig(
        client_cert=client_cert,
        ca_cert=params.get("ca_path"),
        verify=bool(params.get("validate_certs")),
    )


def connection_reason(error: BaseException) -> str:
    text = str(error)
    if "Permission denied" in text:
        return "permission denied on the socket"
    if "No such file or directory" in text:
        return "the socket does not exist"
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "the host name does not resolve"
    return "no answer"


def unreachable_message(host: str, error: BaseException) -> str:
    reason = connection_reason(error)
    if reason == "permission denied on the socket":
        fix = "run the task with become, or add the remote user to the docker group"
    else:
        fix = ("start the Docker engine (for example `systemctl start docker` or `dockerd`), "
               "or set docker_host (or DOCKER_HOST) to the address of a running one")
    return "Cannot reach the Docker daemon at %s (%s): %s." % (host, reason, fix)


class DockerProvider:
    library = "docker"
    import_error = IMPORT_ERROR
    argument_spec = DOCKER_ARGUMENT_SPEC

    def connect(self, params: t.Dict[str, t.Any]) -> DockerClient:
        host = params["docker_host"]

        import docker  # pylint: disable=import-outside-toplevel  # see IMPORT_ERROR

        def open_client() -> t.Any:
            return docker.APIClient(base_url=host, version=params["api_version"], timeout=params["timeout"],
                                    tls=tls_config(params))

        try:
            api = retry(open_client, request_not_delivered_at_connect, attempts=3, base_delay=0.3)
        except SDK.DockerException as error:
            if "fetching server API version" in str(error) or isinstance(error.__context__, SDK.ConnectionError):
                raise ResourceError(unreachable_message(host, error))
            raise ResourceError("Cannot use the Docker connection settings for %s: %s; check docker_host, "
                                "the TLS options and api_version." % (host, error))
        # What is loaded by now (the SDK, the task's code) lives as long as the process: out of the collector's walks,
        # it costs no time in later collections, nor at the process's exit.
        gc.freeze()
        return DockerClient(api, host)

    @staticmethod
    def unreachable(error: BaseException, params: t.Dict[str, t.Any]) -> t.Optional[str]:
        """The sentence for a daemon that no call of the run can reach (no socket, refused, denied, unknown host);
        None for other errors, such as a connection lost half-way."""
        if isinstance(error, SDK.ConnectionError) and connection_reason(error) != "no answer":
            return unreachable_message(params.get("docker_host") or DEFAULT_DOCKER_HOST, error)
        return None

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        subject = "%s %s" % (resource.kind, resource.name)
        host = resource.params.get("docker_host")
        if isinstance(error, SDK.ConnectionError):
            return ResourceError(
                "Lost the connection to the Docker daemon at %s while managing %s (%s): check that the engine "
                "is running, then run the task again; it converges from where it stopped."
                % (host, subject, connection_reason(error)))
        if isinstance(error, SDK.ReadTimeout):
            return ResourceError(
                "The Docker daemon at %s did not answer within %s s while managing %s: raise the timeout "
                "option or check the daemon's load." % (host, resource.params.get("timeout"), subject))
        if isinstance(error, SDK.APIError):
            return ResourceError("Docker refused a request for %s (HTTP %s): %s."
                                 % (subject, error.status_code, api_error_text(error)))
        if isinstance(error, SDK.DockerException):
            return ResourceError("Docker SDK error while managing %s: %s." % (subject, str(error).rstrip(".")))
        return None


def request_not_delivered_at_connect(error: BaseException) -> bool:
    """The SDK wraps the connection failure of its version probe in a DockerException."""
    return request_not_delivered(error) or request_not_delivered(t.cast(BaseException, error.__context__))


def api_error_text(error: BaseException) -> str:
    explanation = getattr(error, "explanation", None) or str(error)
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", "replace")
    return str(explanation).strip().rstrip(".")


def inspect_or_none(inspect: t.Callable[[str], t.Dict[str, t.Any]], ref: str) -> t.Optional[t.Dict[str, t.Any]]:
    """Inspect an object by name or id; None when Docker does not know it."""
    try:
        return inspect(ref)
    except SDK.NotFound:
        return None


def user_labels(labels: t.Optional[t.Dict[str, str]], inherited: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, str]:
    """Labels set on the object itself: drop the ones inherited unchanged (from the image) and our own."""
    inherited = inherited or {}
    return {
        key: value for key, value in (labels or {}).items()
        if inherited.get(key) != value and not key.startswith(INTERNAL_LABEL_PREFIX)
    }


#: Labels this collection records on objects for its own bookkeeping (build hash, secret key names).
INTERNAL_LABEL_PREFIX = "io.agno.infra."


DOCKER = DockerProvider()


class DockerResource(Resource):
    """Base of every Docker resource: the Docker provider and its connection option's range."""

    provider = DOCKER
    constraints = {"timeout": Range(1)}
