"""RDS DB instances: engine versions, the password kept out of the desired state, private and encrypted defaults,
declared constraints, and converges: one modify per change, fixed fields refused, protection lifted only by the task,
a final snapshot, the deletion wait and the tag calls."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, FakeRds, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource


def instance(aws: t.Any = None, **params: t.Any) -> DbInstanceResource:
    values = task_params(DbInstanceResource, identifier="db1", engine="postgres", instance_class="db.t4g.micro")
    values.update(params)
    return DbInstanceResource(aws, values)


def test_engine_version_prefix_matches_the_running_version() -> None:
    db = instance(engine_version="15")
    assert not db.differs("engine_version", "15.4", "15")
    assert db.differs("engine_version", "16.1", "15")
    assert db.differs("engine_version", "150.1", "15")


def test_password_is_only_desired_with_update_password_always() -> None:
    assert "master_user_password" not in instance(master_user_password="pw").desired()
    assert instance(master_user_password="pw", update_password="always").desired()["master_user_password"] == "pw"


def test_private_and_encrypted_by_default() -> None:
    desired = instance().desired()
    assert desired["publicly_accessible"] is False and desired["storage_encrypted"] is True


def test_unknown_engine_is_refused() -> None:
    assert "Unknown engine 'postgress'" in DbInstanceResource.problems(instance(engine="postgress").params)[0]


# Create request keys and the DescribeDBInstances keys they show as (the others keep their name).
DESCRIBED_AS = {"MasterUserPassword": None, "Tags": None, "DBSubnetGroupName": None, "VpcSecurityGroupIds": None, "Port": None}


class Instances(FakeRds):
    """RDS's DB instance calls. A new instance is creating until looked at once more (then ``then``), a deleted one is
    deleting, then gone; the password is kept apart, as RDS never returns it."""

    def __init__(self, then: str = "available") -> None:
        super().__init__()
        self.instances: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.passwords: t.Dict[str, str] = {}
        self.snapshots: t.List[str] = []
        self.then = then

    def describe_db_instances(self, DBInstanceIdentifier: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = self.instances.get(DBInstanceIdentifier)
        if found is None:
            raise client_error("DBInstanceNotFound", "DescribeDBInstances", "DBInstance %s not found." % DBInstanceIdentifier, 404)
        answer = dict(found)
        if found["DBInstanceStatus"] == "deleting":
            del self.instances[DBInstanceIdentifier]
        found["DBInstanceStatus"] = {"creating": self.then, "modifying": "available"}.get(found["DBInstanceStatus"],
                                                                                          found["DBInstanceStatus"])
        return {"DBInstances": [answer]}

    def create_db_instance(self, DBInstanceIdentifier: str, **request: t.Any) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        arn = "arn:aws:rds:%s:%s:db:%s" % (REGION, ACCOUNT, DBInstanceIdentifier)
        self.passwords[DBInstanceIdentifier] = request.get("MasterUserPassword", "")
        self.tags[arn] = tag_map(request.get("Tags"))
        found = {key: value for key, value in request.items() if key not in DESCRIBED_AS}
        found.update(DBInstanceIdentifier=DBInstanceIdentifier, DBInstanceArn=arn, DBInstanceStatus="creating",
                     EngineVersion="16.4", DeletionProtection=request.get("DeletionProtection", False),
                     Endpoint={"Address": "%s.c1.%s.rds.amazonaws.com" % (DBInstanceIdentifier, REGION), "Port": 5432},
                     VpcSecurityGroups=[{"VpcSecurityGroupId": group, "Status": "active"} for group in request.get("VpcSecurityGroupIds", [])])
        self.instances[DBInstanceIdentifier] = found
        return {"DBInstance": dict(found)}

    def modify_db_instance(self, DBInstanceIdentifier: str, ApplyImmediately: bool, **changes: t.Any) -> None:  # pylint: disable=invalid-name
        if "MasterUserPassword" in changes:
            self.passwords[DBInstanceIdentifier] = changes.pop("MasterUserPassword")
        changes.pop("AllowMajorVersionUpgrade", None)
        self.instances[DBInstanceIdentifier].update(changes, DBInstanceStatus="modifying")

    def delete_db_instance(self, DBInstanceIdentifier: str, DeleteAutomatedBackups: bool,  # pylint: disable=invalid-name
                           FinalDBSnapshotIdentifier: t.Optional[str] = None, SkipFinalSnapshot: bool = False) -> None:  # pylint: disable=invalid-name
        assert not self.instances[DBInstanceIdentifier]["DeletionProtection"], "RDS refuses: InvalidParameterCombination"
        if not SkipFinalSnapshot:
            self.snapshots.append(t.cast(str, FinalDBSnapshotIdentifier))
        self.instances[DBInstanceIdentifier]["DBInstanceStatus"] = "deleting"


def database(aws: FakeAws, **options: t.Any) -> DbInstanceResource:
    return task_resource(DbInstanceResource, aws, **dict(
        {"identifier": "db1", "engine": "postgres", "engine_version": "16", "instance_class": "db.t4g.micro", "allocated_storage": 20,
         "master_username": "app", "master_user_password": "pw-s3cret-0123", "vpc_security_group_ids": ["sg-db"]}, **options))


def test_create_waits_until_available_and_a_rerun_matches_the_running_version(clock: FakeClock) -> None:
    rds = Instances()
    aws = FakeAws(rds=rds)
    created = converge(database(aws), wait=True, wait_timeout=1800)
    assert created.action == "create" and aws.writes() == ["create_db_instance"]
    assert rds.passwords["db1"] == "pw-s3cret-0123" and "pw-s3cret" not in repr(created)
    assert (created.state["status"], created.state["storage_encrypted"], created.state["publicly_accessible"]) == (
        "available", True, False)
    assert created.state["engine_version"] == "16.4" and clock.sleeps == [15]
    aws.clear()
    assert converge(database(aws, master_user_password="another-password")).changed is False and aws.writes() == []


def test_every_change_goes_into_one_modify_and_update_password_always_sends_it_each_run() -> None:
    rds = Instances()
    aws = FakeAws(rds=rds)
    converge(database(aws))
    aws.clear()
    changed = {"instance_class": "db.t4g.small", "backup_retention_period": 7, "tags": {"app": "agent"}}
    outcome = converge(database(aws, **changed))
    assert outcome.changes == ["backup_retention_period", "instance_class", "tags"]
    assert aws.writes() == ["modify_db_instance", "add_tags_to_resource"]
    aws.clear()
    always = converge(database(aws, master_user_password="new-password-0123", update_password="always", **changed))
    assert (always.changes, aws.writes(), rds.passwords["db1"]) == (["master_user_password"], ["modify_db_instance"], "new-password-0123")
    assert "new-password-0123" not in repr(always)


def test_what_rds_cannot_change_is_refused_never_replaced() -> None:
    aws = FakeAws(rds=Instances())
    converge(database(aws))
    with pytest.raises(ResourceError) as raised:
        converge(database(aws, storage_encrypted=False, master_username="admin"), check_mode=True)
    assert raised.value.msg == ("DB instance db1 has master_username 'app' (task wants 'admin'), storage_encrypted True (task wants "
                                "False), which RDS cannot change, and agno.infra never replaces a database: keep the current "
                                "values, or migrate the data to a new one.")


def test_protection_is_lifted_only_by_the_task_and_a_final_snapshot_is_kept() -> None:
    rds = Instances()
    aws = FakeAws(rds=rds)
    converge(database(aws, deletion_protection=True))
    with pytest.raises(ResourceError) as raised:
        converge(database(aws, state="absent"), present=False)
    assert raised.value.msg == ("DB instance db1 has deletion protection: set deletion_protection: false in this task (it is lifted, "
                                "then the database deleted) or turn it off first.")
    aws.clear()
    # The task's wait (true by default) is the engine's to honour, as the runner passes it.
    assert converge(database(aws, state="absent", deletion_protection=False, final_snapshot_identifier="db1-last"),
                    present=False, wait=True).action == "delete"
    assert aws.writes() == ["modify_db_instance", "delete_db_instance"] and rds.snapshots == ["db1-last"]
    assert rds.instances == {}  # waited until gone


def test_no_password_and_a_failed_instance_are_explained() -> None:
    with pytest.raises(ResourceError) as raised:
        converge(database(FakeAws(rds=Instances()), master_user_password=None))
    assert raised.value.msg == ("DB instance db1 does not exist and has no password: set master_user_password (kept out of logs) or "
                                "manage_master_user_password: true.")
    with pytest.raises(ResourceError) as raised:
        converge(database(FakeAws(rds=Instances(then="incompatible-parameters"))), wait=True, wait_timeout=1800)
    assert raised.value.msg == "DB instance db1 is in status incompatible-parameters: see its events in the RDS console."


ARN = "arn:aws:rds:us-east-1:123456789012:db:db1"


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
