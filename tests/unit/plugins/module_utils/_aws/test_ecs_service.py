"""ECS services: steady-state detection, the unsettled-service message, constraints, and converges: a deployment
waited for until steady, changes in one UpdateService, a graceful delete, unreported deployment settings, a replacement
that waits, tags through the ECS calls."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_service import ServiceResource, rollout_failed, steady, stop_reason, unsettled_message
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource


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


TASK = "arn:aws:ecs:%s:%s:task-definition/api:3" % (REGION, ACCOUNT)
GROUP = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/api/73e2d6bc24d8a067" % (REGION, ACCOUNT)


class Services:
    """ECS's service calls. A deployment rolls out when looked at once more; a deleted service drains, then is INACTIVE."""

    def __init__(self) -> None:
        self.services: t.Dict[str, t.Dict[str, t.Any]] = {}

    def describe_task_definition(self, taskDefinition: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if taskDefinition not in ("api", "api:3"):
            raise client_error("ClientException", "DescribeTaskDefinition", "Unable to describe task definition.")
        return {"taskDefinition": {"taskDefinitionArn": TASK, "family": "api", "revision": 3, "status": "ACTIVE"}}

    def describe_services(self, cluster: str, services: t.List[str], include: t.List[str]) -> t.Dict[str, t.Any]:
        found = [dict(self.services[name]) for name in services if name in self.services]
        for service in self.services.values():
            rolled = {"DRAINING": {"status": "INACTIVE"}, "ACTIVE": {"runningCount": service["desiredCount"]}}.get(service["status"], {})
            service.update(rolled, deployments=[dict(service["deployments"][0], rolloutState="COMPLETED")])
        return {"services": found, "failures": []}

    def create_service(self, cluster: str, serviceName: str, launchType: str, **request: t.Any) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        arn = "arn:aws:ecs:%s:%s:service/%s/%s" % (REGION, ACCOUNT, cluster, serviceName)
        self.services[serviceName] = dict(request, serviceName=serviceName, serviceArn=arn, launchType=launchType, status="ACTIVE",
                                          runningCount=0, deployments=[{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}],
                                          healthCheckGracePeriodSeconds=request.get("healthCheckGracePeriodSeconds", 0))
        return {"service": dict(self.services[serviceName])}

    def update_service(self, cluster: str, service: str, forceNewDeployment: bool = False, **request: t.Any) -> None:  # pylint: disable=invalid-name
        self.services[service].update(request, deployments=[{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}])

    def delete_service(self, cluster: str, service: str) -> None:
        self.services[service]["status"] = "DRAINING"


def service(aws: FakeAws, **options: t.Any) -> ServiceResource:
    return task_resource(ServiceResource, aws, **dict({
        "name": "api", "cluster": "agent-app", "task_definition": "api", "desired_count": 2, "subnets": ["subnet-b", "subnet-a"],
        "security_groups": ["sg-app"], "load_balancers": [{"target_group_arn": GROUP, "container_name": "api", "container_port": 8000}],
        "health_check_grace_period_seconds": 30}, **options))


def test_a_service_is_created_private_and_waited_for_until_steady_then_a_rerun_changes_nothing(clock: FakeClock) -> None:
    aws = FakeAws(ecs=Services())
    created = converge(service(aws), wait=True, wait_timeout=600)
    assert created.action == "create" and aws.writes() == ["create_service"]
    assert (created.state["task_definition"], created.state["steady"], created.state["running_count"]) == (TASK, True, 2)
    assert created.state["health"] == {"running": 2, "desired": 2}
    assert created.state["network"] == {"subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-app"], "assign_public_ip": False}
    assert created.state["deployment_circuit_breaker"] == {"enable": True, "rollback": True}
    assert clock.sleeps == [10]
    aws.clear()
    assert converge(service(aws, task_definition="api:3"), wait=True).changed is False and aws.writes() == []


def test_changes_go_into_one_update_and_a_forced_deployment_is_always_one() -> None:
    ecs = Services()
    aws = FakeAws(ecs=ecs)
    converge(service(aws))
    aws.clear()
    outcome = converge(service(aws, desired_count=4, force_new_deployment=True))
    assert (outcome.changes, aws.writes()) == (["desired_count", "force_new_deployment"], ["update_service"])
    assert ecs.services["api"]["desiredCount"] == 4


