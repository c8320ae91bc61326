"""The status table: one line per resource (id, type, state, health), the count by state, the endpoints; the drift sentence."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import status


def result(item_id: str, kind: str, action: str, **extra: t.Any) -> t.Dict[str, t.Any]:
    return dict({"id": item_id, "type": kind, "status": "ok", "changed": action != "none", "action": action,
                 "changes": [], "state": {}}, **extra)


SERVICE = result("service-api", "aws_ecs_service", "none", state={"health": {"running": 0, "desired": 3}, "status": "ACTIVE"})
TASK = result("task-api", "aws_ecs_task_definition", "update", changes=["containers"])
GROUP = result("sg-alb", "aws_security_group", "replace", changes=["description"])
LOGS = result("logs-ui", "aws_log_group", "create")
# What pruning adds: a resource found by its ownership tags that agno_env no longer has.
LEFTOVER = result("service-old", "aws_ecs_service", "delete", leftover=True, state={"health": {"running": 1, "desired": 1}})
API = result("api", "docker_container", "none", state={"health": {"state": "healthy"}, "status": "running"})
VPC = result("vpc", "aws_vpc", "none", state={"id": "vpc-1"})


def test_each_resource_is_one_aligned_line_with_its_state_and_health_then_the_count_and_the_endpoints() -> None:
    lines = status.status_lines([VPC, SERVICE, TASK, GROUP, LOGS, API], {"ui": "http://lb/ui", "api": "http://lb/api"})
    assert lines == [
        "RESOURCE     TYPE                     STATE       HEALTH",
        "vpc          aws_vpc                  in sync",
        "service-api  aws_ecs_service          in sync     0/3 running",
        "task-api     aws_ecs_task_definition  to change",
        "sg-alb       aws_security_group       to replace",
        "logs-ui      aws_log_group            missing",
        "api          docker_container         in sync     healthy",
        "6 resources: 3 in sync, 1 to change, 1 to replace, 1 missing.",
        "Endpoints:",
        "  api  http://lb/api",
        "  ui   http://lb/ui",
    ]


def test_a_leftover_is_listed_as_leftover_whatever_its_action() -> None:
    kept = dict(LEFTOVER, id="bucket-old", type="aws_s3_bucket", action="keep", state={})
    lines = status.status_lines([VPC, LEFTOVER, kept], {})
    assert lines[1:] == [
        "vpc          aws_vpc          in sync",
        "service-old  aws_ecs_service  leftover  1/1 running",
        "bucket-old   aws_s3_bucket    leftover",
        "3 resources: 1 in sync, 2 leftover.",
    ]


def test_health_of_services_and_containers_only() -> None:
    starting = dict(API, state={"health": {"state": "starting"}})
    assert [status.health(item) for item in (SERVICE, API, starting, VPC, result("x", "aws_vpc", "create", state=None))] == [
        "0/3 running", "healthy", "starting", "", ""]


def test_a_kubernetes_workload_shows_its_ready_pods_of_those_desired_and_their_restarts() -> None:
    deployment = result("api", "k8s_object", "none", state={"kind": "Deployment", "metadata": {"name": "api"}, "spec": {"replicas": 2},
                                                            "status": {"replicas": 2, "readyReplicas": 1}})
    scaled = result("ui", "k8s_object", "none", state={"kind": "Deployment", "metadata": {"name": "ui"}, "spec": {},
                                                       "status": {"replicas": 3, "readyReplicas": 3}})
    database = result("postgres", "k8s_object", "update", state={"kind": "StatefulSet", "metadata": {"name": "postgres"},
                                                                 "spec": {"replicas": 1}, "status": {}})
    service = result("api-service", "k8s_object", "none", state={"kind": "Service", "metadata": {"name": "api"}})
    restarts = {"api": 3, "postgres": 1}
    assert [status.health(item, restarts) for item in (deployment, scaled, database, service)] == [
        "1/2 ready, 3 restarts", "3/3 ready", "0/1 ready, 1 restart", ""]
    assert status.status_lines([deployment], {}, restarts)[1] == "api       k8s_object  in sync  1/2 ready, 3 restarts"


def test_a_result_without_an_action_says_its_status() -> None:
    skipped = {"id": "service-ui", "type": "aws_ecs_service", "status": "skipped", "changed": False}
    assert status.resource_state(skipped) == "skipped"
    assert status.status_lines([], {}) == ["No resources."]


def test_the_drift_sentence_counts_and_names_what_differs_and_is_empty_in_sync() -> None:
    assert status.drift([VPC, SERVICE, API]) == ""
    assert status.drift([VPC, TASK, GROUP, LOGS, LEFTOVER]) == (
        "4 of 5 resources differ from agno_env: task-api to change, sg-alb to replace, logs-ui missing, service-old leftover.")
