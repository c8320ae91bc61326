"""The fields a definition sets, and what a field manager owns of them."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._k8s import fields

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ns", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "a:1", "args": ["-p", "80"]}]}}},
    "status": {"replicas": 2},
}


def test_content_drops_identity_and_status() -> None:
    assert fields.content(DEPLOYMENT) == {"metadata": {"labels": {"app.kubernetes.io/name": "web"}}, "spec": DEPLOYMENT["spec"]}
    assert fields.content({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}) == {}


def test_leaves_by_name_in_named_lists_and_whole_other_lists() -> None:
    found = {fields.text(path): value for path, value in fields.leaves(fields.content(DEPLOYMENT))}
    assert found == {
        'metadata.labels["app.kubernetes.io/name"]': "web", "spec.replicas": 2,
        "spec.template.spec.containers[web].image": "a:1", "spec.template.spec.containers[web].args": ["-p", "80"]}
    assert list(fields.leaves({})) == []


def test_value_at_finds_named_items_and_misses() -> None:
    path = ("spec", "template", "spec", "containers", ("name", "web"), "image")
    assert fields.value_at(DEPLOYMENT, path) == "a:1"
    assert fields.value_at(DEPLOYMENT, ("spec", "template", "spec", "containers", ("name", "db"), "image")) is None
    assert fields.value_at(DEPLOYMENT, ("spec", "replicas", "deeper")) is None


def test_matches_only_values_as_written() -> None:
    live = dict(DEPLOYMENT, spec=dict(DEPLOYMENT["spec"], strategy={"type": "RollingUpdate"}))
    assert fields.matches(fields.content(DEPLOYMENT), live)
    assert not fields.matches({"spec": {"replicas": 3}}, live)
    assert not fields.matches({"spec": {"cpu": "0.1"}}, {"spec": {"cpu": "100m"}})


OWNED = {"f:metadata": {"f:labels": {".": {}, "f:app.kubernetes.io/name": {}}},
         "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
             'k:{"name":"web"}': {".": {}, "f:name": {}, "f:image": {}, "f:args": {}}}}}}}


def live_with(*entries: dict) -> dict:
    return dict(DEPLOYMENT, metadata=dict(DEPLOYMENT["metadata"], managedFields=list(entries)))


def test_owned_merges_the_managers_applies_only() -> None:
    live = live_with({"manager": fields.MANAGER, "operation": "Apply", "fieldsV1": {"f:spec": {"f:replicas": {}}}},
                     {"manager": fields.MANAGER, "operation": "Apply", "fieldsV1": {"f:data": {}}},
                     {"manager": "kubectl", "operation": "Apply", "fieldsV1": {"f:spec": {"f:paused": {}}}},
                     {"manager": fields.MANAGER, "operation": "Update", "fieldsV1": {"f:status": {}}})
    assert fields.owned(live) == {"f:spec": {"f:replicas": {}}, "f:data": {}}
    assert fields.owned({"metadata": {}}) == {}


def test_owned_paths_read_as_text() -> None:
    assert fields.owned_paths(OWNED) == [
        "metadata.labels.app.kubernetes.io/name", "spec.replicas", "spec.template.spec.containers[web].args",
        "spec.template.spec.containers[web].image", "spec.template.spec.containers[web].name"]
    assert fields.owned_paths({"f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {}}}) == ["ports[containerPort=80,protocol=TCP]"]


def test_within_says_whether_an_apply_would_release_a_field() -> None:
    body = fields.content(DEPLOYMENT)
    assert fields.within(OWNED, body)
    assert not fields.within(OWNED, {"spec": {"replicas": 2}})
    dropped = {"metadata": body["metadata"], "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "a:1"}]}}}}
    assert not fields.within(OWNED, dropped)
    assert fields.within({}, body)


def test_conflicts_by_manager() -> None:
    status = {"details": {"causes": [
        {"reason": "FieldManagerConflict", "message": 'conflict with "kubectl-edit"', "field": ".spec.replicas"},
        {"reason": "FieldManagerConflict", "message": 'conflict with "kubectl-edit"', "field": ".data.a"},
        {"reason": "FieldManagerConflict", "message": "conflict", "field": ".data.b"}]}}
    assert fields.conflicts(status) == {"kubectl-edit": [".spec.replicas", ".data.a"], "another manager": [".data.b"]}
