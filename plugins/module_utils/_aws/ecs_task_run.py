# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ECS task run to success once for what it runs (a database setup, a migration), as a lifecycle resource.

Its state is the record of the last successful run, an SSM parameter: the task definition revision and the command
that ran, the task and when. No record: the run is due (create). A record of another revision or another command: it
is due again (update), so a new revision of the app's definition runs its migration once before its services roll.
A run that fails records nothing (the next converge runs it again). Deleting it removes the record: a finished task
leaves nothing else.
"""

from __future__ import annotations

import json
import time
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, ClientError, arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task import aws_run, run_task_request
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.command import Ran, quoted
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Pattern, Range, ResourceError

STARTED_BY = "agno.infra-up"
#: SSM's GetParameters takes at most this many names.
BATCH = 10
#: The last lines of a failed run's output that its failure quotes.
QUOTED_LINES = 20
DEFAULT_TIMEOUT = 600
MAX_TIMEOUT = 86400


def record(desired: t.Dict[str, t.Any], ran: Ran) -> str:
    """What the SSM parameter holds after a successful run."""
    return json.dumps({"task_definition": desired["task_definition"], "command": desired["command"],
                       "task_arn": ran.where["task_arn"], "ran_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                      sort_keys=True)


def recorded(value: str) -> t.Dict[str, t.Any]:
    """The fields of a record; a value that is no record of this type (written by hand) records no run."""
    try:
        fields = json.loads(value)
    except ValueError:
        fields = None
    return fields if isinstance(fields, dict) else {"task_definition": None, "command": None}


def chosen_container(definition: t.Dict[str, t.Any], name: t.Optional[str]) -> t.Dict[str, t.Any]:
    containers = definition.get("containerDefinitions") or []
    found = [entry for entry in containers if name in (None, entry.get("name"))]
    if not found:
        raise ResourceError("Task definition %s has no container %s: set container to one of %s." % (
            definition.get("taskDefinitionArn"), name, ", ".join(str(entry.get("name")) for entry in containers) or "none"))
    return found[0]


class TaskRunResource(AwsResource):
    kind = "one-off task"
    result_key = "task_run"
    tag_calls = tagging.SSM_PARAMETER
    locator = ("name",)
    # Its record is where its name says, whatever the task definition: always read, also when that is still to be made.
    located_by = ("name",)
    constraints = {
        "name": Pattern(r"(/[A-Za-z0-9_.-]+){1,15}", "an SSM parameter path such as /agno.infra/prd/runs/migrate"),
        "task_definition": Pattern(r"arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition/[A-Za-z0-9_-]{1,255}:\d+",
                                   "the ARN of one revision, as aws_ecs_task_definition returns it"),
        "run_timeout": Range(1, MAX_TIMEOUT),
    }

    module_name = "aws_ecs_task_run"
    owned_kind = "ssm:parameter"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """parameter/PATH (without the path's leading slash)."""
        return {"name": "/" + arn_kind(found)[1]}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "cluster": {"type": "str"},
            "task_definition": {"type": "str"},
            "container": {"type": "str"},
            "command": {"type": "list", "elements": "str"},
            "subnets": {"type": "list", "elements": "str"},
            "security_groups": {"type": "list", "elements": "str", "default": []},
            "run_timeout": {"type": "int", "default": DEFAULT_TIMEOUT},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["cluster", "task_definition", "subnets"])]}

    def desired(self) -> t.Dict[str, t.Any]:
        # The command is part of what ran: none means the container's own.
        wanted: t.Dict[str, t.Any] = {"task_definition": self.params["task_definition"], "command": self.params.get("command")}
        tags = desired_tags(self.params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[TaskRunResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The records of many runs, ten names a call."""
        ssm = resources[0].client("ssm")
        names = sorted({resource.name for resource in resources})
        found = {parameter["Name"]: parameter for start in range(0, len(names), BATCH)
                 for parameter in ssm.get_parameters(Names=names[start:start + BATCH])["Parameters"]}
        return [resource.state_of(found[resource.name]) if resource.name in found else None for resource in resources]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            return self.state_of(self.client("ssm").get_parameter(Name=self.name)["Parameter"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
                return None
            raise

    def state_of(self, parameter: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        fields = recorded(parameter.get("Value") or "")
        state = {"name": self.name, "arn": parameter.get("ARN"), "task_definition": fields.get("task_definition"),
                 "command": fields.get("command"), "task_arn": fields.get("task_arn"), "ran_at": fields.get("ran_at")}
        # Tags cost one more call: read them only when the task manages them.
        if self.params.get("tags") is not None:
            answer = self.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId=self.name)
            state["tags"] = tags_to_dict(answer.get("TagList"))
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"Name": self.name, "Value": record(desired, self.run(desired)), "Type": "String",
                                       "Description": "agno.infra: the last successful run of this one-off task"}
        if desired.get("tags"):
            request["Tags"] = dict_to_tags(desired["tags"])
        self.client("ssm").put_parameter(**request)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if set(changes) - {"tags"}:
            self.client("ssm").put_parameter(Name=self.name, Value=record(desired, self.run(desired)), Type="String", Overwrite=True)
        self.update_tags(self.name, current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ssm").delete_parameter(Name=self.name)

    def run(self, desired: t.Dict[str, t.Any]) -> Ran:
        """Run the task to its end in the given subnets; a run that does not exit 0 fails, quoting its last lines."""
        definition = self.client("ecs").describe_task_definition(taskDefinition=desired["task_definition"])["taskDefinition"]
        container = chosen_container(definition, self.params.get("container"))
        command = desired["command"]
        where = {"taskDefinition": desired["task_definition"], "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": self.params["subnets"], "securityGroups": self.params["security_groups"]}}}
        request = run_task_request(self.params["cluster"], where, container["name"], command, STARTED_BY)
        shown = command or container.get("command") or ["(the container's command)"]
        ran = aws_run(self.client, request, container, shown, self.params["run_timeout"], self.clock, "run_timeout")
        if ran.rc:
            last = ", its last lines: " + " | ".join(ran.lines[-QUOTED_LINES:]) if ran.lines else "."
            raise ResourceError("One-off task %s (%s in task %s) exited with %d, so it is not recorded and the next run tries it "
                                "again: fix what its output says%s" % (self.name, quoted(shown), ran.where["task_arn"], ran.rc, last),
                                lines=ran.lines)
        return ran
