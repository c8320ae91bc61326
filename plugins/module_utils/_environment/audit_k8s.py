# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit's rules for Kubernetes objects (k8s_object items): pods under the restricted Pod Security profile, sized,
on pinned images, without host paths; namespaces with a NetworkPolicy; Ingresses with TLS in production.

The checks read definitions only (no call), and yield (rule, item id, detail); audit.py turns them into findings.
"""

from __future__ import annotations

import typing as t

Obj = t.Dict[str, t.Any]
#: (id, severity, title, explanation, fix) of each rule; audit.py lists them with the others.
RULES: t.Tuple[t.Tuple[str, str, str, str, str], ...] = (
    ("AGNO-K8S-001", "high", "Pod outside the restricted Pod Security profile",
     "A privileged or root container, one that may gain privileges or keeps capabilities, or a pod on the host's namespaces "
     "turns any code execution bug into control of the node.",
     "Run as a non-root uid with allowPrivilegeEscalation false, capabilities drop ALL, seccompProfile RuntimeDefault (the "
     "environment's workloads have all of these)."),
    ("AGNO-K8S-002", "medium", "Container without CPU and memory limits",
     "A container without limits can take the node's CPU and memory from every other pod on it.",
     "Give resources.limits (and requests) for cpu and memory: the app's cpus and memory."),
    ("AGNO-K8S-003", "high", "Pod mounting a host path",
     "A hostPath volume gives the pod the node's files: its credentials, the container runtime's socket.",
     "Use a PersistentVolumeClaim, a ConfigMap, a Secret or an emptyDir instead."),
    ("AGNO-K8S-004", "medium", "Image without a pinned tag",
     "latest (or no tag) runs whatever was pushed last: a rerun or a rescheduled pod may run other code than was tested.",
     "Give a version tag or a digest (images built from source are deployed by digest)."),
    ("AGNO-K8S-005", "medium", "Namespace without a NetworkPolicy",
     "Without a NetworkPolicy every pod of the cluster can reach every pod of the namespace.",
     "Add a default-deny policy and allow what the apps need (the environment makes them)."),
    ("AGNO-K8S-006", "low", "Ingress without TLS",
     "The app is served over plain HTTP at the ingress controller.",
     "Set kubernetes.tls_secret (a kubernetes.io/tls Secret, cert-manager's say)."),
)
PRODUCTION_SEVERITY = {"AGNO-K8S-006": "high"}
HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC")
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")


def pod_spec(obj: Obj) -> t.Optional[Obj]:
    """The pod spec of a workload, a CronJob, a Pod; None for other kinds."""
    spec = obj.get("spec") or {}
    if obj.get("kind") in WORKLOAD_KINDS:
        return t.cast(Obj, (spec.get("template") or {}).get("spec") or {})
    if obj.get("kind") == "CronJob":
        return t.cast(Obj, ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {})
    return t.cast(Obj, spec) if obj.get("kind") == "Pod" else None


def containers(pod: Obj) -> t.List[Obj]:
    return list(pod.get("initContainers") or []) + list(pod.get("containers") or [])


def setting(pod: Obj, container: Obj, key: str) -> t.Any:
    """A security setting of the container, else of the pod."""
    own = (container.get("securityContext") or {}).get(key)
    return own if own is not None else (pod.get("securityContext") or {}).get(key)


def container_problems(pod: Obj, container: Obj) -> t.List[str]:
    context = container.get("securityContext") or {}
    name = container.get("name")
    problems = []
    if context.get("privileged"):
        problems.append("container %s is privileged" % name)
    if setting(pod, container, "runAsNonRoot") is not True or setting(pod, container, "runAsUser") == 0:
        problems.append("container %s may run as root (runAsNonRoot is not true, or runAsUser is 0)" % name)
    if context.get("allowPrivilegeEscalation") is not False:
        problems.append("container %s may gain privileges (allowPrivilegeEscalation is not false)" % name)
    if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
        problems.append("container %s keeps its capabilities (capabilities.drop lacks ALL)" % name)
    if ((setting(pod, container, "seccompProfile") or {}).get("type")) not in ("RuntimeDefault", "Localhost"):
        problems.append("container %s has no seccompProfile RuntimeDefault" % name)
    if any(port.get("hostPort") for port in container.get("ports") or []):
        problems.append("container %s uses a hostPort" % name)
    return problems


def pod_problems(pod: Obj) -> t.List[str]:
    """What the restricted Pod Security profile refuses in a pod spec, one phrase each."""
    problems = ["the pod sets %s" % field for field in HOST_FIELDS if pod.get(field)]
    return problems + [problem for container in containers(pod) for problem in container_problems(pod, container)]


def pinned(image: str) -> bool:
    last = image.rsplit("/", 1)[-1]
    return "@" in image or (":" in last and not last.endswith(":latest"))


def pod_findings(item_id: str, pod: Obj) -> t.Iterator[t.Tuple[str, str, str]]:
    problems = pod_problems(pod)
    if problems:
        yield "AGNO-K8S-001", item_id, "; ".join(problems)
    for container in containers(pod):
        limits = (container.get("resources") or {}).get("limits") or {}
        missing = [resource for resource in ("cpu", "memory") if not limits.get(resource)]
        if missing:
            yield "AGNO-K8S-002", item_id, "container %s has no %s limit" % (container.get("name"), " and no ".join(missing))
        image = str(container.get("image") or "")
        if not pinned(image):
            yield "AGNO-K8S-004", item_id, "container %s runs %s" % (container.get("name"), image or "no image")
    for volume in pod.get("volumes") or []:
        if "hostPath" in volume:
            yield "AGNO-K8S-003", item_id, "volume %s is the host's %s" % (volume.get("name"), volume["hostPath"].get("path"))


def findings(definitions: t.List[t.Tuple[str, Obj]], production: bool) -> t.Iterator[t.Tuple[str, str, str, t.Optional[str]]]:
    """(rule, item id, detail, severity or None for the rule's) of the objects, given as (item id, definition)."""
    for item_id, obj in definitions:
        pod = pod_spec(obj)
        for rule, owner, detail in pod_findings(item_id, pod) if pod is not None else ():
            yield rule, owner, detail, None
        if obj.get("kind") == "Ingress" and not (obj.get("spec") or {}).get("tls"):
            yield "AGNO-K8S-006", item_id, "it serves plain HTTP", PRODUCTION_SEVERITY["AGNO-K8S-006"] if production else None
    for namespace in unguarded(definitions):
        yield "AGNO-K8S-005", namespace[0], "namespace %s has workloads and no NetworkPolicy" % namespace[1], None


def unguarded(definitions: t.List[t.Tuple[str, Obj]]) -> t.List[t.Tuple[str, str]]:
    """(item id of a workload, namespace) of the namespaces with pods and no NetworkPolicy among the objects."""
    guarded = {(obj.get("metadata") or {}).get("namespace") or "default" for _item_id, obj in definitions if obj.get("kind") == "NetworkPolicy"}
    first: t.Dict[str, str] = {}
    for item_id, obj in definitions:
        namespace = (obj.get("metadata") or {}).get("namespace") or "default"
        if pod_spec(obj) is not None and namespace not in guarded:
            first.setdefault(namespace, item_id)
    return [(item_id, namespace) for namespace, item_id in first.items()]


def plain_env(obj: Obj) -> t.Iterator[t.Tuple[str, t.Dict[str, t.Any]]]:
    """(container name, plain environment) of every container of the object's pods: what AGNO-SEC-001 reads."""
    pod = pod_spec(obj)
    for container in containers(pod) if pod is not None else []:
        yield str(container.get("name")), {entry.get("name"): entry["value"] for entry in container.get("env") or [] if "value" in entry}
