"""aws_ecs_cluster through the engine: container insights, capacity providers, ECS tags, deletion only without
services, the name checked."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_cluster
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_cluster import ClusterResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, tag_list, tag_map
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Ecs:
    """ECS's cluster calls; a deleted cluster stays listed as INACTIVE for a while, as in ECS."""

    def __init__(self) -> None:
        self.clusters: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.services: t.Dict[str, str] = {}

    def describe_clusters(self, clusters: t.List[str], include: t.List[str]) -> t.Dict[str, t.Any]:
        assert include == ["TAGS", "SETTINGS"]
        found = [dict(self.clusters[name]) for name in clusters if name in self.clusters]
        return {"clusters": found, "failures": [{"arn": name, "reason": "MISSING"} for name in clusters if name not in self.clusters]}

    def create_cluster(self, clusterName: str, settings: t.List[t.Any], tags: t.List[t.Any],  # pylint: disable=invalid-name
                       capacityProviders: t.Optional[t.List[str]] = None) -> t.Dict[str, t.Any]:
        self.clusters[clusterName] = {
            "clusterName": clusterName, "clusterArn": "arn:aws:ecs:%s:%s:cluster/%s" % (REGION, ACCOUNT, clusterName),
            "status": "ACTIVE", "settings": settings, "capacityProviders": capacityProviders or [], "tags": tags,
            "activeServicesCount": 0, "runningTasksCount": 0}
        return {"cluster": dict(self.clusters[clusterName])}

    def update_cluster(self, cluster: str, settings: t.List[t.Any]) -> None:
        self.clusters[cluster]["settings"] = settings

    def put_cluster_capacity_providers(self, cluster: str, capacityProviders: t.List[str],  # pylint: disable=invalid-name
                                       defaultCapacityProviderStrategy: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.clusters[cluster]["capacityProviders"] = capacityProviders

    def cluster_of(self, arn: str) -> t.Dict[str, t.Any]:
        return next(cluster for cluster in self.clusters.values() if cluster["clusterArn"] == arn)

    def tag_resource(self, resourceArn: str, tags: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        cluster = self.cluster_of(resourceArn)
        cluster["tags"] = tag_list(dict(tag_map(cluster["tags"], "key", "value"), **tag_map(tags, "key", "value")), "key", "value")

    def untag_resource(self, resourceArn: str, tagKeys: t.List[str]) -> None:  # pylint: disable=invalid-name
        cluster = self.cluster_of(resourceArn)
        cluster["tags"] = [tag for tag in cluster["tags"] if tag["key"] not in tagKeys]

    def list_services(self, cluster: str, maxResults: int) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"serviceArns": ["arn:aws:ecs:%s:%s:service/%s/%s" % (REGION, ACCOUNT, cluster, name) for name in self.services]}

    def describe_services(self, cluster: str, services: t.List[str]) -> t.Dict[str, t.Any]:
        return {"services": [{"serviceName": arn.rsplit("/", 1)[-1], "status": self.services[arn.rsplit("/", 1)[-1]]}
                             for arn in services]}

    def delete_cluster(self, cluster: str) -> None:
        self.clusters[cluster]["status"] = "INACTIVE"


def cluster(aws: FakeAws, **options: t.Any) -> ecs_cluster.ClusterResource:
    return task_resource(ecs_cluster.ClusterResource, aws, **dict({"name": "app"}, **options))


def test_create_then_rerun_then_change_insights_providers_and_tags_in_place() -> None:
    ecs = Ecs()
    aws = FakeAws(ecs=ecs)
    created = converge(cluster(aws, capacity_providers=["FARGATE_SPOT", "FARGATE"], tags={"app": "agent"}))
    assert created.action == "create" and aws.writes() == ["create_cluster"]
    assert (created.state["container_insights"], created.state["capacity_providers"], created.state["tags"]) == (
        True, ["FARGATE", "FARGATE_SPOT"], {"app": "agent"})
    aws.clear()
    assert converge(cluster(aws, capacity_providers=["FARGATE", "FARGATE_SPOT"], tags={"app": "agent"})).changed is False
    updated = converge(cluster(aws, container_insights=False, capacity_providers=["FARGATE"], tags={"env": "prd"}))
    assert updated.changes == ["capacity_providers", "container_insights", "tags"]
    assert aws.writes() == ["update_cluster", "put_cluster_capacity_providers", "tag_resource", "untag_resource"]
    assert ecs.clusters["app"]["settings"] == [{"name": "containerInsights", "value": "disabled"}]
    assert updated.state["tags"] == {"env": "prd"}


def test_a_cluster_with_live_services_is_not_deleted_and_inactive_services_do_not_count() -> None:
    ecs = Ecs()
    aws = FakeAws(ecs=ecs)
    converge(cluster(aws))
    ecs.services = {"api": "ACTIVE", "old": "INACTIVE"}
    aws.clear()
    with pytest.raises(ResourceError) as raised:
        converge(cluster(aws, state="absent"), present=False, check_mode=True)
    assert raised.value.msg == ("ECS cluster app still runs services (api): delete them first (agno.infra.aws_ecs_service "
                                "with state: absent).")
    ecs.services = {"old": "INACTIVE"}
    assert converge(cluster(aws, state="absent"), present=False).action == "delete" and aws.writes() == ["delete_cluster"]


def test_a_deleted_cluster_reads_as_absent_and_is_created_again() -> None:
    ecs = Ecs()
    aws = FakeAws(ecs=ecs)
    converge(cluster(aws))
    ecs.delete_cluster("app")
    assert cluster(aws).read() is None
    assert converge(cluster(aws)).action == "create"


ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/main"
CLUSTER = {"clusters": [{"clusterName": "main", "clusterArn": ARN, "status": "ACTIVE",
                         "settings": [{"name": "containerInsights", "value": "enabled"}], "tags": [{"key": "app", "value": "api"}]}]}


def scripted_cluster(aws: t.Any, **params: t.Any) -> ClusterResource:
    return ClusterResource(aws, task_params(ClusterResource, {"name": "main"}, **params))


def test_a_cluster_with_live_services_is_refused_in_check_mode_and_deleted_once_they_are_gone() -> None:
    busy = Scripted(describe_clusters=CLUSTER, list_services={"serviceArns": ["arn:svc/api", "arn:svc/old"]},
                    describe_services={"services": [{"serviceName": "api", "status": "ACTIVE"}, {"serviceName": "old", "status": "INACTIVE"}]})
    with pytest.raises(ResourceError) as error:
        converge(scripted_cluster(busy, state="absent"), present=False, check_mode=True)
    assert error.value.msg == ("ECS cluster main still runs services (api): delete them first (agno.infra.aws_ecs_service with "
                               "state: absent).")
    assert busy.writes() == []
    idle = Scripted(describe_clusters=CLUSTER, list_services={"serviceArns": []})
    assert converge(scripted_cluster(idle, state="absent"), present=False).action == "delete" and idle.writes() == ["delete_cluster"]


def test_tags_change_through_the_ecs_tag_calls_and_the_name_is_checked() -> None:
    aws = Scripted(describe_clusters=CLUSTER)
    assert converge(scripted_cluster(aws, tags={"env": "prd"})).changes == ["tags"]
    assert aws.writes() == ["tag_resource", "untag_resource"]
    assert aws.requests("untag_resource") == [{"resourceArn": ARN, "tagKeys": ["app"]}]
    assert ClusterResource.problems({"name": "main/x"}) == [
        "ECS cluster main/x: name is 'main/x': use 1 to 255 letters, digits, hyphens and underscores."]
