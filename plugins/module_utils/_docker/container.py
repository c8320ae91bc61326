# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker container as a lifecycle resource.

Docker can change a few things of a running container in place (restart policy, networks,
running or not); everything else is fixed at creation, so a difference there recreates it.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker import container_fields as spec
from ansible_collections.agno.infra.plugins.module_utils._docker.client import (
    INTERNAL_LABEL_PREFIX, SDK, DockerResource, inspect_or_none, user_labels)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Parses, Range, ResourceError

#: Names (never values) of the env entries that came from secret_env, so they can be told apart on read.
SECRET_KEYS_LABEL = INTERNAL_LABEL_PREFIX + "secret_env_keys"
LOG_LINES_ON_FAILURE = 20
# A container without a healthcheck is ready once it has run this long after the task started it: one whose command
# fails at once (a typo, a missing setting) then fails the task instead of passing it between its start and its exit.
SETTLE_SECONDS = 1.0
# How long the daemon may take to finish a removal that an earlier, interrupted run started.
REMOVAL_TIMEOUT = 120


def removal_in_progress(error: BaseException) -> bool:
    return isinstance(error, SDK.APIError) and getattr(error, "status_code", None) == 409 and "already in progress" in str(error)


def duration(value: t.Any, option: str) -> int:
    """A healthcheck duration, named as its message names it (healthcheck.interval)."""
    return spec.parse_duration(value, option.rpartition(".")[2])


#: Set at creation only: a difference in any of these recreates the container.
FIXED_AT_CREATION = ("image", "image_id", "command", "entrypoint", "env", "secret_env", "labels", "ports", "volumes",
                     "tmpfs", "healthcheck", "user", "working_dir", "memory", "cpus", "read_only")


