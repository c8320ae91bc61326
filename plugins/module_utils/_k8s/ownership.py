# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects an environment made in its namespace, found by its labels (prune), and the address each is found by."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KubeClient

#: What discovery reports as the kind of every object: one resource type (k8s_object) serves them all.
OBJECT = "object"
MANAGED_BY = "app.kubernetes.io/managed-by"
ENV_LABEL = "agno.infra/env"
ID_LABEL = "agno.infra/id"
APP_LABEL = "agno.infra/app"
#: The label of a workload's pods that names the workload (its selector's).
NAME_LABEL = "app.kubernetes.io/name"
#: The kinds the kubernetes blueprint makes, by apiVersion: one list call each finds an environment's.
KINDS: t.Tuple[t.Tuple[str, str], ...] = (
    ("v1", "ServiceAccount"), ("v1", "Secret"), ("v1", "Service"), ("v1", "PersistentVolumeClaim"), ("v1", "ConfigMap"),
    ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("batch/v1", "CronJob"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"), ("networking.k8s.io/v1", "Ingress"), ("networking.k8s.io/v1", "NetworkPolicy"))
SEPARATOR = "|"


def address(api_version: str, kind: str, namespace: str, name: str) -> str:
    """The name discovery gives a found object: what adopt needs to read and delete it."""
    return SEPARATOR.join((api_version, kind, namespace, name))


def definition(found: str) -> t.Dict[str, t.Any]:
    """The definition that reads and deletes the object at an address."""
    api_version, kind, namespace, name = found.split(SEPARATOR)
    metadata = dict({"name": name}, **({"namespace": namespace} if namespace else {}))
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}


def selector(env_name: str) -> str:
    return "%s=agno-infra,%s=%s" % (MANAGED_BY, ENV_LABEL, env_name)


def owned(kube: KubeClient, env_name: str, namespace: str) -> t.List[Found]:
    """The objects labelled as the environment's: in its namespace, and namespaces of its (one it made under another name)."""
    labels = selector(env_name)
    found = [Found(OBJECT, address("v1", "Namespace", "", entry["metadata"]["name"]), entry["metadata"].get("labels") or {})
             for entry in kube.listed(kube.kind("v1", "Namespace"), None, labels)]
    for api_version, kind in KINDS:
        found += [Found(OBJECT, address(api_version, kind, namespace, entry["metadata"]["name"]), entry["metadata"].get("labels") or {})
                  for entry in kube.listed(kube.kind(api_version, kind), namespace, labels)]
    return found


def restarts(kube: KubeClient, env_name: str, namespace: str) -> t.Dict[str, int]:
    """The container restarts of the environment's pods, summed by the workload they belong to (one list call)."""
    counts: t.Dict[str, int] = {}
    for pod in kube.listed(kube.kind("v1", "Pod"), namespace, selector(env_name)):
        name = (pod["metadata"].get("labels") or {}).get(NAME_LABEL)
        if name:
            statuses = (pod.get("status") or {}).get("containerStatuses") or []
            counts[name] = counts.get(name, 0) + sum(int(entry.get("restartCount") or 0) for entry in statuses)
    return counts
