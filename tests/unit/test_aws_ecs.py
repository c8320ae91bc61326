"""ECS normalisation, Fargate sizes, steady-state detection and the unsettled-service message."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils import aws_ecs
from ansible_collections.agno.infra.plugins.module_utils.aws_ecs_service import rollout_failed, steady, unsettled_message


def test_our_container_and_what_ecs_returns_compare_equal() -> None:
    ours = aws_ecs.container_definition({"name": "api", "image": "img", "ports": [8000], "environment": {"B": 2, "A": "x"},
                                         "health_check": {"command": "true"}, "readonly_root_filesystem": True}, "us-east-1")
    returned = {"name": "api", "image": "img", "cpu": 0, "essential": True, "mountPoints": [], "volumesFrom": [],
                "portMappings": [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
                "environment": [{"name": "A", "value": "x"}, {"name": "B", "value": "2"}],
                "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30, "timeout": 5, "retries": 3},
                "readonlyRootFilesystem": True}
    assert aws_ecs.canonical_container(returned) == ours


def test_fargate_sizes() -> None:
    assert aws_ecs.fargate_size_problem(256, 512) is None
    assert aws_ecs.fargate_size_problem(1024, 3072) is None
    assert "does not fit cpu 256" in (aws_ecs.fargate_size_problem(256, 4096) or "")
    assert "not a Fargate size" in (aws_ecs.fargate_size_problem(300, 512) or "")


def test_steady_state_and_failed_rollouts() -> None:
    assert steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY"}]})
    assert not steady({"desiredCount": 2, "runningCount": 2, "deployments": [{"status": "PRIMARY"}, {"status": "ACTIVE"}]})
    assert not steady({"desiredCount": 2, "runningCount": 1, "deployments": [{"status": "PRIMARY"}]})
    assert rollout_failed({"deployments": [{"status": "PRIMARY", "rolloutState": "FAILED"}]})


def test_unsettled_message_quotes_events_and_stop_reasons() -> None:
    service = {"desiredCount": 2, "runningCount": 0,
               "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}],
               "events": [{"message": "(service api) has started 2 tasks"}, {"message": "(service api) failed health checks"}]}
    text = unsettled_message("api", 600, service, ["Essential container in task exited", "Essential container in task exited"])
    assert "within 600 s (running 0 of 2, rollout IN_PROGRESS)" in text
    assert "stopped tasks: Essential container in task exited;" in text
    assert "failed health checks" in text
