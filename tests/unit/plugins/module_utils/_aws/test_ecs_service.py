"""ECS services through the engine: constraints, unreported deployment settings, and a replacement that waits."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_service import ServiceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

TASK = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1"
ARN = "arn:aws:ecs:us-east-1:123456789012:service/main/api"


def service(aws: t.Any = None, **params: t.Any) -> ServiceResource:
    values = task_params(ServiceResource, name="api", cluster="main", task_definition=TASK, subnets=["subnet-a"])
    values.update(params)
    return ServiceResource(aws, values)


def described(**fields: t.Any) -> t.Dict[str, t.Any]:
    """A service as an emulator reports it: no deploymentConfiguration at all."""
    found = {"serviceName": "api", "serviceArn": ARN, "status": "ACTIVE", "taskDefinition": TASK, "desiredCount": 1,
             "runningCount": 1, "launchType": "FARGATE", "deployments": [{"status": "PRIMARY", "rolloutState": "COMPLETED"}],
             "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"], "assignPublicIp": "DISABLED"}}}
    return {"services": [dict(found, **fields)]}


def test_every_number_ecs_refuses_is_reported_at_once() -> None:
    params = service(name="api v2", desired_count=-1, health_check_grace_period_seconds=-5,
                     deployment_configuration={"minimum_healthy_percent": 150, "maximum_percent": 50},
                     load_balancers=[{"target_group_arn": "arn:tg", "container_name": "api", "container_port": 70000}]).params
    assert ServiceResource.problems(params) == [
        "ECS service api v2: name is 'api v2': use 1 to 255 letters, digits, hyphens and underscores.",
        "ECS service api v2: desired_count is -1: use 0 or more.",
        "ECS service api v2: deployment_configuration.minimum_healthy_percent is 150: use 0 to 100.",
        "ECS service api v2: deployment_configuration.maximum_percent is 50: use 100 or more.",
        "ECS service api v2: load_balancers[0].container_port 70000 is not a port: use 1 to 65535.",
        "ECS service api v2: health_check_grace_period_seconds is -5: use 0 to 2147483647 seconds.",
    ]


def test_deployment_settings_an_emulator_does_not_report_are_no_change() -> None:
    aws = Scripted(describe_services=described())
    outcome = converge(service(aws, deployment_configuration={"maximum_percent": 200, "minimum_healthy_percent": 100},
                               health_check_grace_period_seconds=30))
    assert outcome.action == "none" and aws.writes() == []
    reported = Scripted(describe_services=described(deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 50}))
    assert converge(service(reported, deployment_configuration={"minimum_healthy_percent": 100})).changes == [
        "deployment_circuit_breaker", "minimum_healthy_percent"]


def test_a_replacement_waits_on_the_engine_clock_until_the_old_service_is_gone(clock: t.Any) -> None:
    draining = described(status="DRAINING", desiredCount=0, runningCount=0)
    aws = Scripted(describe_services=[described(), draining, {"services": [dict(draining["services"][0], status="INACTIVE")]}],
                   create_service={"service": described(launchType="EC2")["services"][0]})
    outcome = converge(service(aws, launch_type="EC2"), clock=clock)
    assert (outcome.action, outcome.state["launch_type"]) == ("replace", "EC2")
    assert aws.writes() == ["update_service", "delete_service", "create_service"] and clock.sleeps == [5.0]


def test_tags_change_through_the_ecs_tag_calls() -> None:
    aws = Scripted(describe_services=described(tags=[{"key": "app", "value": "old"}]))
    assert converge(service(aws, tags={"app": "api"})).changes == ["tags"]
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": [{"key": "app", "value": "api"}]}]
