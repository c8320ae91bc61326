"""RDS DB instances: engine versions, the password kept out of the desired state, private and encrypted defaults, and
converges: one modify per change, fixed fields refused, protection lifted only by the task, a final snapshot."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, FakeRds, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource


def instance(**params: object) -> DbInstanceResource:
    values = {key: spec.get("default") for key, spec in DbInstanceResource.argument_spec.items()}
    values.update(identifier="db1", engine="postgres", instance_class="db.t4g.micro")
    values.update(params)
    return DbInstanceResource(None, values)


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
    with pytest.raises(ResourceError, match="Unknown engine 'postgress'"):
        instance(engine="postgress").desired()


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
    assert converge(database(aws, state="absent", deletion_protection=False, final_snapshot_identifier="db1-last"),
                    present=False).action == "delete"
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
