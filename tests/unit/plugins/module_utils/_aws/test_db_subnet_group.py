"""DB subnet groups through the engine: the name RDS takes, and tags through the RDS tag calls."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws.db_subnet_group import DbSubnetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params

ARN = "arn:aws:rds:us-east-1:123456789012:subgrp:app-db"
GROUP = {"DBSubnetGroups": [{"DBSubnetGroupName": "app-db", "DBSubnetGroupArn": ARN, "DBSubnetGroupDescription": "app",
                             "Subnets": [{"SubnetIdentifier": "subnet-b"}, {"SubnetIdentifier": "subnet-a"}]}]}


def test_default_is_not_a_name_rds_gives_out() -> None:
    assert DbSubnetGroupResource.problems({"name": "default"}) == [
        "DB subnet group default: name is 'default': use 1 to 255 letters, digits, spaces and . _ - characters, other than default."]
    assert DbSubnetGroupResource.problems({"name": "app db.1"}) == []


def test_a_new_group_is_read_back_by_the_engine_and_tags_use_the_rds_calls() -> None:
    aws = Scripted(describe_db_subnet_groups=[not_found("DBSubnetGroupNotFoundFault"), GROUP],
                   list_tags_for_resource={"TagList": [{"Key": "app", "Value": "api"}]})
    created = converge(DbSubnetGroupResource(aws, task_params(DbSubnetGroupResource, name="app-db", subnet_ids=["subnet-a", "subnet-b"])))
    assert created.action == "create" and created.state["subnet_ids"] == ["subnet-a", "subnet-b"]
    tagged = converge(DbSubnetGroupResource(aws, task_params(DbSubnetGroupResource, name="app-db", subnet_ids=["subnet-a", "subnet-b"],
                                                             tags={"app": "api", "env": "prd"})))
    assert tagged.changes == ["tags"] and aws.requests("add_tags_to_resource") == [
        {"ResourceName": ARN, "Tags": [{"Key": "env", "Value": "prd"}]}]
