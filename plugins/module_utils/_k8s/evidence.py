# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait that timed out quotes: the object's newest events, and for a workload its first unready pod's state
and last log lines, so the failure says why without a second command."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._k8s.client import REQUEST_TIMEOUT, Kind, KubeClient, status_of
from ansible_collections.agno.infra.plugins.module_utils._k8s.ready import condition

Obj = t.Dict[str, t.Any]
EVENTS = 5
LOG_LINES = 20
POD = Kind("v1", "pods", True)
EVENT = Kind("v1", "events", True)


def selector(obj: Obj) -> t.Optional[str]:
    """The label selector of a workload's pods ("app=web,tier=api"), None for other kinds."""
    labels = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels")
    if obj.get("kind") == "Job":
        labels = {"job-name": obj["metadata"]["name"]}
    return ",".join("%s=%s" % item for item in sorted(labels.items())) if labels else None


def events(kube: KubeClient, obj: Obj) -> t.List[str]:
    """The object's newest events, oldest first: "Warning FailedCreate: ..." """
    metadata = obj["metadata"]
    found = kube.call("GET", EVENT.path(metadata.get("namespace")), {
        "fieldSelector": "involvedObject.name=%s,involvedObject.kind=%s" % (metadata["name"], obj.get("kind"))})
    items = sorted(found.get("items") or [], key=lambda item: item.get("lastTimestamp") or item.get("eventTime") or "")
    return ["%s %s: %s" % (item.get("type"), item.get("reason"), (item.get("message") or "").strip()) for item in items[-EVENTS:]]


def unready(pod: Obj) -> bool:
    return condition(pod, "Ready") is None


def waiting(pod: Obj) -> str:
    """Why a pod's containers do not run: "web: CrashLoopBackOff (back-off 10s restarting failed container)"."""
    reasons = []
    for container in (pod.get("status") or {}).get("containerStatuses") or []:
        state = container.get("state") or {}
        detail = state.get("waiting") or state.get("terminated")
        if detail:
            message = (" (%s)" % detail["message"].strip()) if detail.get("message") else ""
            reasons.append("%s: %s%s" % (container.get("name"), detail.get("reason"), message))
    return "; ".join(reasons) or "phase %s" % (pod.get("status") or {}).get("phase")


def container_log(kube: KubeClient, namespace: str, pod: str, query: t.Dict[str, t.Any], timeout: float = REQUEST_TIMEOUT) -> bytes:
    """A pod's log as the kubelet gives it (``query``: its container, tailLines...); empty for a container that never
    started (the API server answers 400, or 404 for a pod gone)."""
    try:
        return kube.raw("GET", POD.path(namespace, pod) + "/log", query, timeout=timeout)
    except Exception as error:  # pylint: disable=broad-except
        if status_of(error) in (400, 404):
            return b""
        raise


def pod_story(kube: KubeClient, obj: Obj) -> str:
    """The first unready pod of a workload: its state, then its log's last lines; empty when every pod is ready."""
    labels = selector(obj)
    if labels is None:
        return ""
    namespace = obj["metadata"].get("namespace")
    pods = [pod for pod in kube.call("GET", POD.path(namespace), {"labelSelector": labels}).get("items") or [] if unready(pod)]
    if not pods:
        return ""
    name = pods[0]["metadata"]["name"]
    try:
        log = container_log(kube, namespace, name, {"tailLines": LOG_LINES}, timeout=10).decode("utf-8", "replace")
    except Exception:  # pylint: disable=broad-except  # a pod that never started has no log
        log = ""
    tail = "".join("\n  | " + line for line in log.splitlines()[-LOG_LINES:])
    return " Pod %s: %s.%s" % (name, waiting(pods[0]), (" Its last log lines:" + tail) if tail else "")


def quoted(kube: KubeClient, obj: Obj) -> str:
    """The evidence as text to append to a failure, empty when there is none; a failed read of it hides nothing."""
    try:
        found = events(kube, obj)
        story = pod_story(kube, obj)
    except Exception:  # pylint: disable=broad-except
        return ""
    return (" Events: %s." % "; ".join(line.rstrip(".") for line in found) if found else "") + story
