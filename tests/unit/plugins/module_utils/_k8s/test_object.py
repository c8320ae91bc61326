"""k8s_object against a fake API server at the REST level: the one-GET no-op, the dry-run path, conflicts, secrets."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.plugins.module_utils._k8s import client, evidence, fields
from ansible_collections.agno.infra.plugins.module_utils._k8s.object import ObjectResource, identity


class ApiException(Exception):
    """Named as the client's, which status_of recognises."""

    def __init__(self, status: int, body: t.Dict[str, t.Any]) -> None:
        super().__init__(status)
        self.status, self.body = status, json.dumps(body)


class FakeServer(client.KubeClient):
    """Objects by path; an apply merges the body, records the manager's fields as one flat tree; cpu "0.1" is "100m"."""

    def __init__(self) -> None:
        super().__init__(None)
        self.objects: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.calls: t.List[str] = []
        self.conflict: t.Optional[t.Dict[str, t.Any]] = None

    def call(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
             content_type: str = "application/json", timeout: float = 60) -> t.Dict[str, t.Any]:
        query = query or {}
        self.calls.append(method + (" dry-run" if query.get("dryRun") else ""))
        if method == "GET":
            if path not in self.objects:
                raise ApiException(404, {"message": "not found"})
            return self.objects[path]
        if method == "DELETE":
            del self.objects[path]
            return {}
        if self.conflict and query.get("force") != "true":
            raise ApiException(409, self.conflict)
        if query.get("fieldManager") != fields.MANAGER:
            # Another manager's apply (a restart's stamp): merged into the pod template, the collection's fields kept.
            annotations = body["spec"]["template"]["metadata"]["annotations"]
            self.objects[path]["spec"]["template"].setdefault("metadata", {}).setdefault("annotations", {}).update(annotations)
            self.calls[-1] += " as " + query["fieldManager"]
            return self.objects[path]
        obj = json.loads(json.dumps(body).replace('"0.1"', '"100m"'))
        tree = {"f:" + key: {} for key in fields.content(obj)}
        obj["metadata"]["managedFields"] = [{"manager": query["fieldManager"], "operation": "Apply", "fieldsV1": tree}]
        if not query.get("dryRun"):
            self.objects[path] = obj
        return obj


PATH = "/api/v1/namespaces/ns/configmaps/settings"


def converged(server: FakeServer, data: t.Dict[str, str], kind: str = "ConfigMap", **params: t.Any) -> t.Any:
    options = dict(dict(state="present", definition={"apiVersion": "v1", "kind": kind, "metadata": {"name": "settings", "namespace": "ns"},
                                                     "data": data}, api_version="v1", kind=None, name=None, namespace=None,
                        force_conflicts=False, restart=False, wait=False, wait_timeout=300), **params)
    check = options.pop("check", False)
    return converge(ObjectResource(server, options), present=options["state"] == "present", check_mode=check)


def test_create_then_a_rerun_reads_once_and_writes_nothing() -> None:
    server = FakeServer()
    created = converged(server, {"mode": "fast"})
    assert (created.action, server.calls) == ("create", ["GET", "PATCH"])
    server.calls.clear()
    rerun = converged(server, {"mode": "fast"})
    assert (rerun.action, rerun.changed, server.calls) == ("none", False, ["GET"])
    assert "managedFields" not in rerun.state["metadata"]


def test_a_value_the_server_writes_otherwise_asks_a_dry_run_and_writes_nothing() -> None:
    server = FakeServer()
    converged(server, {"cpu": "0.1"})
    server.calls.clear()
    rerun = converged(server, {"cpu": "0.1"})
    assert (rerun.action, server.calls) == ("none", ["GET", "PATCH dry-run"])


def test_check_mode_reports_the_change_and_writes_nothing() -> None:
    server = FakeServer()
    converged(server, {"mode": "fast"})
    server.calls.clear()
    planned = converged(server, {"mode": "slow"}, check=True)
    assert (planned.action, planned.changes, server.calls) == ("update", ["data.mode"], ["GET", "PATCH dry-run"])
    assert planned.diff["after"]["data.mode"] == "slow"
    assert server.objects[PATH]["data"] == {"mode": "fast"}
    applied = converged(server, {"mode": "slow"})
    assert (applied.action, applied.changes) == ("update", ["data.mode"])


def test_a_conflict_names_the_fields_and_the_manager() -> None:
    server = FakeServer()
    converged(server, {"mode": "fast"})
    server.conflict = {"details": {"causes": [{"message": 'conflict with "kubectl-edit"', "field": ".data.mode"}]}}
    with pytest.raises(ResourceError) as raised:
        converged(server, {"mode": "slow"})
    assert raised.value.msg == (
        "ConfigMap ns/settings: the apply conflicts with another field manager on .data.mode (held by kubectl-edit): set "
        "force_conflicts=true to take those fields over, or drop them from the definition.")
    assert converged(server, {"mode": "slow"}, force_conflicts=True).action == "update"


