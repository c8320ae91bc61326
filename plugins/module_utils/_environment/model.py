# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment (agno_env) with every default applied: the one place that knows the defaults.

The schema (schema.py) shows them in the reference (docs/environment.md) and checks what a JSON
Schema cannot say on this model; the blueprints read nothing but the model.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import typing as t
from urllib.parse import quote

from ansible_collections.agno.infra.plugins.module_utils._environment.files import APP_UID

SERVICES = ("postgres", "redis")
# The groups the blueprints put resources in: like an app's name, each selects its resources (agno_limit).
GROUPS = ("network", "data", "db", "image", "app")
POSTGRES_PORT = 5432
REDIS_PORT = 6379
ZONES = ("a", "b")

# Defaults by section of agno_env.
DOCKER: t.Dict[str, t.Any] = {"base_image": "agno-infra/debian:bookworm", "host_ip": "127.0.0.1",
                              "build_dir": "~/.cache/agno-infra/build", "extra_ca_certificates": [],
                              "reload": False}
POSTGRES: t.Dict[str, t.Any] = {"version": 17, "pgvector": False, "database": "app", "user": "app",
                                "password_secret": "postgres_password"}
REDIS: t.Dict[str, t.Any] = {"auth_token_secret": "redis_auth_token"}
AWS: t.Dict[str, t.Any] = {"vpc_cidr": "10.0.0.0/16", "nat_gateway": True, "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                           "log_retention_days": 30, "wait": True, "bucket": True, "ecr": True, "registry": "",
                           "registry_auth": {}}
AWS_POSTGRES: t.Dict[str, t.Any] = {"instance_class": "db.t4g.micro", "allocated_storage": 20, "engine_version": "17",
                                    "backup_retention_period": 7, "deletion_protection": True, "multi_az": False,
                                    "client_image": "public.ecr.aws/docker/library/postgres:17-alpine"}
AWS_REDIS: t.Dict[str, t.Any] = {"node_type": "cache.t4g.micro"}
KUBERNETES: t.Dict[str, t.Any] = {"ingress_class": "", "ingress_namespace": "ingress-nginx", "host": "", "tls_secret": "",
                                  "storage_class": "", "image_pull_policy": "IfNotPresent", "registry": "", "wait": True}
K8S_POSTGRES: t.Dict[str, t.Any] = {"image": "pgvector/pgvector:pg17", "uid": 999, "storage": "10Gi", "cpus": 0.5, "memory": "1g"}
K8S_REDIS: t.Dict[str, t.Any] = {"image": "redis:7.4", "uid": 999, "storage": "1Gi", "cpus": 0.25, "memory": "256m"}
APP: t.Dict[str, t.Any] = {"beat": False, "env": {}, "secret_env": {}, "depends_on": [], "replicas": 1, "user": str(APP_UID),
                           "exec": False}
# On aws every task has a Fargate size, on kubernetes every container its requests and limits; on docker a container
# without one is not limited.
FARGATE: t.Dict[str, t.Any] = {"cpus": 0.25, "memory": "512m"}
AUTOSCALING: t.Dict[str, t.Any] = {"target_cpu": 60}
MIGRATE: t.Dict[str, t.Any] = {"timeout": 600}
# Per kind of app: its HTTP port (None: it serves no HTTP, as a Celery worker), health path, and what it runs.
# Web kinds also have their load balancer idle timeout (streamed answers need minutes, Streamlit's websocket an hour)
# and whether a client sticks to one task (Streamlit keeps each session in the task's memory).
KINDS: t.Dict[str, t.Dict[str, t.Any]] = {
    "fastapi": {"port": 8000, "health_path": "/health", "module": "main:app", "idle_timeout": 300, "sticky": False},
    "streamlit": {"port": 8501, "health_path": "/_stcore/health", "script": "app.py", "idle_timeout": 3600, "sticky": True},
    "django": {"port": 8000, "health_path": "/health", "module": "config.wsgi", "idle_timeout": 300, "sticky": False},
    "celery": {"port": None, "health_path": None, "module": "worker"},
}


