# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes provider: connection options, a client that speaks the REST API, and its errors as sentences.

The official ``kubernetes`` package loads kubeconfigs (contexts, exec plugins, in-cluster tokens) and sends the
requests; the paths are built here from an object's apiVersion and kind, so that any kind, custom ones too, is served
by the same few calls: get, server-side apply (dry-run or not), delete, list.
"""

from __future__ import annotations

import importlib.util
import json
import os
import typing as t

from ansible.module_utils.basic import env_fallback

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._k8s.fields import MANAGER

# The package costs about 0.7 s to import: a run imports it only when it connects.
IMPORT_ERROR = None if importlib.util.find_spec("kubernetes") else "ModuleNotFoundError: No module named 'kubernetes'"

K8S_ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "kubeconfig": {"type": "path", "fallback": (env_fallback, ["K8S_AUTH_KUBECONFIG", "KUBECONFIG"])},
    "context": {"type": "str", "fallback": (env_fallback, ["K8S_AUTH_CONTEXT"])},
    "host": {"type": "str", "fallback": (env_fallback, ["K8S_AUTH_HOST"])},
    "api_key": {"type": "str", "no_log": True, "fallback": (env_fallback, ["K8S_AUTH_API_KEY"])},
    "ca_cert": {"type": "path", "aliases": ["ssl_ca_cert"], "fallback": (env_fallback, ["K8S_AUTH_SSL_CA_CERT"])},
    "validate_certs": {"type": "bool", "aliases": ["verify_ssl"], "fallback": (env_fallback, ["K8S_AUTH_VERIFY_SSL"])},
}

#: Seconds the first request may take: an endpoint that does not answer fails the run in seconds.
PROBE_TIMEOUT = 5
REQUEST_TIMEOUT = 60
#: Statuses after which the engine reads and acts again (throttling, an API server restarting).
TRANSIENT_STATUSES = (429, 500, 502, 503, 504)

#: Built-in kinds by (API group, kind) and whether they live in a namespace: such objects need no discovery call.
KNOWN: t.Dict[t.Tuple[str, str], bool] = {
    ("", "Namespace"): False, ("", "PersistentVolume"): False, ("", "Node"): False,
    **{("", kind): True for kind in ("ConfigMap", "Secret", "Service", "ServiceAccount", "PersistentVolumeClaim", "Pod",
                                     "Event", "Endpoints", "LimitRange", "ResourceQuota")},
    **{("apps", kind): True for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")},
    ("batch", "Job"): True, ("batch", "CronJob"): True, ("autoscaling", "HorizontalPodAutoscaler"): True,
    ("policy", "PodDisruptionBudget"): True, ("networking.k8s.io", "Ingress"): True,
    ("networking.k8s.io", "NetworkPolicy"): True, ("networking.k8s.io", "IngressClass"): False,
    ("rbac.authorization.k8s.io", "Role"): True, ("rbac.authorization.k8s.io", "RoleBinding"): True,
    ("rbac.authorization.k8s.io", "ClusterRole"): False, ("rbac.authorization.k8s.io", "ClusterRoleBinding"): False,
    ("storage.k8s.io", "StorageClass"): False, ("apiextensions.k8s.io", "CustomResourceDefinition"): False,
}


class Kind(t.NamedTuple):
    """Where objects of one kind live in the API."""

    api_version: str
    plural: str
    namespaced: bool

    def base(self) -> str:
        return "/api/" + self.api_version if "/" not in self.api_version else "/apis/" + self.api_version

    def path(self, namespace: t.Optional[str], name: t.Optional[str] = None) -> str:
        """The path of the collection (no name) or of one object."""
        where = "/namespaces/%s" % namespace if self.namespaced and namespace else ""
        return "%s%s/%s%s" % (self.base(), where, self.plural, "/" + name if name else "")


def plural(kind: str) -> str:
    """The resource name of a built-in kind: Ingress is ingresses, NetworkPolicy networkpolicies."""
    lower = kind.lower()
    if lower.endswith("s"):
        return lower if lower == "endpoints" else lower + "es"
    return lower[:-1] + "ies" if lower.endswith("y") else lower + "s"


def group(api_version: str) -> str:
    return api_version.rpartition("/")[0]


class KubeClient:
    """Raw REST calls through the official client's connection (TLS, auth, proxies), answers decoded from JSON."""

    def __init__(self, api: t.Any) -> None:
        self.api = api
        self.kinds: t.Dict[t.Tuple[str, str], Kind] = {}

    def raw(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
            content_type: str = "application/json", timeout: float = REQUEST_TIMEOUT) -> bytes:
        """The answer's body as it came (a pod's log is text)."""
        response = self.api.call_api(
            path, method, query_params=list((query or {}).items()), body=body,
            header_params={"Accept": "application/json", "Content-Type": content_type}, auth_settings=["BearerToken"],
            _return_http_data_only=True, _preload_content=False, _request_timeout=timeout)
        return t.cast(bytes, response.data or b"")

    def call(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
             content_type: str = "application/json", timeout: float = REQUEST_TIMEOUT) -> t.Dict[str, t.Any]:
        return t.cast(t.Dict[str, t.Any], json.loads(self.raw(method, path, query, body, content_type, timeout) or b"{}"))

    def listed(self, kind: Kind, namespace: t.Optional[str], selector: str) -> t.List[t.Dict[str, t.Any]]:
        """The objects of a kind with these labels (in the namespace); none when the namespace or the kind is not there."""
        try:
            return list(self.call("GET", kind.path(namespace), {"labelSelector": selector}).get("items") or [])
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) == 404:
                return []
            raise

    def kind(self, api_version: str, kind: str) -> Kind:
        """Where a kind lives: built-in kinds from the table, others (custom resources) from one discovery call."""
        key = (api_version, kind)
        if key not in self.kinds:
            namespaced = KNOWN.get((group(api_version), kind))
            if namespaced is not None:
                self.kinds[key] = Kind(api_version, plural(kind), namespaced)
            else:
                self.kinds[key] = self.discovered(api_version, kind)
        return self.kinds[key]

    def discovered(self, api_version: str, kind: str) -> Kind:
        try:
            listing = self.call("GET", Kind(api_version, "", False).base())
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) != 404:
                raise
            listing = {}
        for resource in listing.get("resources") or []:
            if resource.get("kind") == kind and "/" not in resource.get("name", "/"):
                return Kind(api_version, resource["name"], bool(resource.get("namespaced")))
        raise ResourceError("The API server serves no kind %s in %s: check the definition's apiVersion and kind, or "
                            "install the CustomResourceDefinition first." % (kind, api_version))

    def get(self, kind: Kind, name: str, namespace: t.Optional[str]) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            return self.call("GET", kind.path(namespace, name))
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) == 404:
                return None
            raise

    def apply(self, kind: Kind, namespace: t.Optional[str], body: t.Dict[str, t.Any], force: bool,
              dry_run: bool, manager: str = MANAGER) -> t.Dict[str, t.Any]:
        """A server-side apply as the collection's field manager (or another one of its own)."""
        query: t.Dict[str, t.Any] = {"fieldManager": manager, "force": "true" if force else "false"}
        if dry_run:
            query["dryRun"] = "All"
        return self.call("PATCH", kind.path(namespace, body["metadata"]["name"]), query, body,
                         content_type="application/apply-patch+yaml")


