# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What `status` prints: one line per resource (id, type, state, health), a count, then the endpoints.

Built from the item results of a check-mode run (``ItemResult.as_dict()``), and on kubernetes the restarts of the pods
(read once by the caller), so it reads no API itself.
"""

from __future__ import annotations

import typing as t

IN_SYNC = "in sync"
LEFTOVER = "leftover"
#: The state a check-mode action stands for: what an apply would do to bring the resource to its spec.
STATES = {"none": IN_SYNC, "update": "to change", "replace": "to replace", "create": "missing"}
HEADER = ("RESOURCE", "TYPE", "STATE", "HEALTH")
#: The Kubernetes kinds whose health is their pods'.
WORKLOADS = ("Deployment", "StatefulSet")


def resource_state(result: t.Dict[str, t.Any]) -> str:
    """in sync, to change, to replace, missing or leftover; a result without an action (failed, skipped) says its status."""
    if result.get("leftover"):
        return LEFTOVER
    return STATES.get(result.get("action", ""), result.get("status", ""))


def health(result: t.Dict[str, t.Any], restarts: t.Optional[t.Dict[str, int]] = None) -> str:
    """Tasks running of those desired for a service, the health (or status) of a container, pods ready of those desired
    for a Kubernetes workload (with its pods' restarts); empty for other types."""
    state = result.get("state") or {}
    found = state.get("health")
    if state.get("kind") in WORKLOADS:
        return workload_health(state, restarts or {})
    if not isinstance(found, dict):
        return ""
    if "running" in found:
        return "%s/%s running" % (found["running"], found.get("desired"))
    return str(found.get("state") or "")


def workload_health(obj: t.Dict[str, t.Any], restarts: t.Dict[str, int]) -> str:
    """"2/2 ready, 3 restarts": a Deployment's or StatefulSet's ready pods of those it wants, and their restarts."""
    current = obj.get("status") or {}
    desired = (obj.get("spec") or {}).get("replicas", current.get("replicas", 0))
    count = restarts.get((obj.get("metadata") or {}).get("name", ""), 0)
    return "%d/%d ready%s" % (current.get("readyReplicas") or 0, desired or 0, ", %d restart%s" % (count, "" if count == 1 else "s") if count else "")


def differences(results: t.List[t.Dict[str, t.Any]]) -> t.List[t.Tuple[str, str]]:
    """(id, state) of every resource that is not in sync."""
    states = [(result["id"], resource_state(result)) for result in results]
    return [(item_id, state) for item_id, state in states if state != IN_SYNC]


def drift(results: t.List[t.Dict[str, t.Any]]) -> str:
    """The sentence a drift check fails with, or "" when every resource is in sync."""
    found = differences(results)
    if not found:
        return ""
    return "%d of %d resources differ from agno_env: %s." % (
        len(found), len(results), ", ".join("%s %s" % pair for pair in found))


def counts(results: t.List[t.Dict[str, t.Any]]) -> str:
    """"39 resources: 37 in sync, 2 to change.": each state with its number, in the order they first appear."""
    states = [resource_state(result) for result in results]
    seen = list(dict.fromkeys(states))
    return "%d resources: %s." % (len(results), ", ".join("%d %s" % (states.count(state), state) for state in seen))


def columns(rows: t.List[t.Tuple[str, ...]]) -> t.List[str]:
    """The rows aligned in columns two spaces apart, without trailing spaces."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def status_lines(results: t.List[t.Dict[str, t.Any]], endpoints: t.Dict[str, str],
                 restarts: t.Optional[t.Dict[str, int]] = None) -> t.List[str]:
    """The table of the resources, their count by state, and where the apps answer."""
    rows = [(result["id"], result["type"], resource_state(result), health(result, restarts)) for result in results]
    lines = (columns([HEADER] + rows) + [counts(results)]) if results else ["No resources."]
    if endpoints:
        lines += ["Endpoints:"] + ["  " + line for line in columns(sorted(endpoints.items()))]
    return lines
