# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS task definition family as a lifecycle resource: a new revision only when the definition really differs.

The resource is the family's latest ACTIVE revision. An "update" registers the next revision (a task
definition is immutable), except when only tags differ: those are changed on the latest revision.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, lower_case
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs import (
    CONTAINER_OPTIONS, ECS_NAME, EcsResource, canonical_container, check_dependencies, container_definition, ecs_tags,
    fargate_size_problem)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import number

# Task-level fields: option name to RegisterTaskDefinition key.
TASK_KEYS = (("cpu", "cpu"), ("memory", "memory"), ("network_mode", "networkMode"),
             ("requires_compatibilities", "requiresCompatibilities"), ("execution_role_arn", "executionRoleArn"),
             ("task_role_arn", "taskRoleArn"), ("runtime_platform", "runtimePlatform"), ("containers", "containerDefinitions"))


def runtime_platform(spec: t.Optional[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, str]]:
    if not spec:
        return None
    return {"cpuArchitecture": spec.get("cpu_architecture") or "X86_64",
            "operatingSystemFamily": spec.get("operating_system_family") or "LINUX"}


def task_state(found: t.Dict[str, t.Any], tags: t.Optional[t.List[t.Dict[str, str]]]) -> t.Dict[str, t.Any]:
    """One revision as this collection's state, normalised like ``desired``."""
    return {
        "arn": found["taskDefinitionArn"],
        "family": found["family"],
        "revision": found["revision"],
        "status": found.get("status"),
        "cpu": found.get("cpu"),
        "memory": found.get("memory"),
        "network_mode": found.get("networkMode"),
        "requires_compatibilities": sorted(found.get("requiresCompatibilities") or []),
        "execution_role_arn": found.get("executionRoleArn"),
        "task_role_arn": found.get("taskRoleArn"),
        "runtime_platform": found.get("runtimePlatform") or None,
        "containers": sorted((canonical_container(item) for item in found.get("containerDefinitions") or []),
                             key=lambda item: item["name"]),
        "tags": ecs_tags(tags),
    }


def secrets_problems(params: t.Dict[str, t.Any]) -> t.List[str]:
    """ECS fetches a container's secrets with the task's execution role: without one, every task would fail to start."""
    if params.get("execution_role_arn"):
        return []
    return ["containers[%d].secrets needs execution_role_arn: ECS reads secrets with the execution role; set "
            "execution_role_arn to a role that may read them, or pass the values another way." % index
            for index, container in enumerate(params.get("containers") or []) if isinstance(container, dict) and container.get("secrets")]


class TaskDefinitionResource(EcsResource):
    kind = "task definition"
    locator = ("family", "revision")
    result_key = "task_definition"
    name_option = "family"
    constraints = {"family": ECS_NAME}
    # An update registers the next revision: the services using the arn change with it.
    renewed_by_update = ("arn", "revision")

    module_name = "aws_ecs_task_definition"
    owned_kind = "ecs:task-definition"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """task-definition/FAMILY:REVISION: deleting the family deregisters every revision."""
        return {"family": arn_kind(found)[1].rsplit(":", 1)[0]}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "family": {"type": "str", "required": True, "aliases": ["name"]},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "revision": {"type": "int"},
            "cpu": {"type": "int"},
            "memory": {"type": "int"},
            "network_mode": {"type": "str", "default": "awsvpc", "choices": ["awsvpc", "bridge", "host", "none"]},
            "requires_compatibilities": {"type": "list", "elements": "str", "default": ["FARGATE"], "choices": ["FARGATE", "EC2", "EXTERNAL"]},
            "execution_role_arn": {"type": "str"},
            "task_role_arn": {"type": "str"},
            "runtime_platform": {"type": "dict", "options": {
                "cpu_architecture": {"type": "str", "default": "X86_64", "choices": ["X86_64", "ARM64"]},
                "operating_system_family": {"type": "str", "default": "LINUX"},
            }},
            "containers": {"type": "list", "elements": "dict", "options": CONTAINER_OPTIONS},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["containers", "cpu", "memory"])]}

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        if cls.setting(params, "state") != "present":
            return []
        problems = []
        if params.get("revision") is not None:
            problems.append("revision only selects the revision that state=absent deregisters; remove it with "
                            "state=present, where the latest active revision is compared.")
        cpu, memory = number(params.get("cpu")), number(params.get("memory"))
        fargate = "FARGATE" in (cls.setting(params, "requires_compatibilities") or [])
        size = fargate_size_problem(int(cpu), int(memory)) if fargate and cpu is not None and memory is not None else None
        return problems + ([size + "."] if size else []) + secrets_problems(params)

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        containers = sorted((container_definition(spec, self.client.region) for spec in params["containers"]),
                            key=lambda item: item["name"])
        check_dependencies(containers, self.name)
        wanted: t.Dict[str, t.Any] = {
            "cpu": str(params["cpu"]), "memory": str(params["memory"]), "network_mode": params["network_mode"],
            "requires_compatibilities": sorted(set(params["requires_compatibilities"])), "containers": containers,
        }
        # Roles and the platform are compared only when set; an empty role string removes the role.
        for field in ("execution_role_arn", "task_role_arn"):
            if params.get(field) is not None:
                wanted[field] = params[field] or None
        if params.get("runtime_platform") is not None:
            wanted["runtime_platform"] = runtime_platform(params["runtime_platform"])
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def reference(self) -> str:
        revision = self.params.get("revision")
        return "%s:%d" % (self.name, revision) if revision is not None else self.name

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        """The family's latest ACTIVE revision (or the one ``revision`` names), tags included in the same call."""
        try:
            answer = self.client("ecs").describe_task_definition(taskDefinition=self.reference(), include=["TAGS"])
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ClientException", "InvalidParameterException"):
                return None
            raise
        found = answer["taskDefinition"]
        if found.get("status") != "ACTIVE":
            return None
        return task_state(found, answer.get("tags"))

    def register(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Register the next revision of the family from a full state and return it."""
        request: t.Dict[str, t.Any] = {"family": self.name}
        for field, key in TASK_KEYS:
            if state.get(field):
                request[key] = state[field]
        if state.get("tags"):
            request["tags"] = lower_case(state["tags"])
        answer = self.client("ecs").register_task_definition(**request)
        return task_state(answer["taskDefinition"], answer.get("tags") or request.get("tags"))

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return self.register(desired)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        if set(changes) - {"tags"}:
            # The next revision keeps what the task does not set (roles, platform, tags) from the latest one.
            return self.register(dict(current, **desired))
        self.update_tags(current["arn"], current, changes)
        return None

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        """Deregister the named revision, or every active revision of the family."""
        ecs = self.client("ecs")
        if self.params.get("revision") is not None:
            ecs.deregister_task_definition(taskDefinition=current["arn"])
            return
        pages = ecs.get_paginator("list_task_definitions").paginate(familyPrefix=self.name, status="ACTIVE")
        for arn in [arn for page in pages for arn in page["taskDefinitionArns"]]:
            # familyPrefix also matches longer family names: keep this family's revisions only.
            if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == self.name:
                ecs.deregister_task_definition(taskDefinition=arn)
