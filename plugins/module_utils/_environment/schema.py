# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON Schema of an environment (the one inventory variable that describes an agent app), and its check.

Every key has a description and an example, and its default from the model (model.py): the reference
docs/environment.md is generated from this schema (scripts/environment-doc.py). Errors come back as
"PATH: problem" lines, so a user sees which key of the inventory is wrong.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import jobs, model, values
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.target_checks import IAM_NAME_LENGTH, TARGET_ERRORS
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import AUTH_TOKEN
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

# jsonschema (and what it imports) is loaded where an environment is validated, not with this module.
JSONSCHEMA_IMPORT_ERROR = None if importlib.util.find_spec("jsonschema") else "ModuleNotFoundError: No module named 'jsonschema'"

NAME = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,30}[a-z0-9]$"}
SECRET_REF = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}
# An environment variable's name, as a shell takes it: ECS and Docker refuse or mangle others (a space, a leading digit).
VARIABLE = {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}
PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
STRING_MAP = {"type": "object", "propertyNames": VARIABLE, "additionalProperties": {"type": ["string", "number", "boolean"]}}
BOOLEAN = {"type": "boolean"}
STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}


def key(schema: t.Dict[str, t.Any], description: str, example: t.Any) -> t.Dict[str, t.Any]:
    return dict(schema, description=description, examples=[example])


def section(path: str, description: str, properties: t.Dict[str, t.Dict[str, t.Any]],
            defaults: t.Optional[t.Dict[str, t.Any]] = None, **extra: t.Any) -> t.Dict[str, t.Any]:
    """An object of agno_env whose keys take their defaults from the model (the values, or in words when derived)."""
    for name, schema in properties.items():
        if name in (defaults or {}):
            schema["default"] = (defaults or {})[name]
        elif "%s.%s" % (path, name) in model.DERIVED:
            schema["x-default"] = model.DERIVED["%s.%s" % (path, name)]
    return dict({"type": "object", "additionalProperties": False, "description": description, "properties": properties}, **extra)


DOCKER = section("docker", "Settings of the docker target.", {
    "base_image": key(STRING, "Image the app, Postgres and Redis images are built from.", "agno-infra/debian:bookworm"),
    "host_ip": key({"type": "string", "format": "ipv4"}, "Address the published ports listen on; 0.0.0.0 is refused.", "127.0.0.1"),
    "build_dir": key(STRING, "Where the build contexts are staged (a cache), a directory per environment.", "~/.cache/agno-infra/build"),
    "extra_ca_certificates": key(STRINGS, "CA certificate files, or directories of *.crt files, trusted inside the app images "
                                          "(behind a TLS-intercepting proxy).", ["/usr/local/share/ca-certificates"]),
    "reload": key(BOOLEAN, "For development: each app built with the generated Dockerfile runs its source mounted read-only at /app "
                           "and serves a saved file at once (uvicorn and gunicorn --reload, Streamlit's runOnSave, a Celery worker "
                           "restarted by watchfiles), with no rebuild; its image holds only its requirements, which still rebuild it. "
                           "The source must be readable by the app's user.", True),
}, model.DOCKER)

POSTGRES = section("postgres", "A PostgreSQL database for the apps (RDS on aws).", {
    "enabled": key(BOOLEAN, "Run it.", True),
    "version": key({"enum": [17]}, "PostgreSQL major version.", 17),
    "pgvector": key(BOOLEAN, "Install the pgvector extension in the app database. docker: in the Postgres image; aws: up runs "
                             "CREATE EXTENSION IF NOT EXISTS vector once, as the database's owner, in a one-off task of "
                             "aws.postgres.client_image (again only when the database or that image changes).", True),
    "database": key({"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$"}, "Name of the app database.", "app"),
    "user": key({"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$"}, "Name of the apps' database user.", "app"),
    "password_secret": key(SECRET_REF, "Name of the entry of the secrets (agno_secrets) that holds the password.", "postgres_password"),
    "host_port": key(PORT, "docker: also publish Postgres on this port of host_ip.", 15432),
    "external_url_secret": key(SECRET_REF, "kubernetes: use this database instead of running one (Cloud SQL, Azure Database, RDS...): "
                                           "the name of the entry of the secrets (agno_secrets) that holds its URL, which the "
                                           "apps get as DATABASE_URL.", "database_url"),
}, model.POSTGRES)

