# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn an environment into the objects of one Kubernetes namespace, each an agno.infra.k8s_object item.

Per app: a ServiceAccount without a token, a Secret of its secret settings, a Deployment under the restricted Pod
Security profile, and for a web app a Service, an Ingress and a NetworkPolicy; a HorizontalPodAutoscaler with
autoscaling, a PodDisruptionBudget above one replica, a CronJob per job. Postgres and Redis run as StatefulSets on a
claim each (kept on the way down unless delete_data), or are external. Every object carries the labels that find it
again once the environment no longer has it (prune).
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import jobs, values
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.model import (
    POSTGRES_PORT, REDIS_PORT, Environment, beat_command, connection_env, database_url, external, health_probe, image_owners,
    owned_by, path_prefix, pushed_image, redis_settings, registry_repository)
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import APP_LABEL, ENV_LABEL, ID_LABEL, MANAGED_BY, NAME_LABEL

Obj = t.Dict[str, t.Any]
#: Pod labels that the NetworkPolicies of Postgres and Redis let in, and the one of every app's pod.
USES_LABEL = "agno.infra/uses-%s"
ROLE_LABEL = "agno.infra/role"
RESTRICTED = "pod-security.kubernetes.io/enforce"
# What the ingress controller (ingress-nginx reads these) needs for streamed answers and websockets: no buffering, and
# a connection that may stay silent for the app's idle_timeout.
STREAMING = "nginx.ingress.kubernetes.io/"


