# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ECS resources share: ECS tags ({key, value}), Fargate sizes, container definition normalisation.

A container definition is compared in ECS's own terms (camelCase keys). Both sides, the task's options and
what DescribeTaskDefinition answers, go through ``canonical_container`` so that defaults ECS fills in,
empty lists and ordering never look like a difference.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import NamedResource
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Pattern, ResourceError

# Fargate task sizes: CPU units to the memory sizes (MiB) Fargate accepts with them.
FARGATE_MEMORY: t.Dict[int, t.List[int]] = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4096 + 1, 1024)),
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
}
# Names of clusters, services and task definition families.
ECS_NAME = Pattern(r"[A-Za-z0-9_-]{1,255}", "1 to 255 letters, digits, hyphens and underscores")
# What ECS fills in for a health check that leaves them out.
HEALTH_CHECK_DEFAULTS = {"interval": 30, "timeout": 5, "retries": 3}
# Limits ECS enforces on health check timings (seconds, or a count for retries).
HEALTH_CHECK_LIMITS = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "start_period": (0, 300)}
# The container keys this collection manages, in ECS's terms; anything else ECS returns is ignored.
CANONICAL_KEYS = ("name", "image", "essential", "command", "entryPoint", "user", "workingDirectory", "cpu", "memory",
                  "memoryReservation", "readonlyRootFilesystem", "portMappings", "environment", "secrets", "healthCheck",
                  "logConfiguration", "dependsOn")
# Lists ECS may return in any order, with the key that orders them and the item keys compared.
ORDERED_LISTS = {
    "portMappings": ("containerPort", ("containerPort", "hostPort", "protocol")),
    "environment": ("name", ("name", "value")),
    "secrets": ("name", ("name", "valueFrom")),
    "dependsOn": ("containerName", ("containerName", "condition")),
}

CONTAINER_OPTIONS: t.Dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "image": {"type": "str", "required": True},
    "essential": {"type": "bool", "default": True},
    "command": {"type": "list", "elements": "str"},
    "entrypoint": {"type": "list", "elements": "str"},
    "ports": {"type": "list", "elements": "raw", "aliases": ["port_mappings"]},
    "environment": {"type": "dict", "aliases": ["env"]},
    "secrets": {"type": "dict", "no_log": False},
    "log_configuration": {"type": "dict", "aliases": ["awslogs"], "options": {
        "log_group": {"type": "str", "required": True},
        "region": {"type": "str"},
        "stream_prefix": {"type": "str"},
    }},
    "health_check": {"type": "dict", "options": {
        "command": {"type": "raw", "required": True},
        "interval": {"type": "int"},
        "timeout": {"type": "int"},
        "retries": {"type": "int"},
        "start_period": {"type": "int"},
    }},
    "readonly_root_filesystem": {"type": "bool", "default": True},
    "user": {"type": "str"},
    "working_directory": {"type": "str"},
    "cpu": {"type": "int"},
    "memory": {"type": "int"},
    "memory_reservation": {"type": "int"},
    "depends_on": {"type": "list", "elements": "dict", "options": {
        "container_name": {"type": "str", "required": True},
        "condition": {"type": "str", "default": "START", "choices": ["START", "COMPLETE", "SUCCESS", "HEALTHY"]},
    }},
}


def ecs_tags(tags: t.Optional[t.List[t.Dict[str, str]]]) -> t.Dict[str, str]:
    return tags_to_dict(tags, "key", "value")


def fargate_size_problem(cpu: int, memory: int) -> t.Optional[str]:
    """Why Fargate refuses this task size, or None when it accepts it."""
    if cpu not in FARGATE_MEMORY:
        return "cpu %d is not a Fargate size; use one of %s" % (cpu, ", ".join(str(size) for size in sorted(FARGATE_MEMORY)))
    allowed = FARGATE_MEMORY[cpu]
    if memory in allowed:
        return None
    if cpu == 256:
        return "memory %d does not fit cpu 256 on Fargate; use 512, 1024 or 2048 MiB" % memory
    return "memory %d does not fit cpu %d on Fargate; use %d to %d MiB in steps of %d" % (
        memory, cpu, allowed[0], allowed[-1], allowed[1] - allowed[0])