REDIS = section("redis", "A Redis for the apps and Celery's broker (ElastiCache on aws).", {
    "enabled": key(BOOLEAN, "Run it.", True),
    "auth_token_secret": key(SECRET_REF, "aws: name of the entry of the secrets (agno_secrets) that holds Redis's AUTH token "
                                         "(16 to 128 printable characters without spaces, /, \" or @); the apps get it in REDIS_URL.",
                             "redis_auth_token"),
    "host_port": key(PORT, "docker: also publish Redis on this port of host_ip.", 16379),
    "external_url_secret": key(SECRET_REF, "kubernetes: use this Redis instead of running one (Memorystore, Azure Cache...): the "
                                           "name of the entry of the secrets (agno_secrets) that holds its URL, which the apps "
                                           "get as REDIS_URL and Celery's broker and backend.", "redis_url"),
}, model.REDIS)

REGISTRY_AUTH = "The login to registry (ECR needs none: up logs in with the run's AWS credentials); none: anonymous."
AWS = section("aws", "Settings of the aws target.", {
    "vpc_cidr": key(STRING, "VPC block, /16 to /24; subnets take 1/16 of it each.", "10.20.0.0/16"),
    "availability_zones": key(dict(STRINGS, minItems=2, maxItems=2, uniqueItems=True),
                              "The two zones of the subnets, in the environment's region.", ["us-east-1a", "us-east-1b"]),
    "nat_gateway": key(BOOLEAN, "One NAT gateway for the private subnets (billed by the hour).", True),
    "certificate_arn": key({"type": "string", "pattern": "^arn:aws[a-z-]*:acm:"},
                           "ACM certificate of the load balancer: HTTPS, with HTTP redirected to it.",
                           "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c"),
    "ssl_policy": key(STRING, "TLS policy of the HTTPS listener.", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
    "log_retention_days": key({"enum": [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                                        2557, 2922, 3288, 3653]}, "Days the apps' logs are kept.", 30),
    "wait": key(BOOLEAN, "Wait for databases, the load balancer and services to be ready.", True),
    "bucket": key(BOOLEAN, "An S3 bucket for the apps (versioned, public access blocked).", True),
    "bucket_name": key({"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"}, "Name of the bucket.", "agent-app-prd-data"),
    "ecr": key(BOOLEAN, "ECR repositories: one per image built from the apps' sources (apps sharing a source share it), where "
                        "up pushes it, and one per app given an image, for a pipeline to push to.", True),
    "registry": key(STRING, "Another registry than ECR for the images built from the apps' sources: its host (with a dot or "
                            "a port) and an optional path, such as 127.0.0.1:5000; each image is pushed to "
                            "REGISTRY/NAME/APP. ECS pulls from it with no credentials. Empty: the ECR repositories.",
                    "127.0.0.1:5000"),
    "registry_auth": section("aws.registry_auth", REGISTRY_AUTH, {
        "username": key(STRING, "User name.", "agno"),
        "password_secret": key(SECRET_REF, "Name of the entry of the secrets (agno_secrets) that holds the password.",
                               "registry_password")}),
    "postgres": section("aws.postgres", "The RDS instance of the database.", {
        "instance_class": key({"type": "string", "pattern": "^db\\."}, "RDS instance class: db.FAMILY.SIZE of a family AWS offers.",
                              "db.t4g.small"),
        "allocated_storage": key({"type": "integer", "minimum": 20, "maximum": 65536}, "Storage in GiB.", 20),
        "engine_version": key(STRING, "PostgreSQL engine version.", "17"),
        "backup_retention_period": key({"type": "integer", "minimum": 0, "maximum": 35}, "Days of automated backups.", 7),
        "deletion_protection": key(BOOLEAN, "Refuse deletion (agno.infra.down lifts it and keeps a final snapshot).", True),
        "multi_az": key(BOOLEAN, "A standby in a second zone.", False),
        "client_image": key({"type": "string", "minLength": 1}, "An image with psql that ECS can pull, for the pgvector setup.",
                            "public.ecr.aws/docker/library/postgres:17-alpine"),
    }, model.AWS_POSTGRES),
    "redis": section("aws.redis", "The ElastiCache replication group of Redis.", {
        "node_type": key({"type": "string", "pattern": "^cache\\."}, "ElastiCache node type: cache.FAMILY.SIZE of a family AWS offers.",
                         "cache.t4g.micro"),
    }, model.AWS_REDIS),
}, model.AWS)

QUANTITY = {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)$"}
K8S_SERVICE = ("kubernetes: the StatefulSet of %s (when it is not external), with a PersistentVolumeClaim on storage_class; "
               "its container runs as uid, never root.")
KUBERNETES = section("kubernetes", "Settings of the kubernetes target (any cluster: EKS, GKE, AKS, on-prem).", {
    "kubeconfig": key(STRING, "The kubeconfig file; else the kubeconfig option, K8S_AUTH_KUBECONFIG, KUBECONFIG, ~/.kube/config "
                              "or the in-cluster service account.", "~/.kube/config"),
    "context": key(STRING, "The kubeconfig context; else its current one.", "prod-cluster"),
    "namespace": key(NAME, "The namespace of every object, made by up (with the restricted Pod Security profile enforced).",
                     "agent-app-k8s"),
    "ingress_class": key(STRING, "ingressClassName of the Ingresses; empty: the cluster's default class.", "nginx"),
    "ingress_namespace": key(NAME, "Namespace of the ingress controller: the NetworkPolicies let its pods reach the web apps.",
                             "ingress-nginx"),
    "host": key(STRING, "Host name the Ingresses answer for; empty: any.", "agents.example.com"),
    "tls_secret": key(STRING, "A kubernetes.io/tls Secret of the namespace (cert-manager's, say): the Ingresses serve HTTPS with it.",
                      "agents-example-com-tls"),
    "storage_class": key(STRING, "StorageClass of the Postgres and Redis volume claims; empty: the cluster's default.", "gp3"),
    "image_pull_policy": key({"enum": ["IfNotPresent", "Never", "Always"]}, "imagePullPolicy of every container.", "IfNotPresent"),
    "registry": key(STRING, "Where up pushes the images it builds from the apps' sources (REGISTRY/NAME/APP, deployed by digest): "
                            "a registry the cluster pulls from with no credentials, such as registry.example/team.",
                    "registry.example/team"),
    "wait": key(BOOLEAN, "Wait for every workload to be ready (rolled out), quoting events and logs when one is not.", True),
    "postgres": section("kubernetes.postgres", K8S_SERVICE % "Postgres", {
        "image": key({"type": "string", "minLength": 1}, "A PostgreSQL image with pgvector that takes POSTGRES_USER, POSTGRES_DB, "
                                                         "POSTGRES_PASSWORD and PGDATA.", "pgvector/pgvector:pg17"),
        "uid": key({"type": "integer", "minimum": 1, "maximum": 2147483647}, "The user id Postgres runs as (the image's postgres user).", 999),
        "storage": key(QUANTITY, "Size of its volume claim.", "20Gi"),
        "cpus": key({"type": "number", "exclusiveMinimum": 0}, "Its container's CPU request and limit.", 1),
        "memory": key({"type": "string", "pattern": "^[0-9]+[mgMG]$"}, "Its container's memory request and limit.", "2g"),
    }, model.K8S_POSTGRES),
    "redis": section("kubernetes.redis", K8S_SERVICE % "Redis", {
        "image": key({"type": "string", "minLength": 1}, "A Redis image whose redis-server takes the arguments it is given.", "redis:7.4"),
        "uid": key({"type": "integer", "minimum": 1, "maximum": 2147483647}, "The user id Redis runs as (the image's redis user).", 999),
        "storage": key(QUANTITY, "Size of its volume claim.", "2Gi"),
        "cpus": key({"type": "number", "exclusiveMinimum": 0}, "Its container's CPU request and limit.", 0.5),
        "memory": key({"type": "string", "pattern": "^[0-9]+[mgMG]$"}, "Its container's memory request and limit.", "512m"),
    }, model.K8S_REDIS),
}, model.KUBERNETES)

SCALING = ("aws: target-tracking scaling of the app's service between replicas and max_replicas; kubernetes: a "
           "HorizontalPodAutoscaler (v2), which then owns the Deployment's replicas.")
APP = section("apps[]", "One app.", {
    "name": key(NAME, "Name of the app; selects all its resources (agno_limit, the app roles), so it is no group (%s) nor "
                      "another part's name." % ", ".join(model.GROUPS), "api"),
    "kind": key({"enum": list(model.KINDS)}, "What the app is; sets its defaults and how it starts.", "fastapi"),
    "source": key({"type": "string", "minLength": 1}, "Directory of the app's code, the build context (when given, it must exist on "
                                                      "the host the play runs on). aws: up builds it on the Docker host that "
                                                      "runs the play, pushes it (aws.registry, or ECR) and deploys it by digest; "
                                                      "apps with the same source share one image.", "./api"),
    "image": key({"type": "string", "minLength": 1},
                 "A ready image, which skips the build (aws: an image URI that ECS can pull): "
                 "[registry[:port]/]path[:tag][@digest].", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api:1"),
    "dockerfile": key(STRING, "Not used: the build takes the Dockerfile at the top of source, or generates one.", "Dockerfile"),
    "module": key(STRING, "fastapi: ASGI app (pkg.module:app); celery: Celery app; django: WSGI module.", "main:app"),
    "script": key(STRING, "streamlit: the script to run.", "app.py"),
    "command": key(STRINGS, "The command of the app's container instead of the kind's.", ["uvicorn", "main:app", "--port", "8000"]),
    "port": key(PORT, "Port the app serves HTTP on.", 8000),
    "host_port": key(PORT, "docker: port of host_ip the app is published on.", 18000),
    "health_path": key({"type": "string", "pattern": "^/"}, "Path that answers below 400 when the app is healthy.", "/health"),
    "beat": key(BOOLEAN, "celery: also run a beat scheduler.", False),
    "env": key(STRING_MAP, "Plain settings of the app (never secrets: the audit blocks them); a boolean arrives as true or false.",
               {"LOG_LEVEL": "info"}),
    "secret_env": key({"type": "object", "propertyNames": VARIABLE, "additionalProperties": SECRET_REF},
                      "Variable name to the name of an entry of the secrets.", {"OPENAI_API_KEY": "openai_api_key"}),
    "uses": key({"type": "array", "items": {"enum": list(model.SERVICES)}, "uniqueItems": True},
                "Data services the app connects to (their settings come as DATABASE_URL, DB_*, REDIS_URL, CELERY_*).", ["redis"]),
    "depends_on": key({"type": "array", "items": NAME}, "Apps started before this one.", ["api"]),
    "memory": key(STRING, "Memory limit (aws: the task's, 512m to 120g as Fargate allows; kubernetes: the container's request "
                          "and limit).", "1g"),
    "cpus": key({"type": "number", "exclusiveMinimum": 0}, "CPU limit (aws: one of Fargate's 0.25, 0.5, 1, 2, 4, 8, 16; kubernetes: "
                                                           "the container's request and limit).", 0.5),
    "replicas": key({"type": "integer", "minimum": 0, "maximum": 100}, "aws: tasks of the app's service; kubernetes: pods of its "
                                                                       "Deployment (a PodDisruptionBudget keeps one when above 1).", 2),
    "user": key(STRING, "User the app runs as (never root: the audit blocks it).", "10001"),
    "autoscaling": section("apps[].autoscaling", SCALING, {
        "max_replicas": key({"type": "integer", "minimum": 1, "maximum": 100}, "Most tasks.", 6),
        "target_cpu": key({"type": "number", "exclusiveMinimum": 0, "maximum": 100}, "Average CPU (%) to keep.", 60),
        "target_memory": key({"type": "number", "exclusiveMinimum": 0, "maximum": 100}, "Average memory (%) to keep.", 70),
    }, model.AUTOSCALING, required=["max_replicas"]),
    "idle_timeout": key({"type": "integer", "minimum": 1, "maximum": 4000},
                        "aws: seconds a connection to the app may stay silent at the load balancer (streamed answers, websockets); "
                        "the load balancer keeps the longest of its apps', and the app's target group lets running requests "
                        "finish for as long (at most 3600) before a deploy stops a task.", 600),
    "sticky": key(BOOLEAN, "aws: keep each client on one task with a load balancer cookie (sessions kept in a task's memory).", True),
    "exec": key(BOOLEAN, "aws: allow ECS Exec (aws ecs execute-command) into the app's tasks: the service enables it and the app's "
                         "tasks get a task role of their own that may open the session channels; the audit reports it (medium in "
                         "production).", True),
    "path": key({"type": "string", "pattern": "^/[A-Za-z0-9/_.*-]*$"},
                "aws: load balancer path pattern routed to the app, in the apps' order (an earlier pattern must not cover it); the app "
                "without one takes the rest.", "/api/*"),
}, model.APP, required=["name", "kind"])

EXAMPLE = {
    "name": "agent-app-dev", "target": "docker",
    "docker": {"host_ip": "127.0.0.1"},
    "postgres": {"enabled": True, "pgvector": True},
    "redis": {"enabled": True},
    "apps": [{"name": "api", "kind": "fastapi", "source": "./api", "port": 8000, "host_port": 18000,
              "secret_env": {"OPENAI_API_KEY": "openai_api_key"}},
             {"name": "worker", "kind": "celery", "source": "./api", "module": "worker", "uses": ["redis"]},
             {"name": "ui", "kind": "streamlit", "source": "./ui", "port": 8501, "host_port": 18501, "uses": [], "depends_on": ["api"]}],
}

MIGRATION = ("aws: a one-off task that up runs in an app's image with the app's settings and secrets, after the database is "
             "ready and before any service rolls, once for each new revision of the app's task definition or a new command "
             "(recorded in SSM); its failure stops up before any service rolls, with its last lines. docker and kubernetes: not "
             "run by up (run it with agno.infra.run).")
MIGRATE = section("migrate", MIGRATION, {
    "app": key(NAME, "The app it runs in.", "api"),
    "command": key(dict(STRINGS, minItems=1), "The command, as a list of words.", ["python", "-m", "app.migrate"]),
    "timeout": key({"type": "integer", "minimum": 1, "maximum": 86400}, "Seconds it may take; then it is stopped and up fails.", 900),
}, model.MIGRATE, required=["app", "command"])

JOB = section("jobs[]", "A command run on a schedule in an app's image, with the app's settings and secrets.", {
    "name": key(NAME, "Name of the job (its schedule, role and task definition on aws, its container on docker are named after it).",
                "report"),
    "app": key(NAME, "The app whose image, settings and secrets it runs with.", "api"),
    "command": key(dict(STRINGS, minItems=1), "The command, as a list of words.", ["python", "-m", "app.report"]),
    "schedule": key(STRING, "When, in UTC: rate(N minute[s]|hour[s]|day[s]), or five cron fields as crontab writes them (minute hour "
                            "day-of-month month day-of-week; numbers, *, ranges, lists, steps).", "0 3 * * *"),
}, required=["name", "app", "command", "schedule"])
JOB_EXAMPLE = {"name": "report", "app": "api", "command": ["python", "-m", "app.report"], "schedule": "0 3 * * *"}
JOBS = ("Commands run on a schedule. aws: an EventBridge Scheduler schedule each, which starts a task of the job's own task "
        "definition (the app's, with the job's command) in the private subnets, with a role that may only run that "
        "definition and pass its two roles. docker: a scheduler container each, in the app's image with its settings, that "
        "runs the command when due (never two at once) and logs its output and exit code (agno.infra.logs with the app).")

SCHEMA: t.Dict[str, t.Any] = dict(section("", "An environment: the agno_env inventory variable.", {
    "name": key(NAME, "Name of the environment: the prefix of every resource's name, and its tag or label.", "agent-app-dev"),
    "target": key({"enum": ["docker", "aws", "kubernetes"]}, "docker: one Docker host; aws: ECS Fargate, RDS and ElastiCache in one "
                                                             "region; kubernetes: one namespace of any cluster.", "docker"),
    "docker": DOCKER,
    "postgres": POSTGRES,
    "redis": REDIS,
    "aws": AWS,
    "kubernetes": KUBERNETES,
    "apps": key({"type": "array", "items": APP}, "The apps; on aws their order orders the load balancer's path rules.",
                [{"name": "api", "kind": "fastapi", "source": "./api"}]),
    "migrate": MIGRATE,
    "jobs": key({"type": "array", "items": JOB}, JOBS, [JOB_EXAMPLE]),
    "waivers": key(STRINGS, "Audit findings accepted: a rule (AGNO-DB-003) or a rule on one resource (AGNO-DB-003:postgres).",
                   ["AGNO-LOG-001:logs-api"]),
}, required=["name", "target", "apps"], examples=[EXAMPLE]), **{
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "agno.infra environment",
})


def error_path(error: t.Any) -> str:
    """A readable path to the failing value, such as apps[1].port."""
    text = "agno_env"
    for part in error.absolute_path:
        text += "[%d]" % part if isinstance(part, int) else ".%s" % part
    return text


def schema_errors(raw: t.Any) -> t.List[str]:
    """Every schema violation as "PATH: problem", sorted by path."""
    import jsonschema  # see JSONSCHEMA_IMPORT_ERROR

    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(raw), key=lambda error: [str(part) for part in error.absolute_path])
    return ["%s: %s" % (error_path(error), error.message) for error in errors]


def semantic_errors(env: Environment) -> t.List[str]:
    """What a schema cannot say: unique names, known dependencies, nothing used twice, values Docker and AWS define
    (secrets: secret_errors; sources: source_errors)."""
    errors: t.List[t.Optional[str]] = []
    names = [app["name"] for app in env.apps]
    taken = taken_names(env)
    for index, app in enumerate(env.apps):
        where = "agno_env.apps[%d]" % index
        if names.count(app["name"]) > 1:
            errors.append("%s.name: %r is used by more than one app" % (where, app["name"]))
        if app["name"] in taken:
            errors.append("%s.name: %r is taken by %s: give the app another name" % (where, app["name"], taken[app["name"]]))
        if not app.get("source") and not app.get("image"):
            errors.append("%s: set source (a directory to build) or image (a ready image)" % where)
        if app.get("image"):
            errors.append(values.image_problem(where + ".image", app["image"]))
        for dependency in app["depends_on"]:
            if dependency not in names:
                errors.append("%s.depends_on: %r is not an app of this environment" % (where, dependency))
        for service in app["uses"]:
            if not env.enabled(service):
                errors.append("%s.uses: %s is not enabled in this environment" % (where, service))
    if env.migrate and env.migrate["app"] not in names:
        errors.append("agno_env.migrate.app: %r is not an app of this environment: name the app the migration runs in"
                      % env.migrate["app"])
    errors += jobs.job_errors(env, IAM_NAME_LENGTH)
    errors += TARGET_ERRORS[env.target](env)
    if ipaddress.ip_address(env.docker["host_ip"]).is_unspecified:
        errors.append("agno_env.docker.host_ip: 0.0.0.0 publishes the apps on every network; use 127.0.0.1 or one address")
    return [error for error in errors if error]


def taken_names(env: Environment) -> t.Dict[str, str]:
    """Names an app cannot have, with what holds them: an app's name selects its resources (agno_limit, the roles) and
    names some of them, so it must be no group, data service or resource id of another part."""
    taken = {group: "a group of resources" for group in model.GROUPS}
    taken.update({service: "the %s service" % service for service in env.services})
    for app in env.apps:
        if app["kind"] == "celery" and app["beat"]:
            taken[app["name"] + "-beat"] = "the beat scheduler of app %s" % app["name"]
    if env.target == "kubernetes":
        taken.update({item_id: "an object of the namespace" for item_id in ("namespace", "deny-ingress")})
        for service in env.services:
            taken.update({service + suffix: "an object of %s" % service for suffix in ("-data", "-service", "-secrets", "-policy", "-init")})
    if env.target == "docker":
        taken.update({app["name"] + "-image": "the image of app %s" % app["name"] for app in env.apps})
        for service in env.services:
            taken.update({service + "-data": "the volume of %s" % service, service + "-image": "the image of %s" % service})
    return taken


def source_errors(env: Environment, parts: t.Optional[t.Set[str]] = None) -> t.List[str]:
    """Sources that are no directory on this host, of the apps a run converges (None: all), on both targets."""
    errors = []
    for index, app in enumerate(env.apps):
        source = app.get("source")
        if source and (parts is None or app["name"] in parts) and not os.path.isdir(os.path.expanduser(source)):
            errors.append("agno_env.apps[%d].source: %s is not a directory on this host: point it at the app's code (a relative "
                          "path is taken from the inventory's directory)" % (index, source))
    return errors


def secret_errors(env: Environment, secrets: t.Dict[str, t.Any], parts: t.Optional[t.Set[str]] = None) -> t.List[str]:
    """Secrets missing or unusable for the parts of the environment a run converges (app names, postgres; None: all).

    A role that deploys one part needs only that part's secrets, not those of the apps it leaves alone.
    """
    errors: t.List[str] = []
    needs_password = parts is None or "postgres" in parts
    needs_token = parts is None or "redis" in parts
    for index, app in enumerate(env.apps):
        if parts is not None and app["name"] not in parts:
            continue
        needs_password = needs_password or "postgres" in app["uses"]
        needs_token = needs_token or "redis" in app["uses"]
        for variable, secret in sorted(app["secret_env"].items()):
            if secret not in secrets:
                errors.append("agno_env.apps[%d].secret_env.%s: secret %r is not in the secrets option" % (index, variable, secret))
    errors += login_errors(env, secrets, parts)
    for service, needed in (("postgres", needs_password), ("redis", needs_token)):
        url = model.external(env, service)
        if needed and url and not (isinstance(secrets.get(url), str) and secrets[url]):
            errors.append("agno_env.%s.external_url_secret: secret %r is not in the secrets option or is empty: give the URL of "
                          "the %s in the secrets (agno_secrets)" % (service, url, service))
    if needs_password and env.enabled("postgres") and not model.external(env, "postgres"):
        password = env.services["postgres"]["password_secret"]
        problem = password_problem(secrets.get(password), env.target == "aws") if password in secrets else "is not in the secrets option"
        if problem:
            errors.append("agno_env.postgres.password_secret: secret %r %s" % (password, problem))
    if needs_token and model.redis_auth(env):
        token = env.services["redis"]["auth_token_secret"]
        problem = token_problem(secrets.get(token)) if token in secrets else "is not in the secrets option"
        if problem:
            errors.append("agno_env.redis.auth_token_secret: secret %r %s" % (token, problem))
    return errors


def login_errors(env: Environment, secrets: t.Dict[str, t.Any], parts: t.Optional[t.Set[str]]) -> t.List[str]:
    """The password of aws.registry_auth, when the run builds an image (for these parts; None: all) to push there."""
    login = env.aws["registry_auth"].get("password_secret") if env.target == "aws" else None
    builds = parts is None or bool(set(model.image_owners(env)) & parts)
    if not login or not builds or (isinstance(secrets.get(login), str) and secrets[login]):
        return []
    return ["agno_env.aws.registry_auth.password_secret: secret %r is not in the secrets option or is empty: give the registry's "
            "password in the secrets (agno_secrets)" % login]


def password_problem(value: t.Any, for_rds: bool) -> t.Optional[str]:
    """Why a database password cannot be used (RDS also wants 8 to 128 printable characters without / @ " or space)."""
    if not isinstance(value, str) or not value:
        return "is empty: give the password in the secrets (agno_secrets), from a vault or an environment variable"
    if for_rds and not (8 <= len(value) <= 128 and value.isprintable() and not set('/@" ') & set(value)):
        return "is not a password RDS accepts: use 8 to 128 printable characters without /, @, \" or spaces"
    return None


def token_problem(value: t.Any) -> t.Optional[str]:
    """Why a value cannot be Redis's AUTH token on ElastiCache."""
    if not isinstance(value, str) or not re.fullmatch(AUTH_TOKEN, value):
        return ("is not an AUTH token ElastiCache accepts: give 16 to 128 printable characters without spaces, /, \" or @ in the "
                "secrets (agno_secrets), from a vault or an environment variable")
    return None


def invalid(errors: t.List[str]) -> ResourceError:
    return ResourceError("The environment (agno_env) is invalid: %s. Fix these keys in the inventory and run again."
                         % "; ".join(errors), errors=errors)


def validated(raw: t.Any, secrets: t.Optional[t.Dict[str, t.Any]], region: t.Optional[str] = None, sources: bool = False) -> Environment:
    """The model of the environment (see model.environment); with secrets, every secret it names must be usable; with
    sources, every app's source must be a directory on this host.

    An invalid environment raises one error that lists every problem (in details, errors: "PATH: problem").
    """
    errors = schema_errors(raw)
    if errors:
        raise invalid(errors)
    env = model.environment(raw, region)
    errors = semantic_errors(env) + ([] if secrets is None else secret_errors(env, secrets)) + (source_errors(env) if sources else [])
    if errors:
        raise invalid(errors)
    return env
