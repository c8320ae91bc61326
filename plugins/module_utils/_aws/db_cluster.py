# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Aurora DB cluster as a lifecycle resource: encrypted by default, never replaced, snapshot on delete.

The cluster holds the storage, the master user and the endpoints; its instances are
agno.infra.aws_db_instance tasks with db_cluster_identifier. The master password follows the same
rules as a DB instance's: sent on creation, and on every run only with update_password: always.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._aws.rds import DATABASE_OPTIONS, RdsDatabase, password_request
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, Constraint, Range, Refusal, number

CLUSTER_ENGINES = ("aurora-postgresql", "aurora-mysql")

# (option, key in DescribeDBClusters, key in Create/ModifyDBCluster) for plain settings.
SETTINGS = (
    ("engine_version", "EngineVersion", "EngineVersion"),
    ("port", "Port", "Port"),
    ("backup_retention_period", "BackupRetentionPeriod", "BackupRetentionPeriod"),
    ("preferred_backup_window", "PreferredBackupWindow", "PreferredBackupWindow"),
    ("deletion_protection", "DeletionProtection", "DeletionProtection"),
)
# Set at creation only (ModifyDBCluster has no subnet group either). A difference is refused, never a replacement.
FIXED = ("engine", "db_name", "master_username", "storage_encrypted", "kms_key_id", "db_subnet_group")
# Aurora Serverless v2 capacity units: 0 (auto-pause) to 256, in steps of 0.5.
CAPACITY_RANGE = (0.0, 256.0)


def scaling_problem(scaling: t.Dict[str, float]) -> t.Optional[str]:
    """What Aurora would refuse in a Serverless v2 capacity range, checked before any call."""
    low, high = scaling["min_capacity"], scaling["max_capacity"]
    for value in (low, high):
        if not CAPACITY_RANGE[0] <= value <= CAPACITY_RANGE[1] or value * 2 != int(value * 2):
            return "capacity %s is not a step of 0.5 between %g and %g ACUs" % (value, CAPACITY_RANGE[0], CAPACITY_RANGE[1])
    if low > high:
        return "min_capacity %g is above max_capacity %g" % (low, high)
    return None


class Scaling(Constraint):
    """A Serverless v2 capacity range Aurora accepts."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        bounds = {key: number(value.get(key)) for key in ("min_capacity", "max_capacity")} if isinstance(value, dict) else {}
        if not bounds or None in bounds.values():
            return None  # not numbers (yet): the argument spec speaks
        found = scaling_problem(t.cast(t.Dict[str, float], bounds))
        return "%s %s." % (option, found) if found else None


def scaling_state(found: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, float]]:
    config = found.get("ServerlessV2ScalingConfiguration")
    if not config:
        return None
    return {"min_capacity": float(config.get("MinCapacity", 0)), "max_capacity": float(config.get("MaxCapacity", 0))}


def scaling_request(scaling: t.Dict[str, float]) -> t.Dict[str, t.Any]:
    return {"ServerlessV2ScalingConfiguration": {"MinCapacity": scaling["min_capacity"], "MaxCapacity": scaling["max_capacity"]}}


class DbClusterResource(RdsDatabase):
    kind = "DB cluster"
    result_key = "db_cluster"
    replace_fields = FIXED
    api_name = "DBCluster"
    settings = SETTINGS
    not_found_codes = ("DBClusterNotFoundFault", "DBClusterNotFound")

    module_name = "aws_db_cluster"
    owned_kind = "rds:cluster"
    argument_spec: t.Dict[str, t.Any] = dict(
        DATABASE_OPTIONS,
        **{
            "engine": {"type": "str", "choices": list(CLUSTER_ENGINES)},
            "serverless_v2_scaling": {"type": "dict", "options": {
                "min_capacity": {"type": "float", "required": True},
                "max_capacity": {"type": "float", "required": True},
            }},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {
        "required_if": [("state", "present", ["engine"])],
        "mutually_exclusive": [("master_user_password", "manage_master_user_password")],
    }
    # Aurora keeps automated backups at least one day.
    constraints = {"backup_retention_period": Range(1, 35), "serverless_v2_scaling": Scaling()}
    refusals = RdsDatabase.refusals + (
        Refusal("DB cluster {name} still has instances ({blockers}): delete them first (agno.infra.aws_db_instance with "
                "state: absent).", actions=(DELETE,), blockers=lambda resource, current: current.get("members")),)

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted = self.common_desired(("engine", "db_name", "master_username", "kms_key_id", "db_subnet_group",
                                      "manage_master_user_password"))
        wanted["storage_encrypted"] = params["storage_encrypted"]
        if params.get("serverless_v2_scaling") is not None:
            wanted["serverless_v2_scaling"] = {key: float(value) for key, value in params["serverless_v2_scaling"].items()}
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        state: t.Dict[str, t.Any] = {
            "identifier": found["DBClusterIdentifier"],
            "arn": found.get("DBClusterArn"),
            "status": found.get("Status"),
            "engine": found.get("Engine"),
            "db_name": found.get("DatabaseName"),
            "master_username": found.get("MasterUsername"),
            "storage_encrypted": bool(found.get("StorageEncrypted")),
            "kms_key_id": found.get("KmsKeyId"),
            "db_subnet_group": found.get("DBSubnetGroup"),
            "vpc_security_group_ids": sorted(group["VpcSecurityGroupId"] for group in found.get("VpcSecurityGroups") or []),
            "endpoint": found.get("Endpoint"),
            "reader_endpoint": found.get("ReaderEndpoint"),
            "members": sorted(member["DBInstanceIdentifier"] for member in found.get("DBClusterMembers") or []),
            "manage_master_user_password": bool(found.get("MasterUserSecret")),
            "master_user_secret_arn": (found.get("MasterUserSecret") or {}).get("SecretArn"),
            "serverless_v2_scaling": scaling_state(found),
            # DescribeDBClusters carries the tags: no second call.
            "tags": tags_to_dict(found.get("TagList")),
        }
        state.update(self.settings_state(found))
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {
            "DBClusterIdentifier": self.name, "Engine": desired["engine"], "StorageEncrypted": desired["storage_encrypted"],
            "MasterUsername": desired.get("master_username"), "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        request.update(self.settings_request(desired))
        optional = (("db_name", "DatabaseName"), ("db_subnet_group", "DBSubnetGroupName"), ("kms_key_id", "KmsKeyId"),
                    ("vpc_security_group_ids", "VpcSecurityGroupIds"))
        request.update({key: desired[option] for option, key in optional if desired.get(option)})
        if desired.get("serverless_v2_scaling"):
            request.update(scaling_request(desired["serverless_v2_scaling"]))
        request.update(password_request(self.name, self.kind, self.params))
        return self.state(self.client("rds").create_db_cluster(**request)["DBCluster"])

    def modify_request(self, changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request = super().modify_request(changes)
        if changes.get("serverless_v2_scaling"):
            request.update(scaling_request(changes["serverless_v2_scaling"]))
        return request
