# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB instance as a lifecycle resource: private and encrypted by default, never replaced, snapshot on delete.

Every changed setting goes into one ModifyDBInstance call. The master password is never read,
compared or returned; it is sent on creation, and on every run only with update_password: always.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils.aws_client import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, is_not_found
from ansible_collections.agno.infra.plugins.module_utils.aws_rds import ENGINES, RdsResource, final_snapshot_name
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import DELETE, REPLACE, ResourceError, poll

ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    {
        "identifier": {"type": "str", "required": True, "aliases": ["name"]},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "engine": {"type": "str"},
        "engine_version": {"type": "str"},
        "instance_class": {"type": "str"},
        "allocated_storage": {"type": "int"},
        "max_allocated_storage": {"type": "int"},
        "storage_type": {"type": "str", "choices": ["gp2", "gp3", "io1", "io2", "standard"]},
        "db_name": {"type": "str"},
        "master_username": {"type": "str"},
        "master_user_password": {"type": "str", "no_log": True},
        "manage_master_user_password": {"type": "bool"},
        "update_password": {"type": "str", "default": "on_create", "choices": ["on_create", "always"]},
        "db_subnet_group": {"type": "str"},
        "vpc_security_group_ids": {"type": "list", "elements": "str"},
        "db_cluster_identifier": {"type": "str"},
        "backup_retention_period": {"type": "int"},
        "preferred_backup_window": {"type": "str"},
        "multi_az": {"type": "bool"},
        "deletion_protection": {"type": "bool"},
        "port": {"type": "int"},
        "publicly_accessible": {"type": "bool", "default": False},
        "storage_encrypted": {"type": "bool", "default": True},
        "kms_key_id": {"type": "str", "no_log": False},
        "apply_immediately": {"type": "bool", "default": True},
        "skip_final_snapshot": {"type": "bool", "default": False},
        "final_snapshot_identifier": {"type": "str"},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 1800},
    },
    **TAGS_ARGUMENT_SPEC,
)
MUTUALLY_EXCLUSIVE = [("master_user_password", "manage_master_user_password")]
REQUIRED_IF = [("state", "present", ["engine", "instance_class"])]

# (option, key in DescribeDBInstances, key in Create/ModifyDBInstance) for plain settings.
SETTINGS = (
    ("engine_version", "EngineVersion", "EngineVersion"),
    ("instance_class", "DBInstanceClass", "DBInstanceClass"),
    ("allocated_storage", "AllocatedStorage", "AllocatedStorage"),
    ("max_allocated_storage", "MaxAllocatedStorage", "MaxAllocatedStorage"),
    ("storage_type", "StorageType", "StorageType"),
    ("backup_retention_period", "BackupRetentionPeriod", "BackupRetentionPeriod"),
    ("preferred_backup_window", "PreferredBackupWindow", "PreferredBackupWindow"),
    ("multi_az", "MultiAZ", "MultiAZ"),
    ("deletion_protection", "DeletionProtection", "DeletionProtection"),
    ("publicly_accessible", "PubliclyAccessible", "PubliclyAccessible"),
)
# Set at creation only. A database holds data: a difference is refused, never solved by replacing it.
FIXED = ("engine", "db_name", "master_username", "storage_encrypted", "kms_key_id", "db_cluster_identifier")
READY = "available"


