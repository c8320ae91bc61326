"""aws_scheduler_schedule through the engine: an ECS target in private subnets without a public IP, the whole schedule
sent on update, sets compared as sets, ownership in the description."""

from __future__ import annotations

import copy
import json
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import scheduler_schedule
from ansible_collections.agno.infra.plugins.module_utils._aws.client import ClientError
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws
from ansible_collections.agno.infra.tests.unit.support import task_resource

TASK = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-job-report:%d"


class Scheduler:
    """EventBridge Scheduler's schedule calls, by group and name."""

    def __init__(self) -> None:
        self.schedules: t.Dict[t.Tuple[str, str], t.Dict[str, t.Any]] = {}

    def get_schedule(self, Name: str, GroupName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if (GroupName, Name) not in self.schedules:
            raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": ""}}, "GetSchedule")
        return copy.deepcopy(self.schedules[(GroupName, Name)])

    def create_schedule(self, **request: t.Any) -> None:
        assert (request["GroupName"], request["Name"]) not in self.schedules
        self.schedules[(request["GroupName"], request["Name"])] = dict(
            request, Arn="arn:aws:scheduler:us-east-1:123456789012:schedule/%s/%s" % (request["GroupName"], request["Name"]))

    def update_schedule(self, **request: t.Any) -> None:
        self.schedules[(request["GroupName"], request["Name"])].update(request)

    def delete_schedule(self, Name: str, GroupName: str) -> None:  # pylint: disable=invalid-name
        del self.schedules[(GroupName, Name)]


def schedule(aws: FakeAws, **options: t.Any) -> scheduler_schedule.ScheduleResource:
    return task_resource(scheduler_schedule.ScheduleResource, aws, **dict({
        "name": "shop-job-report", "schedule_expression": "cron(0 3 * * ? *)", "cluster_arn": "arn:aws:ecs:us-east-1:1:cluster/shop",
        "task_definition": TASK % 1, "role_arn": "arn:aws:iam::1:role/shop-job-report", "subnets": ["subnet-b", "subnet-a"],
        "security_groups": ["sg-app"], "description": "report [agno:env=shop agno:id=job-report]"}, **options))


def test_create_an_ecs_target_without_public_ip_then_rerun_changes_nothing() -> None:
    backend = Scheduler()
    aws = FakeAws(scheduler=backend)
    created = converge(schedule(aws))
    assert created.action == "create" and aws.writes() == ["create_schedule"]
    sent = backend.schedules[("default", "shop-job-report")]
    assert sent["Target"]["EcsParameters"] == {
        "TaskDefinitionArn": TASK % 1, "TaskCount": 1, "LaunchType": "FARGATE", "NetworkConfiguration": {"awsvpcConfiguration": {
            "Subnets": ["subnet-b", "subnet-a"], "SecurityGroups": ["sg-app"], "AssignPublicIp": "DISABLED"}}}
    assert sent["FlexibleTimeWindow"] == {"Mode": "OFF"} and "Input" not in sent["Target"]
    aws.clear()
    # Subnets compare as a set: another order is no change.
    assert converge(schedule(aws, subnets=["subnet-a", "subnet-b"])).changed is False and aws.writes() == []


def test_an_update_sends_the_whole_schedule_and_a_command_becomes_the_input() -> None:
    backend = Scheduler()
    aws = FakeAws(scheduler=backend)
    converge(schedule(aws))
    updated = converge(schedule(aws, task_definition=TASK % 2, enabled=False, container="api", command=["python", "-m", "app.report"]))
    assert sorted(updated.changes) == ["command", "container", "enabled", "task_definition"]
    sent = backend.schedules[("default", "shop-job-report")]
    assert sent["State"] == "DISABLED" and sent["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert json.loads(sent["Target"]["Input"]) == {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.report"]}]}
    assert updated.state["command"] == ["python", "-m", "app.report"]
    assert converge(schedule(aws, state="absent"), present=False).action == "delete" and backend.schedules == {}


def test_the_description_marks_the_owner_and_a_leftover_is_found_by_its_arn() -> None:
    marked = scheduler_schedule.owned_description("agno.infra job report of app api", "shop", "job-report")
    assert scheduler_schedule.owner(marked) == {"agno:env": "shop", "agno:id": "job-report"}
    assert scheduler_schedule.owner("someone else's") == {}
    assert scheduler_schedule.ScheduleResource.adopt("arn:aws:scheduler:us-east-1:1:schedule/default/shop-job-report", {}) == {
        "name": "shop-job-report", "group_name": "default"}
    assert scheduler_schedule.ScheduleResource.problems({"name": "a b", "schedule_expression": "0 3 * * *"}) == [
        "name is 'a b': use 1 to 64 letters, digits and . - _ characters.",
        "schedule_expression is '0 3 * * *': use rate(5 minutes), cron(0 3 * * ? *) or at(2027-01-01T00:00:00)."]
