# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON Schema of an environment (the one inventory variable that describes an agent app), and its check.

Errors come back as "PATH: problem" lines, so a user sees which key of the inventory is wrong.
"""

from __future__ import annotations

import ipaddress
import traceback
import typing as t

try:
    import jsonschema
    JSONSCHEMA_IMPORT_ERROR = None
except ImportError:
    JSONSCHEMA_IMPORT_ERROR = traceback.format_exc()

NAME = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,30}[a-z0-9]$"}
SECRET_REF = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
              "description": "Name of an entry of the secrets option (never the secret value itself)."}
PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
STRING_MAP = {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}

APP = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "kind"],
    "properties": {
        "name": NAME,
        "kind": {"enum": ["fastapi", "streamlit", "celery", "django"]},
        "source": {"type": "string", "minLength": 1, "description": "Directory of the app's code (the build context)."},
        "image": {"type": "string", "minLength": 1, "description": "A ready image; skips the build."},
        "dockerfile": {"type": "string"},
        "module": {"type": "string", "description": "fastapi: ASGI app (pkg.module:app); celery: Celery app; django: WSGI module."},
        "script": {"type": "string", "description": "streamlit: the script to run."},
        "command": {"type": "array", "items": {"type": "string"}},
        "port": PORT,
        "host_port": PORT,
        "health_path": {"type": "string", "pattern": "^/"},
        "beat": {"type": "boolean", "description": "celery: also run a beat scheduler."},
        "env": STRING_MAP,
        "secret_env": {"type": "object", "additionalProperties": SECRET_REF,
                       "description": "Variable name to the name of a secret."},
        "uses": {"type": "array", "items": {"enum": ["postgres", "redis"]}, "uniqueItems": True},
        "depends_on": {"type": "array", "items": NAME},
        "memory": {"type": "string"},
        "cpus": {"type": "number", "exclusiveMinimum": 0},
        "replicas": {"type": "integer", "minimum": 0, "maximum": 100},
        "user": {"type": "string"},
        "autoscaling": {
            "type": "object",
            "additionalProperties": False,
            "required": ["max_replicas"],
            "description": "aws: target-tracking scaling of the app's service between replicas and max_replicas.",
            "properties": {"max_replicas": {"type": "integer", "minimum": 1, "maximum": 100},
                           "target_cpu": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                           "target_memory": {"type": "number", "exclusiveMinimum": 0, "maximum": 100}},
        },
        "path": {"type": "string", "pattern": "^/[A-Za-z0-9/_.*-]*$",
                 "description": "aws: ALB path pattern routed to this app (such as /api/*); the app without one takes the rest."},
    },
}

AWS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "vpc_cidr": {"type": "string", "description": "VPC block, /16 to /24; subnets take 1/16 of it each."},
        "availability_zones": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "nat_gateway": {"type": "boolean", "description": "One NAT gateway for the private subnets (default true)."},
        "certificate_arn": {"type": "string", "pattern": "^arn:aws[a-z-]*:acm:"},
        "ssl_policy": {"type": "string"},
        "log_retention_days": {"enum": [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                                        2557, 2922, 3288, 3653]},
        "wait": {"type": "boolean", "description": "Wait for databases, the load balancer and services to be ready."},
        "bucket": {"type": "boolean"},
        "bucket_name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"},
        "ecr": {"type": "boolean", "description": "Create an ECR repository per app (default true)."},
        "postgres": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "instance_class": {"type": "string", "pattern": "^db\\."},
                "allocated_storage": {"type": "integer", "minimum": 20, "maximum": 65536},
                "engine_version": {"type": "string"},
                "backup_retention_period": {"type": "integer", "minimum": 0, "maximum": 35},
                "deletion_protection": {"type": "boolean"},
                "multi_az": {"type": "boolean"},
            },
        },
        "redis": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"node_type": {"type": "string", "pattern": "^cache\\."}},
        },
    },
}

SCHEMA: t.Dict[str, t.Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "agno.infra environment",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "target", "apps"],
    "properties": {
        "name": NAME,
        "target": {"enum": ["docker", "aws"]},
        "docker": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "base_image": {"type": "string"},
                "host_ip": {"type": "string", "format": "ipv4"},
                "build_dir": {"type": "string"},
                "extra_ca_certificates": {"type": "array", "items": {"type": "string"}},
            },
        },
        "postgres": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "version": {"enum": [17]},
                "pgvector": {"type": "boolean"},
                "database": {"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$"},
                "user": {"type": "string", "pattern": "^[a-z_][a-z0-9_]{0,62}$"},
                "password_secret": SECRET_REF,
                "host_port": PORT,
            },
        },
        "redis": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"enabled": {"type": "boolean"}, "host_port": PORT},
        },
        "aws": AWS,
        "apps": {"type": "array", "items": APP},
        "waivers": {"type": "array", "items": {"type": "string"}},
    },
}


def error_path(error: t.Any) -> str:
    """A readable path to the failing value, such as apps[1].port."""
    text = "agno_env"
    for part in error.absolute_path:
        text += "[%d]" % part if isinstance(part, int) else ".%s" % part
    return text


def schema_errors(spec: t.Any) -> t.List[str]:
    """Every schema violation as "PATH: problem", sorted by path."""
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(spec), key=lambda error: [str(part) for part in error.absolute_path])
    return ["%s: %s" % (error_path(error), error.message) for error in errors]


def semantic_errors(spec: t.Dict[str, t.Any]) -> t.List[str]:
    """What a schema cannot say: unique names, known dependencies, free host ports (secrets: secret_errors)."""
    errors: t.List[str] = []
    apps = spec.get("apps") or []
    names = [app["name"] for app in apps]
    for index, app in enumerate(apps):
        where = "agno_env.apps[%d]" % index
        if names.count(app["name"]) > 1:
            errors.append("%s.name: %r is used by more than one app" % (where, app["name"]))
        if not app.get("source") and not app.get("image"):
            errors.append("%s: set source (a directory to build) or image (a ready image)" % where)
        for dependency in app.get("depends_on") or []:
            if dependency not in names:
                errors.append("%s.depends_on: %r is not an app of this environment" % (where, dependency))
        for service in app.get("uses") or []:
            if not (spec.get(service) or {}).get("enabled", service in spec):
                errors.append("%s.uses: %s is not enabled in this environment" % (where, service))
    if spec.get("target") == "aws":
        errors += aws_errors(spec)
    host_ip = (spec.get("docker") or {}).get("host_ip")
    if host_ip and ipaddress.ip_address(host_ip).is_unspecified:
        errors.append("agno_env.docker.host_ip: 0.0.0.0 publishes the apps on every network; use 127.0.0.1 or one address")
    return errors


def secret_errors(spec: t.Dict[str, t.Any], secrets: t.Dict[str, t.Any], parts: t.Optional[t.Set[str]] = None) -> t.List[str]:
    """Secrets missing or unusable for the parts of the environment a run converges (app names, postgres; None: all).

    A role that deploys one part needs only that part's secrets, not those of the apps it leaves alone.
    """
    errors: t.List[str] = []
    postgres = spec.get("postgres") or {}
    needs_password = parts is None or "postgres" in parts
    for index, app in enumerate(spec.get("apps") or []):
        if parts is not None and app["name"] not in parts:
            continue
        # Without uses an app connects to every enabled service.
        needs_password = needs_password or "postgres" in app.get("uses", ["postgres"])
        for variable, secret in sorted((app.get("secret_env") or {}).items()):
            if secret not in secrets:
                errors.append("agno_env.apps[%d].secret_env.%s: secret %r is not in the secrets option" % (index, variable, secret))
    password = postgres.get("password_secret", "postgres_password")
    if needs_password and postgres.get("enabled", "postgres" in spec):
        problem = password_problem(secrets.get(password), spec.get("target") == "aws") if password in secrets else "is not in the secrets option"
        if problem:
            errors.append("agno_env.postgres.password_secret: secret %r %s" % (password, problem))
    return errors


def password_problem(value: t.Any, for_rds: bool) -> t.Optional[str]:
    """Why a database password cannot be used (RDS also wants 8 to 128 printable characters without / @ " or space)."""
    if not isinstance(value, str) or not value:
        return "is empty: give the password in the secrets (agno_secrets), from a vault or an environment variable"
    if for_rds and not (8 <= len(value) <= 128 and value.isprintable() and not set('/@" ') & set(value)):
        return "is not a password RDS accepts: use 8 to 128 printable characters without /, @, \" or spaces"
    return None


def aws_errors(spec: t.Dict[str, t.Any]) -> t.List[str]:
    """What the aws target needs beyond the schema: ready images, one default route, a usable VPC block."""
    errors = []
    apps = spec.get("apps") or []
    for index, app in enumerate(apps):
        if not app.get("image"):
            errors.append("agno_env.apps[%d]: target aws needs image (an image URI that ECS can pull, such as an ECR URI)" % index)
    unrouted = [app["name"] for app in apps if app.get("kind") != "celery" and not app.get("path")]
    if len(unrouted) > 1:
        errors.append("agno_env.apps: %s have no path; on aws one app takes the requests no path matches, give the "
                      "others a path such as /api/*" % ", ".join(unrouted))
    cidr = (spec.get("aws") or {}).get("vpc_cidr")
    if cidr:
        try:
            network = ipaddress.ip_network(cidr)
        except ValueError:
            return errors + ["agno_env.aws.vpc_cidr: %r is not a CIDR block such as 10.0.0.0/16" % cidr]
        if network.version != 4 or not 16 <= network.prefixlen <= 24:
            errors.append("agno_env.aws.vpc_cidr: %s must be an IPv4 block from /16 to /24" % cidr)
    return errors


def check(spec: t.Any, secrets: t.Optional[t.Dict[str, t.Any]] = None) -> t.List[str]:
    """The spec's errors; with secrets, also those of every secret it names."""
    errors = schema_errors(spec)
    if errors:
        return errors
    return semantic_errors(spec) + ([] if secrets is None else secret_errors(spec, secrets))
