"""The kubernetes blueprint: what each part of an environment becomes in its namespace, the restricted Pod Security
profile on every pod, secrets only by reference, the labels prune finds objects by, and the checks before any call."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import audit, audit_k8s, rollback, run, schema, selection
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_k8s import KubernetesBlueprint, quantity
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._k8s import ownership

SECRETS = {"postgres_password": "pg-secret-value", "openai_api_key": "sk-secret-value"}
APPS = [{"name": "api", "kind": "fastapi", "image": "shop/api:1", "replicas": 2, "secret_env": {"OPENAI_API_KEY": "openai_api_key"},
         "env": {"DEBUG": False, "LOG_LEVEL": "info"}},
        {"name": "worker", "kind": "celery", "image": "shop/api:1", "module": "worker", "uses": ["redis"], "beat": True},
        {"name": "ui", "kind": "streamlit", "image": "shop/ui:1", "uses": [], "depends_on": ["api"], "path": "/ui/*",
         "autoscaling": {"max_replicas": 4}}]


def raw(**overrides: t.Any) -> t.Dict[str, t.Any]:
    return dict({"name": "shop-k8s", "target": "kubernetes", "postgres": {"pgvector": True}, "redis": {}, "apps": APPS,
                 "jobs": [{"name": "report", "app": "api", "command": ["python", "-m", "report"], "schedule": "rate(15 minutes)"}]},
                **overrides)


def objects(**overrides: t.Any) -> t.Dict[str, t.Dict[str, t.Any]]:
    env = schema.validated(raw(**overrides), SECRETS)
    return {item["id"]: item for item in KubernetesBlueprint(env).resources()}


def definition(items: t.Dict[str, t.Dict[str, t.Any]], item_id: str) -> t.Dict[str, t.Any]:
    return t.cast(t.Dict[str, t.Any], items[item_id]["params"]["definition"])


def test_each_part_becomes_its_objects_in_the_namespace() -> None:
    items = objects()
    kinds = {item_id: (definition(items, item_id)["kind"], items[item_id]["group"]) for item_id in items}
    assert kinds == {
        "namespace": ("Namespace", "data"), "deny-ingress": ("NetworkPolicy", "network"),
        "postgres-data": ("PersistentVolumeClaim", "data"), "postgres-secrets": ("Secret", "db"), "postgres": ("StatefulSet", "db"),
        "postgres-service": ("Service", "db"), "postgres-policy": ("NetworkPolicy", "db"),
        "redis-data": ("PersistentVolumeClaim", "data"), "redis": ("StatefulSet", "db"), "redis-service": ("Service", "db"),
        "redis-policy": ("NetworkPolicy", "db"),
        "api-account": ("ServiceAccount", "app"), "api-secrets": ("Secret", "app"), "api": ("Deployment", "app"),
        "api-service": ("Service", "app"), "api-ingress": ("Ingress", "app"), "api-policy": ("NetworkPolicy", "app"),
        "api-pdb": ("PodDisruptionBudget", "app"), "job-report": ("CronJob", "app"),
        "worker-account": ("ServiceAccount", "app"), "worker": ("Deployment", "app"),
        "worker-beat": ("Deployment", "app"),
        "ui-account": ("ServiceAccount", "app"), "ui": ("Deployment", "app"),
        "ui-service": ("Service", "app"), "ui-ingress": ("Ingress", "app"), "ui-policy": ("NetworkPolicy", "app"),
        "ui-hpa": ("HorizontalPodAutoscaler", "app"), "ui-pdb": ("PodDisruptionBudget", "app")}
    namespaced = [item_id for item_id in items if item_id != "namespace"]
    assert {definition(items, item_id)["metadata"]["namespace"] for item_id in namespaced} == {"shop-k8s"}
    assert definition(items, "namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert items["api"]["depends_on"] == ["api-account", "api-secrets", "postgres", "redis", "namespace"]


def test_every_object_carries_the_labels_prune_finds_it_by() -> None:
    for item_id, item in objects().items():
        labels = item["params"]["definition"]["metadata"]["labels"]
        assert labels[ownership.MANAGED_BY] == "agno-infra" and labels[ownership.ENV_LABEL] == "shop-k8s", item_id
        assert labels[ownership.ID_LABEL] == item_id
        assert labels.get(ownership.APP_LABEL) == item.get("app")


def test_every_pod_passes_the_restricted_profile_with_limits_and_pinned_images() -> None:
    items = objects()
    pods = {item_id: audit_k8s.pod_spec(definition(items, item_id)) for item_id in items}
    pods = {item_id: pod for item_id, pod in pods.items() if pod is not None}
    assert sorted(pods) == ["api", "job-report", "postgres", "redis", "ui", "worker", "worker-beat"]
    for item_id, pod in pods.items():
        assert audit_k8s.pod_problems(pod) == [], item_id
        assert pod["automountServiceAccountToken"] is False
    assert list(audit_k8s.findings([(item_id, definition(items, item_id)) for item_id in items], False)) == [
        ("AGNO-K8S-006", "api-ingress", "it serves plain HTTP", None), ("AGNO-K8S-006", "ui-ingress", "it serves plain HTTP", None)]
    api = pods["api"]["containers"][0]
    assert api["securityContext"]["readOnlyRootFilesystem"] is True and pods["api"]["securityContext"]["runAsUser"] == 10001
    assert api["resources"] == {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "250m", "memory": "512Mi"}}
    assert api["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}


def test_secrets_reach_pods_only_by_reference() -> None:
    items = objects()
    env = {entry["name"]: entry for entry in audit_k8s.pod_spec(definition(items, "api"))["containers"][0]["env"]}
    assert env["OPENAI_API_KEY"] == {"name": "OPENAI_API_KEY", "valueFrom": {"secretKeyRef": {"name": "api-secrets", "key": "OPENAI_API_KEY"}}}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "api-secrets"
    assert env["DB_HOST"] == {"name": "DB_HOST", "value": "postgres"} and env["DEBUG"]["value"] == "false"
    assert definition(items, "api-secrets")["stringData"] == {
        "OPENAI_API_KEY": "${secrets.openai_api_key}", "DB_PASSWORD": "${secrets.postgres_password}",
        "DATABASE_URL": "postgresql://app:${secrets.postgres_password-in-url}@postgres:5432/app"}
    rendered = json.dumps([item["params"] for item in items.values() if definition(items, item["id"])["kind"] != "Secret"])
    assert "${secrets." not in rendered
    env_items = run.render(schema.validated(raw(), SECRETS))
    assert [f for f in audit.audit(env_items, False, SECRETS.values()) if f.rule == "AGNO-SEC-001"] == []


def test_network_policies_let_in_only_the_ingress_controller_and_the_users_of_a_service() -> None:
    items = objects()
    assert definition(items, "deny-ingress")["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    postgres = definition(items, "postgres-policy")["spec"]["ingress"]
    assert postgres == [{"from": [{"podSelector": {"matchLabels": {"agno.infra/uses-postgres": "true"}}}],
                         "ports": [{"protocol": "TCP", "port": 5432}]}]
    api_labels = audit_k8s.pod_spec(definition(items, "api")) and definition(items, "api")["spec"]["template"]["metadata"]["labels"]
    ui_labels = definition(items, "ui")["spec"]["template"]["metadata"]["labels"]
    assert api_labels["agno.infra/uses-postgres"] == "true" and "agno.infra/uses-postgres" not in ui_labels
    sources = definition(items, "ui-policy")["spec"]["ingress"][0]["from"]
    assert sources[0] == {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}


def test_ingress_autoscaler_budget_and_schedule() -> None:
    items = objects(kubernetes={"host": "shop.example", "tls_secret": "shop-tls", "ingress_class": "nginx"})
    ui = definition(items, "ui-ingress")
    assert ui["spec"]["tls"] == [{"secretName": "shop-tls", "hosts": ["shop.example"]}] and ui["spec"]["ingressClassName"] == "nginx"
    assert ui["spec"]["rules"][0]["host"] == "shop.example" and ui["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/ui"
    assert ui["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "3600"
    assert ui["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert "replicas" not in definition(items, "ui")["spec"] and definition(items, "api")["spec"]["replicas"] == 2
    assert definition(items, "ui-hpa")["spec"]["minReplicas"] == 1 and definition(items, "ui-hpa")["spec"]["maxReplicas"] == 4
    assert definition(items, "job-report")["spec"]["schedule"] == "*/15 * * * *"
    assert definition(items, "job-report")["spec"]["concurrencyPolicy"] == "Forbid"
    assert "worker-pdb" not in items
    env = schema.validated(raw(kubernetes={"host": "shop.example", "tls_secret": "shop-tls"}), SECRETS)
    assert run.endpoints(env, {}) == {"api": "https://shop.example", "ui": "https://shop.example/ui"}
    assert run.endpoints(schema.validated(raw(), SECRETS), {})["api"] == "http://api.shop-k8s.svc:8000"


def test_external_services_come_from_their_url_secrets() -> None:
    secrets = dict(SECRETS, database_url="postgresql://u:p@db.example/app", redis_url="rediss://cache.example:6379/0")
    env = schema.validated(raw(postgres={"external_url_secret": "database_url"}, redis={"external_url_secret": "redis_url"}), secrets)
    items = {item["id"]: item for item in KubernetesBlueprint(env).resources()}
    assert not {"postgres", "redis", "postgres-data", "redis-policy"} & set(items)
    assert definition(items, "api-secrets")["stringData"]["DATABASE_URL"] == "${secrets.database_url}"
    assert definition(items, "worker-secrets")["stringData"]["CELERY_BROKER_URL"] == "${secrets.redis_url}"
    assert "postgres" not in items["api"]["depends_on"]
    with pytest.raises(ResourceError) as raised:
        schema.validated(raw(postgres={"external_url_secret": "database_url"}), SECRETS)
    assert "agno_env.postgres.external_url_secret: secret 'database_url' is not in the secrets option" in raised.value.msg


def test_a_built_image_is_pushed_to_the_registry_and_deployed_by_digest(tmp_path: t.Any) -> None:
    apps = [{"name": "api", "kind": "fastapi", "source": str(tmp_path)}]
    items = objects(apps=apps, jobs=[], kubernetes={"registry": "registry.example/team"})
    assert items["image-api"]["params"]["repository"] == "registry.example/team/shop-k8s/api"
    container = definition(items, "api")["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.example/team/shop-k8s/api@${image-api.digest}"
    assert "image-api" in items["api"]["depends_on"]


@pytest.mark.parametrize("change, expected", [
    ({"apps": [dict(APPS[0], user="app")]}, "agno_env.apps[0].user: 'app' is not a user id above 0"),
    ({"apps": [dict(APPS[0], memory="1.5G")]}, "agno_env.apps[0].memory: '1.5G' is not a size"),
    ({"apps": [{"name": "api", "kind": "fastapi", "source": "/tmp"}]}, "agno_env.apps[0].source: an image built for kubernetes"),
    ({"jobs": [{"name": "odd", "app": "api", "command": ["x"], "schedule": "rate(7 minutes)"}]}, "agno_env.jobs[0].schedule"),
    ({"kubernetes": {"postgres": {"image": "Not An Image"}}}, "agno_env.kubernetes.postgres.image"),
    ({"kubernetes": {"image_pull_policy": "Sometimes"}}, "agno_env.kubernetes.image_pull_policy"),
    ({"apps": [dict(APPS[0], name="redis-data")]}, "agno_env.apps[0].name: 'redis-data' is taken"),
    ({"apps": [dict(APPS[0], autoscaling={"max_replicas": 1})]}, "agno_env.apps[0].autoscaling.max_replicas: 1 is below replicas (2), the fewest pods"),
])
def test_kubernetes_errors_name_the_key(change: t.Dict[str, t.Any], expected: str) -> None:
    with pytest.raises(ResourceError) as raised:
        schema.validated(raw(**dict({"jobs": []}, **change)), SECRETS)
    assert any(error.startswith(expected) for error in raised.value.details["errors"]), raised.value.details["errors"]


def test_quantities_are_written_as_the_api_server_writes_them() -> None:
    assert quantity({"cpus": 0.25, "memory": "512m"}) == ("250m", "512Mi")
    assert quantity({"cpus": 2, "memory": "2g"}) == ("2", "2Gi")
    assert quantity({"cpus": 1.5, "memory": "1024m"}) == ("1500m", "1Gi")


def test_a_restart_is_a_rollout_restart_and_a_rollback_converges_the_apps_deployments() -> None:
    env = schema.validated(raw(), SECRETS)
    items = run.render(env)
    params = {"state": "present", "limit": None, "recreate": ["api", "postgres"], "delete_data": False}
    chosen = selection.select(env, items, params)
    assert chosen.redeploy == chosen.converge == {"api", "postgres"}
    api = next(item for item in items if item.id == "api")
    assert run.restarted(api).params == dict(api.params, restart=True)
    assert [item.id for item in rollback.rolled_back(env, items, ["worker", "ui"])] == ["worker", "worker-beat", "ui"]
