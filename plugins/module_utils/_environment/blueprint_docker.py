# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn an environment (apps, Postgres, Redis) into the resources of one Docker host, and stage their build contexts.

One place knows how a FastAPI, Streamlit, Celery or Django app, a Postgres and a Redis become
containers, so that the app roles, the environment playbooks and the tests all share it.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker.ownership import APP_LABEL, ENV_LABEL, ID_LABEL
from ansible_collections.agno.infra.plugins.module_utils._environment import files, jobs
from ansible_collections.agno.infra.plugins.module_utils._environment.model import (
    POSTGRES_PORT, REDIS_PORT, Environment, beat_command, connection_env, database_url, health_probe, owned, owned_by,
    start_command)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

COPY_IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "node_modules", files.CA_DIR)
# What the kind's server takes to serve a saved file of its mounted source (docker.reload). Streamlit polls: the events of
# a bind mount do not reach every watcher (Docker Desktop's file sharing). A Celery worker has no such flag (reloading).
RELOAD_FLAGS = {
    "fastapi": ["--reload", "--reload-dir", files.APP_DIR],
    "streamlit": ["--server.runOnSave", "true", "--server.fileWatcherType", "poll"],
    "django": ["--reload"],
}


def app_healthcheck(app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    if app["kind"] == "celery":
        return {"test": health_probe(app), "interval": "10s", "timeout": "15s", "retries": 6, "start_period": "5s"}
    return {"test": health_probe(app), "interval": "2s", "timeout": "5s", "retries": 30, "start_period": "2s"}


#: The tag of an app's image that a rebuild replaced (agno.infra.rollback runs it again).
PREVIOUS_TAG = "previous"


class DockerBlueprint:
    """Resources of an environment on one Docker host: network, data volumes, images and containers."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.name = env.name
        self.base_image = env.docker["base_image"]
        self.host_ip = env.docker["host_ip"]
        self.build_dir = os.path.join(os.path.expanduser(env.docker["build_dir"]), self.name)
        # An image built for aws runs as built: only a docker environment mounts the sources.
        self.reload = env.docker["reload"] and env.target == "docker"

    def resources(self) -> t.List[t.Dict[str, t.Any]]:
        items = [{"id": "network", "type": "docker_network", "group": "network",
                  "params": {"name": self.name, "labels": self.labels()}}]
        if self.env.enabled("postgres"):
            items += owned_by("postgres", self.postgres())
        if self.env.enabled("redis"):
            items += owned_by("redis", self.redis())
        for app in self.env.apps:
            items += self.app(app)
        return [owned(item, ID_LABEL, APP_LABEL, "labels") for item in items]

    def labels(self, component: t.Optional[str] = None) -> t.Dict[str, str]:
        labels = {"io.agno.env": self.name, ENV_LABEL: self.name}
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
        for app in self.env.apps:
            if app["name"] == component and app.get("image"):
                return str(app["image"])
        return "%s/%s:latest" % (self.name, component)

    def image(self, component: str, args: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
        """An image built from the component's context (see stage)."""
        return {"id": component + "-image", "type": "docker_image", "group": "image", "params": {
            "name": "%s/%s" % (self.name, component), "tag": "latest", "source": "build",
            "build": {"path": self.context(component), "args": args or {}},
        }}

    def pushed(self, owner: str, repository: str) -> t.Dict[str, t.Any]:
        """The image of app ``owner``'s source for a cluster (aws, kubernetes): built from the context this target stages
        for it (the same Dockerfile and build hash) and pushed to repository under a tag of that hash unless it has it."""
        built = self.image(owner)
        return dict(built, id="image-" + owner, params=dict(built["params"], push=True, repository=repository, content_tag=True))

    def volume(self, component: str) -> t.Dict[str, t.Any]:
        return {"id": component + "-data", "type": "docker_volume", "group": "data",
                "params": {"name": "%s-%s-data" % (self.name, component), "labels": self.labels(component)}}

    def postgres(self) -> t.List[t.Dict[str, t.Any]]:
        settings = self.env.services["postgres"]
        pgvector = "1" if settings["pgvector"] else "0"
        container = self.container("postgres", "postgres", {
            "env": {"POSTGRES_USER": settings["user"], "POSTGRES_DB": settings["database"], "PGVECTOR": pgvector},
            "secret_env": {"POSTGRES_PASSWORD": "${secrets.%s}" % settings["password_secret"]},
            "volumes": ["${postgres-data.name}:/var/lib/postgresql/data"],
            "healthcheck": {"test": "pg_isready -q -h 127.0.0.1 -U postgres", "interval": "1s", "retries": 60},
            "user": "postgres",
        }, "db", ["postgres-data"], settings.get("host_port"), POSTGRES_PORT)
        return [self.volume("postgres"), self.image("postgres", {"PGVECTOR": pgvector}), container]

    def redis(self) -> t.List[t.Dict[str, t.Any]]:
        container = self.container("redis", "redis", {
            "volumes": ["${redis-data.name}:/data"],
            "healthcheck": {"test": "redis-cli ping | grep -q PONG", "interval": "1s", "retries": 30},
            "user": "redis",
        }, "db", ["redis-data"], self.env.services["redis"].get("host_port"), REDIS_PORT)
        return [self.volume("redis"), self.image("redis"), container]

    def app(self, app: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        items: t.List[t.Dict[str, t.Any]] = []
        if app.get("image"):
            items.append({"id": "%s-image" % app["name"], "type": "docker_image", "group": "image",
                          "params": dict(zip(("name", "tag"), split_reference(app["image"])), source="local")})
        else:
            built = self.image(app["name"])
            # What the rollback playbook brings back: the image the last rebuild replaced.
            items.append(dict(built, params=dict(built["params"], previous_tag=PREVIOUS_TAG)))
        services = app["uses"]
        depends_on = services + list(app["depends_on"])
        extra = {
            "command": list(app["command"]),
            # As given: the container type writes booleans as true / false (str() would give Python's True).
            "env": dict(self.connection_env(services), **app["env"]),
            "secret_env": dict(self.connection_secrets(services),
                               **{key: "${secrets.%s}" % name for key, name in app["secret_env"].items()}),
            "user": app["user"],
            "read_only": True,
            "tmpfs": ["/tmp"],
            "healthcheck": app_healthcheck(app),
        }
        for field in ("memory", "cpus"):
            if app.get(field) is not None:
                extra[field] = app[field]
        if self.reloads(app):
            extra["volumes"] = ["%s:%s:ro" % (source_dir(app), files.APP_DIR)]
            if app["command"] == start_command(app):  # an app's own command reloads the mounted code if it wants to
                extra["command"] = reloading(app, extra["command"])
        items.append(self.container(app["name"], app["name"], extra, "app", depends_on, app["host_port"], app["port"]))
        if app["kind"] == "celery" and app["beat"]:
            beat = dict(extra, command=reloading(app, beat_command(app)) if self.reloads(app) else beat_command(app))
            beat.pop("healthcheck")
            items.append(self.container(app["name"] + "-beat", app["name"], beat, "app", depends_on))
        for job in self.env.jobs_of(app):
            # The scheduler runs in the app's image with what the app runs with (its mounted source too), on no port.
            scheduled = dict(extra, command=jobs.scheduler_command(job))
            scheduled.pop("healthcheck")
            items.append(self.container("job-" + job["name"], app["name"], scheduled, "app", depends_on))
        # The app's name selects all of them (agno_limit, the app roles).
        return owned_by(app["name"], items)

    def reloads(self, app: t.Dict[str, t.Any]) -> bool:
        """Whether the app runs its source mounted read-only (docker.reload): when it is built here with our Dockerfile,
        whose image then holds only what shapes it (requirements, CAs), so that a code edit rebuilds and replaces nothing.
        An image from the source's own Dockerfile may need any of its files: such an app, like a ready image, runs as built."""
        return bool(self.reload and app.get("source") and not app.get("image")
                    and not os.path.exists(os.path.join(source_dir(app), "Dockerfile")))

    def connection_env(self, services: t.List[str]) -> t.Dict[str, str]:
        """Services and apps by their names on the environment's network."""
        return connection_env(self.env, services, "redis://redis:%d/0" % REDIS_PORT, "postgres",
                              lambda app: "http://%s:%d" % (app["name"], app["port"]))

    def connection_secrets(self, services: t.List[str]) -> t.Dict[str, str]:
        if "postgres" not in services:
            return {}
        password = "${secrets.%s}" % self.env.services["postgres"]["password_secret"]
        return {"DB_PASSWORD": password, "DATABASE_URL": database_url(self.env, "postgres")}

    # -- build contexts
    def context(self, component: str) -> str:
        return os.path.join(self.build_dir, component)

    def stage(self, components: t.Set[str]) -> None:
        """Write the build contexts of these components (apps, postgres, redis): the images the run builds.

        Staged after the selection, so that a run writes (and needs the sources of) only what it builds.
        """
        order = list(self.env.services) + [app["name"] for app in self.env.apps]
        try:
            for component in [name for name in order if name in components]:
                generated = self.generated(component)
                if generated is None:
                    self.stage_app(next(app for app in self.env.apps if app["name"] == component))
                else:
                    self.write_context(component, generated)
        except OSError as error:  # a full disk, a permission problem
            raise ResourceError("Cannot prepare the build contexts of environment %s: %s; check the build_dir and the "
                                "permissions of the apps' sources." % (self.name, error)) from error

    def generated(self, component: str) -> t.Optional[t.Dict[str, str]]:
        """The files of a context made of generated files only (Postgres, Redis); None for an app's."""
        if component == "postgres":
            return {"Dockerfile": files.POSTGRES_DOCKERFILE.format(base_image=self.base_image), "entrypoint.sh": files.POSTGRES_ENTRYPOINT}
        if component == "redis":
            return {"Dockerfile": files.REDIS_DOCKERFILE.format(base_image=self.base_image)}
        return None

    def write_context(self, component: str, contents: t.Dict[str, str]) -> None:
        context = self.context(component)
        os.makedirs(context, exist_ok=True)
        for name, text in contents.items():
            write_if_changed(os.path.join(context, name), text)

    def stage_app(self, app: t.Dict[str, t.Any]) -> None:
        """The app's source (with reload, its requirements only) plus the extra CA certificates and, when the app has
        none, our Dockerfile."""
        source = source_dir(app)
        if not os.path.isdir(source):
            raise ResourceError("App %s has source %s, which is not a directory on the Docker host: point "
                                "agno_env.apps[].source at the app's code." % (app["name"], source))
        context = self.context(app["name"])
        if os.path.isdir(context):
            shutil.rmtree(context)
        reloads = self.reloads(app)
        if reloads:
            os.makedirs(context)
            if os.path.isfile(os.path.join(source, "requirements.txt")):
                shutil.copyfile(os.path.join(source, "requirements.txt"), os.path.join(context, "requirements.txt"))
        else:
            shutil.copytree(source, context, ignore=COPY_IGNORED, symlinks=True)
        ca_dir = os.path.join(context, files.CA_DIR)
        os.makedirs(ca_dir)
        write_if_changed(os.path.join(ca_dir, "README"), "Extra CA certificates trusted inside the image.\n")
        for path in ca_files(self.env.docker["extra_ca_certificates"]):
            shutil.copyfile(path, os.path.join(ca_dir, os.path.basename(path)))
        if not os.path.exists(os.path.join(context, "Dockerfile")):
            packages = files.RELOAD_PACKAGES if reloads and app["kind"] == "celery" else ()
            write_if_changed(os.path.join(context, "Dockerfile"), files.app_dockerfile(self.base_image, packages))
        if not os.path.exists(os.path.join(context, "requirements.txt")):
            write_if_changed(os.path.join(context, "requirements.txt"), "")


def source_dir(app: t.Dict[str, t.Any]) -> str:
    return os.path.abspath(os.path.expanduser(app["source"]))


def reloading(app: t.Dict[str, t.Any], command: t.List[str]) -> t.List[str]:
    """The command that serves saved files of the mounted source: the kind's server with its reload flags, or a Celery
    process under watchfiles (in its image with reload), which restarts it when a Python file changes."""
    if app["kind"] == "celery":
        return ["watchfiles", "--target-type", "command", "--filter", "python", shlex.join(command), files.APP_DIR]
    return command + RELOAD_FLAGS[app["kind"]]


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
