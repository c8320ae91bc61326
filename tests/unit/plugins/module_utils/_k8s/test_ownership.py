"""Discovery of an environment's objects by its labels: one list call per kind, addresses that adopt reads back."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import leftovers
from ansible_collections.agno.infra.plugins.module_utils._k8s import client, ownership
from ansible_collections.agno.infra.plugins.module_utils._k8s.object import ObjectResource


class Lister(client.KubeClient):
    """Answers list calls from objects by collection path; records each query."""

    def __init__(self, objects: t.Dict[str, t.List[t.Dict[str, t.Any]]]) -> None:
        super().__init__(None)
        self.objects = objects
        self.queries: t.List[t.Tuple[str, t.Any]] = []

    def call(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
             content_type: str = "application/json", timeout: float = 60) -> t.Dict[str, t.Any]:
        self.queries.append((path, (query or {}).get("labelSelector")))
        return {"items": self.objects.get(path, [])}


def labelled(name: str, item_id: str, app: t.Optional[str] = None) -> t.Dict[str, t.Any]:
    labels = {ownership.ID_LABEL: item_id, **({ownership.APP_LABEL: app} if app else {})}
    return {"metadata": {"name": name, "labels": labels}}


def test_the_environment_s_objects_are_found_by_its_labels_and_become_leftover_items() -> None:
    kube = Lister({"/apis/apps/v1/namespaces/shop/deployments": [labelled("api", "api", "api"), labelled("old", "old", "old")],
                   "/api/v1/namespaces/shop/persistentvolumeclaims": [labelled("redis-data", "redis-data", "redis")]})
    found = ownership.owned(kube, "shop", "shop")
    assert len(kube.queries) == 1 + len(ownership.KINDS)
    assert {query for _path, query in kube.queries} == {"app.kubernetes.io/managed-by=agno-infra,agno.infra/env=shop"}
    assert [entry.name for entry in found] == ["v1|PersistentVolumeClaim|shop|redis-data", "apps/v1|Deployment|shop|api",
                                               "apps/v1|Deployment|shop|old"]
    items = leftovers(found, {"k8s_object": ObjectResource}, {"api"}, ownership.ID_LABEL, ownership.APP_LABEL, {}, {})
    assert [(item.id, item.app, item.params) for item in items] == [
        ("redis-data", "redis", {"definition": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                                "metadata": {"name": "redis-data", "namespace": "shop"}}, "state": "absent"}),
        ("old", "old", {"definition": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "old", "namespace": "shop"}},
                        "state": "absent"})]
    claim = ObjectResource(kube, dict(items[0].params, force_conflicts=False))
    assert claim.holds_data({}) and not ObjectResource(kube, dict(items[1].params, force_conflicts=False)).holds_data({})
    assert ownership.definition(ownership.address("v1", "Namespace", "", "shop")) == {
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}


def pod(workload: str, *restarts: int) -> t.Dict[str, t.Any]:
    return {"metadata": {"labels": {ownership.NAME_LABEL: workload}},
            "status": {"containerStatuses": [{"restartCount": count} for count in restarts]}}


def test_restarts_are_summed_by_workload_from_one_list_of_the_environment_s_pods() -> None:
    kube = Lister({"/api/v1/namespaces/shop/pods": [pod("api", 1, 2), pod("api", 0), pod("worker"), {"metadata": {"labels": {}}}]})
    assert ownership.restarts(kube, "shop", "shop") == {"api": 3, "worker": 0}
    assert kube.queries == [("/api/v1/namespaces/shop/pods", "app.kubernetes.io/managed-by=agno-infra,agno.infra/env=shop")]
