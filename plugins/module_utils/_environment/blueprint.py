# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn an environment (apps, Postgres, Redis) into the resource list that the plan converges.

One place knows how a FastAPI, Streamlit, Celery or Django app, a Postgres and a Redis become
resources, so that the app roles, the environment playbooks and the tests all share it.
"""

from __future__ import annotations

import glob
import os
import shutil
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import files
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

DEFAULT_BASE_IMAGE = "agno-infra/debian:bookworm"
DEFAULT_BUILD_DIR = "~/.cache/agno-infra/build"
POSTGRES_PASSWORD_SECRET = "postgres_password"
POSTGRES_PORT = 5432
REDIS_PORT = 6379
COPY_IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "node_modules", files.CA_DIR)

# Defaults per kind: port, health path, and how the process starts (None: the kind has no HTTP port).
KINDS: t.Dict[str, t.Dict[str, t.Any]] = {
    "fastapi": {"port": 8000, "health_path": "/health", "module": "main:app"},
    "streamlit": {"port": 8501, "health_path": "/_stcore/health", "script": "app.py"},
    "django": {"port": 8000, "health_path": "/health", "module": "config.wsgi"},
    "celery": {"port": None, "health_path": None, "module": "worker"},
}


# ---- reading the environment ------------------------------------------------------------------
def service_enabled(spec: t.Dict[str, t.Any], service: str) -> bool:
    return bool((spec.get(service) or {}).get("enabled", service in spec))


def app_settings(app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The app with its kind's defaults filled in."""
    return dict(KINDS[app["kind"]], **app)