def test_a_secret_is_masked_in_the_diff_and_the_result() -> None:
    server = FakeServer()
    created = converged(server, {"token": "c2VjcmV0"}, kind="Secret")
    assert created.state["data"] == {"token": "********"}
    assert created.diff["after"]["data.token"] == "******** (changed)"
    assert "c2VjcmV0" not in json.dumps(created)
    params = {"definition": {"kind": "Secret", "data": {"token": "c2VjcmV0"}, "stringData": {"b": "plain"}}}
    # stringData goes out as data (1.24 rewrites an object applied with stringData every time): both forms are secret.
    assert ObjectResource.secret_values(params) == ["c2VjcmV0", "secret", "cGxhaW4=", "plain"]
    assert identity(params)["data"] == {"token": "c2VjcmV0", "b": "cGxhaW4="} and "stringData" not in identity(params)


def test_absent_deletes_and_problems_come_first() -> None:
    server = FakeServer()
    converged(server, {"mode": "fast"})
    assert converged(server, {}, state="absent").action == "delete"
    assert PATH not in server.objects
    assert ObjectResource.problems({"definition": {"metadata": {}}}) == [
        "The definition has no kind: set definition.kind or the kind option.",
        "The definition has no name: set definition.metadata.name or the name option."]


def test_evidence_quotes_events_and_the_unready_pod() -> None:
    server = FakeServer()
    server.objects["/api/v1/namespaces/ns/events"] = {"items": [
        {"type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container.", "lastTimestamp": "2"}]}
    server.objects["/api/v1/namespaces/ns/pods"] = {"items": [{"metadata": {"name": "web-1"}, "status": {
        "containerStatuses": [{"name": "web", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}]}
    obj = {"kind": "Deployment", "metadata": {"name": "web", "namespace": "ns"}, "spec": {"selector": {"matchLabels": {"app": "web"}}}}
    assert evidence.quoted(server, obj) == " Events: Warning BackOff: Back-off restarting failed container. Pod web-1: web: CrashLoopBackOff."


DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ns"},
              "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}}}}


def test_a_restart_stamps_the_pod_template_by_its_own_manager_and_the_next_apply_leaves_it() -> None:
    server = FakeServer()
    converge(ObjectResource(server, options(DEPLOYMENT)), present=True)
    server.calls.clear()
    planned = converge(ObjectResource(server, options(DEPLOYMENT, restart=True)), present=True, check_mode=True)
    assert (planned.action, planned.changes, server.calls) == ("update", ["restart"], ["GET"])
    restarted = converge(ObjectResource(server, options(DEPLOYMENT, restart=True)), present=True)
    assert (restarted.action, server.calls[1:]) == ("update", ["GET", "PATCH as agno-infra-restart"])
    template = server.objects["/apis/apps/v1/namespaces/ns/deployments/web"]["spec"]["template"]
    assert "kubectl.kubernetes.io/restartedAt" in template["metadata"]["annotations"] and template["spec"]["containers"][0]["image"] == "web:1"
    server.calls.clear()
    rerun = converge(ObjectResource(server, options(DEPLOYMENT)), present=True)
    assert (rerun.action, server.calls) == ("none", ["GET"])


def test_a_restart_with_a_new_pod_template_is_the_apply_alone() -> None:
    server = FakeServer()
    converge(ObjectResource(server, options(DEPLOYMENT)), present=True)
    server.calls.clear()
    edited = json.loads(json.dumps(DEPLOYMENT).replace("web:1", "web:2"))
    restarted = converge(ObjectResource(server, options(edited, restart=True)), present=True)
    assert (restarted.action, sorted(restarted.changes), server.calls) == (
        "update", ["restart", "spec.template.spec.containers[web].image"], ["GET", "PATCH dry-run", "PATCH"])


def test_restart_is_for_workloads_only() -> None:
    assert ObjectResource.problems(options({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}, restart=True)) == [
        "restart rolls the pods of a Deployment, StatefulSet or DaemonSet, and this is a ConfigMap: remove restart."]


def options(definition: t.Dict[str, t.Any], **params: t.Any) -> t.Dict[str, t.Any]:
    return dict(dict(state="present", definition=definition, api_version="v1", kind=None, name=None, namespace=None,
                     force_conflicts=False, restart=False, wait=False, wait_timeout=300), **params)
