"""ECS task definitions: the runtime platform, checks across options before any call, and converges that register a
revision only for a real difference, a tags-only change tagging the latest."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_task_definition
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs import CONTAINER_OPTIONS
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_definition import TaskDefinitionResource, runtime_platform
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


def test_runtime_platform_defaults() -> None:
    assert runtime_platform({"cpu_architecture": "ARM64"}) == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert runtime_platform(None) is None


# What ECS adds to every container definition it stores.
ECS_FILLS_IN = {"cpu": 0, "essential": True, "mountPoints": [], "volumesFrom": [], "systemControls": []}


class TaskDefinitions:
    """ECS's task definition calls: revisions per family, the latest ACTIVE one answered for a bare family name."""

    def __init__(self) -> None:
        self.revisions: t.List[t.Dict[str, t.Any]] = []
        self.tags: t.Dict[str, t.List[t.Dict[str, str]]] = {}

    def describe_task_definition(self, taskDefinition: str, include: t.Optional[t.List[str]] = None) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        family, _sep, number = taskDefinition.partition(":")
        found = [item for item in self.revisions if item["family"] == family and item["status"] == "ACTIVE"
                 and (not number or item["revision"] == int(number))]
        if not found:
            raise client_error("ClientException", "DescribeTaskDefinition", "Unable to describe task definition.")
        return {"taskDefinition": dict(found[-1]), "tags": self.tags.get(found[-1]["taskDefinitionArn"], [])}

    def register_task_definition(self, family: str, containerDefinitions: t.List[t.Any],  # pylint: disable=invalid-name
                                 tags: t.Optional[t.List[t.Any]] = None, **settings: t.Any) -> t.Dict[str, t.Any]:
        revision = 1 + sum(1 for item in self.revisions if item["family"] == family)
        arn = "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (REGION, ACCOUNT, family, revision)
        found = dict(settings, family=family, revision=revision, taskDefinitionArn=arn, status="ACTIVE",
                     containerDefinitions=[dict(ECS_FILLS_IN, **container) for container in containerDefinitions])
        self.revisions.append(found)
        self.tags[arn] = list(tags or [])
        return {"taskDefinition": dict(found), "tags": self.tags[arn]}

    def tag_resource(self, resourceArn: str, tags: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.tags[resourceArn] = self.tags[resourceArn] + tags

    def list_task_definitions(self, familyPrefix: str, status: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"taskDefinitionArns": [item["taskDefinitionArn"] for item in self.revisions
                                       if item["family"].startswith(familyPrefix) and item["status"] == status]}

    def deregister_task_definition(self, taskDefinition: str) -> None:  # pylint: disable=invalid-name
        next(item for item in self.revisions if item["taskDefinitionArn"] == taskDefinition)["status"] = "INACTIVE"


def definition(aws: FakeAws, environment: t.Optional[t.Dict[str, t.Any]] = None, **options: t.Any) -> ecs_task_definition.TaskDefinitionResource:
    container = {"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api:1", "ports": [8000],
                 "environment": environment or {"MODE": "prd"}, "log_configuration": {"log_group": "/ecs/api"}}
    return task_resource(ecs_task_definition.TaskDefinitionResource, aws, **dict(
        {"family": "api", "cpu": 256, "memory": 512, "containers": [container]}, **options))


def test_a_revision_is_registered_once_and_what_ecs_fills_in_is_no_difference() -> None:
    ecs = TaskDefinitions()
    aws = FakeAws(ecs=ecs)
    created = converge(definition(aws))
    assert (created.action, created.state["revision"], aws.writes()) == ("create", 1, ["register_task_definition"])
    logs = created.state["containers"][0]["logConfiguration"]["options"]
    assert logs == {"awslogs-group": "/ecs/api", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api"}
    aws.clear()
    assert converge(definition(aws)).changed is False and aws.writes() == []


def test_a_changed_container_is_the_next_revision_and_new_tags_alone_tag_the_latest() -> None:
    ecs = TaskDefinitions()
    aws = FakeAws(ecs=ecs)
    converge(definition(aws, task_role_arn="arn:aws:iam::123456789012:role/app-task"))
    aws.clear()
    updated = converge(definition(aws, environment={"MODE": "staging"}))
    assert (updated.changes, updated.state["revision"], aws.writes()) == (["containers"], 2, ["register_task_definition"])
    assert updated.state["task_role_arn"] == "arn:aws:iam::123456789012:role/app-task"  # kept from the latest revision
    aws.clear()
    tagged = converge(definition(aws, environment={"MODE": "staging"}, tags={"app": "agent"}))
    assert (tagged.changes, tagged.state["revision"], aws.writes()) == (["tags"], 2, ["tag_resource"])


def test_deleting_deregisters_the_family_only_or_the_one_revision_named() -> None:
    ecs = TaskDefinitions()
    aws = FakeAws(ecs=ecs)
    converge(definition(aws))
    converge(definition(aws, environment={"MODE": "staging"}))
    converge(definition(aws, family="api-worker"))
    converge(definition(aws, state="absent", revision=1), present=False)
    assert [(item["family"], item["revision"], item["status"]) for item in ecs.revisions] == [
        ("api", 1, "INACTIVE"), ("api", 2, "ACTIVE"), ("api-worker", 1, "ACTIVE")]
    assert converge(definition(aws, state="absent"), present=False).action == "delete"
    assert [item["status"] for item in ecs.revisions] == ["INACTIVE", "INACTIVE", "ACTIVE"]
    assert converge(definition(aws, state="absent"), present=False).changed is False


@pytest.mark.parametrize("options, message", [
    ({"memory": 4096}, "Task definition api: memory 4096 does not fit cpu 256 on Fargate; use 512, 1024 or 2048 MiB."),
    ({"revision": 3}, "Task definition api: revision only selects the revision that state=absent deregisters; remove it with "
                      "state=present, where the latest active revision is compared."),
])
def test_what_ecs_would_refuse_is_named_before_any_call(options: t.Dict[str, t.Any], message: str) -> None:
    aws = FakeAws(ecs=TaskDefinitions())
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    assert TaskDefinitionResource.problems(definition(aws, **options).params) == [message] and aws.calls == []


ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"
CONTAINERS = [{"name": "api", "image": "img:1", "essential": True}]


def test_fargate_sizes_and_a_revision_with_state_present_are_refused_together() -> None:
    params = task_params(TaskDefinitionResource, family="api", cpu=256, memory=4096, revision=2, containers=CONTAINERS)
    assert TaskDefinitionResource.problems(params) == [
        "Task definition api: revision only selects the revision that state=absent deregisters; remove it with "
        "state=present, where the latest active revision is compared.",
        "Task definition api: memory 4096 does not fit cpu 256 on Fargate; use 512, 1024 or 2048 MiB.",
    ]
    # Raw plan items lack the defaults (requires_compatibilities is FARGATE); a deregistration needs no size.
    assert TaskDefinitionResource.problems({"family": "api", "cpu": 256, "memory": 4096})[0].endswith("use 512, 1024 or 2048 MiB.")
    assert TaskDefinitionResource.problems({"family": "api", "state": "absent", "revision": 2}) == []
    assert TaskDefinitionResource.problems(dict(params, requires_compatibilities=["EC2"], revision=None)) == []


def test_a_tags_only_change_tags_the_latest_revision_and_the_engine_reads_it_again() -> None:
    found = {"taskDefinitionArn": ARN, "family": "api", "revision": 3, "status": "ACTIVE", "cpu": "256", "memory": "512",
             "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
             "containerDefinitions": [{"name": "api", "image": "img:1", "essential": True, "readonlyRootFilesystem": True}]}
    aws = Scripted(describe_task_definition={"taskDefinition": found, "tags": []})
    container = dict({key: spec.get("default") for key, spec in CONTAINER_OPTIONS.items()}, name="api", image="img:1")
    params = task_params(TaskDefinitionResource, family="api", cpu=256, memory=512, containers=[container], tags={"app": "api"})
    outcome = converge(TaskDefinitionResource(aws, params))
    assert (outcome.changes, aws.writes()) == (["tags"], ["tag_resource"])
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": [{"key": "app", "value": "api"}]}]
    assert len(aws.requests("describe_task_definition")) == 2


def test_secrets_without_an_execution_role_are_refused_before_any_call() -> None:
    with_secrets = [dict(CONTAINERS[0], secrets={"DATABASE_URL": "arn:aws:secretsmanager:us-east-1:1:secret:db"})]
    params = task_params(TaskDefinitionResource, family="api", cpu=256, memory=512, containers=with_secrets)
    assert TaskDefinitionResource.problems(params) == [
        "Task definition api: containers[0].secrets needs execution_role_arn: ECS reads secrets with the execution role; "
        "set execution_role_arn to a role that may read them, or pass the values another way."]
    assert TaskDefinitionResource.problems(dict(params, execution_role_arn="arn:aws:iam::1:role/exec")) == []
