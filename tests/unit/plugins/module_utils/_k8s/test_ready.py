"""Readiness by kind."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._k8s.ready import failure, pending


def deployment(**status: int) -> dict:
    return {"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
            "status": dict({"observedGeneration": 2}, **status)}


def test_a_deployment_is_ready_once_rolled_out() -> None:
    assert pending(deployment(updatedReplicas=2, availableReplicas=2, replicas=2)) is None
    assert pending(deployment(updatedReplicas=1, availableReplicas=2, replicas=3)) == "1 of 2 replicas updated"
    assert pending(deployment(updatedReplicas=2, availableReplicas=2, replicas=3)) == "3 of 2 replicas running"
    stale = deployment(updatedReplicas=2, availableReplicas=2, replicas=2)
    stale["status"]["observedGeneration"] = 1
    assert pending(stale) == "the controller has not yet seen generation 2"


def test_statefulsets_daemonsets_jobs_and_pods() -> None:
    sts = {"kind": "StatefulSet", "spec": {"replicas": 1},
           "status": {"readyReplicas": 1, "updatedReplicas": 1, "currentRevision": "a", "updateRevision": "b"}}
    assert pending(sts) == "revision b is still rolling out"
    sts["status"]["currentRevision"] = "b"
    assert pending(sts) is None
    assert pending({"kind": "DaemonSet", "status": {"desiredNumberScheduled": 2, "updatedNumberScheduled": 2,
                                                    "numberAvailable": 1}}) == "1 of 2 nodes available"
    assert pending({"kind": "Job", "status": {}}) == "the job has not completed"
    assert pending({"kind": "Job", "status": {"conditions": [{"type": "Complete", "status": "True"}]}}) is None
    assert pending({"kind": "Pod", "status": {"phase": "Running"}}) == "the pod is Running"
    assert pending({"kind": "ConfigMap"}) is None


def test_failures_for_good() -> None:
    job = {"kind": "Job", "status": {"conditions": [{"type": "Failed", "status": "True", "message": "Job has reached the specified backoff limit."}]}}
    assert failure(job) == "the job failed (Job has reached the specified backoff limit)"
    stuck = {"kind": "Deployment", "status": {"conditions": [
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "web has timed out progressing."}]}}
    assert failure(stuck) == "the rollout passed its progress deadline (web has timed out progressing)"
    assert failure(deployment(updatedReplicas=0)) is None
