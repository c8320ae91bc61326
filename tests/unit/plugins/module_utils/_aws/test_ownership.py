"""The discovery of an environment's AWS resources, and each type's parameters for what it finds."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ownership
from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found, leftovers
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted

PREFIX = "arn:aws:%s:us-east-1:123456789012:"
MINE = {"agno:env": "shop"}


def tags(**extra: str) -> t.List[t.Dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in dict(MINE, **extra).items()]


@pytest.mark.parametrize("arn, resource_type, params", [
    (PREFIX % "ecs" + "service/shop/api", "aws_ecs_service", {"name": "api", "cluster": "shop"}),
    (PREFIX % "ecs" + "task-definition/shop-api:3", "aws_ecs_task_definition", {"family": "shop-api"}),
    (PREFIX % "ecs" + "cluster/shop", "aws_ecs_cluster", {"name": "shop"}),
    (PREFIX % "logs" + "log-group:/ecs/shop/api", "aws_log_group", {"name": "/ecs/shop/api"}),
    (PREFIX % "logs" + "log-group:/ecs/shop/api:*", "aws_log_group", {"name": "/ecs/shop/api"}),
    (PREFIX % "ecr" + "repository/shop/api", "aws_ecr_repository", {"name": "shop/api"}),
    (PREFIX % "elasticloadbalancing" + "targetgroup/shop-api/0123456789abcdef", "aws_target_group", {"name": "shop-api", "vpc_id": "${vpc.id}"}),
    (PREFIX % "elasticloadbalancing" + "loadbalancer/app/shop/0123456789abcdef", "aws_load_balancer", {"name": "shop"}),
    ("arn:aws:iam::123456789012:role/service/shop-execution", "aws_iam_role", {"name": "shop-execution"}),
    (PREFIX % "secretsmanager" + "secret:shop/db-password-AbCdEf", "aws_secret", {"name": "shop/db-password"}),
    ("arn:aws:s3:::shop-data", "aws_s3_bucket", {"name": "shop-data"}),
    (PREFIX % "rds" + "db:shop", "aws_db_instance", {"name": "shop"}),
    (PREFIX % "rds" + "cluster:shop", "aws_db_cluster", {"name": "shop"}),
    (PREFIX % "rds" + "subgrp:shop", "aws_db_subnet_group", {"name": "shop"}),
    (PREFIX % "elasticache" + "replicationgroup:shop", "aws_elasticache", {"name": "shop"}),
    (PREFIX % "ec2" + "security-group/sg-0123", "aws_security_group", {"name": "shop-redis", "vpc_id": "${vpc.id}"}),
    ("service/shop/api", "aws_autoscaling", {"cluster": "shop", "service": "api"}),
    (PREFIX % "elasticloadbalancing" + "listener/app/shop/0123456789abcdef/fedcba9876543210", "aws_listener",
     {"load_balancer_arn": PREFIX % "elasticloadbalancing" + "loadbalancer/app/shop/0123456789abcdef", "port": 443}),
])
def test_each_found_kind_becomes_an_item_of_its_type_that_reads_and_deletes_it(
        arn: str, resource_type: str, params: t.Dict[str, t.Any]) -> None:
    kind = ownership.SCALING_KIND if arn.startswith("service/") else arn_kind(arn)[0]
    [item] = leftovers([Found(kind, arn, {"agno:id": "gone", "Name": "shop-redis", "agno:port": "443"})], RESOURCE_TYPES, set(), ownership.ID_TAG,
                       ownership.APP_TAG, ownership.USES, {"vpc_id": "${vpc.id}"})
    assert (item.type, item.params) == (resource_type, dict(params, state="absent"))


def test_one_tagging_read_and_listings_of_the_kinds_it_may_miss_find_the_environment() -> None:
    service = PREFIX % "ecs" + "service/shop/api"
    aws = Scripted(
        get_resources={"ResourceTagMappingList": [{"ResourceARN": service, "Tags": tags(**{"agno:id": "service-api", "agno:app": "api"})},
                                                  {"ResourceARN": PREFIX % "ecr" + "repository/shop/api", "Tags": tags(**{"agno:id": "ecr-api"})}]},
        list_roles={"Roles": [{"RoleName": "shop-task", "Arn": "arn:aws:iam::1:role/shop-task"},
                              {"RoleName": "shop-execution", "Arn": "arn:aws:iam::1:role/shop-execution"},
                              {"RoleName": "other-task", "Arn": "arn:aws:iam::1:role/other-task"}]},
        list_role_tags={"Tags": tags(**{"agno:id": "task-role"})},
        describe_repositories={"repositories": [{"repositoryName": "shop/api", "repositoryArn": PREFIX % "ecr" + "repository/shop/api"}]},
        describe_db_subnet_groups={"DBSubnetGroups": [{"DBSubnetGroupName": "shop", "DBSubnetGroupArn": PREFIX % "rds" + "subgrp:shop"}]},
        list_tags_for_resource={"TagList": [{"Key": "agno:env", "Value": "another"}]},
        describe_scalable_targets={"ScalableTargets": [{"ResourceId": "service/shop/api"}, {"ResourceId": "service/other/api"}]},
        list_schedules={"Schedules": [{"Name": "shop-job-report", "Arn": PREFIX % "scheduler" + "schedule/default/shop-job-report"},
                                      {"Name": "shop-job-other", "Arn": PREFIX % "scheduler" + "schedule/default/shop-job-other"}]},
        get_schedule={"Description": "report [agno:env=shop agno:id=job-report]"})
    tagged = ownership.tagged_resources(t.cast(t.Any, aws), "shop")
    assert [(entry.kind, entry.tags.get("agno:id")) for entry in tagged] == [("ecr:repository", "ecr-api"), ("ecs:service", "service-api")]
    known = {"aws_iam_role": {"shop-execution"}, "aws_vpc": {"shop"}, "aws_scheduler_schedule": {"shop-job-other"}}
    found = ownership.listed_resources(t.cast(t.Any, aws), "shop", tagged, known)
    assert [(entry.kind, entry.tags.get("agno:id")) for entry in found] == [
        ("iam:role", "task-role"), ("scheduler:schedule", "job-report"), (ownership.SCALING_KIND, "scaling-api")]
    # A schedule has no tags: the mark in its description says whose it is, read only for one no item has.
    assert aws.requests("get_schedule") == [{"Name": "shop-job-report", "GroupName": "default"}]
    assert found[-1].tags["agno:app"] == "api"
    assert aws.requests("get_resources") == [{"TagFilters": [{"Key": "agno:env", "Values": ["shop"]}]}]
    # Tags are read only for what the tagging read missed, with a name of the environment that none of its items has.
    assert aws.requests("list_role_tags") == [{"RoleName": "shop-task"}]
    assert [name for name, _request in aws.calls if name == "list_tags_for_resource"] == ["list_tags_for_resource"]


def test_without_services_the_scaling_is_not_read() -> None:
    aws = Scripted(list_roles={"Roles": []}, describe_repositories={"repositories": []}, describe_db_subnet_groups={"DBSubnetGroups": []},
                   list_schedules={"Schedules": []})
    assert ownership.listed_resources(t.cast(t.Any, aws), "shop", [], {}) == []
    assert [name for name, _request in aws.calls] == ["list_roles", "describe_repositories", "describe_db_subnet_groups", "list_schedules"]


def test_the_scaling_of_a_service_has_the_id_the_blueprint_gives_it() -> None:
    assert ownership.scaling_id("service-api") == "scaling-api"


def test_listeners_are_found_on_the_environments_load_balancers_on_the_ports_it_lacks() -> None:
    balancer = PREFIX % "elasticloadbalancing" + "loadbalancer/app/shop/0123"
    listener = PREFIX % "elasticloadbalancing" + "listener/app/shop/0123/%s"
    aws = Scripted(describe_listeners={"Listeners": [{"ListenerArn": listener % "l80", "Port": 80},
                                                     {"ListenerArn": listener % "l443", "Port": 443},
                                                     {"ListenerArn": listener % "l8080", "Port": 8080}]})
    resources = [Found("elasticloadbalancing:loadbalancer", balancer, {"agno:env": "shop", "agno:id": "alb"}),
                 Found("ecs:cluster", PREFIX % "ecs" + "cluster/shop", {"agno:env": "shop", "agno:id": "cluster"})]
    found = ownership.balancer_listeners(t.cast(t.Any, aws), resources, {443: "listener-https"})
    assert found == [Found("elasticloadbalancing:listener", listener % "l443",
                           {"agno:env": "shop", "agno:id": "listener-https", "agno:port": "443"})]
    assert aws.requests("describe_listeners") == [{"LoadBalancerArn": balancer}]
    # An environment that has every listener it may make reads none.
    assert ownership.balancer_listeners(t.cast(t.Any, aws), resources, {}) == []
    assert len(aws.requests("describe_listeners")) == 1
