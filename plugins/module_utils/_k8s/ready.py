# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When an object is ready, by kind: what is still pending (None when nothing is), and what has failed for good."""

from __future__ import annotations

import typing as t

Obj = t.Dict[str, t.Any]


def observed(obj: Obj) -> t.Optional[str]:
    """A controller that has not seen the newest spec says nothing yet of it."""
    generation = (obj.get("metadata") or {}).get("generation")
    seen = (obj.get("status") or {}).get("observedGeneration")
    if generation is not None and (seen is None or seen < generation):
        return "the controller has not yet seen generation %s" % generation
    return None


def replicas_pending(obj: Obj, counts: t.Tuple[str, ...]) -> t.Optional[str]:
    wanted = (obj.get("spec") or {}).get("replicas", 1)
    status = obj.get("status") or {}
    for count in counts:
        if status.get(count, 0) != wanted:
            return "%s of %s replicas %s" % (status.get(count, 0), wanted, {"replicas": "running"}.get(count, count.replace("Replicas", "")))
    return None


def deployment(obj: Obj) -> t.Optional[str]:
    # replicas: no pod of an old revision is left; updated and available: the new ones serve.
    return observed(obj) or replicas_pending(obj, ("updatedReplicas", "availableReplicas", "replicas"))


def statefulset(obj: Obj) -> t.Optional[str]:
    status = obj.get("status") or {}
    pending = observed(obj) or replicas_pending(obj, ("readyReplicas", "updatedReplicas"))
    if pending is None and status.get("updateRevision") and status.get("currentRevision") != status.get("updateRevision"):
        pending = "revision %s is still rolling out" % status["updateRevision"]
    return pending


def daemonset(obj: Obj) -> t.Optional[str]:
    status = obj.get("status") or {}
    wanted = status.get("desiredNumberScheduled", 0)
    for count, label in (("updatedNumberScheduled", "updated"), ("numberAvailable", "available")):
        if status.get(count, 0) != wanted:
            return "%s of %s nodes %s" % (status.get(count, 0), wanted, label)
    return observed(obj)


def condition(obj: Obj, kind: str) -> t.Optional[Obj]:
    """The object's condition of that type when it is true."""
    return next((item for item in (obj.get("status") or {}).get("conditions") or []
                 if item.get("type") == kind and item.get("status") == "True"), None)


def job(obj: Obj) -> t.Optional[str]:
    return None if condition(obj, "Complete") else "the job has not completed"


def pod(obj: Obj) -> t.Optional[str]:
    return None if condition(obj, "Ready") else "the pod is %s" % (obj.get("status") or {}).get("phase", "Pending")


PENDING: t.Dict[str, t.Callable[[Obj], t.Optional[str]]] = {
    "Deployment": deployment, "StatefulSet": statefulset, "DaemonSet": daemonset, "Job": job, "Pod": pod}


def pending(obj: Obj) -> t.Optional[str]:
    """What the object still waits for; kinds without a readiness rule are ready once the server has them."""
    rule = PENDING.get(obj.get("kind", ""))
    return rule(obj) if rule else None


def failure(obj: Obj) -> t.Optional[str]:
    """Why the object will never be ready without a change: a failed Job, a Deployment past its progress deadline."""
    failed = condition(obj, "Failed") if obj.get("kind") == "Job" else None
    if failed:
        return "the job failed (%s)" % (failed.get("message") or failed.get("reason") or "no reason given").rstrip(".")
    stuck = next((item for item in (obj.get("status") or {}).get("conditions") or []
                  if item.get("type") == "Progressing" and item.get("reason") == "ProgressDeadlineExceeded"), None)
    if stuck and obj.get("kind") == "Deployment":
        return "the rollout passed its progress deadline (%s)" % (stuck.get("message") or "").rstrip(".")
    return None
