"""ECS services: steady-state detection, the unsettled-service message, and input checks."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_service import (
    ServiceResource, input_problem, rollout_failed, steady, stop_reason, unsettled_message)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


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
    base = {"desired_count": 1, "deployment_configuration": None, "load_balancers": None, "health_check_grace_period_seconds": None}
    assert input_problem(base) is None
    assert input_problem(dict(base, desired_count=-1)) == "desired_count is -1: use 0 or more"
    assert input_problem(dict(base, deployment_configuration={"maximum_percent": 50})) == (
        "deployment_configuration.maximum_percent is 50: use 100 or more")
    assert "container_port 0" in (input_problem(dict(base, load_balancers=[{"container_port": 0}])) or "")