class DbInstanceResource(RdsResource):
    kind = "DB instance"
    result_key = "db_instance"
    secret_fields = ("master_user_password",)
    replace_fields = FIXED

    @property
    def name(self) -> str:
        return str(self.params["identifier"])

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        if params["engine"] not in ENGINES:
            raise ResourceError("Unknown engine %r for DB instance %s: use one of %s."
                                % (params["engine"], self.name, ", ".join(ENGINES)))
        wanted: t.Dict[str, t.Any] = {"engine": params["engine"]}
        for field in ("db_name", "master_username", "kms_key_id", "db_cluster_identifier", "db_subnet_group", "port",
                      "manage_master_user_password") + tuple(option for option, _read, _write in SETTINGS):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if not params.get("db_cluster_identifier"):
            wanted["storage_encrypted"] = params["storage_encrypted"]
        if params.get("vpc_security_group_ids") is not None:
            wanted["vpc_security_group_ids"] = sorted(set(params["vpc_security_group_ids"]))
        if params.get("master_user_password") is not None and params["update_password"] == "always":
            wanted["master_user_password"] = params["master_user_password"]
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def differs(self, field: str, current_value: t.Any, desired_value: t.Any) -> bool:
        if field == "master_user_password":
            return True  # never readable: update_password: always means "send it every run"
        if field == "engine_version" and current_value:
            # "15" asks for any 15.x: RDS reports the full version it runs.
            return not (current_value == desired_value or str(current_value).startswith(str(desired_value) + "."))
        return super().differs(field, current_value, desired_value)

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = self.client("rds").describe_db_instances(DBInstanceIdentifier=self.name)["DBInstances"][0]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "DBInstanceNotFound", "DBInstanceNotFoundFault"):
                return None
            raise
        return self.state(found)

    def state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        endpoint = found.get("Endpoint") or {}
        state: t.Dict[str, t.Any] = {
            "identifier": found["DBInstanceIdentifier"],
            "arn": found.get("DBInstanceArn"),
            "status": found.get("DBInstanceStatus"),
            "engine": found.get("Engine"),
            "db_name": found.get("DBName"),
            "master_username": found.get("MasterUsername"),
            "storage_encrypted": bool(found.get("StorageEncrypted")),
            "kms_key_id": found.get("KmsKeyId"),
            "db_cluster_identifier": found.get("DBClusterIdentifier"),
            "db_subnet_group": (found.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
            "vpc_security_group_ids": sorted(group["VpcSecurityGroupId"] for group in found.get("VpcSecurityGroups") or []),
            "port": endpoint.get("Port") or found.get("DbInstancePort"),
            "endpoint": endpoint.get("Address"),
            "manage_master_user_password": bool(found.get("MasterUserSecret")),
            "master_user_secret_arn": (found.get("MasterUserSecret") or {}).get("SecretArn"),
            "pending_modified_values": found.get("PendingModifiedValues") or {},
        }
        for option, key, _write in SETTINGS:
            state[option] = found.get(key)
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags(state["arn"])
        return state

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        if action == REPLACE and current:
            fixed = sorted(field for field in changes if field in FIXED)
            raise ResourceError(
                "DB instance %s has %s, which RDS cannot change, and agno.infra never replaces a database: keep the "
                "current values, or migrate the data to a new instance." % (
                    self.name, ", ".join("%s %r (task wants %r)" % (field, current.get(field), changes[field]) for field in fixed)))
        if action == DELETE and current and current.get("deletion_protection"):
            raise ResourceError("DB instance %s has deletion protection: set deletion_protection: false first, then "
                                "delete it." % self.name)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        params = self.params
        request: t.Dict[str, t.Any] = {
            "DBInstanceIdentifier": self.name, "Engine": desired["engine"],
            "DBInstanceClass": desired["instance_class"], "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        for option, _read, key in SETTINGS:
            if desired.get(option) is not None:
                request[key] = desired[option]
        optional = (("db_name", "DBName"), ("db_subnet_group", "DBSubnetGroupName"), ("port", "Port"),
                    ("kms_key_id", "KmsKeyId"), ("db_cluster_identifier", "DBClusterIdentifier"))
        for option, key in optional:
            if desired.get(option) is not None:
                request[key] = desired[option]
        if desired.get("vpc_security_group_ids"):
            request["VpcSecurityGroupIds"] = desired["vpc_security_group_ids"]
        if not desired.get("db_cluster_identifier"):
            # A cluster member takes its storage, user and password from the cluster.
            request["StorageEncrypted"] = desired["storage_encrypted"]
            request["MasterUsername"] = desired.get("master_username")
            if params.get("manage_master_user_password"):
                request["ManageMasterUserPassword"] = True
            elif params.get("master_user_password"):
                request["MasterUserPassword"] = params["master_user_password"]
            else:
                raise ResourceError("DB instance %s does not exist and has no password: set master_user_password "
                                    "(kept out of logs) or manage_master_user_password: true." % self.name)
        return self.state(self.client("rds").create_db_instance(**request)["DBInstance"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {}
        for option, _read, key in SETTINGS:
            if option in changes:
                request[key] = changes[option]
        if "db_subnet_group" in changes:
            request["DBSubnetGroupName"] = changes["db_subnet_group"]
        if "vpc_security_group_ids" in changes:
            request["VpcSecurityGroupIds"] = changes["vpc_security_group_ids"]
        if "port" in changes:
            request["DBPortNumber"] = changes["port"]
        if "master_user_password" in changes:
            request["MasterUserPassword"] = changes["master_user_password"]
        if "manage_master_user_password" in changes:
            request["ManageMasterUserPassword"] = changes["manage_master_user_password"]
        if request:
            request.update(DBInstanceIdentifier=self.name, ApplyImmediately=self.params["apply_immediately"])
            if "engine_version" in changes:
                request["AllowMajorVersionUpgrade"] = True
            self.client("rds").modify_db_instance(**request)
        if "tags" in changes:
            self.sync_tags(current["arn"], current.get("tags") or {}, changes["tags"])
        return t.cast(t.Dict[str, t.Any], self.read())

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"DBInstanceIdentifier": self.name, "DeleteAutomatedBackups": False}
        # Cluster members have no snapshot of their own: the cluster takes it.
        if self.params["skip_final_snapshot"] or current.get("db_cluster_identifier"):
            request["SkipFinalSnapshot"] = True
        else:
            request["FinalDBSnapshotIdentifier"] = self.params.get("final_snapshot_identifier") or final_snapshot_name(self.name)
        self.client("rds").delete_db_instance(**request)
        if self.params["wait"]:
            poll(lambda: (self.read() is None, None), self.params["wait_timeout"],
                 lambda: "DB instance %s is still being deleted after %d s." % (self.name, self.params["wait_timeout"]),
                 interval=10)

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("status") == READY:
            return state

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.read()
            if latest and latest["status"] in ("failed", "incompatible-parameters", "incompatible-network", "storage-full"):
                raise ResourceError("DB instance %s is in status %s: see its events in the RDS console." % (self.name, latest["status"]))
            return bool(latest and latest["status"] == READY), latest

        def late() -> str:
            return "DB instance %s is not available after %d s; it may still become so: rerun later." % (self.name, timeout)

        return t.cast(t.Dict[str, t.Any], poll(check, timeout, late, interval=15))