def test_a_count_set_on_creation_only_is_created_then_left_to_the_scaler() -> None:
    ecs = Services()
    aws = FakeAws(ecs=ecs)
    assert converge(service(aws, desired_count_on_create_only=True)).action == "create"
    assert ecs.services["api"]["desiredCount"] == 2
    ecs.services["api"]["desiredCount"] = 5  # scaled out by Application Auto Scaling
    aws.clear()
    preview = converge(service(aws, desired_count_on_create_only=True), check_mode=True)
    assert (preview.action, preview.state["desired_count"], "desired_count" in preview.diff["after"]) == ("none", 5, False)
    assert converge(service(aws, desired_count_on_create_only=True)).action == "none" and aws.writes() == []
    # Without the option the task's count is enforced again.
    assert converge(service(aws)).changes == ["desired_count"] and ecs.services["api"]["desiredCount"] == 2


def test_deleting_scales_to_zero_first_and_waits_until_the_service_is_gone() -> None:
    ecs = Services()
    aws = FakeAws(ecs=ecs)
    converge(service(aws))
    aws.clear()
    # The task's wait (true by default) is the engine's to honour, as the runner passes it.
    assert converge(service(aws, state="absent"), present=False, wait=True).action == "delete"
    assert aws.writes() == ["update_service", "delete_service"] and ecs.services["api"]["status"] == "INACTIVE"
    assert converge(service(aws, state="absent"), present=False).changed is False


@pytest.mark.parametrize("options, message", [
    ({"task_definition": "worker"}, "ECS service api: task definition worker has no active revision; register it first "
                                    "(agno.infra.aws_ecs_task_definition) or fix task_definition."),
    ({"subnets": None}, "ECS service api: a Fargate service needs subnets (and security_groups) for its tasks; set subnets."),
])
def test_what_ecs_would_refuse_is_named_before_anything_is_created(options: t.Dict[str, t.Any], message: str) -> None:
    aws = FakeAws(ecs=Services())
    with pytest.raises(ResourceError) as raised:
        converge(service(aws, **options))
    assert raised.value.msg == message and aws.writes() == []


def test_a_count_ecs_would_refuse_is_named_before_any_call() -> None:
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    problems = ServiceResource.problems(service(FakeAws(ecs=Services()), desired_count=-1).params)
    assert problems == ["ECS service api: desired_count is -1: use 0 or more."]


TASK_V1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1"
ARN = "arn:aws:ecs:us-east-1:123456789012:service/main/api"


def scripted_service(aws: t.Any = None, **params: t.Any) -> ServiceResource:
    values = task_params(ServiceResource, name="api", cluster="main", task_definition=TASK_V1, subnets=["subnet-a"])
    values.update(params)
    return ServiceResource(aws, values)


def described(**fields: t.Any) -> t.Dict[str, t.Any]:
    """A service as an emulator reports it: no deploymentConfiguration at all."""
    found = {"serviceName": "api", "serviceArn": ARN, "status": "ACTIVE", "taskDefinition": TASK_V1, "desiredCount": 1,
             "runningCount": 1, "launchType": "FARGATE", "deployments": [{"status": "PRIMARY", "rolloutState": "COMPLETED"}],
             "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"], "assignPublicIp": "DISABLED"}}}
    return {"services": [dict(found, **fields)]}


def test_every_number_ecs_refuses_is_reported_at_once() -> None:
    params = scripted_service(name="api v2", desired_count=-1, health_check_grace_period_seconds=-5,
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
    outcome = converge(scripted_service(aws, deployment_configuration={"maximum_percent": 200, "minimum_healthy_percent": 100},
                                        health_check_grace_period_seconds=30))
    assert outcome.action == "none" and aws.writes() == []
    reported = Scripted(describe_services=described(deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 50}))
    assert converge(scripted_service(reported, deployment_configuration={"minimum_healthy_percent": 100})).changes == [
        "deployment_circuit_breaker", "minimum_healthy_percent"]


def test_a_replacement_waits_on_the_engine_clock_until_the_old_service_is_gone(clock: t.Any) -> None:
    draining = described(status="DRAINING", desiredCount=0, runningCount=0)
    aws = Scripted(describe_services=[described(), draining, {"services": [dict(draining["services"][0], status="INACTIVE")]}],
                   create_service={"service": described(launchType="EC2")["services"][0]})
    outcome = converge(scripted_service(aws, launch_type="EC2"), clock=clock)
    assert (outcome.action, outcome.state["launch_type"]) == ("replace", "EC2")
    assert aws.writes() == ["update_service", "delete_service", "create_service"] and clock.sleeps == [5.0]


def test_tags_change_through_the_ecs_tag_calls() -> None:
    aws = Scripted(describe_services=described(tags=[{"key": "app", "value": "old"}]))
    assert converge(scripted_service(aws, tags={"app": "api"})).changes == ["tags"]
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": [{"key": "app", "value": "api"}]}]
