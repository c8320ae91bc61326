"""One ECS task run to its end: where it runs, its exit code, its log stream, an interruption."""

from __future__ import annotations

import signal
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_task
from ansible_collections.agno.infra.plugins.module_utils._engine.command import Interrupted
from ansible_collections.agno.infra.tests.unit.fake_ecs import CONTAINER, SERVICE, TASK_ARN, FakeECS
from ansible_collections.agno.infra.tests.unit.support import FakeClock


def test_the_task_runs_the_services_definition_in_its_private_subnets_with_the_command() -> None:
    assert ecs_task.run_task_request("agent-app-run", SERVICE, "api", ["python", "-m", "app.migrate"], "agno.infra-run") == {
        "cluster": "agent-app-run", "taskDefinition": SERVICE["taskDefinition"], "count": 1, "startedBy": "agno.infra-run",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-app"],
                                                         "assignPublicIp": "DISABLED"}},
        "propagateTags": "TASK_DEFINITION", "launchType": "FARGATE", "platformVersion": "LATEST",
        "overrides": {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.migrate"]}]}}
    spot = dict(SERVICE, capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}], platformVersion=None)
    request = ecs_task.run_task_request("agent-app-run", spot, "api", ["true"], "agno.infra-run")
    assert request["capacityProviderStrategy"] == spot["capacityProviderStrategy"]
    assert "launchType" not in request and "platformVersion" not in request


def test_the_log_stream_is_the_prefix_container_and_task_id() -> None:
    assert ecs_task.log_stream(CONTAINER, TASK_ARN) == ("/ecs/agent-app-run/api", "api/api/0f3c9a5e2b7d4c1f")
    assert ecs_task.log_stream({"name": "api"}, TASK_ARN) is None


def test_the_exit_code_is_the_containers_and_none_when_it_never_ran() -> None:
    assert ecs_task.exit_code({"containers": [{"name": "api", "exitCode": 3}]}, "api") == 3
    assert ecs_task.exit_code({"containers": [{"name": "api"}]}, "api") is None
    assert ecs_task.stopped_reason({"stoppedReason": "CannotPullContainerError", "containers": [{"reason": "pull failed"}]}) == \
        "CannotPullContainerError; pull failed"


def test_an_interruption_stops_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeECS(runs=None)

    def interrupted(**request: t.Any) -> t.Dict[str, t.Any]:
        signal.raise_signal(signal.SIGINT)
        return {}
    monkeypatch.setattr(fake, "describe_tasks", interrupted)
    request = ecs_task.run_task_request("agent-app-run", SERVICE, "api", ["sleep", "100"], "agno.infra-run")
    with pytest.raises(Interrupted, match="SIGINT"):
        ecs_task.aws_run(lambda service: fake, request, CONTAINER, ["sleep", "100"], 600, FakeClock(), "run_timeout")
    assert fake.calls[-1] == ("stop_task", {"cluster": "agent-app-run", "task": TASK_ARN, "reason": "agno.infra run: interrupted"})


def test_without_a_command_the_task_runs_the_containers_own() -> None:
    assert "overrides" not in ecs_task.run_task_request("agent-app-run", SERVICE, "api", None, "agno.infra-up")


def test_in_a_worker_thread_the_run_takes_no_signal_handler() -> None:
    """A plan converges items in threads, where Python refuses signal handlers: the task runs all the same."""
    import concurrent.futures  # pylint: disable=import-outside-toplevel
    request = ecs_task.run_task_request("agent-app-run", SERVICE, "api", None, "agno.infra-up")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        ran = pool.submit(ecs_task.aws_run, lambda service: FakeECS(), request, CONTAINER, ["true"], 600, FakeClock(), "run_timeout").result()
    assert ran.rc == 0 and ran.where == {"task_arn": TASK_ARN}
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