def env_value(value: t.Any) -> str:
    """An environment value as the string a container sees; YAML booleans as true/false, not Python's True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def port_mapping(port: t.Any, container: str) -> t.Dict[str, t.Any]:
    """A port (a number or a dict) as an awsvpc port mapping: the host port is the container port, tcp unless said."""
    spec = port if isinstance(port, dict) else {"container_port": port}
    try:
        container_port = int(spec["container_port"])
        host_port = int(spec.get("host_port") or container_port)
    except (KeyError, TypeError, ValueError):
        raise ResourceError("Container %s has a port %r that is not a number or a dict with container_port: give 8000 or "
                            "{container_port: 8000, protocol: tcp}." % (container, port))
    protocol = spec.get("protocol") or "tcp"
    if not 1 <= container_port <= 65535 or host_port != container_port or protocol not in ("tcp", "udp"):
        raise ResourceError("Container %s has an invalid port %r: use a port from 1 to 65535, protocol tcp or udp, and no "
                            "host_port other than the container port (awsvpc)." % (container, port))
    return {"containerPort": container_port, "hostPort": host_port, "protocol": protocol}


def health_check(spec: t.Dict[str, t.Any], container: str) -> t.Dict[str, t.Any]:
    """A health check in ECS's terms: a string command runs in a shell, timings within ECS's limits."""
    command = spec["command"]
    command = ["CMD-SHELL", command] if isinstance(command, str) else [str(part) for part in command]
    check: t.Dict[str, t.Any] = {"command": command}
    for option, (low, high) in HEALTH_CHECK_LIMITS.items():
        value = spec.get(option)
        if value is None:
            continue
        if not low <= value <= high:
            raise ResourceError("Container %s has health_check.%s %d: ECS accepts %d to %d." % (container, option, value, low, high))
        check["startPeriod" if option == "start_period" else option] = value
    return check


def awslogs(spec: t.Dict[str, t.Any], container: str, region: str) -> t.Dict[str, t.Any]:
    return {"logDriver": "awslogs", "options": {
        "awslogs-group": spec["log_group"], "awslogs-region": spec.get("region") or region,
        "awslogs-stream-prefix": spec.get("stream_prefix") or container}}


def container_definition(spec: t.Dict[str, t.Any], region: str) -> t.Dict[str, t.Any]:
    """A task's container from this collection's options, in ECS's terms, canonical."""
    name = spec["name"]
    definition: t.Dict[str, t.Any] = {"name": name, "image": spec["image"], "essential": spec.get("essential", True) is not False}
    simple = (("command", "command"), ("entrypoint", "entryPoint"), ("user", "user"), ("working_directory", "workingDirectory"),
              ("cpu", "cpu"), ("memory", "memory"), ("memory_reservation", "memoryReservation"),
              ("readonly_root_filesystem", "readonlyRootFilesystem"))
    for option, key in simple:
        definition[key] = spec.get(option)
    definition["portMappings"] = [port_mapping(port, name) for port in spec.get("ports") or []]
    definition["environment"] = [{"name": str(key), "value": env_value(value)} for key, value in (spec.get("environment") or {}).items()]
    definition["secrets"] = [{"name": str(key), "valueFrom": str(value)} for key, value in (spec.get("secrets") or {}).items()]
    definition["dependsOn"] = [{"containerName": item["container_name"], "condition": item.get("condition") or "START"}
                               for item in spec.get("depends_on") or []]
    if spec.get("health_check"):
        definition["healthCheck"] = health_check(spec["health_check"], name)
    if spec.get("log_configuration"):
        definition["logConfiguration"] = awslogs(spec["log_configuration"], name, region)
    return canonical_container(definition)


def canonical_list(items: t.List[t.Dict[str, t.Any]], key: str) -> t.List[t.Dict[str, t.Any]]:
    order, compared = ORDERED_LISTS[key]
    kept = [{name: value for name, value in item.items() if name in compared} for item in items]
    if key == "portMappings":
        kept = [dict(item, hostPort=item.get("hostPort") or item["containerPort"], protocol=item.get("protocol") or "tcp") for item in kept]
    return sorted(kept, key=lambda item: item[order])


def canonical_log_configuration(config: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    result = {"logDriver": config.get("logDriver"), "options": dict(config.get("options") or {})}
    if config.get("secretOptions"):
        result["secretOptions"] = sorted(config["secretOptions"], key=lambda item: item["name"])
    return result


def canonical_container(definition: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """Keys this collection manages, with ECS's defaults made explicit, empty values dropped and lists sorted."""
    result = {key: definition[key] for key in CANONICAL_KEYS if definition.get(key) not in (None, [], {}, "")}
    result["essential"] = definition.get("essential", True) is not False
    # ECS answers cpu 0 and readonlyRootFilesystem false for containers that never set them.
    if result.get("cpu") == 0:
        del result["cpu"]
    if not result.get("readonlyRootFilesystem"):
        result.pop("readonlyRootFilesystem", None)
    for key in ORDERED_LISTS:
        if key in result:
            result[key] = canonical_list(result[key], key)
    if "healthCheck" in result:
        result["healthCheck"] = dict(HEALTH_CHECK_DEFAULTS, **result["healthCheck"])
    if "logConfiguration" in result:
        result["logConfiguration"] = canonical_log_configuration(result["logConfiguration"])
    return result


def check_dependencies(containers: t.List[t.Dict[str, t.Any]], family: str) -> None:
    """Every depends_on names another container of the same task."""
    names = {container["name"] for container in containers}
    for container in containers:
        for item in container.get("dependsOn") or []:
            if item["containerName"] not in names or item["containerName"] == container["name"]:
                raise ResourceError("Task definition %s: container %s depends on %s, which is not another container of the "
                                    "task; fix depends_on." % (family, container["name"], item["containerName"]))


class EcsResource(NamedResource):
    """An ECS object with tags managed through its ARN."""

    tag_calls = tagging.ECS
