"""ECS and ECR: container normalisation, Fargate sizes, steady-state detection and the unsettled-service message."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs as aws_ecs
from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import normalise_policy
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_service import (
    ServiceResource, rollout_failed, steady, stop_reason, unsettled_message)
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_definition import runtime_platform
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

OURS = {"name": "api", "image": "img", "ports": [8000, {"container_port": 9000, "protocol": "udp"}],
        "environment": {"B": 2, "A": "x", "DEBUG": True}, "secrets": {"Z": "arn:z", "K": "arn:k"},
        "health_check": {"command": "true"}, "readonly_root_filesystem": True,
        "log_configuration": {"log_group": "/ecs/api"}, "depends_on": [{"container_name": "init", "condition": "SUCCESS"}]}
# What DescribeTaskDefinition answers for the same container: defaults filled in, other order, empty lists.
RETURNED = {"name": "api", "image": "img", "cpu": 0, "essential": True, "mountPoints": [], "volumesFrom": [], "systemControls": [],
            "portMappings": [{"containerPort": 9000, "hostPort": 9000, "protocol": "udp"},
                             {"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
            "environment": [{"name": "DEBUG", "value": "true"}, {"name": "B", "value": "2"}, {"name": "A", "value": "x"}],
            "secrets": [{"name": "K", "valueFrom": "arn:k"}, {"name": "Z", "valueFrom": "arn:z"}],
            "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30, "timeout": 5, "retries": 3},
            "logConfiguration": {"logDriver": "awslogs", "secretOptions": [], "options": {
                "awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "api"}},
            "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}],
            "readonlyRootFilesystem": True}


def test_our_container_and_what_ecs_returns_compare_equal() -> None:
    assert aws_ecs.canonical_container(RETURNED) == aws_ecs.container_definition(OURS, "eu-west-1")


def test_a_changed_environment_value_is_a_difference() -> None:
    changed = dict(OURS, environment={"B": 3, "A": "x", "DEBUG": True})
    assert aws_ecs.canonical_container(RETURNED) != aws_ecs.container_definition(changed, "eu-west-1")


def test_missing_and_empty_lists_and_ecs_defaults_are_the_same() -> None:
    ours = aws_ecs.container_definition({"name": "w", "image": "img", "command": [], "environment": {},
                                         "readonly_root_filesystem": False}, "eu-west-1")
    assert ours == {"name": "w", "image": "img", "essential": True}
    assert aws_ecs.canonical_container({"name": "w", "image": "img", "cpu": 0, "portMappings": [], "environment": [],
                                        "readonlyRootFilesystem": False}) == ours


def test_port_mappings_default_host_port_and_protocol() -> None:
    assert aws_ecs.canonical_container({"name": "a", "image": "i", "portMappings": [{"containerPort": 80}]})["portMappings"] == [
        {"containerPort": 80, "hostPort": 80, "protocol": "tcp"}]


@pytest.mark.parametrize("port", [0, 70000, {"container_port": 80, "host_port": 81}, {"container_port": 80, "protocol": "sctp"}, "http"])
def test_bad_ports_are_refused(port: t.Any) -> None:
    with pytest.raises(ResourceError, match="Container api has"):
        aws_ecs.port_mapping(port, "api")


def test_health_check_limits() -> None:
    check = aws_ecs.health_check({"command": ["CMD", "/bin/ok"], "interval": 10, "start_period": 60}, "api")
    assert check == {"command": ["CMD", "/bin/ok"], "interval": 10, "startPeriod": 60}
    with pytest.raises(ResourceError, match="health_check.timeout 90: ECS accepts 2 to 60"):
        aws_ecs.health_check({"command": "true", "timeout": 90}, "api")


def test_dependencies_must_name_another_container() -> None:
    containers = [{"name": "api", "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}]}]
    with pytest.raises(ResourceError, match="container api depends on migrate"):
        aws_ecs.check_dependencies(containers, "app")
    aws_ecs.check_dependencies(containers + [{"name": "migrate"}], "app")


def test_fargate_sizes() -> None:
    assert aws_ecs.fargate_size_problem(256, 512) is None
    assert aws_ecs.fargate_size_problem(1024, 3072) is None
    assert aws_ecs.fargate_size_problem(16384, 122880) is None
    assert aws_ecs.fargate_size_problem(256, 4096) == "memory 4096 does not fit cpu 256 on Fargate; use 512, 1024 or 2048 MiB"
    assert aws_ecs.fargate_size_problem(8192, 20000) == (
        "memory 20000 does not fit cpu 8192 on Fargate; use 16384 to 61440 MiB in steps of 4096")
    assert "not a Fargate size" in (aws_ecs.fargate_size_problem(300, 512) or "")


def test_runtime_platform_defaults() -> None:
    assert runtime_platform({"cpu_architecture": "ARM64"}) == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert runtime_platform(None) is None


def test_steady_state() -> None:
    assert steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY"}]})
    assert steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY", "rolloutState": "COMPLETED"}]})
    assert not steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}]})
    assert not steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY"}, {"status": "ACTIVE"}]})
    assert not steady({"desiredCount": 2, "runningCount": 1, "deployments": [{"status": "PRIMARY"}]})
    assert not steady({"desiredCount": 0, "runningCount": 0, "deployments": []})
    assert rollout_failed({"deployments": [{"status": "PRIMARY", "rolloutState": "FAILED"}]})
    assert not rollout_failed({"deployments": [{"status": "ACTIVE", "rolloutState": "FAILED"}]})


def test_unsettled_message_quotes_events_and_stop_reasons() -> None:
    service = {"desiredCount": 2, "runningCount": 0,
               "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}],
               "events": [{"message": "event %d" % number} for number in range(7)]}
    text = unsettled_message("api", 600, service, ["Essential container in task exited", "Essential container in task exited"])
    assert "within 600 s (running 0 of 2, 1 deployments, rollout IN_PROGRESS)" in text
    assert "stopped tasks: Essential container in task exited;" in text
    assert "latest events: event 0 | event 1 | event 2 | event 3 | event 4." in text
    assert "event 5" not in text
    quiet = unsettled_message("api", 5, {}, [])
    assert quiet.endswith("ECS reported no events and no stopped tasks yet: check the service in the ECS console, or raise wait_timeout.")


def test_stop_reason_includes_container_reasons() -> None:
    task = {"stoppedReason": "Task failed to start", "containers": [{"name": "api", "reason": "CannotPullContainerError: not found"}]}
    assert stop_reason(task) == "Task failed to start (api: CannotPullContainerError: not found)"
    assert stop_reason({}) == "stopped"


class FakeEcs:
    """Answers the calls ServiceResource.wait makes, for a service that never settles."""

    def __init__(self) -> None:
        self.calls: t.List[str] = []

    def describe_services(self, **_: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append("describe_services")
        return {"services": [{"serviceName": "api", "serviceArn": "arn:svc", "status": "ACTIVE", "desiredCount": 1, "runningCount": 0,
                              "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}],
                              "events": [{"message": "(service api) failed container health checks."}]}]}

    def list_tasks(self, **kwargs: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append("list_tasks")
        assert kwargs["desiredStatus"] == "STOPPED"
        return {"taskArns": ["arn:task/1"]}

    def describe_tasks(self, **_: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append("describe_tasks")
        return {"tasks": [{"stoppedReason": "Task failed container health checks"}]}


def test_wait_timeout_failure_tells_why() -> None:
    fake = FakeEcs()
    service = ServiceResource(lambda name: fake, {"name": "api", "cluster": "main", "wait": True, "wait_timeout": 0})
    with pytest.raises(ResourceError) as failure:
        service.wait({"steady": False}, 0)
    assert failure.value.msg == (
        "ECS service api did not reach a steady state within 0 s (running 0 of 1, 1 deployments, rollout IN_PROGRESS); "
        "stopped tasks: Task failed container health checks; latest events: (service api) failed container health checks. "
        "Fix the cause above (image, health check, secrets, network), then run again.")
    assert fake.calls == ["describe_services", "list_tasks", "describe_tasks"]


def test_service_input_problems() -> None:
    base = {"name": "api", "desired_count": 1, "deployment_configuration": None, "load_balancers": None,
            "health_check_grace_period_seconds": None}
    assert ServiceResource.problems(base) == []
    assert ServiceResource.problems(dict(base, desired_count=-1)) == ["ECS service api: desired_count is -1: use 0 or more."]
    assert ServiceResource.problems(dict(base, deployment_configuration={"maximum_percent": 50})) == [
        "ECS service api: deployment_configuration.maximum_percent is 50: use 100 or more."]
    assert "container_port 0" in " ".join(ServiceResource.problems(dict(base, load_balancers=[{"container_port": 0}])))


def test_lifecycle_policy_normalised() -> None:
    text = '{"rules": [{"rulePriority": 2, "action": {"type": "expire"}}, {"rulePriority": 1, "action": {"type": "expire"}}]}'
    assert normalise_policy(text) == {"rules": [{"rulePriority": 1, "action": {"type": "expire"}},
                                                {"rulePriority": 2, "action": {"type": "expire"}}]}
    assert normalise_policy("") is None
    with pytest.raises(ResourceError, match="list of rules"):
        normalise_policy("[1]")
