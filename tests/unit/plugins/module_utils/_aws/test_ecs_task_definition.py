"""ECS task definitions through the engine: checks across options before any call, and a tags-only change."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs import CONTAINER_OPTIONS
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_definition import TaskDefinitionResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

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
