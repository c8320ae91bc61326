# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB instance as a lifecycle resource: private and encrypted by default, never replaced, snapshot on delete.

Every changed setting goes into one ModifyDBInstance call. The master password is never read,
compared or returned; it is sent on creation, and on every run only with update_password: always.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._aws.rds import DATABASE_OPTIONS, ENGINES, RdsDatabase, password_request
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range, number, option_values


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
# GiB RDS allocates per storage type (magnetic, provisioned IOPS); the general purpose types take 20 to 65536.
STORAGE_SIZES = {"standard": Range(5, 3072), "io1": Range(100, 65536), "io2": Range(100, 65536)}
GENERAL_PURPOSE_SIZES = Range(20, 65536)


def lowest_ceiling(allocated: int) -> int:
    """The lowest storage autoscaling ceiling RDS accepts: 10% above the allocated storage."""
    return allocated + -(-allocated // 10)


def storage_problems(allocated: int, ceiling: t.Optional[int], storage_type: t.Optional[str]) -> t.List[str]:
    """What RDS refuses in the storage size of a storage type and in the autoscaling ceiling above it."""
    size = STORAGE_SIZES.get(storage_type or "", GENERAL_PURPOSE_SIZES).problem("allocated_storage", allocated)
    problems = [size] if size else []
    lowest = lowest_ceiling(allocated)
    if ceiling is not None and ceiling < lowest:
        problems.append("max_allocated_storage is %d: use at least %d (10%% above allocated_storage %d), or leave it unset "
                        "for no storage autoscaling." % (ceiling, lowest, allocated))
    return problems


class DbInstanceResource(RdsDatabase):
    kind = "DB instance"
    result_key = "db_instance"
    replace_fields = FIXED
    api_name = "DBInstance"
    settings = SETTINGS
    not_found_codes = ("DBInstanceNotFound", "DBInstanceNotFoundFault")

    module_name = "aws_db_instance"
    owned_kind = "rds:db"
    argument_spec: t.Dict[str, t.Any] = dict(
        DATABASE_OPTIONS,
        **{
            "engine": {"type": "str"},
            "instance_class": {"type": "str"},
            "allocated_storage": {"type": "int"},
            "max_allocated_storage": {"type": "int"},
            "storage_type": {"type": "str", "choices": ["gp2", "gp3", "io1", "io2", "standard"]},
            "db_cluster_identifier": {"type": "str"},
            "multi_az": {"type": "bool"},
            "publicly_accessible": {"type": "bool", "default": False},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {
        "required_if": [("state", "present", ["engine", "instance_class"])],
        "mutually_exclusive": [("master_user_password", "manage_master_user_password")],
    }
    constraints = {"max_allocated_storage": Range(high=65536)}

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        # This sentence names the database within it; the other problems start with it.
        unknown = ["Unknown engine %r for %s %s: use one of %s." % (engine, cls.kind, params.get(cls.name_option), ", ".join(ENGINES))
                   for _option, engine in option_values(params, ["engine"], "engine") if engine not in ENGINES]
        return unknown + super().problems(params)

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        allocated, ceiling = (number(params.get(option)) for option in ("allocated_storage", "max_allocated_storage"))
        if allocated is None or params.get("db_cluster_identifier"):
            return []  # no size, or a cluster member's, which is the cluster's
        return storage_problems(int(allocated), None if ceiling is None else int(ceiling), params.get("storage_type"))

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted = self.common_desired(("engine", "db_name", "master_username", "kms_key_id", "db_cluster_identifier",
                                      "db_subnet_group", "port", "manage_master_user_password"))
        if not params.get("db_cluster_identifier"):
            wanted["storage_encrypted"] = params["storage_encrypted"]
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

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
        state.update(self.settings_state(found))
        if self.params.get("tags") is not None:
            # DescribeDBInstances carries the tags; an endpoint that leaves them out costs a second call.
            state["tags"] = tags_to_dict(found["TagList"]) if "TagList" in found else self.read_tags(state["arn"])
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {
            "DBInstanceIdentifier": self.name, "Engine": desired["engine"],
            "DBInstanceClass": desired["instance_class"], "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        request.update(self.settings_request(desired))
        optional = (("db_name", "DBName"), ("db_subnet_group", "DBSubnetGroupName"), ("port", "Port"),
                    ("kms_key_id", "KmsKeyId"), ("db_cluster_identifier", "DBClusterIdentifier"))
        request.update({key: desired[option] for option, key in optional if desired.get(option) is not None})
        if desired.get("vpc_security_group_ids"):
            request["VpcSecurityGroupIds"] = desired["vpc_security_group_ids"]
        if not desired.get("db_cluster_identifier"):
            # A cluster member takes its storage, user and password from the cluster.
            request["StorageEncrypted"] = desired["storage_encrypted"]
            request["MasterUsername"] = desired.get("master_username")
            request.update(password_request(self.name, self.kind, self.params))
        return self.state(self.client("rds").create_db_instance(**request)["DBInstance"])

    def modify_request(self, changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request = super().modify_request(changes)
        if "db_subnet_group" in changes:
            request["DBSubnetGroupName"] = changes["db_subnet_group"]
        if "port" in changes:
            request["DBPortNumber"] = changes["port"]
        return request

    def skips_snapshot(self, current: t.Dict[str, t.Any]) -> bool:
        # Cluster members have no snapshot of their own: the cluster takes it.
        return bool(self.params["skip_final_snapshot"] or current.get("db_cluster_identifier"))

    def delete_request(self, current: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return dict(super().delete_request(current), DeleteAutomatedBackups=False)
