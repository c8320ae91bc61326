"""DB instances through the engine: declared constraints, comparisons, refusals, the deletion wait and the tag calls."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params

ARN = "arn:aws:rds:us-east-1:123456789012:db:db1"


def instance(aws: t.Any = None, **params: t.Any) -> DbInstanceResource:
    values = task_params(DbInstanceResource, identifier="db1", engine="postgres", instance_class="db.t4g.micro")
    values.update(params)
    return DbInstanceResource(aws, values)


def described(**fields: t.Any) -> t.Dict[str, t.Any]:
    found = {"DBInstanceIdentifier": "db1", "DBInstanceArn": ARN, "DBInstanceStatus": "available", "Engine": "postgres",
             "EngineVersion": "15.4", "DBInstanceClass": "db.t4g.micro", "StorageEncrypted": True, "PubliclyAccessible": False,
             "DeletionProtection": False, "Endpoint": {"Address": "db1.rds.example", "Port": 5432}}
    return {"DBInstances": [dict(found, **fields)]}


def test_every_value_rds_refuses_is_reported_at_once_with_the_fix() -> None:
    params = instance(identifier="1db", port=80, backup_retention_period=36, preferred_backup_window="3am",
                      allocated_storage=10, max_allocated_storage=10).params
    assert DbInstanceResource.problems(params) == [
        "DB instance 1db: identifier is '1db': use 1 to 63 letters, digits and hyphens, starting with a letter, without two "
        "hyphens in a row or one at the end.",
        "DB instance 1db: port is 80: use 1150 to 65535.",
        "DB instance 1db: backup_retention_period is 36: use 0 to 35.",
        "DB instance 1db: preferred_backup_window is '3am': use a UTC window such as 03:00-03:30 (hh24:mi-hh24:mi).",
        "DB instance 1db: allocated_storage is 10: use 20 to 65536.",
        "DB instance 1db: max_allocated_storage is 10: use at least 11 (10% above allocated_storage 10), or leave it unset "
        "for no storage autoscaling.",
    ]
    assert DbInstanceResource.problems(instance(port=5432, backup_retention_period=0, preferred_backup_window="03:00-03:30",
                                                allocated_storage=20, max_allocated_storage=22).params) == []


@pytest.mark.parametrize("storage, problem", [
    ({"storage_type": "standard", "allocated_storage": 5}, None),
    ({"storage_type": "standard", "allocated_storage": 4000}, "allocated_storage is 4000: use 5 to 3072."),
    ({"storage_type": "io2", "allocated_storage": 50}, "allocated_storage is 50: use 100 to 65536."),
    ({"allocated_storage": 10, "db_cluster_identifier": "aurora1"}, None),  # a cluster member has the cluster's storage
    ({"allocated_storage": "${sizes.db}"}, None),  # a reference is checked once it is known
])
def test_storage_sizes_follow_the_storage_type(storage: t.Dict[str, t.Any], problem: t.Optional[str]) -> None:
    found = DbInstanceResource.problems(instance(**storage).params)
    assert found == ([] if problem is None else ["DB instance db1: " + problem])


def test_a_version_prefix_is_no_change_and_an_always_sent_password_always_is() -> None:
    aws = Scripted(describe_db_instances=described())
    assert converge(instance(aws, engine_version="15")).action == "none" and aws.writes() == []
    outcome = converge(instance(aws, master_user_password="pw-0123456", update_password="always"))
    assert (outcome.action, outcome.changes, aws.writes()) == ("update", ["master_user_password"], ["modify_db_instance"])
    assert aws.requests("modify_db_instance")[0]["MasterUserPassword"] == "pw-0123456"
    # The update returned nothing: the engine read the instance again, and the password is not in the result.
    assert len(aws.requests("describe_db_instances")) == 3 and "master_user_password" not in outcome.state


def test_deletion_protection_is_refused_in_check_mode_and_lifted_by_the_task(clock: t.Any) -> None:
    protected = Scripted(describe_db_instances=described(DeletionProtection=True))
    with pytest.raises(ResourceError, match="has deletion protection: set deletion_protection: false"):
        converge(instance(protected, state="absent"), present=False, check_mode=True)
    assert protected.writes() == []
    deleting = described(DeletionProtection=True, DBInstanceStatus="deleting")
    aws = Scripted(describe_db_instances=[described(DeletionProtection=True), deleting, deleting, not_found("DBInstanceNotFound")])
    outcome = converge(instance(aws, state="absent", deletion_protection=False), present=False, wait=True, wait_timeout=600,
                       clock=clock)
    assert (outcome.action, aws.writes()) == ("delete", ["modify_db_instance", "delete_db_instance"])
    assert aws.requests("delete_db_instance")[0]["FinalDBSnapshotIdentifier"].startswith("db1-final-")
    assert clock.sleeps == [10.0, 10.0]  # the engine waited on its clock, every poll_interval


def test_tags_change_through_the_rds_tag_calls() -> None:
    aws = Scripted(describe_db_instances=described(),
                   list_tags_for_resource={"TagList": [{"Key": "app", "Value": "old"}, {"Key": "gone", "Value": "x"}]})
    outcome = converge(instance(aws, tags={"app": "api", "team": "db"}))
    assert outcome.changes == ["tags"] and aws.writes() == ["add_tags_to_resource", "remove_tags_from_resource"]
    assert aws.requests("add_tags_to_resource") == [{"ResourceName": ARN, "Tags": [{"Key": "app", "Value": "api"},
                                                                                   {"Key": "team", "Value": "db"}]}]
    assert aws.requests("remove_tags_from_resource") == [{"ResourceName": ARN, "TagKeys": ["gone"]}]
