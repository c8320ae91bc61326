# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS cluster as a lifecycle resource."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, lower_case
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs import ECS_NAME, EcsResource, ecs_tags
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, Refusal


class ClusterResource(EcsResource):
    kind = "ECS cluster"
    result_key = "cluster"
    locator = ("name",)

    module_name = "aws_ecs_cluster"
    owned_kind = "ecs:cluster"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "container_insights": {"type": "bool", "default": True},
            "capacity_providers": {"type": "list", "elements": "str", "choices": ["FARGATE", "FARGATE_SPOT"]},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    constraints = {"name": ECS_NAME}
    refusals = (Refusal("ECS cluster {name} still runs services ({blockers}): delete them first (agno.infra.aws_ecs_service "
                        "with state: absent).", actions=(DELETE,), blockers=lambda resource, current: resource.live_services()),)

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"container_insights": self.params["container_insights"]}
        if self.params.get("capacity_providers") is not None:
            wanted["capacity_providers"] = sorted(set(self.params["capacity_providers"]))
        tags = desired_tags(self.params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[ClusterResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many clusters: one describe for all of them."""
        found = {key: cluster for cluster in resources[0].active([resource.name for resource in resources])
                 for key in (cluster["clusterName"], cluster["clusterArn"])}
        return [cls.state(found[resource.name]) if resource.name in found else None for resource in resources]

    def active(self, names: t.List[str]) -> t.List[t.Dict[str, t.Any]]:
        """The clusters of these names (or ARNs) that are active: ECS remembers deleted ones as INACTIVE."""
        found = self.client("ecs").describe_clusters(clusters=names, include=["TAGS", "SETTINGS"])["clusters"]
        return [cluster for cluster in found if cluster.get("status") == "ACTIVE"]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.active([self.name])
        return self.state(found[0]) if found else None

    @staticmethod
    def state(cluster: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        settings = {item["name"]: item["value"] for item in cluster.get("settings") or []}
        return {
            "name": cluster["clusterName"],
            "arn": cluster["clusterArn"],
            "status": cluster["status"],
            "container_insights": settings.get("containerInsights") in ("enabled", "enhanced"),
            "capacity_providers": sorted(cluster.get("capacityProviders") or []),
            "active_services": cluster.get("activeServicesCount", 0),
            "running_tasks": cluster.get("runningTasksCount", 0),
            "tags": ecs_tags(cluster.get("tags")),
        }

    def live_services(self) -> t.List[str]:
        """Names of the cluster's services that are not INACTIVE (deleted ones may still be listed for a while)."""
        ecs = self.client("ecs")
        arns = ecs.list_services(cluster=self.name, maxResults=10).get("serviceArns") or []
        if not arns:
            return []
        found = ecs.describe_services(cluster=self.name, services=arns).get("services") or []
        return sorted(item["serviceName"] for item in found if item.get("status") != "INACTIVE")

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"clusterName": self.name, "settings": self.settings(desired),
                                       "tags": lower_case(desired.get("tags") or {})}
        if desired.get("capacity_providers"):
            request["capacityProviders"] = desired["capacity_providers"]
        self.client("ecs").create_cluster(**request)

    @staticmethod
    def settings(desired: t.Dict[str, t.Any]) -> t.List[t.Dict[str, str]]:
        return [{"name": "containerInsights", "value": "enabled" if desired["container_insights"] else "disabled"}]

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        ecs = self.client("ecs")
        if "container_insights" in changes:
            ecs.update_cluster(cluster=self.name, settings=self.settings(desired))
        if "capacity_providers" in changes:
            ecs.put_cluster_capacity_providers(cluster=self.name, capacityProviders=changes["capacity_providers"],
                                               defaultCapacityProviderStrategy=[])
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ecs").delete_cluster(cluster=self.name)
