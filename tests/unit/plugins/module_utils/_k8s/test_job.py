"""A one-off command as a Job against a fake API server: the Job made from a pod template, its wait, log and cleanup."""

from __future__ import annotations

import base64
import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._k8s import client, job
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import NAME_LABEL

TEMPLATE = {"metadata": {"labels": {NAME_LABEL: "api", "agno.infra/uses-postgres": "true"}},
            "spec": {"serviceAccountName": "api", "securityContext": {"runAsUser": 10001},
                     "containers": [{"name": "app", "image": "api@sha256:1", "command": ["uvicorn", "app:app"], "args": ["-v"],
                                     "ports": [{"containerPort": 8000}], "readinessProbe": {"httpGet": {"path": "/health"}},
                                     "livenessProbe": {"httpGet": {"path": "/health"}},
                                     "env": [{"name": "MODE", "value": "prd"},
                                             {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "api-secrets", "key": "DB_PASSWORD"}}}]}]}}


class ApiException(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status, self.body = status, json.dumps({"message": "no"})


class FakeCluster(client.KubeClient):
    """A Job whose pod reports `states` one per poll (the last one stays), its log, and every call in order."""

    def __init__(self, states: t.List[t.Dict[str, t.Any]], log: bytes = b"") -> None:
        super().__init__(None)
        self.states, self.log = states, log
        self.calls: t.List[str] = []
        self.created: t.Dict[str, t.Any] = {}

    def raw(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
            content_type: str = "application/json", timeout: float = 60) -> bytes:
        self.calls.append("%s %s" % (method, path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]))
        if path.endswith("/log"):
            return self.log
        return json.dumps(self.answer(method, path, body)).encode()

    def answer(self, method: str, path: str, body: t.Any) -> t.Dict[str, t.Any]:
        if method == "POST":
            self.created = body
            return body
        if path.endswith("/secrets/api-secrets"):
            return {"data": {"DB_PASSWORD": base64.b64encode(b"s3cret").decode()}}
        if path.endswith("/pods"):
            state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
            return {"items": [{"metadata": {"name": "api-run-1-x"}, "status": {"containerStatuses": [{"name": "app", "state": state}]}}]}
        return {"metadata": {"name": "api-run-1"}, "status": {}}


class FakeClock:
    def __init__(self) -> None:
        self.time = 0.0

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.time += seconds


def body() -> t.Dict[str, t.Any]:
    return job.job_body(TEMPLATE, "api-run-1", "shop", "api", ["python", "-m", "app.migrate"], 30, {"agno.infra/env": "shop"})


def test_the_job_runs_the_command_in_the_workload_s_pod_without_taking_its_traffic() -> None:
    made = body()
    pod = made["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert container["command"] == ["python", "-m", "app.migrate"] and container["image"] == "api@sha256:1"
    assert not set(container) & {"args", "ports", "readinessProbe", "livenessProbe"}
    assert pod["spec"]["restartPolicy"] == "Never" and pod["spec"]["serviceAccountName"] == "api"
    assert pod["metadata"]["labels"] == {NAME_LABEL: "api-run-1", "agno.infra/uses-postgres": "true", job.RUN_LABEL: "api"}
    assert made["metadata"]["labels"] == {"agno.infra/env": "shop", job.RUN_LABEL: "api"}
    assert (made["spec"]["backoffLimit"], made["spec"]["activeDeadlineSeconds"]) == (0, 30)
    assert TEMPLATE["spec"]["containers"][0]["command"] == ["uvicorn", "app:app"]


def test_the_values_it_reads_from_secrets_are_found_to_be_masked() -> None:
    assert job.secret_values(FakeCluster([{}]), "shop", body()) == ["s3cret"]


def test_a_run_waits_for_the_command_then_reads_its_log_and_deletes_the_job() -> None:
    kube = FakeCluster([{"waiting": {"reason": "ContainerCreating"}}, {"running": {}}, {"terminated": {"exitCode": 3}}], b"one\ntwo\n")
    ran = job.k8s_run(kube, body(), ["python"], 30, t.cast(t.Any, FakeClock()), "agno_run_timeout")
    assert (ran.rc, ran.lines, ran.where) == (3, ["one", "two"], {"job": "api-run-1", "namespace": "shop"})
    assert kube.calls[0] == "POST shop/jobs" and kube.calls[-2:] == ["GET api-run-1-x/log", "DELETE jobs/api-run-1"]
    assert kube.created["metadata"]["name"] == "api-run-1"


def test_a_pod_that_cannot_start_fails_at_once_with_why_and_the_job_is_deleted() -> None:
    kube = FakeCluster([{"waiting": {"reason": "ImagePullBackOff", "message": "pull access denied"}}])
    clock = FakeClock()
    with pytest.raises(ResourceError) as raised:
        job.k8s_run(kube, body(), ["python"], 300, t.cast(t.Any, clock), "agno_run_timeout")
    assert raised.value.msg.startswith("Job api-run-1 in namespace shop ended before the command ran (pod api-run-1-x: app: "
                                       "ImagePullBackOff (pull access denied)).")
    assert clock.time == 0 and kube.calls[-1] == "DELETE jobs/api-run-1"


def test_a_command_still_running_at_the_timeout_is_stopped_with_its_output() -> None:
    kube = FakeCluster([{"running": {}}], b"waiting for the database\n")
    with pytest.raises(ResourceError) as raised:
        job.k8s_run(kube, body(), ["python", "-m", "app.migrate"], 5, t.cast(t.Any, FakeClock()), "agno_run_timeout (run_timeout)")
    assert raised.value.msg.startswith("The command python -m app.migrate was still running after 5 s in Job api-run-1 and was "
                                       "stopped: raise agno_run_timeout (run_timeout)")
    assert raised.value.details["lines"] == ["waiting for the database"] and kube.calls[-1] == "DELETE jobs/api-run-1"


def test_a_job_the_cluster_failed_without_a_pod_says_why() -> None:
    failed = {"status": {"conditions": [{"type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": "too long"}]}}
    assert job.failed(failed) == "DeadlineExceeded: too long" and job.failed({"status": {}}) is None
