# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS task definition family as a lifecycle resource: a new revision only when the definition really differs."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils.aws_client import TAGS_ARGUMENT_SPEC, desired_tags, is_not_found
from ansible_collections.agno.infra.plugins.module_utils.aws_ecs import (
    EcsResource, canonical_container, container_definition, ecs_tag_list, ecs_tags, fargate_size_problem)
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import ResourceError

CONTAINER_OPTIONS: t.Dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "image": {"type": "str", "required": True},
    "essential": {"type": "bool", "default": True},
    "command": {"type": "list", "elements": "str"},
    "entrypoint": {"type": "list", "elements": "str"},
    "ports": {"type": "list", "elements": "raw"},
    "environment": {"type": "dict"},
    "secrets": {"type": "dict", "no_log": False},
    "awslogs": {"type": "dict", "options": {
        "group": {"type": "str", "required": True},
        "region": {"type": "str"},
        "stream_prefix": {"type": "str"},
    }},
    "log_configuration": {"type": "dict"},
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
}
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    {
        "family": {"type": "str", "required": True, "aliases": ["name"]},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "cpu": {"type": "int"},
        "memory": {"type": "int"},
        "network_mode": {"type": "str", "default": "awsvpc", "choices": ["awsvpc", "bridge", "host", "none"]},
        "requires_compatibilities": {"type": "list", "elements": "str", "default": ["FARGATE"]},
        "execution_role_arn": {"type": "str"},
        "task_role_arn": {"type": "str"},
        "cpu_architecture": {"type": "str", "choices": ["X86_64", "ARM64"]},
        "containers": {"type": "list", "elements": "dict", "options": CONTAINER_OPTIONS},
    },
    **TAGS_ARGUMENT_SPEC,
)
REQUIRED_IF = [("state", "present", ["containers", "cpu", "memory"])]


class TaskDefinitionResource(EcsResource):
    kind = "task definition"
    result_key = "task_definition"

    @property
    def name(self) -> str:
        return str(self.params["family"])

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        if "FARGATE" in params["requires_compatibilities"]:
            problem = fargate_size_problem(params["cpu"], params["memory"])
            if problem:
                raise ResourceError("Task definition %s: %s." % (self.name, problem))
        region = self.client.region if self.client else ""
        wanted: t.Dict[str, t.Any] = {
            "cpu": str(params["cpu"]), "memory": str(params["memory"]), "network_mode": params["network_mode"],
            "requires_compatibilities": sorted(params["requires_compatibilities"]),
            "execution_role_arn": params.get("execution_role_arn"), "task_role_arn": params.get("task_role_arn"),
            "containers": sorted((container_definition(spec, region) for spec in params["containers"]),
                                 key=lambda item: item["name"]),
        }
        if params.get("cpu_architecture"):
            wanted["cpu_architecture"] = params["cpu_architecture"]
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            answer = self.client("ecs").describe_task_definition(taskDefinition=self.name, include=["TAGS"])
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ClientException", "InvalidParameterException"):
                return None
            raise
        found = answer["taskDefinition"]
        if found.get("status") != "ACTIVE":
            return None
        return {
            "arn": found["taskDefinitionArn"],
            "family": found["family"],
            "revision": found["revision"],
            "cpu": found.get("cpu"),
            "memory": found.get("memory"),
            "network_mode": found.get("networkMode"),
            "requires_compatibilities": sorted(found.get("requiresCompatibilities") or []),
            "execution_role_arn": found.get("executionRoleArn"),
            "task_role_arn": found.get("taskRoleArn"),
            "cpu_architecture": (found.get("runtimePlatform") or {}).get("cpuArchitecture"),
            "containers": sorted((canonical_container(item) for item in found.get("containerDefinitions") or []),
                                 key=lambda item: item["name"]),
            "tags": ecs_tags(answer.get("tags")),
        }

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Register a revision (the first, or the next one when anything differs)."""
        request: t.Dict[str, t.Any] = {
            "family": self.name, "cpu": desired["cpu"], "memory": desired["memory"],
            "networkMode": desired["network_mode"], "requiresCompatibilities": desired["requires_compatibilities"],
            "containerDefinitions": desired["containers"],
        }
        for field, key in (("execution_role_arn", "executionRoleArn"), ("task_role_arn", "taskRoleArn")):
            if desired.get(field):
                request[key] = desired[field]
        if desired.get("cpu_architecture"):
            request["runtimePlatform"] = {"cpuArchitecture": desired["cpu_architecture"], "operatingSystemFamily": "LINUX"}
        if desired.get("tags"):
            request["tags"] = ecs_tag_list(desired["tags"])
        self.client("ecs").register_task_definition(**request)
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        if set(changes) - {"tags"}:
            return self.create(dict(desired, tags=desired.get("tags", current.get("tags"))))
        self.sync_tags(current["arn"], current["tags"], changes["tags"])
        return t.cast(t.Dict[str, t.Any], self.read())

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        """Deregister every active revision of the family."""
        ecs = self.client("ecs")
        pages = ecs.get_paginator("list_task_definitions").paginate(familyPrefix=self.name, status="ACTIVE")
        for arn in [arn for page in pages for arn in page["taskDefinitionArns"]]:
            if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == self.name:
                ecs.deregister_task_definition(taskDefinition=arn)
