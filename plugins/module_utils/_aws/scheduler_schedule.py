# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EventBridge Scheduler schedule that runs an ECS task, as a lifecycle resource.

The schedule starts one Fargate task of a task definition revision in the given subnets, never with a public IP,
the container's command optionally overridden. UpdateSchedule takes the whole schedule, so an update sends it all.
Schedules take no tags: an environment writes what owns one in its description (``owned_description``).
"""

from __future__ import annotations

import json
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, ClientError, arn_kind
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Pattern, as_set

#: The mark of an environment's schedule at the end of its description, with the environment and the item id.
OWNER = re.compile(r"\[agno:env=(?P<env>[a-z0-9-]+) agno:id=(?P<id>[A-Za-z0-9_.-]+)\]$")


def owned_description(text: str, env_name: str, item_id: str) -> str:
    return "%s [agno:env=%s agno:id=%s]" % (text, env_name, item_id)


def owner(description: str) -> t.Dict[str, str]:
    """The environment and item id a description marks ({} when it marks none), as tags would say them."""
    found = OWNER.search(description or "")
    return {"agno:env": found.group("env"), "agno:id": found.group("id")} if found else {}


def container_input(container: t.Optional[str], command: t.Optional[t.List[str]]) -> t.Optional[str]:
    """The task's overrides as the schedule's input (ECS's RunTask overrides, as JSON); none without a command."""
    if command is None:
        return None
    return json.dumps({"containerOverrides": [{"name": container, "command": command}]}, sort_keys=True)


def input_command(text: t.Optional[str]) -> t.Tuple[t.Optional[str], t.Optional[t.List[str]]]:
    """The container and command an input overrides."""
    try:
        override = (json.loads(text or "{}").get("containerOverrides") or [{}])[0]
    except (ValueError, AttributeError):
        return None, None
    return override.get("name"), override.get("command")


class ScheduleResource(AwsResource):
    kind = "schedule"
    result_key = "schedule"
    locator = ("name", "group_name")
    compare = {"subnets": as_set, "security_groups": as_set}
    constraints = {
        "name": Pattern(r"[0-9A-Za-z_.-]{1,64}", "1 to 64 letters, digits and . - _ characters"),
        "schedule_expression": Pattern(r"(rate|cron|at)\(.+\)", "rate(5 minutes), cron(0 3 * * ? *) or at(2027-01-01T00:00:00)"),
    }

    module_name = "aws_scheduler_schedule"
    owned_kind = "scheduler:schedule"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """schedule/GROUP/NAME."""
        group, name = arn_kind(found)[1].split("/", 1)
        return {"name": name, "group_name": group}
    argument_spec: t.Dict[str, t.Any] = {
        "name": {"type": "str", "required": True},
        "group_name": {"type": "str", "default": "default"},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "schedule_expression": {"type": "str"},
        "timezone": {"type": "str", "default": "UTC"},
        "enabled": {"type": "bool", "default": True},
        "description": {"type": "str", "default": ""},
        "cluster_arn": {"type": "str"},
        "task_definition": {"type": "str"},
        "role_arn": {"type": "str"},
        "subnets": {"type": "list", "elements": "str"},
        "security_groups": {"type": "list", "elements": "str", "default": []},
        "container": {"type": "str"},
        "command": {"type": "list", "elements": "str"},
    }
    validation: t.Dict[str, t.Any] = {
        "required_if": [("state", "present", ["schedule_expression", "cluster_arn", "task_definition", "role_arn", "subnets"])],
        "required_by": {"command": "container"},
    }

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        return {
            "schedule_expression": params["schedule_expression"], "timezone": params["timezone"], "enabled": params["enabled"],
            "description": params["description"], "cluster_arn": params["cluster_arn"], "task_definition": params["task_definition"],
            "role_arn": params["role_arn"], "subnets": list(params["subnets"]), "security_groups": list(params["security_groups"]),
            "container": params.get("container") if params.get("command") is not None else None, "command": params.get("command"),
        }

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = self.client("scheduler").get_schedule(Name=self.name, GroupName=self.params["group_name"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise
        target = found.get("Target") or {}
        ecs = target.get("EcsParameters") or {}
        network = (ecs.get("NetworkConfiguration") or {}).get("awsvpcConfiguration") or {}
        container, command = input_command(target.get("Input"))
        return {
            "name": found["Name"], "arn": found.get("Arn"), "group_name": found.get("GroupName"),
            "schedule_expression": found.get("ScheduleExpression"), "timezone": found.get("ScheduleExpressionTimezone") or "UTC",
            "enabled": found.get("State") != "DISABLED", "description": found.get("Description") or "",
            "cluster_arn": target.get("Arn"), "task_definition": ecs.get("TaskDefinitionArn"), "role_arn": target.get("RoleArn"),
            "subnets": sorted(network.get("Subnets") or []), "security_groups": sorted(network.get("SecurityGroups") or []),
            "container": container, "command": command,
        }

    def request(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The whole schedule, as CreateSchedule and UpdateSchedule take it."""
        target: t.Dict[str, t.Any] = {
            "Arn": desired["cluster_arn"], "RoleArn": desired["role_arn"],
            "EcsParameters": {"TaskDefinitionArn": desired["task_definition"], "TaskCount": 1, "LaunchType": "FARGATE",
                              "NetworkConfiguration": {"awsvpcConfiguration": {
                                  "Subnets": desired["subnets"], "SecurityGroups": desired["security_groups"],
                                  "AssignPublicIp": "DISABLED"}}},
        }
        overrides = container_input(desired["container"], desired["command"])
        if overrides is not None:
            target["Input"] = overrides
        return {"Name": self.name, "GroupName": self.params["group_name"], "ScheduleExpression": desired["schedule_expression"],
                "ScheduleExpressionTimezone": desired["timezone"], "State": "ENABLED" if desired["enabled"] else "DISABLED",
                "Description": desired["description"], "FlexibleTimeWindow": {"Mode": "OFF"}, "Target": target}

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.client("scheduler").create_schedule(**self.request(desired))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        self.client("scheduler").update_schedule(**self.request(desired))

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("scheduler").delete_schedule(Name=self.name, GroupName=self.params["group_name"])