def status_of(error: BaseException) -> t.Optional[int]:
    """The HTTP status of an API error, None for other errors."""
    status = getattr(error, "status", None)
    return status if isinstance(status, int) and type(error).__name__ == "ApiException" else None


def answer(error: BaseException) -> t.Dict[str, t.Any]:
    """The Status object the API server answered with, or {}."""
    try:
        body = json.loads(getattr(error, "body", None) or "{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def configuration(params: t.Dict[str, t.Any]) -> t.Any:
    """The client configuration from the task's options: a kubeconfig (the default one too), else the pod's own
    service account, with host, api_key, ca_cert and validate_certs over either."""
    from kubernetes import client, config  # pylint: disable=import-outside-toplevel  # see IMPORT_ERROR

    settings = client.Configuration()
    kubeconfig = params.get("kubeconfig") or os.path.expanduser("~/.kube/config")
    if params.get("kubeconfig") or os.path.exists(kubeconfig):
        config.load_kube_config(config_file=kubeconfig, context=params.get("context"), client_configuration=settings,
                                persist_config=False)
    elif os.environ.get("KUBERNETES_SERVICE_HOST"):
        config.load_incluster_config(client_configuration=settings)
    elif not params.get("host"):
        raise ResourceError("No Kubernetes connection is set: give kubeconfig (or set KUBECONFIG), or host and api_key.")
    override(settings, params)
    refresh = settings.refresh_api_key_hook
    if refresh is not None:
        # The kubeconfig's hook sets its own host and token again before each request (to renew expiring tokens).
        settings.refresh_api_key_hook = lambda current: (refresh(current), override(current, params))
    # No retries below the engine: a refused or silent endpoint fails once, in seconds; the engine retries the rest.
    settings.retries = 0
    return settings


#: Connection failures after the probe answered: an answer lost, an API server restarting.
TRANSIENT_FAILURES = ("ProtocolError", "ReadTimeoutError", "NewConnectionError")


def failure_name(error: BaseException) -> str:
    """The name of a connection failure: urllib3 wraps it in MaxRetryError when no retry is left."""
    return type(getattr(error, "reason", None) or error).__name__


def override(settings: t.Any, params: t.Dict[str, t.Any]) -> None:
    """The connection options the task sets, over the kubeconfig's."""
    if params.get("host"):
        settings.host = params["host"]
    if params.get("api_key"):
        settings.api_key = {"authorization": "Bearer " + params["api_key"]}
    if params.get("ca_cert"):
        settings.ssl_ca_cert = params["ca_cert"]
    if params.get("validate_certs") is not None:
        settings.verify_ssl = params["validate_certs"]


def unreachable_message(host: str, error: BaseException) -> str:
    reason = str(getattr(error, "reason", None) or error).split(": ", 1)[-1]
    return ("Cannot reach the Kubernetes API server at %s (%s): check the kubeconfig's cluster or the host option, "
            "and that the server is running." % (host, reason.rstrip(".")))


class KubernetesProvider:
    library = "kubernetes"
    import_error = IMPORT_ERROR
    argument_spec = K8S_ARGUMENT_SPEC

    def connect(self, params: t.Dict[str, t.Any]) -> KubeClient:
        from kubernetes import client, config  # pylint: disable=import-outside-toplevel  # see IMPORT_ERROR

        try:
            settings = configuration(params)
        except (config.ConfigException, OSError, ValueError) as error:
            raise ResourceError("Cannot use the Kubernetes connection settings (%s): check kubeconfig and context."
                                % str(error).rstrip("."))
        kube = KubeClient(client.ApiClient(settings))
        try:
            kube.call("GET", "/version", timeout=PROBE_TIMEOUT)
        except Exception as error:  # pylint: disable=broad-except
            if status_of(error) is None:
                raise ResourceError(unreachable_message(settings.host, error))
            if status_of(error) in (401, 403):
                raise ResourceError("The Kubernetes API server at %s refused the credentials (HTTP %s): check the "
                                    "kubeconfig's user or api_key." % (settings.host, status_of(error)))
        return kube

    @staticmethod
    def is_transient(error: BaseException) -> bool:
        return status_of(error) in TRANSIENT_STATUSES or failure_name(error) in TRANSIENT_FAILURES

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        subject = "%s %s" % (resource.kind, resource.name)
        status = status_of(error)
        if status is not None:
            message = answer(error).get("message") or getattr(error, "reason", "") or "no message"
            return ResourceError("The Kubernetes API server refused a request for %s (HTTP %s): %s."
                                 % (subject, status, str(message).rstrip(".")))
        if type(error).__module__.startswith("urllib3"):
            return ResourceError("Lost the connection to the Kubernetes API server while managing %s (%s): run the task "
                                 "again; it converges from where it stopped." % (subject, type(error).__name__))
        return None


KUBERNETES = KubernetesProvider()
