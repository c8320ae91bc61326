# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prune: remove what an environment made and no longer has (a removed app, Redis or Postgres).

Its resources are found by their ownership tags (labels on Docker) in one batched read per provider, and each found id
that no item of the environment has is a leftover: an item that the plan reads and deletes in dependency order, in
check mode too. Leftovers that hold data (databases, caches, buckets, volumes, secrets, repositories with images) are
kept and reported, with what they use, unless delete_data.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import ownership as aws_ownership
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS
from ansible_collections.agno.infra.plugins.module_utils._docker import ownership as docker_ownership
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER
from ansible_collections.agno.infra.plugins.module_utils._k8s import ownership as k8s_ownership
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_aws import LISTENERS
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found, leftovers
from ansible_collections.agno.infra.plugins.module_utils._engine.items import OK, Item, ItemResult, Types
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Plan
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES

KEEP = "keep"


class LeftoverResult(ItemResult):
    """The result of a leftover: reported with ``leftover: true`` (status and the plan list them)."""

    def as_dict(self) -> t.Dict[str, t.Any]:
        return dict(super().as_dict(), leftover=True)


class Discovery(t.NamedTuple):
    """What a provider's error sentence names when the discovery fails (as it names a resource otherwise)."""

    kind: str
    name: str
    params: t.Dict[str, t.Any]


def found(env: Environment, items: t.List[Item], connection: t.Dict[str, t.Any]) -> t.List[Found]:
    """What the environment's ownership tags (labels) find, one batched read per kind at most (the names of its items
    spare reading the tags of what is theirs)."""
    provider = {"docker": DOCKER, "kubernetes": KUBERNETES}.get(env.target, AWS)
    return reading(provider, Discovery("the resources of environment", env.name, connection), lambda: discover(env, items, connection))


def discover(env: Environment, items: t.List[Item], connection: t.Dict[str, t.Any]) -> t.List[Found]:
    if env.target == "docker":
        return docker_ownership.owned(DOCKER.connect(connection), env.name)
    if env.target == "kubernetes":
        return k8s_ownership.owned(KUBERNETES.connect(connection), env.name, env.kubernetes["namespace"])
    clients = AWS.connect(connection)
    tagged = aws_ownership.tagged_resources(clients, env.name)
    # A listener the environment no longer has is found on its load balancer (one call, none when it has them all).
    known = {item.id for item in items}
    missing = {port: item_id for port, item_id in LISTENERS.items() if item_id not in known}
    tagged += aws_ownership.balancer_listeners(clients, tagged, missing)
    # What the tagging read may miss is made with what it finds (an app's repository with its log group, the roles
    # with the cluster, a subnet group with its database): listed only when those are left over. A no-op run makes
    # two calls (one without a load balancer, or with both its listeners).
    if not left_over(env, items, tagged, RESOURCE_TYPES.of("aws")):
        return tagged
    return tagged + aws_ownership.listed_resources(clients, env.name, tagged, names_by_type(items))


Read = t.TypeVar("Read")


def reading(provider: t.Any, subject: Discovery, reader: t.Callable[[], Read]) -> Read:
    """What the reader reads; its error in the provider's sentence for the subject (an unreachable endpoint's, once)."""
    try:
        return reader()
    except ResourceError:
        raise
    except Exception as error:  # pylint: disable=broad-except
        unreachable = getattr(provider, "unreachable", lambda _error, _params: None)(error, subject.params)
        if unreachable:
            raise ResourceError(unreachable) from error
        explained = provider.explain(error, t.cast(t.Any, subject))
        if explained is None:
            raise
        raise explained from error


def names_by_type(items: t.List[Item]) -> t.Dict[str, t.Set[str]]:
    names: t.Dict[str, t.Set[str]] = {}
    for item in items:
        names.setdefault(item.type, set()).add(str(item.params.get("name")))
    return names


def left_over(env: Environment, items: t.List[Item], discovered: t.List[Found], types: Types) -> t.List[Item]:
    """The leftovers among the resources found: ids the environment's items no longer have, as items of `types` (the
    environment's provider's)."""
    known = {item.id for item in items}
    if env.target == "docker":
        return leftovers(discovered, types, known, docker_ownership.ID_LABEL, docker_ownership.APP_LABEL,
                         docker_ownership.USES, {})
    if env.target == "kubernetes":
        # Deleted with Foreground propagation, objects take what they own with them: no order among them is needed; a
        # removal waits until the object is gone, as the environment's workloads wait.
        return leftovers(discovered, types, known, k8s_ownership.ID_LABEL, k8s_ownership.APP_LABEL, {},
                         {"wait": env.kubernetes["wait"]})
    # Security groups live in the environment's VPC; removals wait as the environment's resources do.
    scope = {"vpc_id": "${vpc.id}", "wait": env.aws["wait"]}
    return leftovers(discovered, types, known, aws_ownership.ID_TAG, aws_ownership.APP_TAG, aws_ownership.USES, scope)


class Pruning(Plan):
    """Deletes the leftovers with these ids (reading the environment's items they refer to), keeping those that hold
    data unless delete_data; its results are the leftovers' only."""

    delete_data = False

    def down(self) -> t.List[ItemResult]:
        # A leftover already gone (AWS lists a deleted ECS service for a while) is no news.
        return [LeftoverResult(result.id, result.type, result.status, result.outcome, result.msg)
                for result in super().down() if self.selected_id(result.id) and not gone(result)]

    def selected_id(self, item_id: str) -> bool:
        return self.ids is not None and item_id in self.ids

    def delete_item(self, item: Item) -> ItemResult:
        state = self.states.get(item.id)
        if not state or not self.selected(item) or self.delete_data:
            return super().delete_item(item)
        # The plan's dependants, made once by down() for the order of the deletes.
        kept_users = sorted(user for user in self.reverse[item.id] if self.kept(user))
        if kept_users:
            return self.keep(item, state, "kept: %s, kept, uses it" % ", ".join(kept_users))
        if self.build(item).holds_data(state):
            return self.keep(item, state, "kept: it holds data; set delete_data: true (agno_delete_data) to remove it")
        return super().delete_item(item)

    def kept(self, item_id: str) -> bool:
        outcome = self.results[item_id].outcome if item_id in self.results else None
        return outcome is not None and outcome.action == KEEP

    @staticmethod
    def keep(item: Item, state: t.Dict[str, t.Any], why: str) -> ItemResult:
        return ItemResult(item.id, item.type, OK, Outcome(False, KEEP, [], state, {}), msg=why)


def gone(result: ItemResult) -> bool:
    return result.status == OK and result.outcome is not None and result.outcome.action == "none" and not result.outcome.state