def kind_defaults(key: str) -> str:
    """What each kind of app has for a key, for the reference (fastapi: 8000, ...)."""
    return "the kind's: " + ", ".join("%s: %s" % (kind, spelled(values.get(key))) for kind, values in KINDS.items() if key in values)


def spelled(value: t.Any) -> str:
    """A default as YAML writes it."""
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


# Defaults worked out from other keys, in the words of the reference.
DERIVED: t.Dict[str, str] = {
    "apps[].port": kind_defaults("port"),
    "apps[].health_path": kind_defaults("health_path"),
    "apps[].module": kind_defaults("module"),
    "apps[].script": kind_defaults("script"),
    "apps[].idle_timeout": kind_defaults("idle_timeout"),
    "apps[].sticky": kind_defaults("sticky"),
    "postgres.enabled": "true when the section is given",
    "redis.enabled": "true when the section is given",
    "apps[].host_port": "the app's port",
    "apps[].uses": "every enabled service",
    "apps[].command": "the kind's server on the port: uvicorn (fastapi), streamlit run, gunicorn (django), celery worker",
    "apps[].cpus": "aws and kubernetes: %s; docker: not limited" % FARGATE["cpus"],
    "apps[].memory": "aws and kubernetes: %s; docker: not limited" % FARGATE["memory"],
    "aws.availability_zones": "zones %s of the region" % " and ".join(ZONES),
    "aws.bucket_name": "NAME-data",
    "kubernetes.namespace": "the environment's name",
}


