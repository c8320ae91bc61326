# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One command run to its end in a Job made from a workload's pod template: the workload's image, settings (secrets by
reference), service account and security context, waited for; its exit code and log, and the Job deleted afterwards.

The Job's pod is not one of the workload's: no probes, no port and its own name label, so that no Service sends it
traffic, while the labels the NetworkPolicies read (what it may reach) stay the workload's.
"""

from __future__ import annotations

import base64
import copy
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._k8s import evidence
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KubeClient, status_of
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import NAME_LABEL
from ansible_collections.agno.infra.plugins.module_utils._k8s.ready import condition
from ansible_collections.agno.infra.plugins.module_utils._engine.command import Ran, interruptible, output_lines, quoted
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError, poll

Obj = t.Dict[str, t.Any]
#: The label of a run's Job and pod that names the workload it runs in.
RUN_LABEL = "agno.infra/run"
POLL = 1.0
#: A finished Job the run could not delete (its process was killed) is removed by the cluster this long after.
KEEP_SECONDS = 600
#: Waiting reasons after which a container does not start by itself: the run fails at once rather than at its timeout.
STUCK = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError")
#: Probes and ports serve a workload's traffic, which a one-off command does not take.
SERVING = ("readinessProbe", "livenessProbe", "startupProbe", "ports")


def run_container(spec: Obj) -> Obj:
    """The container the command runs in: the one named app (as the blueprint names it), else the first."""
    containers = spec.get("containers") or [{}]
    return next((entry for entry in containers if entry.get("name") == "app"), containers[0])


def job_body(template: Obj, name: str, namespace: str, workload: str, command: t.List[str], timeout: int,
             labels: t.Dict[str, str]) -> Obj:
    """The Job that runs the command once in the workload's pod: never retried, stopped by the cluster at the timeout
    (also when nothing waits for it any more)."""
    spec = copy.deepcopy(template.get("spec") or {})
    container = run_container(spec)
    for key in SERVING + ("args",):
        container.pop(key, None)
    container["command"] = command
    spec["restartPolicy"] = "Never"
    pod_labels = dict((template.get("metadata") or {}).get("labels") or {}, **{NAME_LABEL: name, RUN_LABEL: workload})
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(labels, **{RUN_LABEL: workload})},
            "spec": {"backoffLimit": 0, "activeDeadlineSeconds": timeout, "ttlSecondsAfterFinished": KEEP_SECONDS,
                     "template": {"metadata": {"labels": pod_labels}, "spec": spec}}}


def secret_refs(body: Obj) -> t.Dict[str, t.Set[str]]:
    """The keys of each Secret that the run's container reads by secretKeyRef."""
    refs: t.Dict[str, t.Set[str]] = {}
    for entry in run_container(body["spec"]["template"]["spec"]).get("env") or []:
        ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
        if ref:
            refs.setdefault(ref["name"], set()).add(ref["key"])
    return refs


def secret_values(kube: KubeClient, namespace: str, body: Obj) -> t.List[str]:
    """The values the run's container reads from Secrets: its output may print them, so they are masked in it."""
    found = []
    for secret, keys in secret_refs(body).items():
        data = (kube.get(kube.kind("v1", "Secret"), secret, namespace) or {}).get("data") or {}
        found += [base64.b64decode(data[key]).decode("utf-8", "replace") for key in sorted(keys) if data.get(key)]
    return [value for value in found if value]


def exit_code(pod: Obj, container: str) -> t.Optional[int]:
    for entry in (pod.get("status") or {}).get("containerStatuses") or []:
        ended = (entry.get("state") or {}).get("terminated")
        if entry.get("name") == container and ended:
            return int(ended.get("exitCode") or 0)
    return None


def stuck(pod: Obj) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return any(((entry.get("state") or {}).get("waiting") or {}).get("reason") in STUCK for entry in statuses)


