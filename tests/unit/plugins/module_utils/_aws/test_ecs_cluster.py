"""ECS clusters through the engine: a cluster that still runs services is not deleted; tags use the ECS calls."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_cluster import ClusterResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/main"
CLUSTER = {"clusters": [{"clusterName": "main", "clusterArn": ARN, "status": "ACTIVE",
                         "settings": [{"name": "containerInsights", "value": "enabled"}], "tags": [{"key": "app", "value": "api"}]}]}


def cluster(aws: t.Any, **params: t.Any) -> ClusterResource:
    return ClusterResource(aws, task_params(ClusterResource, {"name": "main"}, **params))


def test_a_cluster_with_live_services_is_refused_in_check_mode_and_deleted_once_they_are_gone() -> None:
    busy = Scripted(describe_clusters=CLUSTER, list_services={"serviceArns": ["arn:svc/api", "arn:svc/old"]},
                    describe_services={"services": [{"serviceName": "api", "status": "ACTIVE"}, {"serviceName": "old", "status": "INACTIVE"}]})
    with pytest.raises(ResourceError) as error:
        converge(cluster(busy, state="absent"), present=False, check_mode=True)
    assert error.value.msg == ("ECS cluster main still runs services (api): delete them first (agno.infra.aws_ecs_service with "
                               "state: absent).")
    assert busy.writes() == []
    idle = Scripted(describe_clusters=CLUSTER, list_services={"serviceArns": []})
    assert converge(cluster(idle, state="absent"), present=False).action == "delete" and idle.writes() == ["delete_cluster"]


def test_tags_change_through_the_ecs_tag_calls_and_the_name_is_checked() -> None:
    aws = Scripted(describe_clusters=CLUSTER)
    assert converge(cluster(aws, tags={"env": "prd"})).changes == ["tags"]
    assert aws.writes() == ["tag_resource", "untag_resource"]
    assert aws.requests("untag_resource") == [{"resourceArn": ARN, "tagKeys": ["app"]}]
    assert ClusterResource.problems({"name": "main/x"}) == [
        "ECS cluster main/x: name is 'main/x': use 1 to 255 letters, digits, hyphens and underscores."]