@dataclasses.dataclass(frozen=True)
class Environment:
    """An environment as the blueprints read it: each section a dict with every key present."""

    name: str
    target: str
    #: The AWS region it is rendered for (aws only).
    region: t.Optional[str]
    docker: t.Dict[str, t.Any]
    aws: t.Dict[str, t.Any]
    #: The data services that are enabled, with their settings, in the order of SERVICES.
    services: t.Dict[str, t.Dict[str, t.Any]]
    apps: t.List[t.Dict[str, t.Any]]
    waivers: t.List[str]
    #: The one-off task up runs before the services roll (aws), with every key present; None without one.
    migrate: t.Optional[t.Dict[str, t.Any]] = None
    #: The scheduled jobs (agno_env.jobs), in their order.
    jobs: t.List[t.Dict[str, t.Any]] = dataclasses.field(default_factory=list)
    #: The kubernetes section, with postgres and redis sub-sections (every key present).
    kubernetes: t.Dict[str, t.Any] = dataclasses.field(default_factory=dict)

    def jobs_of(self, app: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        return [job for job in self.jobs if job["app"] == app["name"]]

    def enabled(self, service: str) -> bool:
        return service in self.services

    def web_apps(self) -> t.List[t.Dict[str, t.Any]]:
        """The apps that serve HTTP: they get a port, a health check, a target group and an endpoint."""
        return [app for app in self.apps if app["port"]]

    @property
    def https(self) -> bool:
        return bool(self.aws.get("certificate_arn"))


def filled(defaults: t.Dict[str, t.Any], given: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    return dict(copy.deepcopy(defaults), **(given or {}))


def service_enabled(raw: t.Dict[str, t.Any], service: str) -> bool:
    return bool((raw.get(service) or {}).get("enabled", service in raw))


def start_command(app: t.Dict[str, t.Any]) -> t.List[str]:
    port = str(app["port"])
    if app["kind"] == "fastapi":
        return ["uvicorn", app["module"], "--host", "0.0.0.0", "--port", port]
    if app["kind"] == "streamlit":
        return ["streamlit", "run", app["script"], "--server.port", port, "--server.address", "0.0.0.0",
                "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if app["kind"] == "django":
        return ["gunicorn", app["module"], "--bind", "0.0.0.0:" + port]
    return ["celery", "-A", app["module"], "worker", "--loglevel", "INFO", "--concurrency", "2"]


def beat_command(app: t.Dict[str, t.Any]) -> t.List[str]:
    return ["celery", "-A", app["module"], "beat", "--loglevel", "INFO", "--schedule", "/tmp/celerybeat-schedule"]


def task_role_name(env: Environment, exec_app: t.Optional[str] = None) -> str:
    """The IAM role of the apps' tasks, or of one app's tasks with ECS Exec."""
    return "%s-task-%s" % (env.name, exec_app) if exec_app else "%s-task" % env.name


def health_probe(app: t.Dict[str, t.Any]) -> t.Union[str, t.List[str]]:
    """The command that tells a healthy app: a Celery ping (shell), or an HTTP request that fails on 4xx/5xx and refusals."""
    if app["kind"] == "celery":
        return "celery -A %s inspect ping --timeout 5 -d celery@$HOSTNAME" % app["module"]
    probe = ("import http.client; c = http.client.HTTPConnection('127.0.0.1', %d, timeout=3); c.request('GET', %r); "
             "raise SystemExit(c.getresponse().status >= 400)" % (app["port"], app["health_path"]))
    return ["python", "-c", probe]


def app_model(app: t.Dict[str, t.Any], services: t.List[str], target: str) -> t.Dict[str, t.Any]:
    defaults = dict(APP, **KINDS[app["kind"]], uses=services, **(FARGATE if target in ("aws", "kubernetes") else {}))
    model = filled(defaults, app)
    model.setdefault("host_port", model["port"])
    model["command"] = model.get("command") or start_command(model)
    if "autoscaling" in app:
        model["autoscaling"] = filled(AUTOSCALING, app["autoscaling"])
    return model


def aws_model(raw: t.Dict[str, t.Any], region: t.Optional[str]) -> t.Dict[str, t.Any]:
    given = raw.get("aws") or {}
    aws = filled(AWS, given)
    aws["postgres"] = filled(AWS_POSTGRES, given.get("postgres"))
    aws["redis"] = filled(AWS_REDIS, given.get("redis"))
    aws.setdefault("bucket_name", raw["name"] + "-data")
    if not aws.get("availability_zones") and region:
        aws["availability_zones"] = [region + zone for zone in ZONES]
    return aws


def kubernetes_model(raw: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    given = raw.get("kubernetes") or {}
    kubernetes = filled(KUBERNETES, given)
    kubernetes["postgres"] = filled(K8S_POSTGRES, given.get("postgres"))
    kubernetes["redis"] = filled(K8S_REDIS, given.get("redis"))
    kubernetes.setdefault("namespace", raw["name"])
    return kubernetes


def environment(raw: t.Dict[str, t.Any], region: t.Optional[str] = None) -> Environment:
    """The model of a valid agno_env (see schema.validated); region is the AWS region an aws environment is rendered for."""
    region = region if raw["target"] == "aws" else None
    services = {service: filled(defaults, raw.get(service))
                for service, defaults in zip(SERVICES, (POSTGRES, REDIS)) if service_enabled(raw, service)}
    apps = [app_model(app, list(services), raw["target"]) for app in raw.get("apps") or []]
    return Environment(raw["name"], raw["target"], region, filled(DOCKER, raw.get("docker")), aws_model(raw, region),
                       services, apps, list(raw.get("waivers") or []), filled(MIGRATE, raw["migrate"]) if raw.get("migrate") else None,
                       [dict(job) for job in raw.get("jobs") or []], kubernetes_model(raw))


def built_apps(env: Environment) -> t.List[t.Dict[str, t.Any]]:
    """The apps whose image the run builds from their source (an app with an image runs that image)."""
    return [app for app in env.apps if app.get("source") and not app.get("image")]


def image_owners(env: Environment) -> t.Dict[str, str]:
    """Each built app's name and the name of the first built app with the same source: the image (and on aws the
    repository) they share is named after it."""
    first: t.Dict[str, str] = {}
    for app in built_apps(env):
        first.setdefault(os.path.normpath(os.path.expanduser(app["source"])), app["name"])
    return {app["name"]: first[os.path.normpath(os.path.expanduser(app["source"]))] for app in built_apps(env)}


def registry_repository(registry: str, env_name: str, owner: str) -> str:
    """Where a registry keeps the image built from app ``owner``'s source: ``<registry>/<environment>/<owner>``."""
    return "%s/%s/%s" % (registry.rstrip("/"), env_name, owner)


def pushed_image(app: t.Dict[str, t.Any], owners: t.Dict[str, str], repository: t.Callable[[str], str]) -> str:
    """The app's image as a workload names it: the ready image, or the one built from its source by the digest its push
    reports (``repository`` says where the owner's image is pushed)."""
    if app["name"] not in owners:
        return str(app["image"])
    owner = owners[app["name"]]
    return "%s@${image-%s.digest}" % (repository(owner), owner)


def absolute_paths(raw: t.Dict[str, t.Any], base_dir: t.Optional[str]) -> t.Dict[str, t.Any]:
    """The environment with its relative paths (app sources, CA certificates, build dir) taken from base_dir.

    The collection's playbooks run from the collection's own directory: without this, ./api in an
    inventory would point inside the installed collection.
    """
    if not base_dir:
        return raw

    def absolute(path: str) -> str:
        return path if os.path.isabs(os.path.expanduser(path)) else os.path.normpath(os.path.join(base_dir, path))

    resolved = copy.deepcopy(raw)
    # Not validated yet: anything of the wrong type is left for the schema to report.
    for app in resolved["apps"] if isinstance(resolved.get("apps"), list) else []:
        if isinstance(app, dict) and isinstance(app.get("source"), str):
            app["source"] = absolute(app["source"])
    docker = resolved.get("docker")
    if isinstance(docker, dict):
        if isinstance(docker.get("build_dir"), str):
            docker["build_dir"] = absolute(docker["build_dir"])
        if isinstance(docker.get("extra_ca_certificates"), list):
            docker["extra_ca_certificates"] = [absolute(path) if isinstance(path, str) else path
                                               for path in docker["extra_ca_certificates"]]
    return resolved


def path_prefix(pattern: t.Optional[str]) -> str:
    """/api/* routes to the app at /api: the part before the first wildcard, without a trailing slash."""
    return (pattern or "").split("*", 1)[0].rstrip("/")


def connection_env(env: Environment, services: t.List[str], redis_url: t.Optional[str], db_host: str,
                   app_url: t.Callable[[t.Dict[str, t.Any]], str]) -> t.Dict[str, str]:
    """The plain settings that connect an app to the services it uses and to the web apps, at the target's addresses
    (without redis_url, Redis's URL holds a token: redis_settings then go to the secrets)."""
    settings = {"AGNO_ENV": env.name}
    if "redis" in services and redis_url:
        settings.update(redis_settings(redis_url))
    if "postgres" in services:
        postgres = env.services["postgres"]
        settings.update(DB_HOST=db_host, DB_PORT=str(POSTGRES_PORT), DB_NAME=postgres["database"], DB_USER=postgres["user"])
    for app in env.web_apps():
        settings[url_variable(app)] = app_url(app)
    return settings


def redis_settings(url: str) -> t.Dict[str, str]:
    """The variables that give an app Redis: its own client's and Celery's broker and result backend."""
    return {"REDIS_URL": url, "CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url}


def url_secret(name: str) -> str:
    """The run's name for secret NAME percent-encoded, as a URL carries it ('-' is in no name of agno_secrets)."""
    return name + "-in-url"


def url_secrets(env: Environment, secrets: t.Dict[str, t.Any]) -> t.Dict[str, str]:
    """The secrets that URLs carry (the database password, Redis's AUTH token on aws), percent-encoded, under the names
    url_secret gives them."""
    names = [env.services["postgres"]["password_secret"]] if env.enabled("postgres") else []
    names += [env.services["redis"]["auth_token_secret"]] if redis_auth(env) else []
    return {url_secret(name): quote(secrets[name], safe="") for name in names if isinstance(secrets.get(name), str)}


def resolvable_secrets(env: Environment, secrets: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The secrets with the forms of their values that URLs carry: what ${secrets.*} resolves to."""
    return dict(secrets, **url_secrets(env, secrets))


def secret_texts(env: Environment, secrets: t.Dict[str, t.Any]) -> t.Set[str]:
    """Every text a secret may be shown as (its value, and percent-encoded in a URL): what an output must mask."""
    return {value for value in resolvable_secrets(env, secrets).values() if isinstance(value, str) and value}


def database_url(env: Environment, host: str) -> str:
    """DATABASE_URL at host; the user and password percent-encoded, as a password may hold : / # % ? & or @."""
    postgres = env.services["postgres"]
    return "postgresql://%s:${secrets.%s}@%s:%d/%s" % (quote(postgres["user"], safe=""), url_secret(postgres["password_secret"]),
                                                       host, POSTGRES_PORT, postgres["database"])


def external(env: Environment, service: str) -> t.Optional[str]:
    """The name of the secret that holds the URL of an external Postgres or Redis (kubernetes), or None: the environment
    runs its own."""
    return t.cast(t.Optional[str], env.services[service].get("external_url_secret")) if env.enabled(service) else None


def redis_auth(env: Environment) -> bool:
    """Whether Redis takes an AUTH token: on aws (ElastiCache, over TLS); the docker target's Redis is on the host only."""
    return env.enabled("redis") and env.target == "aws"


def redis_tls_url(env: Environment, host: str) -> str:
    """REDIS_URL of ElastiCache at host: over TLS, with the AUTH token as the password, percent-encoded."""
    return "rediss://:${secrets.%s}@%s:%d/0?ssl_cert_reqs=required" % (
        url_secret(env.services["redis"]["auth_token_secret"]), host, REDIS_PORT)


def owned_by(component: str, items: t.List[t.Dict[str, t.Any]]) -> t.List[t.Dict[str, t.Any]]:
    """Mark the resource items of a component (an app, postgres, redis): its name then selects all of them."""
    return [dict(item, app=component) for item in items]


def owned(item: t.Dict[str, t.Any], id_key: str, app_key: str, field: str = "tags") -> t.Dict[str, t.Any]:
    """The item with its id and component (app, postgres, redis) among its tags (or labels): what finds it as a leftover
    once the environment no longer has it (and what agno_limit then selects it by). Untagged items stay as they are."""
    params = item["params"]
    if field not in params:
        return item
    ownership = dict({id_key: item["id"]}, **({app_key: item["app"]} if item.get("app") else {}))
    return dict(item, params=dict(params, **{field: dict(params[field], **ownership)}))


def url_variable(app: t.Dict[str, t.Any]) -> str:
    """The setting that gives the other apps this app's URL, such as API_URL."""
    return "%s_URL" % app["name"].upper().replace("-", "_")


def target_group_name(env: Environment, app: t.Dict[str, t.Any]) -> str:
    """The name of a web app's target group on aws: AWS allows 32 characters."""
    return ("%s-%s" % (env.name, app["name"]))[:32]


def load_balancer_url(env: Environment, app: t.Dict[str, t.Any], host: str) -> str:
    """Where the load balancer at host serves a web app on aws."""
    return "%s://%s%s" % ("https" if env.https else "http", host, path_prefix(app.get("path")))


def ingress_url(env: Environment, app: t.Dict[str, t.Any]) -> str:
    """Where a web app answers on kubernetes: its path on the Ingresses' host, else its Service inside the cluster."""
    kube = env.kubernetes
    if kube["host"]:
        return "%s://%s%s" % ("https" if kube["tls_secret"] else "http", kube["host"], path_prefix(app.get("path")))
    return "http://%s.%s.svc:%d" % (app["name"], kube["namespace"], app["port"])


def production(env: Environment) -> bool:
    """Whether the audit holds the environment to production's rules: on aws, and on kubernetes when its name says so
    (a part prd or prod, as agent-app-prd)."""
    return env.target == "aws" or (env.target == "kubernetes" and bool(set(env.name.split("-")) & {"prd", "prod", "production"}))
