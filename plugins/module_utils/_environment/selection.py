# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one run of an environment converges, removes, builds and needs, worked out once before any change.

The options limit and recreate select items by id, type, group or owner (an app's name, postgres,
redis: plan.selected); every later step (secrets, build contexts, the plans) reads the Selection.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_aws import AwsBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.rollback import rolled_back
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item, referenced_ids, selected, unmatched_selectors

# Kept on the way down unless delete_data: volumes, buckets and secrets hold data, images only cost a rebuild.
KEPT_ON_DOWN = {"data", "image"}
# Selection options and the playbook variables that fill them.
SELECTORS = (("limit", "agno_limit"), ("recreate", "agno_restart"), ("rollback", "agno_app"))


@dataclasses.dataclass(frozen=True)
class Selection:
    #: Ids converged on the way up; None: every item.
    converge: t.Optional[t.Set[str]]
    #: Ids removed: on the way down, or first on a restart that then converges them afresh (docker).
    remove: t.Set[str] = dataclasses.field(default_factory=set)
    #: ECS services that get a new deployment (a restart on aws).
    redeploy: t.Set[str] = dataclasses.field(default_factory=set)
    #: On the way down, the items with listeners that no longer route to the target groups being removed; those
    #: listeners converge first (AWS refuses to delete a target group a rule still routes to).
    reroute: t.List[Item] = dataclasses.field(default_factory=list)
    #: Apps and data services whose secrets the run needs; None: all of them.
    parts: t.Optional[t.Set[str]] = None
    #: Components (apps, postgres, redis) whose images are built: their contexts are staged.
    builds: t.Set[str] = dataclasses.field(default_factory=set)
    #: Leftovers (what the environment made and no longer has) that the run prunes: those the limit selects.
    prune: t.Set[str] = dataclasses.field(default_factory=set)


def select(env: Environment, items: t.List[Item], params: t.Dict[str, t.Any], leftovers: t.Sequence[Item] = ()) -> Selection:
    """The selection of a run of the environment module (its options limit, recreate, state, delete_data); a limit may
    also name what only leftovers have (a removed app)."""
    check_selectors(env.name, items + list(leftovers), params)
    check_rollback(params)
    # A restart only restarts, a rollback only rolls back: the leftovers wait for the next up or down.
    prune = set() if params["recreate"] or params.get("rollback") else {item.id for item in leftovers if selected(item, params["limit"])}
    return dataclasses.replace(selected_items(env, items, params), prune=prune)


def selected_items(env: Environment, items: t.List[Item], params: t.Dict[str, t.Any]) -> Selection:
    limit, recreate = params["limit"], params["recreate"]
    parts = {item.app for item in items if item.app and selected(item, limit)} if limit else None
    if params["state"] == "absent":
        remove = removable(items, limit, params["delete_data"])
        reroute, unrouted = rerouting(env, items, remove)
        return Selection(set(), remove | unrouted, reroute=reroute, parts=parts)
    if params.get("rollback"):
        return Selection(rollback_ids(env, items, params["rollback"]), parts=parts)
    if recreate and env.target in ("aws", "kubernetes"):
        # A new deployment of each service (aws), a rollout restart of each workload (kubernetes): no pod is down meanwhile.
        redeploy = {item.id for item in items if restartable(item) and selected(item, recreate)}
        return Selection(redeploy, redeploy=redeploy, parts=parts)
    converge = with_routes(items, {item.id for item in items if selected(item, limit)}) if limit else None
    remove = removable(items, recreate, False) if recreate else set()
    return Selection(converge, remove, parts=parts, builds=builds(items, converge))


def restartable(item: Item) -> bool:
    """An ECS service, or a Kubernetes workload with pods."""
    kind = ((item.params.get("definition") or {}).get("kind")) if item.type == "k8s_object" else None
    return item.type == "aws_ecs_service" or kind in ("Deployment", "StatefulSet")