def failed(job: Obj) -> t.Optional[str]:
    """Why the Job failed without a pod that ran ("DeadlineExceeded: ..."), None while it has not."""
    failure = condition(job, "Failed")
    return "%s: %s" % (failure.get("reason"), failure.get("message")) if failure else None


def pods(kube: KubeClient, namespace: str, name: str) -> t.List[Obj]:
    return kube.listed(evidence.POD, namespace, "job-name=%s" % name)


def ended(kube: KubeClient, namespace: str, name: str, container: str, timeout: int, clock: Clock) -> t.Tuple[Obj, t.Optional[Obj]]:
    """The Job and its pod once the command has ended, will not start, or the Job failed; at the timeout a ResourceError."""
    def check() -> t.Tuple[bool, t.Tuple[Obj, t.Optional[Obj]]]:
        job = kube.get(kube.kind("batch/v1", "Job"), name, namespace) or {}
        pod = next(iter(pods(kube, namespace, name)), None)
        done = pod is not None and (exit_code(pod, container) is not None or stuck(pod))
        return done or bool(failed(job)), (job, pod)
    return t.cast(t.Tuple[Obj, t.Optional[Obj]], poll(check, timeout, lambda: "", POLL, clock.now, clock.sleep))


def log(kube: KubeClient, namespace: str, pod: t.Optional[Obj], container: str) -> t.List[str]:
    if pod is None:
        return []
    return output_lines(evidence.container_log(kube, namespace, pod["metadata"]["name"], {"container": container}).decode("utf-8", "replace"))


def deleted(kube: KubeClient, namespace: str, name: str) -> None:
    """The Job deleted with its pod (in the background: nothing waits for it)."""
    try:
        kube.call("DELETE", kube.kind("batch/v1", "Job").path(namespace, name), {"propagationPolicy": "Background"})
    except Exception as error:  # pylint: disable=broad-except
        if status_of(error) != 404:
            raise


def outcome(kube: KubeClient, body: Obj, job: Obj, pod: t.Optional[Obj], container: str, lines: t.List[str]) -> int:
    """The command's exit code; a run that never got to the command fails with why."""
    name, namespace = body["metadata"]["name"], body["metadata"]["namespace"]
    rc = exit_code(pod, container) if pod else None
    if rc is not None:
        return rc
    why = ("pod %s: %s" % (pod["metadata"]["name"], evidence.waiting(pod))) if pod and stuck(pod) else (failed(job) or "no pod")
    raise ResourceError("Job %s in namespace %s ended before the command ran (%s).%s" % (
        name, namespace, why.rstrip("."), evidence.quoted(kube, job) if job else ""), lines=lines, job=name)


def k8s_run(kube: KubeClient, body: Obj, command: t.List[str], timeout: int, clock: Clock, timeout_option: str) -> Ran:
    """Create the Job and wait for its command to end; it is deleted in every case (at the timeout, interrupted, or
    failed), and the failure at the timeout names ``timeout_option``, the option that gives more time."""
    name, namespace = body["metadata"]["name"], body["metadata"]["namespace"]
    container = run_container(body["spec"]["template"]["spec"])["name"]
    try:
        with interruptible():
            kube.call("POST", kube.kind("batch/v1", "Job").path(namespace), body=body)
            try:
                job, pod = ended(kube, namespace, name, container, timeout, clock)
            except ResourceError:
                pod = next(iter(pods(kube, namespace, name)), None)
                raise ResourceError("The command %s was still running after %d s in Job %s and was stopped: raise %s, or look "
                                    "for what it waits on in its output." % (quoted(command), timeout, name, timeout_option),
                                    lines=log(kube, namespace, pod, container), job=name)
            lines = log(kube, namespace, pod, container)
            # Read before the Job goes: a run that never got to its command quotes the Job's events and pod.
            rc = outcome(kube, body, job, pod, container, lines)
    finally:
        deleted(kube, namespace, name)
    return Ran(rc, lines, {"job": name, "namespace": namespace})
