"""Where kinds live in the API, and the connection settings."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._k8s import client


def test_paths_of_built_in_kinds() -> None:
    kube = client.KubeClient(None)
    assert kube.kind("apps/v1", "Deployment").path("ns", "web") == "/apis/apps/v1/namespaces/ns/deployments/web"
    assert kube.kind("v1", "Namespace").path("ignored", "n") == "/api/v1/namespaces/n"
    assert kube.kind("networking.k8s.io/v1", "NetworkPolicy").path("ns") == "/apis/networking.k8s.io/v1/namespaces/ns/networkpolicies"
    assert [client.plural(kind) for kind in ("Ingress", "Endpoints", "StorageClass", "Pod")] == [
        "ingresses", "endpoints", "storageclasses", "pods"]


def test_host_and_token_win_over_the_kubeconfig_and_its_refresh(tmp_path: pytest.TempPathFactory) -> None:
    config = tmp_path / "kubeconfig"  # type: ignore[operator]
    config.write_text("""apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: from-file}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
""")
    settings = client.configuration({"kubeconfig": str(config), "host": "https://127.0.0.1:1", "api_key": "t"})
    settings.refresh_api_key_hook(settings)
    assert (settings.host, settings.api_key["authorization"], settings.retries) == ("https://127.0.0.1:1", "Bearer t", 0)


def test_no_connection_at_all_is_one_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    with pytest.raises(ResourceError, match="No Kubernetes connection is set"):
        client.configuration({})


def test_transient_failures() -> None:
    class ApiException(Exception):
        status = 503

    assert client.KUBERNETES.is_transient(ApiException())
    assert not client.KUBERNETES.is_transient(ValueError())