def app_command(app: t.Dict[str, t.Any], role: str = "web") -> t.List[str]:
    if app.get("command") and role == "web":
        return list(app["command"])
    port = str(app.get("port"))
    if app["kind"] == "fastapi":
        return ["uvicorn", app["module"], "--host", "0.0.0.0", "--port", port]
    if app["kind"] == "streamlit":
        return ["streamlit", "run", app["script"], "--server.port", port, "--server.address", "0.0.0.0",
                "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if app["kind"] == "django":
        return ["gunicorn", app["module"], "--bind", "0.0.0.0:" + port]
    if role == "beat":
        return ["celery", "-A", app["module"], "beat", "--loglevel", "INFO", "--schedule", "/tmp/celerybeat-schedule"]
    return ["celery", "-A", app["module"], "worker", "--loglevel", "INFO", "--concurrency", "2"]


def app_healthcheck(app: t.Dict[str, t.Any], role: str = "web") -> t.Optional[t.Dict[str, t.Any]]:
    if role == "beat":
        return None
    if app["kind"] == "celery":
        probe = "celery -A %s inspect ping --timeout 5 -d celery@$HOSTNAME" % app["module"]
        return {"test": probe, "interval": "10s", "timeout": "15s", "retries": 6, "start_period": "5s"}
    # Fails on a refused connection and on any 4xx/5xx answer.
    probe = ("import http.client; c = http.client.HTTPConnection('127.0.0.1', %d, timeout=3); c.request('GET', %r); "
             "raise SystemExit(c.getresponse().status >= 400)" % (app["port"], app["health_path"]))
    return {"test": ["python", "-c", probe], "interval": "2s", "timeout": "5s", "retries": 30, "start_period": "2s"}


def uses(spec: t.Dict[str, t.Any], app: t.Dict[str, t.Any]) -> t.List[str]:
    """Data services the app connects to: those it names, or every enabled one."""
    if "uses" in app:
        return list(app["uses"])
    return [service for service in ("postgres", "redis") if service_enabled(spec, service)]


def postgres_settings(spec: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    return dict({"version": 17, "pgvector": False, "database": "app", "user": "app",
                 "password_secret": POSTGRES_PASSWORD_SECRET}, **(spec.get("postgres") or {}))


def owned_by(component: str, items: t.List[t.Dict[str, t.Any]]) -> t.List[t.Dict[str, t.Any]]:
    """Mark the items of a component (an app, postgres, redis): its name then selects all of them."""
    return [dict(item, app=component) for item in items]


# ---- docker target ------------------------------------------------------------------------------
class DockerBlueprint:
    """Resources of an environment on one Docker host: network, data volumes, images and containers."""

    def __init__(self, spec: t.Dict[str, t.Any], stage: bool = True, staged_apps: t.Optional[t.Set[str]] = None) -> None:
        self.spec = spec
        # Without staging, build contexts are only named, not written (an audit reads the plan, it builds nothing);
        # with staged_apps, only those apps' are written (the others are only read, their sources need not be here).
        self.stage = stage
        self.staged_apps = staged_apps
        self.name = spec["name"]
        docker = spec.get("docker") or {}
        self.base_image = docker.get("base_image", DEFAULT_BASE_IMAGE)
        self.host_ip = docker.get("host_ip", "127.0.0.1")
        self.build_dir = os.path.join(os.path.expanduser(docker.get("build_dir", DEFAULT_BUILD_DIR)), self.name)
        self.ca_files = ca_files(docker.get("extra_ca_certificates") or [])

    def resources(self) -> t.List[t.Dict[str, t.Any]]:
        items = [{"id": "network", "type": "docker_network", "group": "network",
                  "params": {"name": self.name, "labels": self.labels()}}]
        if service_enabled(self.spec, "postgres"):
            items += owned_by("postgres", self.postgres())
        if service_enabled(self.spec, "redis"):
            items += owned_by("redis", self.redis())
        for app in self.spec.get("apps") or []:
            items += self.app(app_settings(app))
        return items

    def labels(self, component: t.Optional[str] = None) -> t.Dict[str, str]:
        labels = {"io.agno.env": self.name}
        if component:
            labels["io.agno.component"] = component
        return labels

    def container(self, component: str, image: str, extra: t.Dict[str, t.Any], group: str,
                  depends_on: t.List[str], host_port: t.Optional[int] = None, port: t.Optional[int] = None) -> t.Dict[str, t.Any]:
        """A container on the environment's network, after its image (item ``IMAGE-image``) and dependencies."""
        params = dict({
            "name": "%s-%s" % (self.name, component),
            "image": self.image_reference(image),
            "labels": self.labels(component),
            "networks": [{"name": "${network.name}", "aliases": [component]}],
            "restart_policy": "unless-stopped",
            "ports": ["%s:%d:%d" % (self.host_ip, host_port, port)] if host_port and port else [],
        }, **extra)
        return {"id": component, "type": "docker_container", "group": group,
                "depends_on": depends_on + [image + "-image"], "params": params}

    def image_reference(self, component: str) -> str:
        for app in self.spec.get("apps") or []:
            if app["name"] == component and app.get("image"):
                return str(app["image"])
        return "%s/%s:latest" % (self.name, component)

    def image(self, component: str, context: str, args: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
        return {"id": component + "-image", "type": "docker_image", "group": "image", "params": {
            "name": "%s/%s" % (self.name, component), "tag": "latest", "source": "build",
            "build": {"path": context, "args": args or {}},
        }}

    def volume(self, component: str) -> t.Dict[str, t.Any]:
        return {"id": component + "-data", "type": "docker_volume", "group": "data",
                "params": {"name": "%s-%s-data" % (self.name, component), "labels": self.labels(component)}}

    def postgres(self) -> t.List[t.Dict[str, t.Any]]:
        settings = postgres_settings(self.spec)
        context = self.write_context("postgres", {
            "Dockerfile": files.POSTGRES_DOCKERFILE.format(base_image=self.base_image),
            "entrypoint.sh": files.POSTGRES_ENTRYPOINT,
        })
        container = self.container("postgres", "postgres", {
            "env": {"POSTGRES_USER": settings["user"], "POSTGRES_DB": settings["database"],
                    "PGVECTOR": "1" if settings["pgvector"] else "0"},
            "secret_env": {"POSTGRES_PASSWORD": "${secrets.%s}" % settings["password_secret"]},
            "volumes": ["${postgres-data.name}:/var/lib/postgresql/data"],
            "healthcheck": {"test": "pg_isready -q -h 127.0.0.1 -U postgres", "interval": "1s", "retries": 60},
            "user": "postgres",
        }, "db", ["postgres-data"], settings.get("host_port"), POSTGRES_PORT)
        return [self.volume("postgres"), self.image("postgres", context, {"PGVECTOR": "1" if settings["pgvector"] else "0"}),
                container]

    def redis(self) -> t.List[t.Dict[str, t.Any]]:
        context = self.write_context("redis", {"Dockerfile": files.REDIS_DOCKERFILE.format(base_image=self.base_image)})
        container = self.container("redis", "redis", {
            "volumes": ["${redis-data.name}:/data"],
            "healthcheck": {"test": "redis-cli ping | grep -q PONG", "interval": "1s", "retries": 30},
            "user": "redis",
        }, "db", ["redis-data"], (self.spec.get("redis") or {}).get("host_port"), REDIS_PORT)
        return [self.volume("redis"), self.image("redis", context), container]

    def app(self, app: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        items: t.List[t.Dict[str, t.Any]] = []
        if app.get("image"):
            image_ref = "%s-image" % app["name"]
            items.append({"id": image_ref, "type": "docker_image", "group": "image",
                          "params": dict(zip(("name", "tag"), split_reference(app["image"])), source="local")})
        else:
            items.append(self.image(app["name"], self.app_context(app)))
        services = uses(self.spec, app)
        depends_on = services + list(app.get("depends_on") or [])
        extra = {
            "command": app_command(app),
            "env": dict(self.connection_env(services), **{key: str(value) for key, value in (app.get("env") or {}).items()}),
            "secret_env": dict(self.connection_secrets(services),
                               **{key: "${secrets.%s}" % name for key, name in (app.get("secret_env") or {}).items()}),
            "user": app.get("user", str(files.APP_UID)),
            "read_only": True,
            "tmpfs": ["/tmp"],
        }
        for field in ("memory", "cpus"):
            if app.get(field) is not None:
                extra[field] = app[field]
        healthcheck = app_healthcheck(app)
        if healthcheck:
            extra["healthcheck"] = healthcheck
        items.append(self.container(app["name"], app["name"], extra, "app", depends_on,
                                    app.get("host_port", app.get("port")), app.get("port")))
        if app["kind"] == "celery" and app.get("beat"):
            beat = dict(extra, command=app_command(app, "beat"))
            beat.pop("healthcheck", None)
            items.append(self.container(app["name"] + "-beat", app["name"], beat, "app", depends_on))
        # The app's name selects all of them (agno_limit, the app roles).
        return owned_by(app["name"], items)

    def connection_env(self, services: t.List[str]) -> t.Dict[str, str]:
        env = {"AGNO_ENV": self.name}
        if "redis" in services:
            url = "redis://redis:%d/0" % REDIS_PORT
            env.update(REDIS_URL=url, CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url)
        if "postgres" in services:
            settings = postgres_settings(self.spec)
            env.update(DB_HOST="postgres", DB_PORT=str(POSTGRES_PORT), DB_NAME=settings["database"], DB_USER=settings["user"])
        for app in self.spec.get("apps") or []:
            app = app_settings(app)
            if app.get("port"):
                env["%s_URL" % app["name"].upper().replace("-", "_")] = "http://%s:%d" % (app["name"], app["port"])
        return env

    def connection_secrets(self, services: t.List[str]) -> t.Dict[str, str]:
        if "postgres" not in services:
            return {}
        settings = postgres_settings(self.spec)
        password = "${secrets.%s}" % settings["password_secret"]
        return {
            "DB_PASSWORD": password,
            "DATABASE_URL": "postgresql://%s:%s@postgres:%d/%s" % (
                settings["user"], password, POSTGRES_PORT, settings["database"]),
        }

    # -- build contexts
    def write_context(self, component: str, contents: t.Dict[str, str]) -> str:
        """A build context made of generated files only (Postgres, Redis)."""
        context = os.path.join(self.build_dir, component)
        if not self.stage:
            return context
        os.makedirs(context, exist_ok=True)
        for name, text in contents.items():
            write_if_changed(os.path.join(context, name), text)
        return context

    def app_context(self, app: t.Dict[str, t.Any]) -> str:
        """The app's source plus the extra CA certificates and, when the app has none, our Dockerfile."""
        source = os.path.abspath(os.path.expanduser(app["source"]))
        if not self.stage or (self.staged_apps is not None and app["name"] not in self.staged_apps):
            return os.path.join(self.build_dir, app["name"])
        if not os.path.isdir(source):
            raise ResourceError("App %s has source %s, which is not a directory on the Docker host: point "
                                "agno_env.apps[].source at the app's code." % (app["name"], source))
        context = os.path.join(self.build_dir, app["name"])
        if os.path.isdir(context):
            shutil.rmtree(context)
        shutil.copytree(source, context, ignore=COPY_IGNORED, symlinks=True)
        ca_dir = os.path.join(context, files.CA_DIR)
        os.makedirs(ca_dir)
        write_if_changed(os.path.join(ca_dir, "README"), "Extra CA certificates trusted inside the image.\n")
        for path in self.ca_files:
            shutil.copyfile(path, os.path.join(ca_dir, os.path.basename(path)))
        if not os.path.exists(os.path.join(context, "Dockerfile")):
            write_if_changed(os.path.join(context, "Dockerfile"), files.APP_DOCKERFILE.format(
                base_image=self.base_image, ca_dir=files.CA_DIR, uid=files.APP_UID))
        if not os.path.exists(os.path.join(context, "requirements.txt")):
            write_if_changed(os.path.join(context, "requirements.txt"), "")
        return context


def ca_files(entries: t.List[str]) -> t.List[str]:
    """CA certificate files from files and directories (their *.crt)."""
    found: t.List[str] = []
    for entry in entries:
        path = os.path.expanduser(entry)
        found += sorted(glob.glob(os.path.join(path, "*.crt"))) if os.path.isdir(path) else [path]
    return found


def split_reference(reference: str) -> t.Tuple[str, str]:
    last = reference.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = reference.rsplit(":", 1)
        return name, tag
    return reference, "latest"


def write_if_changed(path: str, text: str) -> None:
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