def check_rollback(params: t.Dict[str, t.Any]) -> None:
    """A rollback is a run of its own: it neither limits, restarts nor goes down."""
    if params.get("rollback") and (params["limit"] or params["recreate"] or params["state"] == "absent"):
        raise ResourceError("rollback (agno_app in agno.infra.rollback) goes with neither limit, recreate nor state=absent: "
                            "roll back in a run of its own.")


def rollback_ids(env: Environment, items: t.List[Item], entries: t.List[str]) -> t.Set[str]:
    """The ids of the app containers or services a rollback converges; entries that pick none of them (only postgres,
    say) are refused."""
    ids = {item.id for item in rolled_back(env, items, entries)}
    if not ids:
        raise ResourceError("rollback (agno_app in agno.infra.rollback) has %s, which picks no app of environment %s: give app "
                            "names (%s)." % (", ".join(repr(entry) for entry in entries), env.name,
                                             ", ".join(app["name"] for app in env.apps) or "none"))
    return ids


def check_selectors(name: str, items: t.List[Item], params: t.Dict[str, t.Any], unread: t.Optional[str] = None) -> None:
    """Refuse a selection entry that selects nothing, before any change (`unread`: why the leftovers, which an entry may
    also name, could not be read)."""
    for option, variable in SELECTORS:
        unknown = unmatched_selectors(items, params.get(option))
        if unknown:
            apps = sorted({item.app for item in items if item.app})
            groups = sorted({item.group for item in items if item.group})
            raise ResourceError("%s (%s in the playbooks) has %s, which picks no resource of environment %s: give app names (%s), "
                                "resource ids, types or groups (%s)%s." % (
                                    option, variable, ", ".join(repr(entry) for entry in unknown), name, ", ".join(apps) or "none",
                                    ", ".join(groups), "; what it no longer has could not be read (%s)" % unread.rstrip(".") if unread else ""))


def removable(items: t.List[Item], entries: t.Optional[t.List[str]], delete_data: bool) -> t.Set[str]:
    """Ids to remove: those the entries select (no entries: everything), minus what holds data unless asked."""
    kept = set() if delete_data else KEPT_ON_DOWN
    return {item.id for item in items if selected(item, entries) and item.group not in kept}


def with_routes(items: t.List[Item], ids: t.Set[str]) -> t.Set[str]:
    """Ids to converge, with the listeners when a target group is among them: their rules route to it, and ECS
    attaches a service only to a target group that a load balancer uses (a new app from its role)."""
    if any(item.type == "aws_target_group" and item.id in ids for item in items):
        return ids | {item.id for item in items if item.type == "aws_listener"}
    return ids


def builds(items: t.List[Item], converge: t.Optional[t.Set[str]]) -> t.Set[str]:
    """The components whose images the run builds from a context."""
    return {item.app for item in items if item.app and item.type == "docker_image" and item.params.get("source") == "build"
            and (converge is None or item.id in converge)}


def rerouting(env: Environment, items: t.List[Item], ids: t.Set[str]) -> t.Tuple[t.List[Item], t.Set[str]]:
    """Removing some apps' target groups while the load balancer stays: the items with listeners routing only to the
    other apps, and the listeners and load balancer that go with the last web app, to remove with it."""
    removed = {item.app for item in items if item.id in ids and item.type == "aws_target_group"}
    if not removed or any(item.id in ids for item in items if item.type == "aws_listener"):
        return [], set()
    rest = [app for app in env.web_apps() if app["name"] not in removed]
    if not rest:
        return [], {item.id for item in items if item.type in ("aws_listener", "aws_load_balancer")}
    listeners = {entry["id"]: entry["params"] for entry in AwsBlueprint(env).listeners(rest)}
    # A rerouted listener depends on what its new routes refer to, no longer on the groups being removed.
    return [dataclasses.replace(item, params=listeners[item.id], depends_on=referenced_ids(listeners[item.id]))
            if item.id in listeners else item for item in items], set()
