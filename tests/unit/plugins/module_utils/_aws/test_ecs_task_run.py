"""aws_ecs_task_run through the engine: a task run once for its revision and command, recorded in SSM only when it
exits 0, run again for another revision, never in check mode, its record read ten at a time."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_task_run
from ansible_collections.agno.infra.plugins.module_utils._aws.client import ClientError
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.fake_ecs import TASK_ARN, FakeECS
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource

NAME = "/agno.infra/agent-app-run/runs/migrate"
REVISION = "arn:aws:ecs:us-east-1:123456789012:task-definition/agent-app-run-api:%d"


class Ssm:
    """SSM Parameter Store's parameter calls."""

    def __init__(self) -> None:
        self.parameters: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.tags: t.Dict[str, t.Dict[str, str]] = {}

    def get_parameter(self, Name: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if Name not in self.parameters:
            raise ClientError({"Error": {"Code": "ParameterNotFound", "Message": ""}}, "GetParameter")
        return {"Parameter": dict(self.parameters[Name])}

    def get_parameters(self, Names: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        assert len(Names) <= 10
        return {"Parameters": [dict(self.parameters[name]) for name in Names if name in self.parameters],
                "InvalidParameters": [name for name in Names if name not in self.parameters]}

    def put_parameter(self, Name: str, Value: str, Type: str, Overwrite: bool = False,  # pylint: disable=invalid-name
                      Tags: t.Optional[t.List[t.Dict[str, str]]] = None, Description: str = "") -> None:
        assert Overwrite == (Name in self.parameters) and Type == "String" and not (Overwrite and Tags)
        self.parameters[Name] = {"Name": Name, "Value": Value, "ARN": "arn:aws:ssm:us-east-1:123456789012:parameter" + Name}
        if Tags is not None:
            self.tags[Name] = {tag["Key"]: tag["Value"] for tag in Tags}

    def list_tags_for_resource(self, ResourceType: str, ResourceId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"TagList": [{"Key": key, "Value": value} for key, value in sorted(self.tags.get(ResourceId, {}).items())]}

    def add_tags_to_resource(self, ResourceType: str, ResourceId: str, Tags: t.List[t.Dict[str, str]]) -> None:  # pylint: disable=invalid-name
        assert ResourceType == "Parameter"
        self.tags.setdefault(ResourceId, {}).update({tag["Key"]: tag["Value"] for tag in Tags})

    def delete_parameter(self, Name: str) -> None:  # pylint: disable=invalid-name
        del self.parameters[Name]


def setup(ecs: t.Optional[FakeECS] = None) -> t.Tuple[FakeAws, FakeECS, Ssm]:
    ecs, ssm = ecs or FakeECS(), Ssm()
    return FakeAws(ecs=ecs, logs=ecs, ssm=ssm), ecs, ssm


def run(aws: FakeAws, revision: int = 4, check_mode: bool = False, **options: t.Any) -> t.Any:
    params = dict({"name": NAME, "cluster": "agent-app-run", "task_definition": REVISION % revision, "container": "api",
                   "command": ["python", "-m", "app.migrate"], "subnets": ["subnet-a"], "security_groups": ["sg-app"],
                   "tags": {"agno:env": "agent-app-run"}}, **options)
    return converge(task_resource(ecs_task_run.TaskRunResource, aws, **params), check_mode=check_mode, clock=FakeClock())


def runs(ecs: FakeECS) -> t.List[t.Dict[str, t.Any]]:
    return [request for call, request in ecs.calls if call == "run_task"]


def test_the_first_converge_runs_the_task_and_records_it_a_rerun_runs_nothing() -> None:
    aws, ecs, ssm = setup()
    created = run(aws)
    assert created.action == "create"
    [request] = runs(ecs)
    assert request["taskDefinition"] == REVISION % 4 and request["startedBy"] == "agno.infra-up"
    assert request["networkConfiguration"] == {"awsvpcConfiguration": {"subnets": ["subnet-a"], "securityGroups": ["sg-app"],
                                                                       "assignPublicIp": "DISABLED"}}
    assert request["overrides"] == {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.migrate"]}]}
    assert json.loads(ssm.parameters[NAME]["Value"])["task_definition"] == REVISION % 4
    assert created.state["task_arn"] == TASK_ARN and created.state["tags"] == {"agno:env": "agent-app-run"}
    aws.clear()
    rerun = run(aws)
    assert rerun.changed is False and aws.writes() == [] and len(runs(ecs)) == 1


def test_a_new_revision_or_command_runs_it_again_and_check_mode_runs_nothing() -> None:
    aws, ecs, ssm = setup()
    run(aws)
    preview = run(aws, revision=5, check_mode=True)
    assert (preview.action, preview.changes) == ("update", ["task_definition"]) and len(runs(ecs)) == 1
    updated = run(aws, revision=5)
    assert updated.action == "update" and len(runs(ecs)) == 2 and updated.state["task_definition"] == REVISION % 5
    assert run(aws, revision=5, command=["python", "-m", "app.seed"]).changes == ["command"] and len(runs(ecs)) == 3
    # Without a command the container's own runs, and that is another command too.
    assert run(aws, revision=5, command=None).changes == ["command"] and "overrides" not in runs(ecs)[-1]
    assert json.loads(ssm.parameters[NAME]["Value"])["command"] is None


def test_a_failed_run_quotes_its_last_lines_and_records_nothing() -> None:
    aws, ecs, ssm = setup(FakeECS(exit=1, events=["applying 0002", "relation notes already exists"]))
    with pytest.raises(ResourceError) as failed:
        run(aws)
    assert failed.value.msg == (
        "One-off task %s (python -m app.migrate in task %s) exited with 1, so it is not recorded and the next run tries it "
        "again: fix what its output says, its last lines: applying 0002 | relation notes already exists" % (NAME, TASK_ARN))
    assert ssm.parameters == {} and len(runs(ecs)) == 1


def test_records_are_read_ten_names_a_call() -> None:
    aws, _ecs, ssm = setup()
    for index in range(12):
        ssm.put_parameter(Name="/runs/r%d" % index, Value=json.dumps({"task_definition": REVISION % 1, "command": None}), Type="String")
    resources = [task_resource(ecs_task_run.TaskRunResource, aws, name="/runs/r%d" % index, cluster="c", task_definition=REVISION % 1,
                               subnets=["s"]) for index in list(range(12)) + [99]]
    states = ecs_task_run.TaskRunResource.read_batch(resources)
    assert [state["name"] if state else None for state in states] == ["/runs/r%d" % index for index in range(12)] + [None]
    assert aws.calls == ["get_parameters", "get_parameters"]


def test_a_record_is_found_by_its_arn_and_a_hand_written_value_records_no_run() -> None:
    assert ecs_task_run.TaskRunResource.adopt("arn:aws:ssm:us-east-1:123456789012:parameter/agno.infra/prd/runs/pgvector", {}) == \
        {"name": "/agno.infra/prd/runs/pgvector"}
    assert ecs_task_run.recorded("not json") == {"task_definition": None, "command": None}


def test_a_family_without_its_revision_and_a_bad_name_are_refused_before_any_call() -> None:
    problems = ecs_task_run.TaskRunResource.problems({"name": "runs/migrate", "task_definition": "agent-app-run-api", "run_timeout": 0})
    assert problems == [
        "name is 'runs/migrate': use an SSM parameter path such as /agno.infra/prd/runs/migrate.",
        "task_definition is 'agent-app-run-api': use the ARN of one revision, as aws_ecs_task_definition returns it.",
        "run_timeout is 0: use 1 to 86400."]
