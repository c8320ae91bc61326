"""What the ECS resources share: container normalisation, ports, health checks, dependencies, Fargate sizes."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs as aws_ecs
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
