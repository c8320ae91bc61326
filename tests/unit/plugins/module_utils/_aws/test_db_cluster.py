"""Aurora clusters: capacity checks, the shared RDS database behaviour, requests built from the settings table."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.db_cluster import (
    DbClusterResource, scaling_problem, scaling_state)
from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, REPLACE, ResourceError, converge, refuse
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted


def cluster(**params: object) -> DbClusterResource:
    values = {key: spec.get("default") for key, spec in DbClusterResource.argument_spec.items()}
    values.update(identifier="aurora1", engine="aurora-postgresql")
    values.update(params)
    return DbClusterResource(None, values)


def test_boto3_method_names_follow_the_api_name() -> None:
    instance = DbInstanceResource(None, {key: spec.get("default") for key, spec in DbInstanceResource.argument_spec.items()})
    assert cluster().snake("describe") == "describe_db_clusters"
    assert cluster().snake("modify") == "modify_db_cluster"
    assert instance.snake("delete") == "delete_db_instance"
    assert cluster().identifier_key == "DBClusterIdentifier"


@pytest.mark.parametrize("scaling, problem", [
    ({"min_capacity": 0.5, "max_capacity": 4.0}, None),
    ({"min_capacity": 0.0, "max_capacity": 256.0}, None),
    ({"min_capacity": 8.0, "max_capacity": 2.0}, "min_capacity 8 is above max_capacity 2"),
    ({"min_capacity": 0.3, "max_capacity": 2.0}, "capacity 0.3 is not a step of 0.5 between 0 and 256 ACUs"),
    ({"min_capacity": 1.0, "max_capacity": 300.0}, "capacity 300.0 is not a step of 0.5 between 0 and 256 ACUs"),
])
def test_scaling_problem(scaling: dict, problem: object) -> None:
    assert scaling_problem(scaling) == problem


def test_scaling_is_read_as_floats_and_absent_as_none() -> None:
    assert scaling_state({"ServerlessV2ScalingConfiguration": {"MinCapacity": 1, "MaxCapacity": 4}}) == {
        "min_capacity": 1.0, "max_capacity": 4.0}
    assert scaling_state({}) is None


def test_encrypted_by_default_and_password_kept_out() -> None:
    desired = cluster(master_user_password="secret-pw").desired()
    assert desired["storage_encrypted"] is True
    assert "master_user_password" not in desired


def test_bad_scaling_is_refused_before_any_call() -> None:
    problems = DbClusterResource.problems(cluster(serverless_v2_scaling={"min_capacity": 4, "max_capacity": 1}).params)
    assert problems == ["DB cluster aurora1: serverless_v2_scaling min_capacity 4 is above max_capacity 1."]


def test_one_modify_request_for_settings_access_and_scaling() -> None:
    request = cluster().modify_request({"backup_retention_period": 14, "vpc_security_group_ids": ["sg-1"],
                                        "serverless_v2_scaling": {"min_capacity": 0.5, "max_capacity": 2.0}, "tags": {"a": "b"}})
    assert request == {"BackupRetentionPeriod": 14, "VpcSecurityGroupIds": ["sg-1"],
                       "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5, "MaxCapacity": 2.0}}


def test_fixed_fields_and_members_block_changes() -> None:
    current = {"storage_encrypted": True, "members": ["aurora1-1"], "deletion_protection": False}
    with pytest.raises(ResourceError, match="never replaces a database"):
        refuse(cluster(), REPLACE, current, {"storage_encrypted": False})
    with pytest.raises(ResourceError, match=r"still has instances \(aurora1-1\)"):
        refuse(cluster(), DELETE, current, {})


def test_delete_request_snapshots_unless_skipped() -> None:
    assert cluster(final_snapshot_identifier="last").delete_request({}) == {
        "DBClusterIdentifier": "aurora1", "FinalDBSnapshotIdentifier": "last"}
    assert cluster(skip_final_snapshot=True).delete_request({}) == {"DBClusterIdentifier": "aurora1", "SkipFinalSnapshot": True}


def test_aurora_keeps_backups_at_least_a_day_and_refuses_bad_capacities_with_the_rest() -> None:
    params = cluster(backup_retention_period=0, port=1000, serverless_v2_scaling={"min_capacity": 0.3, "max_capacity": 2}).params
    assert DbClusterResource.problems(params) == [
        "DB cluster aurora1: port is 1000: use 1150 to 65535.",
        "DB cluster aurora1: backup_retention_period is 0: use 1 to 35.",
        "DB cluster aurora1: serverless_v2_scaling capacity 0.3 is not a step of 0.5 between 0 and 256 ACUs.",
    ]


def test_a_cluster_with_instances_is_not_deleted_even_in_check_mode() -> None:
    aws = Scripted(describe_db_clusters={"DBClusters": [{
        "DBClusterIdentifier": "aurora1", "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora1", "Status": "available",
        "Engine": "aurora-postgresql", "DBClusterMembers": [{"DBInstanceIdentifier": "aurora1-1"}]}]})
    with pytest.raises(ResourceError) as error:
        converge(DbClusterResource(aws, cluster(state="absent").params), present=False, check_mode=True)
    assert error.value.msg == ("DB cluster aurora1 still has instances (aurora1-1): delete them first (agno.infra.aws_db_instance "
                               "with state: absent).")
    assert aws.writes() == []
