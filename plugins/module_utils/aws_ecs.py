# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ECS resources share: ECS tags ({key, value}), Fargate sizes, container definition normalisation."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils.aws_client import AwsResource, dict_to_tags, tag_changes, tags_to_dict

# Fargate task sizes: CPU units to the allowed memory (MiB) range and step.
FARGATE_MEMORY = {256: (512, 2048, None), 512: (1024, 4096, 1024), 1024: (2048, 8192, 1024), 2048: (4096, 16384, 1024),
                  4096: (8192, 30720, 1024), 8192: (16384, 61440, 4096), 16384: (32768, 122880, 8192)}
HEALTH_CHECK_DEFAULTS = {"interval": 30, "timeout": 5, "retries": 3}


def ecs_tags(tags: t.Optional[t.List[t.Dict[str, str]]]) -> t.Dict[str, str]:
    return tags_to_dict(tags, "key", "value")


def ecs_tag_list(tags: t.Dict[str, str]) -> t.List[t.Dict[str, str]]:
    return dict_to_tags(tags, "key", "value")


def fargate_size_problem(cpu: int, memory: int) -> t.Optional[str]:
    if cpu not in FARGATE_MEMORY:
        return "cpu %d is not a Fargate size; use one of %s" % (cpu, ", ".join(str(size) for size in sorted(FARGATE_MEMORY)))
    low, high, step = FARGATE_MEMORY[cpu]
    allowed = [512, 1024, 2048] if cpu == 256 else list(range(low, high + 1, step or 1024))
    if memory not in allowed:
        return "memory %d does not fit cpu %d on Fargate; use %d to %d MiB (%s)" % (
            memory, cpu, low, high, "512, 1024 or 2048" if cpu == 256 else "in steps of %d" % step)
    return None


def port_mapping(port: t.Any) -> t.Dict[str, t.Any]:
    """A port as an awsvpc port mapping: host port equals container port, tcp unless said."""
    spec = port if isinstance(port, dict) else {"container_port": port}
    container_port = int(spec["container_port"])
    return {"containerPort": container_port, "hostPort": int(spec.get("host_port") or container_port),
            "protocol": spec.get("protocol") or "tcp"}


def health_check(spec: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    command = spec["command"]
    if isinstance(command, str):
        command = ["CMD-SHELL", command]
    check = {"command": list(command)}
    for key, default in HEALTH_CHECK_DEFAULTS.items():
        check[key] = int(spec.get(key) or default)
    if spec.get("start_period"):
        check["startPeriod"] = int(spec["start_period"])
    return check


def container_definition(spec: t.Dict[str, t.Any], region: str) -> t.Dict[str, t.Any]:
    """A task's container from this collection's options, in ECS's terms, canonical."""
    definition: t.Dict[str, t.Any] = {"name": spec["name"], "image": spec["image"],
                                      "essential": spec.get("essential", True) is not False}
    simple = (("command", "command"), ("entrypoint", "entryPoint"), ("user", "user"), ("working_directory", "workingDirectory"),
              ("cpu", "cpu"), ("memory", "memory"), ("memory_reservation", "memoryReservation"),
              ("readonly_root_filesystem", "readonlyRootFilesystem"))
    for option, key in simple:
        if spec.get(option) not in (None, [], ""):
            definition[key] = spec[option]
    if spec.get("ports"):
        definition["portMappings"] = [port_mapping(port) for port in spec["ports"]]
    if spec.get("environment"):
        definition["environment"] = [{"name": key, "value": str(value)} for key, value in spec["environment"].items()]
    if spec.get("secrets"):
        definition["secrets"] = [{"name": key, "valueFrom": value} for key, value in spec["secrets"].items()]
    if spec.get("health_check"):
        definition["healthCheck"] = health_check(spec["health_check"])
    logs = spec.get("awslogs")
    if logs:
        definition["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": logs["group"], "awslogs-region": logs.get("region") or region,
            "awslogs-stream-prefix": logs.get("stream_prefix") or spec["name"]}}
    elif spec.get("log_configuration"):
        definition["logConfiguration"] = spec["log_configuration"]
    return canonical_container(definition)


CANONICAL_KEYS = ("name", "image", "essential", "command", "entryPoint", "user", "workingDirectory", "cpu", "memory",
                  "memoryReservation", "readonlyRootFilesystem", "portMappings", "environment", "secrets", "healthCheck",
                  "logConfiguration")


def canonical_container(definition: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """Keys this collection manages, with ECS's defaults and empty values dropped and lists sorted."""
    result = {key: definition[key] for key in CANONICAL_KEYS if definition.get(key) not in (None, [], {}, "")}
    result["essential"] = definition.get("essential", True) is not False
    if result.get("cpu") == 0:
        del result["cpu"]
    if not result.get("readonlyRootFilesystem"):
        result.pop("readonlyRootFilesystem", None)
    for key, sort_key in (("portMappings", "containerPort"), ("environment", "name"), ("secrets", "name")):
        if key in result:
            items = [{name: value for name, value in item.items() if name in ("containerPort", "hostPort", "protocol", "name", "value", "valueFrom")}
                     for item in result[key]]
            if key == "portMappings":
                items = [dict(item, hostPort=item.get("hostPort") or item["containerPort"], protocol=item.get("protocol", "tcp"))
                         for item in items]
            result[key] = sorted(items, key=lambda item: item[sort_key])
    if "healthCheck" in result:
        result["healthCheck"] = dict(HEALTH_CHECK_DEFAULTS, **result["healthCheck"])
    return result


class EcsResource(AwsResource):
    """An ECS object with tags managed through its ARN."""

    def sync_tags(self, arn: str, current: t.Dict[str, str], desired: t.Dict[str, str]) -> None:
        ecs = self.client("ecs")
        to_set, to_remove = tag_changes(current, desired, self.params["purge_tags"])
        if to_set:
            ecs.tag_resource(resourceArn=arn, tags=ecs_tag_list(to_set))
        if to_remove:
            ecs.untag_resource(resourceArn=arn, tagKeys=to_remove)