class ContainerResource(DockerResource):
    module_name = "docker_container"
    owned_kind = "container"
    argument_spec: t.Dict[str, t.Any] = {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "started", "choices": ["started", "stopped", "absent"]},
        "image": {"type": "str"},
        "pull": {"type": "bool", "default": True},
        "command": {"type": "raw"},
        "entrypoint": {"type": "raw"},
        "env": {"type": "dict"},
        "secret_env": {"type": "dict", "no_log": True},
        "labels": {"type": "dict"},
        "ports": {"type": "list", "elements": "str"},
        "volumes": {"type": "list", "elements": "str"},
        "tmpfs": {"type": "list", "elements": "str"},
        "networks": {
            "type": "list",
            "elements": "dict",
            "options": {
                "name": {"type": "str", "required": True},
                "aliases": {"type": "list", "elements": "str"},
            },
        },
        "restart_policy": {"type": "str", "choices": ["no", "always", "on-failure", "unless-stopped"]},
        "restart_retries": {"type": "int"},
        "healthcheck": {
            "type": "dict",
            "options": {
                "test": {"type": "raw", "required": True},
                "interval": {"type": "str"},
                "timeout": {"type": "str"},
                "retries": {"type": "int"},
                "start_period": {"type": "str"},
            },
        },
        "user": {"type": "str"},
        "working_dir": {"type": "str"},
        "memory": {"type": "str"},
        "cpus": {"type": "float"},
        "read_only": {"type": "bool"},
        "stop_timeout": {"type": "int", "default": 10},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 120},
    }
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "started", ["image"]), ("state", "stopped", ["image"])]}
    constraints = {
        "ports": Parses(lambda value, option: spec.parse_port(value)),
        "volumes": Parses(lambda value, option: spec.parse_volume(value)),
        "tmpfs": Parses(lambda value, option: spec.tmpfs_mounts([value])),
        "memory": Parses(lambda value, option: spec.parse_memory(value)),
        "healthcheck.interval": Parses(duration),
        "healthcheck.timeout": Parses(duration),
        "healthcheck.start_period": Parses(duration),
        "cpus": Range(0.01),
        "restart_retries": Range(0),
        "stop_timeout": Range(0),
        "healthcheck.retries": Range(0),
    }
    kind = "docker container"
    result_key = "container"
    secret_fields = ("secret_env",)
    replace_fields = FIXED_AT_CREATION

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        self._images: t.Dict[str, t.Optional[t.Dict[str, t.Any]]] = {}
        # When this task started the container (on the engine's clock): see settled().
        self.started_at: t.Optional[float] = None

    # ---- desired state -----------------------------------------------------------------
    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {"running": params["state"] == "started"}
        reference = spec.image_reference(params["image"])
        image = self._image(reference)
        wanted["image"] = reference
        wanted["image_id"] = image["Id"] if image else None
        for field in ("command", "entrypoint"):
            if params.get(field) is not None:
                wanted[field] = spec.command_list(params[field])
        wanted.update(self._desired_env())
        if params.get("labels") is not None:
            wanted["labels"] = spec.string_map(params["labels"])
        if params.get("ports") is not None:
            wanted["ports"] = spec.desired_ports(params["ports"])
        if params.get("volumes") is not None:
            wanted["volumes"] = spec.desired_volumes(params["volumes"])
        if params.get("tmpfs") is not None:
            wanted["tmpfs"] = spec.tmpfs_mounts(params["tmpfs"])
        if params.get("networks") is not None:
            wanted["networks"] = spec.desired_networks(params["networks"])
        if params.get("restart_policy") is not None:
            wanted["restart_policy"] = params["restart_policy"]
        if params.get("restart_retries") is not None:
            wanted["restart_retries"] = params["restart_retries"]
        if params.get("healthcheck") is not None:
            wanted["healthcheck"] = spec.desired_healthcheck(params["healthcheck"])
        for field in ("user", "working_dir", "read_only"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if params.get("memory") is not None:
            wanted["memory"] = spec.parse_memory(params["memory"])
        if params.get("cpus") is not None:
            wanted["cpus"] = round(params["cpus"], 3)
        return wanted

    def _desired_env(self) -> t.Dict[str, t.Any]:
        env, secret_env = self.params.get("env"), self.params.get("secret_env")
        both = sorted(set(env or {}) & set(secret_env or {}))
        if both:
            raise ResourceError("docker container %s sets %s in both env and secret_env: keep each key in one of them."
                                % (self.name, ", ".join(both)))
        for option, values in (("env", env), ("secret_env", secret_env)):
            nested = sorted(key for key, value in (values or {}).items() if isinstance(value, (dict, list)))
            if nested:
                raise ResourceError("docker container %s has %s.%s set to a list or mapping: an environment value is a "
                                    "string, a number or a boolean." % (self.name, option, nested[0]))
        wanted = {}
        if env is not None:
            wanted["env"] = spec.string_map(env)
        if secret_env is not None:
            wanted["secret_env"] = spec.string_map(secret_env)
        return wanted

    # ---- current state -----------------------------------------------------------------
    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        info = inspect_or_none(self.client.inspect_container, self.name)
        if info is not None and info["State"].get("Status") == "removing":
            info = self.removal_finished(info["Id"])
        if info is None:
            return None
        return self._state(info)

    def removal_finished(self, container_id: str) -> t.Optional[t.Dict[str, t.Any]]:
        """What is left once the daemon has finished removing the container (an interrupted run asked it to): usually nothing."""
        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            info = inspect_or_none(self.client.inspect_container, container_id)
            return info is None or info["State"].get("Status") != "removing", info

        return t.cast(t.Optional[t.Dict[str, t.Any]], self.poll(check, REMOVAL_TIMEOUT, lambda: (
            "Docker has been removing container %s for over %d s: check the engine (docker ps -a, its log) and run again."
            % (self.name, REMOVAL_TIMEOUT))))

    def _state(self, info: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        config, host, status = info["Config"], info["HostConfig"], info["State"]
        name = info["Name"].lstrip("/")
        image_config = (self._image(info["Image"]) or {}).get("Config") or {}
        labels = config.get("Labels") or {}
        secret_keys = sorted(key for key in labels.get(SECRET_KEYS_LABEL, "").split(",") if key)
        env = spec.env_list_to_dict(config.get("Env"))
        plain_env = {key: value for key, value in env.items() if key not in secret_keys}
        policy = host.get("RestartPolicy") or {}
        wanted_healthcheck = spec.desired_healthcheck(self.params["healthcheck"]) if self.params.get("healthcheck") else None
        return {
            "id": info["Id"],
            "name": name,
            "image": spec.image_reference(config.get("Image") or ""),
            "image_id": info["Image"],
            "command": config.get("Cmd"),
            "entrypoint": config.get("Entrypoint"),
            "env": spec.own_entries(plain_env, spec.env_list_to_dict(image_config.get("Env")), self.params.get("env") or {}),
            "secret_env": {key: env.get(key) for key in secret_keys},
            "secret_env_keys": secret_keys,
            "labels": spec.own_entries(user_labels(labels), image_config.get("Labels") or {}, self.params.get("labels") or {}),
            "ports": spec.current_ports(host.get("PortBindings")),
            "volumes": spec.current_volumes(host.get("Binds")),
            "tmpfs": host.get("Tmpfs") or {},
            "networks": spec.current_networks((info.get("NetworkSettings") or {}).get("Networks"), [info["Id"][:12], name]),
            "restart_policy": spec.current_restart_policy(policy),
            "restart_retries": policy.get("MaximumRetryCount") or 0,
            "healthcheck": spec.current_healthcheck(config.get("Healthcheck"), wanted_healthcheck or config.get("Healthcheck") or {}),
            "user": config.get("User") or "",
            "working_dir": config.get("WorkingDir") or "",
            "memory": host.get("Memory") or 0,
            "cpus": round((host.get("NanoCpus") or 0) / 1e9, 3),
            "read_only": bool(host.get("ReadonlyRootfs")),
            "running": bool(status.get("Running")),
            "status": status.get("Status"),
            # The healthcheck's verdict (healthy, unhealthy, starting), or the status of a container without one.
            "health": {"state": (status.get("Health") or {}).get("Status") or status.get("Status")},
            "exit_code": status.get("ExitCode"),
        }

    def _image(self, reference: str) -> t.Optional[t.Dict[str, t.Any]]:
        """Inspect an image once per run (the desired and the current image are often the same)."""
        if reference not in self._images:
            image = inspect_or_none(self.client.inspect_image, reference)
            self._images[reference] = image
            if image:
                self._images[image["Id"]] = image
        return self._images[reference]

    # ---- changes -----------------------------------------------------------------------
    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self._ensure_image(desired["image"])
        networks = desired.get("networks") or []
        created = self.client.create_container(
            image=desired["image"],
            name=self.name,
            command=desired.get("command"),
            entrypoint=desired.get("entrypoint"),
            environment=dict(desired.get("env") or {}, **(desired.get("secret_env") or {})) or None,
            labels=self._labels(desired),
            ports=[(int(key.split("/")[0]), key.split("/")[1]) for key in spec.port_bindings(desired.get("ports") or [])] or None,
            healthcheck=self._healthcheck(desired.get("healthcheck")),
            user=desired.get("user"),
            working_dir=desired.get("working_dir"),
            host_config=self._host_config(desired, networks[0]["name"] if networks else None),
            networking_config=self._networking_config(networks[0]) if networks else None,
            stop_timeout=self.params["stop_timeout"],
            use_config_proxy=False,  # proxies from ~/.docker/config.json would add env the task never set
        )
        for network in networks[1:]:
            self.client.connect_container_to_network(created["Id"], network["name"], aliases=network["aliases"] or None)
        if desired["running"]:
            self.start(created["Id"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        container = current["id"]
        if "restart_policy" in changes or "restart_retries" in changes:
            self.client.update_container(container, restart_policy=spec.restart_policy(
                desired.get("restart_policy", current["restart_policy"]),
                desired.get("restart_retries", current["restart_retries"])))
        if "networks" in changes:
            disconnect, connect = spec.network_changes(current["networks"], desired["networks"])
            for network in disconnect:
                self.client.disconnect_container_from_network(container, network)
            for network in connect:
                self.client.connect_container_to_network(container, network["name"], aliases=network["aliases"] or None)
        if "running" in changes:
            if desired["running"]:
                self.start(container)
            else:
                self.client.stop(container, timeout=self.params["stop_timeout"])

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        if current["running"]:
            self.client.stop(current["id"], timeout=self.params["stop_timeout"])
        # Anonymous volumes stay: they may hold data, and docker_volume manages named ones.
        try:
            self.client.remove_container(current["id"], force=True)
        except Exception as error:  # pylint: disable=broad-except
            if not removal_in_progress(error):
                raise
            self.removal_finished(current["id"])

    def _ensure_image(self, reference: str) -> None:
        if self._image(reference):
            return
        host = self.params.get("docker_host")
        if not self.params["pull"]:
            raise ResourceError("Image %s is not on the Docker host at %s and pull is false: build it first "
                                "(agno.infra.docker_image) or set pull: true." % (reference, host))
        repository, _sep, tag = reference.rpartition(":")
        try:
            self.client.pull(repository, tag=tag)
        except Exception as error:  # pylint: disable=broad-except
            reason = str(getattr(error, "explanation", None) or error).strip().rstrip(".")
            raise ResourceError("Image %s is not on the Docker host at %s and pulling it failed (%s): build it "
                                "locally with agno.infra.docker_image, or check the image name and the registry's "
                                "reachability and credentials." % (reference, host, reason))
        self._images.pop(reference, None)

    @staticmethod
    def _labels(desired: t.Dict[str, t.Any]) -> t.Dict[str, str]:
        labels = dict(desired.get("labels") or {})
        if desired.get("secret_env"):
            labels[SECRET_KEYS_LABEL] = ",".join(sorted(desired["secret_env"]))
        return labels

    @staticmethod
    def _healthcheck(check: t.Optional[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        if not check:
            return None
        return {key.lower() if key != "StartPeriod" else "start_period": value for key, value in check.items()}

    def _host_config(self, desired: t.Dict[str, t.Any], network_mode: t.Optional[str]) -> t.Any:
        options: t.Dict[str, t.Any] = {
            "port_bindings": spec.port_bindings(desired.get("ports") or []) or None,
            "binds": desired.get("volumes") or None,
            "tmpfs": desired.get("tmpfs") or None,
            "read_only": desired.get("read_only"),
            "mem_limit": desired.get("memory") or None,
            "nano_cpus": int(desired["cpus"] * 1e9) if desired.get("cpus") else None,
            "network_mode": network_mode,
        }
        if "restart_policy" in desired or "restart_retries" in desired:
            options["restart_policy"] = spec.restart_policy(desired.get("restart_policy", "no"),
                                                            desired.get("restart_retries", 0))
        return self.client.create_host_config(**{key: value for key, value in options.items() if value is not None})

    def _networking_config(self, network: t.Dict[str, t.Any]) -> t.Any:
        endpoint = self.client.create_endpoint_config(aliases=network["aliases"] or None)
        return self.client.create_networking_config({network["name"]: endpoint})

    # ---- readiness ---------------------------------------------------------------------
    def start(self, container: str) -> None:
        self.client.start(container)
        self.started_at = self.clock.now()

    def settled(self, state: t.Dict[str, t.Any]) -> bool:
        """Whether the container's readiness can be trusted: its healthcheck says so, or (without one) it has run
        SETTLE_SECONDS since this task started it."""
        return (state["health"]["state"] != "running" or self.started_at is None
                or self.clock.now() - self.started_at >= SETTLE_SECONDS)

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if self.params["state"] != "started" or (is_ready(state) and self.settled(state)):
            return state
        latest = [state]

        def check() -> t.Tuple[bool, t.Dict[str, t.Any]]:
            latest[0] = self._state(self.client.inspect_container(state["id"]))
            if latest[0]["status"] in ("exited", "dead") and self.params.get("restart_policy") in (None, "no"):
                raise ResourceError(self._not_ready_message(latest[0], "stopped with exit code %s" % latest[0]["exit_code"]))
            return is_ready(latest[0]) and self.settled(latest[0]), latest[0]

        return t.cast(t.Dict[str, t.Any], self.poll(
            check, timeout, lambda: self._not_ready_message(latest[0], "was not ready within %d s" % timeout),
            interval=0.5))

    def _not_ready_message(self, state: t.Dict[str, t.Any], what: str) -> str:
        health = " (health: %s)" % state["health"]["state"] if state["health"]["state"] != state["status"] else ""
        return "Docker container %s %s, status %s%s; check its command, healthcheck and configuration. %s" % (
            self.name, what, state["status"], health, self._evidence(state))

    def _evidence(self, state: t.Dict[str, t.Any]) -> str:
        """The last health-check output and log lines, which usually say why."""
        try:
            info = self.client.inspect_container(state["id"])
            logs = self.client.logs(state["id"], tail=LOG_LINES_ON_FAILURE).decode("utf-8", "replace").strip()
        except SDK.NotFound:
            return "The container is gone."
        probes = ((info["State"].get("Health") or {}).get("Log") or [])[-1:]
        parts = ["Last health check output: %s" % probes[0].get("Output", "").strip()] if probes else []
        parts.append("Last log lines: %s" % (logs.replace("\n", " | ") if logs else "(none)"))
        return " ".join(parts)


def is_ready(state: t.Dict[str, t.Any]) -> bool:
    """Running, and healthy when the container has a healthcheck."""
    return bool(state["running"]) and state["health"]["state"] in ("running", "healthy")