def quantity(app: t.Dict[str, t.Any]) -> t.Tuple[str, str]:
    """CPU and memory as the API server writes them back (250m, 1, 512Mi, 2Gi): an apply compares equal on a rerun."""
    millicores = int(round(float(app["cpus"]) * 1000))
    cpu = str(millicores // 1000) if millicores % 1000 == 0 else "%dm" % millicores
    size = values.MEMORY.match(str(app["memory"]))
    mebibytes = int(size.group(1)) * (1024 if size.group(2).lower() == "g" else 1) if size else 0
    memory = "%dGi" % (mebibytes // 1024) if mebibytes and mebibytes % 1024 == 0 else "%dMi" % mebibytes
    return cpu, memory


def plain(value: t.Any) -> str:
    """A setting as a container's env takes it: a boolean as true / false (as the docker target writes it)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def restricted_context() -> Obj:
    """A container's part of the restricted Pod Security profile."""
    return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def pod_context(uid: int) -> Obj:
    return {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid, "fsGroup": uid, "seccompProfile": {"type": "RuntimeDefault"}}


class KubernetesBlueprint:
    """Objects of an environment in its namespace, as k8s_object items."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.name = env.name
        self.kube = env.kubernetes
        self.namespace = self.kube["namespace"]
        self.owners = image_owners(env)
        # What each app reads from its Secret: its pods, its Secret and what they wait for all need it.
        self.secret_env = {app["name"]: self.secret_settings(app) for app in env.apps}

    def resources(self) -> t.List[t.Dict[str, t.Any]]:
        # The namespace is in the data group: deleting it deletes the claims in it, so down keeps it unless delete_data.
        items = [self.item("namespace", "data", {"apiVersion": "v1", "kind": "Namespace", "metadata": {
            "name": self.namespace, "labels": {RESTRICTED: "restricted", RESTRICTED + "-version": "latest"}}}, namespaced=False,
            wait=True),
            self.item("deny-ingress", "network", self.policy("deny-ingress", {}, []))]
        for service in ("postgres", "redis"):
            if self.env.enabled(service) and not external(self.env, service):
                items += owned_by(service, self.service(service))
        for app in self.env.apps:
            items += owned_by(app["name"], self.app(app))
        return [self.labelled(item) for item in items]

    # ---- items ----------------------------------------------------------------------------------------
    def item(self, item_id: str, group: str, definition: Obj, depends_on: t.Sequence[str] = (), namespaced: bool = True,
             wait: bool = False) -> t.Dict[str, t.Any]:
        metadata = dict(definition["metadata"], **({"namespace": self.namespace} if namespaced else {}))
        params: Obj = {"definition": dict(definition, metadata=metadata)}
        if wait:
            params["wait"] = self.kube["wait"]
        return {"id": item_id, "type": "k8s_object", "group": group, "params": params,
                "depends_on": list(depends_on) + ([] if item_id == "namespace" else ["namespace"])}

    def labelled(self, item: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The item with the labels that say whose it is (the environment's, its id, its app): prune finds it by them."""
        if item["type"] != "k8s_object":
            return item
        definition = item["params"]["definition"]
        labels = dict(definition["metadata"].get("labels") or {}, **self.labels(item.get("app")), **{ID_LABEL: item["id"]})
        metadata = dict(definition["metadata"], labels=labels)
        return dict(item, params=dict(item["params"], definition=dict(definition, metadata=metadata)))

    def labels(self, component: t.Optional[str] = None) -> t.Dict[str, str]:
        labels = {MANAGED_BY: "agno-infra", ENV_LABEL: self.name}
        return dict(labels, **{APP_LABEL: component}) if component else labels

    def selector(self, component: str) -> t.Dict[str, str]:
        """What a workload's pods carry and its Service, PDB and policies select: never changed (a selector is immutable)."""
        return {NAME_LABEL: component, "app.kubernetes.io/instance": self.name}

    def secret(self, item_id: str, values_by_key: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """A Secret of settings (${secrets.*} references); k8s_object sends them as data."""
        return self.item(item_id, "app", {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                                          "metadata": {"name": item_id}, "stringData": values_by_key})

    def policy(self, name: str, selected: t.Dict[str, str], sources: t.List[Obj], port: t.Optional[int] = None) -> Obj:
        """A NetworkPolicy that lets `sources` reach the selected pods on port (no sources: nothing reaches them)."""
        spec: Obj = {"podSelector": {"matchLabels": selected} if selected else {}, "policyTypes": ["Ingress"]}
        if sources:  # an empty list is not stored: written out, it would not compare equal on a rerun
            spec["ingress"] = [{"from": sources, "ports": [{"protocol": "TCP", "port": port}]}]
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name}, "spec": spec}

    def service_object(self, component: str, port: int) -> Obj:
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": component}, "spec": {
            "selector": self.selector(component),
            "ports": [{"name": "tcp", "port": port, "targetPort": port, "protocol": "TCP"}]}}

    # ---- Postgres and Redis -----------------------------------------------------------------------------
    def service(self, service: str) -> t.List[t.Dict[str, t.Any]]:
        settings, port = self.kube[service], POSTGRES_PORT if service == "postgres" else REDIS_PORT
        claim = self.item(service + "-data", "data", {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {
            "name": service + "-data"}, "spec": dict({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {
                "storage": settings["storage"]}}}, **({"storageClassName": self.kube["storage_class"]} if self.kube["storage_class"] else {}))})
        container, extra = self.data_container(service, port)
        pod = {"securityContext": pod_context(settings["uid"]), "automountServiceAccountToken": False,
               "containers": [container], "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": service + "-data"}},
                                                      {"name": "run", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}]}
        workload = self.item(service, "db", {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": service}, "spec": {
            "serviceName": service, "replicas": 1, "selector": {"matchLabels": self.selector(service)},
            "template": {"metadata": {"labels": dict(self.selector(service), **self.labels(service))}, "spec": pod}}},
            [service + "-data"] + [entry["id"] for entry in extra], wait=True)
        if extra:
            # The collection's Postgres image gives its roles POSTGRES_PASSWORD at every start: a new one by a restart.
            workload["refresh_on"] = [entry["id"] for entry in extra]
        users = {"podSelector": {"matchLabels": {USES_LABEL % service: "true"}}}
        return [claim] + extra + [workload, self.item(service + "-service", "db", self.service_object(service, port)),
                                  self.item(service + "-policy", "db", self.policy(service + "-policy", self.selector(service), [users], port))]

    def data_container(self, service: str, port: int) -> t.Tuple[Obj, t.List[t.Dict[str, t.Any]]]:
        """The container of Postgres or Redis, and the items it needs first (Postgres's password Secret)."""
        cpu, memory = quantity(self.kube[service])
        container: Obj = {"name": service, "image": self.kube[service]["image"], "imagePullPolicy": self.kube["image_pull_policy"],
                          "ports": [{"name": "tcp", "containerPort": port, "protocol": "TCP"}],
                          "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"cpu": cpu, "memory": memory}},
                          "securityContext": restricted_context()}
        if service == "redis":
            container.update(args=["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data", "--appendonly", "yes"],
                             readinessProbe={"exec": {"command": ["redis-cli", "ping"]}, "periodSeconds": 2},
                             volumeMounts=[{"name": "data", "mountPath": "/data"}, {"name": "run", "mountPath": "/run/redis"},
                                           {"name": "tmp", "mountPath": "/tmp"}])
            return container, []
        postgres = self.env.services["postgres"]
        password = self.secret("postgres-secrets", {"POSTGRES_PASSWORD": "${secrets.%s}" % postgres["password_secret"]})
        container.update(
            env=[{"name": "POSTGRES_USER", "value": postgres["user"]}, {"name": "POSTGRES_DB", "value": postgres["database"]},
                 {"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"},
                 {"name": "PGVECTOR", "value": "1" if postgres["pgvector"] else "0"},
                 {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "postgres-secrets", "key": "POSTGRES_PASSWORD"}}}],
            readinessProbe={"exec": {"command": ["pg_isready", "-q", "-h", "127.0.0.1", "-U", postgres["user"]]}, "periodSeconds": 2},
            volumeMounts=[{"name": "data", "mountPath": "/var/lib/postgresql/data"}, {"name": "run", "mountPath": "/var/run/postgresql"},
                          {"name": "tmp", "mountPath": "/tmp"}])
        return container, [dict(password, group="db")]

    # ---- one app ----------------------------------------------------------------------------------------
    def app(self, app: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        name = app["name"]
        account = self.item(name + "-account", "app", {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name},
                                                       "automountServiceAccountToken": False})
        # An app without secret settings has no Secret (an empty one is not stored as written).
        items = [account] + ([self.secret(name + "-secrets", self.secret_env[name])] if self.secret_env[name] else [])
        if name in self.owners and self.owners[name] == name:
            items.append(DockerBlueprint(self.env).pushed(name, self.repository(name)))
        items.append(self.deployment(app, name, list(app["command"]), app["replicas"], not app.get("autoscaling")))
        if app["kind"] == "celery" and app["beat"]:
            items.append(self.deployment(app, name + "-beat", beat_command(app), 1, True))
        if app["port"]:
            items += [self.item(name + "-service", "app", self.service_object(name, app["port"])), self.ingress(app),
                      self.item(name + "-policy", "app", self.policy(name + "-policy", self.selector(name), [
                          {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": self.kube["ingress_namespace"]}}},
                          {"podSelector": {"matchLabels": {ROLE_LABEL: "app"}}}], app["port"]))]
        if app.get("autoscaling"):
            items.append(self.autoscaler(app))
        if app["replicas"] > 1 or (app.get("autoscaling") or {}).get("max_replicas", 0) > 1:
            items.append(self.item(name + "-pdb", "app", {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {
                "name": name}, "spec": {"maxUnavailable": 1, "selector": {"matchLabels": self.selector(name)}}}))
        items += [self.cron_job(app, job) for job in self.env.jobs_of(app)]
        return items

    def repository(self, owner: str) -> str:
        return registry_repository(self.kube["registry"], self.name, owner)

    def plain_settings(self, app: t.Dict[str, t.Any]) -> t.Dict[str, str]:
        services = [service for service in app["uses"] if not external(self.env, service)]
        redis = "redis://redis:%d/0" % REDIS_PORT if "redis" in services else None
        settings = connection_env(self.env, services, redis, "postgres", lambda web: "http://%s:%d" % (web["name"], web["port"]))
        return dict(settings, **{key: plain(value) for key, value in app["env"].items()})

    def secret_settings(self, app: t.Dict[str, t.Any]) -> t.Dict[str, str]:
        settings = {key: "${secrets.%s}" % name for key, name in app["secret_env"].items()}
        if "postgres" in app["uses"]:
            url = external(self.env, "postgres")
            password = "${secrets.%s}" % self.env.services["postgres"]["password_secret"]
            own = {"DB_PASSWORD": password, "DATABASE_URL": database_url(self.env, "postgres")}
            settings.update({"DATABASE_URL": "${secrets.%s}" % url} if url else own)
        if "redis" in app["uses"] and external(self.env, "redis"):
            settings.update(redis_settings("${secrets.%s}" % external(self.env, "redis")))
        return settings

    def pod(self, app: t.Dict[str, t.Any], command: t.List[str], served: bool) -> Obj:
        """The pod of an app's process: its image, settings (secrets by reference), size and, when served, port and probes."""
        cpu, memory = quantity(app)
        secrets = self.secret_env[app["name"]]
        env = [{"name": key, "value": value} for key, value in sorted(self.plain_settings(app).items()) if key not in secrets]
        env += [{"name": key, "valueFrom": {"secretKeyRef": {"name": app["name"] + "-secrets", "key": key}}} for key in sorted(secrets)]
        container: Obj = {"name": "app", "image": pushed_image(app, self.owners, self.repository), "imagePullPolicy": self.kube["image_pull_policy"],
                          "command": command, "env": env, "securityContext": restricted_context(),
                          "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"cpu": cpu, "memory": memory}},
                          "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}
        if served and app["port"]:
            probe = {"httpGet": {"path": app["health_path"], "port": "http"}, "timeoutSeconds": 3}
            container.update(ports=[{"name": "http", "containerPort": app["port"], "protocol": "TCP"}],
                             readinessProbe=dict(probe, periodSeconds=3), livenessProbe=dict(probe, periodSeconds=10, failureThreshold=6))
        elif served and app["kind"] == "celery":
            container["livenessProbe"] = {"exec": {"command": ["sh", "-c", str(health_probe(app))]}, "periodSeconds": 30,
                                          "timeoutSeconds": 15, "initialDelaySeconds": 10}
        return {"serviceAccountName": app["name"], "automountServiceAccountToken": False,
                "securityContext": pod_context(int(app["user"])), "containers": [container],
                "volumes": [{"name": "tmp", "emptyDir": {}}]}

    def basics(self, app: t.Dict[str, t.Any]) -> t.List[str]:
        """What every pod of the app needs first: its ServiceAccount, and its Secret when it has secret settings."""
        return [app["name"] + "-account"] + ([app["name"] + "-secrets"] if self.secret_env[app["name"]] else [])

    def pod_labels(self, app: t.Dict[str, t.Any], component: str) -> t.Dict[str, str]:
        uses = {USES_LABEL % service: "true" for service in app["uses"] if not external(self.env, service)}
        return dict(self.selector(component), **self.labels(app["name"]), **uses, **{ROLE_LABEL: "app"})

    def deployment(self, app: t.Dict[str, t.Any], component: str, command: t.List[str], replicas: int,
                   fixed: bool) -> t.Dict[str, t.Any]:
        """The app's Deployment (or its beat's): rolled one new pod at a time, none taken away before its successor is ready;
        without `fixed` its replicas are the autoscaler's."""
        spec: Obj = {"selector": {"matchLabels": self.selector(component)}, "revisionHistoryLimit": 5,
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                     "template": {"metadata": {"labels": self.pod_labels(app, component)},
                                  "spec": self.pod(app, command, component == app["name"])}}
        if fixed:
            spec["replicas"] = replicas
        depends = self.basics(app) + list(app["uses"]) + list(app["depends_on"])
        if app["name"] in self.owners:
            depends.append("image-" + self.owners[app["name"]])
        depends = [entry for entry in depends if entry not in ("postgres", "redis") or not external(self.env, entry)]
        item = self.item(component, "app", {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": component},
                                            "spec": spec}, depends, wait=True)
        # Pods read their Secret when they start: a new value reaches them by a rollout restart.
        return dict(item, refresh_on=[app["name"] + "-secrets"]) if self.secret_env[app["name"]] else item

    def ingress(self, app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Where the ingress controller serves the web app: its path prefix (/ without one), TLS with tls_secret."""
        annotations = {STREAMING + "proxy-read-timeout": str(app["idle_timeout"]), STREAMING + "proxy-send-timeout": str(app["idle_timeout"]),
                       STREAMING + "proxy-buffering": "off"}
        if app["sticky"]:
            annotations[STREAMING + "affinity"] = "cookie"
        path = {"path": path_prefix(app.get("path")) or "/", "pathType": "Prefix",
                "backend": {"service": {"name": app["name"], "port": {"number": app["port"]}}}}
        rule: Obj = {"http": {"paths": [path]}}
        spec: Obj = {"rules": [dict(rule, host=self.kube["host"]) if self.kube["host"] else rule]}
        if self.kube["ingress_class"]:
            spec["ingressClassName"] = self.kube["ingress_class"]
        if self.kube["tls_secret"]:
            spec["tls"] = [dict({"secretName": self.kube["tls_secret"]}, **({"hosts": [self.kube["host"]]} if self.kube["host"] else {}))]
        return self.item(app["name"] + "-ingress", "app", {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {
            "name": app["name"], "annotations": annotations}, "spec": spec}, [app["name"] + "-service"])

    def autoscaler(self, app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        scaling = app["autoscaling"]
        metrics = [{"type": "Resource", "resource": {"name": resource, "target": {"type": "Utilization", "averageUtilization": int(target)}}}
                   for resource, target in (("cpu", scaling["target_cpu"]), ("memory", scaling.get("target_memory"))) if target]
        return self.item(app["name"] + "-hpa", "app", {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {
            "name": app["name"]}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app["name"]},
                                           "minReplicas": max(app["replicas"], 1), "maxReplicas": scaling["max_replicas"],
                                           "metrics": metrics}}, [app["name"]])

    def cron_job(self, app: t.Dict[str, t.Any], job: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """A CronJob in the app's image with its settings: never two runs at once, as on the other targets."""
        pod = dict(self.pod(app, list(job["command"]), False), restartPolicy="Never")
        template = {"metadata": {"labels": self.pod_labels(app, "job-" + job["name"])}, "spec": pod}
        return self.item("job-" + job["name"], "app", {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "job-" + job["name"]},
                                                       "spec": {"schedule": jobs.cron_schedule(job["schedule"]), "concurrencyPolicy": "Forbid",
                                                                "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3,
                                                                "jobTemplate": {"spec": {"backoffLimit": 0, "template": template}}}},
                         self.basics(app))
