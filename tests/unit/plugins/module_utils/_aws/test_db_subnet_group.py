"""aws_db_subnet_group through the engine: the name RDS takes, the full subnet list on every change, tags by ARN
through the RDS tag calls, only when managed."""

from __future__ import annotations

import typing as t

import pytest
from botocore.exceptions import ClientError

from ansible_collections.agno.infra.plugins.module_utils._aws import db_subnet_group
from ansible_collections.agno.infra.plugins.module_utils._aws.db_subnet_group import DbSubnetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, FakeRds, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Rds(FakeRds):
    """RDS's DB subnet group calls; an unknown group is a DBSubnetGroupNotFoundFault."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.refusal: t.Optional[ClientError] = None

    def describe_db_subnet_groups(self, DBSubnetGroupName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if self.refusal:
            raise self.refusal
        if DBSubnetGroupName not in self.groups:
            raise client_error("DBSubnetGroupNotFoundFault", "DescribeDBSubnetGroups", "DB subnet group not found")
        return {"DBSubnetGroups": [dict(self.groups[DBSubnetGroupName])]}

    def create_db_subnet_group(self, DBSubnetGroupName: str, SubnetIds: t.List[str],  # pylint: disable=invalid-name
                               DBSubnetGroupDescription: str, Tags: t.List[t.Dict[str, str]]) -> None:
        arn = "arn:aws:rds:%s:%s:subgrp:%s" % (REGION, ACCOUNT, DBSubnetGroupName)
        self.groups[DBSubnetGroupName] = {"DBSubnetGroupName": DBSubnetGroupName, "DBSubnetGroupArn": arn, "VpcId": "vpc-1",
                                          "SubnetGroupStatus": "Complete"}
        self.modify_db_subnet_group(DBSubnetGroupName, SubnetIds, DBSubnetGroupDescription)
        self.tags[arn] = tag_map(Tags)

    def modify_db_subnet_group(self, DBSubnetGroupName: str, SubnetIds: t.List[str],  # pylint: disable=invalid-name
                               DBSubnetGroupDescription: t.Optional[str] = None) -> None:
        group = self.groups[DBSubnetGroupName]
        group["Subnets"] = [{"SubnetIdentifier": subnet, "SubnetStatus": "Active"} for subnet in SubnetIds]
        if DBSubnetGroupDescription is not None:
            group["DBSubnetGroupDescription"] = DBSubnetGroupDescription

    def delete_db_subnet_group(self, DBSubnetGroupName: str) -> None:  # pylint: disable=invalid-name
        del self.groups[DBSubnetGroupName]


def group(aws: FakeAws, **options: t.Any) -> db_subnet_group.DbSubnetGroupResource:
    return task_resource(db_subnet_group.DbSubnetGroupResource, aws, **dict(
        {"name": "app-db", "subnet_ids": ["subnet-b", "subnet-a"]}, **options))


def test_create_with_a_default_description_then_rerun_changes_nothing() -> None:
    aws = FakeAws(rds=Rds())
    created = converge(group(aws))
    assert created.action == "create" and aws.writes() == ["create_db_subnet_group"]
    assert (created.state["subnet_ids"], created.state["description"], "tags" in created.state) == (
        ["subnet-a", "subnet-b"], "Managed by agno.infra: app-db", False)
    aws.clear()
    assert converge(group(aws, subnet_ids=["subnet-a", "subnet-b", "subnet-a"])).changed is False
    assert aws.calls == ["describe_db_subnet_groups"]  # tags are read only when the task manages them


def test_a_new_subnet_or_description_is_one_modify_with_the_full_list() -> None:
    rds = Rds()
    aws = FakeAws(rds=rds)
    converge(group(aws))
    aws.clear()
    outcome = converge(group(aws, subnet_ids=["subnet-a", "subnet-c"], description="app databases"))
    assert (outcome.changes, aws.writes()) == (["description", "subnet_ids"], ["modify_db_subnet_group"])
    assert outcome.state["subnet_ids"] == ["subnet-a", "subnet-c"] and outcome.state["description"] == "app databases"


def test_tags_are_synced_through_the_arn() -> None:
    rds = Rds()
    aws = FakeAws(rds=rds)
    arn = converge(group(aws, tags={"app": "api", "old": "1"})).state["arn"]
    aws.clear()
    outcome = converge(group(aws, tags={"app": "api", "env": "prd"}))
    assert (outcome.changes, aws.writes()) == (["tags"], ["add_tags_to_resource", "remove_tags_from_resource"])
    assert rds.tags[arn] == {"app": "api", "env": "prd"}


def test_delete_and_other_errors() -> None:
    rds = Rds()
    aws = FakeAws(rds=rds)
    converge(group(aws))
    assert converge(group(aws, state="absent"), present=False).action == "delete" and rds.groups == {}
    rds.refusal = client_error("AccessDenied", "DescribeDBSubnetGroups")
    with pytest.raises(ClientError):
        converge(group(aws))


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
