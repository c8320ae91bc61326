# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ElastiCache Redis (or Valkey) replication group with its subnet group, as a lifecycle resource.

Encrypted at rest and in transit by default. Node type, failover, snapshot retention, security
groups and the engine change in place with one ModifyReplicationGroup, the node count with one
Increase/DecreaseReplicaCount; what ElastiCache cannot change (encryption, port, subnet group) is
refused rather than solved by replacing the cache.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import AUTH_TOKEN, NOT_A_PORT, NamedResource, Worded
from ansible_collections.agno.infra.plugins.module_utils._aws.client import is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._aws.rds import final_snapshot_name, version_differs
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    UPDATE, Pattern, Range, Refusal, ResourceError, number, unreported)


NAME = r"[a-z](?!.*--)[a-z0-9-]{0,38}(?<!-)"
# (option, key in ModifyReplicationGroup) for settings that change in place.
MODIFIABLE = (("node_type", "CacheNodeType"), ("engine", "Engine"), ("engine_version", "EngineVersion"),
              ("automatic_failover", "AutomaticFailoverEnabled"), ("snapshot_retention_limit", "SnapshotRetentionLimit"),
              ("security_group_ids", "SecurityGroupIds"), ("description", "ReplicationGroupDescription"))
FIXED = ("at_rest_encryption", "transit_encryption", "kms_key_id", "port", "cache_subnet_group")
# Read from the group's first cache cluster; None when it cannot be read (emulators create no member clusters).
MEMBER_FIELDS = ("engine_version", "security_group_ids")
GONE = ("deleting", "delete-failed")
# The status of what is left once the group is gone: its own subnet group, still to delete.
LEFT = "deleted"
# ElastiCache never shows a token: a salted scrypt digest of it, in this tag, tells whether the group has the task's.
TOKEN_DIGEST_TAG = "agno:auth-token-digest"
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
# The patterns only decide: the sentences say what ElastiCache takes.
CONSTRAINTS = {
    "name": Worded("{option} {value!r} is not a replication group id: 1 to 40 lower-case letters, digits and hyphens, "
                   "starting with a letter, without two hyphens in a row or one at the end.", (Pattern(NAME, ""),)),
    "num_cache_clusters": Worded("{option} is {value}: use 1 to 6 (a primary and up to 5 replicas).", (Range(1, 6),)),
    # The sentence never shows the token.
    "auth_token": Worded("{option} must be 16 to 128 printable characters without spaces, '/', '\"' or '@': choose "
                         "another token.", (Pattern(AUTH_TOKEN, ""),)),
    "snapshot_retention_limit": Worded("{option} is {value}: use 0 (no snapshots) to 35 days.", (Range(0, 35),)),
    "port": NOT_A_PORT,
}


def token_digest(token: str, salt: t.Optional[bytes] = None) -> str:
    """scrypt:SALT:DIGEST in base64 (characters a tag value may hold), with a fresh random salt unless given one."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(token.encode("utf-8"), salt=salt, **SCRYPT)
    return "scrypt:%s:%s" % (base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def token_differs(current: t.Optional[str], desired: str, params: t.Dict[str, t.Any]) -> bool:
    """Whether the group lacks the task's token: it has no token, or no digest of it (a token set elsewhere), or another's."""
    parts = (current or "").split(":")
    if len(parts) != 3 or parts[0] != "scrypt":
        return True
    try:
        salt = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return True
    return not hmac.compare_digest(token_digest(desired, salt), t.cast(str, current))


def failover_without_replica(resource: t.Any, current: t.Dict[str, t.Any]) -> bool:
    """Whether the task takes a group with automatic failover down to one node and keeps the failover on."""
    params = resource.params
    return bool(current.get("automatic_failover") and params.get("num_cache_clusters") == 1
                and current.get("num_cache_clusters") != 1 and params.get("automatic_failover") is not False)


class ReplicationGroupResource(NamedResource):
    kind = "ElastiCache replication group"
    # The state falls back on the task's port and subnet group where ElastiCache does not say: both locate it too.
    locator = ("name", "cache_subnet_group", "port")
    result_key = "replication_group"
    secret_fields = ("auth_token",)
    replace_fields = FIXED
    tag_calls = tagging.ELASTICACHE
    constraints = CONSTRAINTS
    compare = {"engine_version": unreported(version_differs), "security_group_ids": unreported(), "auth_token": token_differs}
    refusals = (
        Refusal("{kind} {name} has {wants}, which ElastiCache cannot change in place, and agno.infra does not replace a "
                "cache silently: keep the current values, or remove the group (state: absent) and create it again."),
        Refusal("{kind} {name} has automatic failover, which needs a replica: set automatic_failover: false to go down to "
                "one node.", actions=(UPDATE,), blockers=failover_without_replica),
    )
    deletes_slowly = True
    poll_interval = 15.0

    module_name = "aws_elasticache"
    owned_kind = "elasticache:replicationgroup"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True, "aliases": ["replication_group_id"]},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "description": {"type": "str"},
            "engine": {"type": "str", "default": "redis", "choices": ["redis", "valkey"]},
            "engine_version": {"type": "str"},
            "node_type": {"type": "str"},
            "num_cache_clusters": {"type": "int"},
            "port": {"type": "int", "default": 6379},
            "subnet_ids": {"type": "list", "elements": "str"},
            "cache_subnet_group": {"type": "str"},
            "security_group_ids": {"type": "list", "elements": "str"},
            "at_rest_encryption": {"type": "bool", "default": True},
            "transit_encryption": {"type": "bool", "default": True},
            "kms_key_id": {"type": "str", "no_log": False},
            "auth_token": {"type": "str", "no_log": True},
            "automatic_failover": {"type": "bool"},
            "snapshot_retention_limit": {"type": "int"},
            "apply_immediately": {"type": "bool", "default": True},
            "skip_final_snapshot": {"type": "bool", "default": False},
            "final_snapshot_identifier": {"type": "str"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 1800},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {
        "required_if": [("state", "present", ["node_type"])],
        "mutually_exclusive": [("subnet_ids", "cache_subnet_group")],
    }

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return True

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        value = functools.partial(cls.setting, params)
        rules = (
            (value("automatic_failover") and (number(value("num_cache_clusters")) or 1) < 2,
             "automatic_failover needs a replica: set num_cache_clusters to 2 or more."),
            (value("auth_token") and not value("transit_encryption"),
             "auth_token needs transit_encryption: true (ElastiCache sends tokens over TLS only)."),
            (value("kms_key_id") and not value("at_rest_encryption"), "kms_key_id needs at_rest_encryption true: set it, or drop kms_key_id."),
        )
        return [sentence for broken, sentence in rules if broken]

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        fixed = ("engine", "port", "at_rest_encryption", "transit_encryption")
        wanted: t.Dict[str, t.Any] = {field: params[field] for field in fixed}
        # The node count is compared only when the task sets it: leaving it out never removes replicas.
        for field in ("engine_version", "node_type", "kms_key_id", "automatic_failover", "snapshot_retention_limit", "description",
                      "num_cache_clusters"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if params.get("auth_token"):
            wanted["auth_token"] = params["auth_token"]
        wanted["cache_subnet_group"] = params.get("cache_subnet_group") or self.name
        if params.get("subnet_ids") is not None:
            wanted["subnet_ids"] = sorted(set(params["subnet_ids"]))
        if params.get("security_group_ids") is not None:
            wanted["security_group_ids"] = sorted(set(params["security_group_ids"]))
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = self.client("elasticache").describe_replication_groups(ReplicationGroupId=self.name)["ReplicationGroups"][0]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ReplicationGroupNotFoundFault"):
                return self.leftover()
            raise
        # On its way out: absent for the user (a new group of this name waits until ElastiCache has removed it).
        return None if found.get("Status") in GONE else self.state(found)

    def leftover(self) -> t.Optional[t.Dict[str, t.Any]]:
        """On the way down, what a deletion without wait left: the group's own subnet group, which ElastiCache deletes
        only once the group is gone. None on the way up (a new group takes it over) or when nothing is left."""
        if self.present(self.params) or not self.owns_subnet_group():
            return None
        subnets = self.subnet_group_ids(self.name)
        return None if subnets is None else {"name": self.name, "status": LEFT, "cache_subnet_group": self.name, "subnet_ids": subnets}

    def owns_subnet_group(self) -> bool:
        """Whether the subnet group is the group's own (made from subnet_ids, named after it), not one the task names."""
        return self.params.get("subnet_ids") is not None or not self.params.get("cache_subnet_group")

    def state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        primary = ((found.get("NodeGroups") or [{}])[0]).get("PrimaryEndpoint") or {}
        reader = ((found.get("NodeGroups") or [{}])[0]).get("ReaderEndpoint") or {}
        member = self.member_cluster(found)
        state: t.Dict[str, t.Any] = {
            "name": found["ReplicationGroupId"],
            "arn": found.get("ARN"),
            "status": found.get("Status"),
            "description": found.get("Description"),
            "engine": found.get("Engine") or "redis",
            "node_type": found.get("CacheNodeType"),
            "num_cache_clusters": len(found.get("MemberClusters") or []) or 1,
            "port": primary.get("Port") or self.params["port"],
            "primary_endpoint": primary.get("Address"),
            "reader_endpoint": reader.get("Address"),
            "at_rest_encryption": bool(found.get("AtRestEncryptionEnabled")),
            "transit_encryption": bool(found.get("TransitEncryptionEnabled")),
            "auth_token_enabled": bool(found.get("AuthTokenEnabled")),
            "kms_key_id": found.get("KmsKeyId"),
            "automatic_failover": found.get("AutomaticFailover") in ("enabled", "enabling"),
            "snapshot_retention_limit": found.get("SnapshotRetentionLimit"),
            "engine_version": member.get("EngineVersion") if member else None,
            "security_group_ids": sorted(group["SecurityGroupId"] for group in member.get("SecurityGroups") or []) if member else None,
            "cache_subnet_group": member.get("CacheSubnetGroupName") if member else self.params.get("cache_subnet_group") or self.name,
        }
        if self.params.get("subnet_ids") is not None:
            state["subnet_ids"] = self.subnet_group_ids(state["cache_subnet_group"])
        if (self.params.get("tags") is not None or self.params.get("auth_token")) and state["arn"]:
            tags = tags_to_dict(self.client("elasticache").list_tags_for_resource(ResourceName=state["arn"]).get("TagList"))
            digest = tags.pop(TOKEN_DIGEST_TAG, None)
            state["auth_token"] = digest if state["auth_token_enabled"] else None
            if self.params.get("tags") is not None:
                state["tags"] = tags
        return state

    def member_cluster(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The first cache cluster: the only place ElastiCache reports security groups, version and subnet group.

        Read only when the task manages one of those fields: one call.
        """
        members = found.get("MemberClusters") or []
        if not members or not any(self.params.get(field) is not None for field in MEMBER_FIELDS + ("cache_subnet_group",)):
            return {}
        try:
            return dict(self.client("elasticache").describe_cache_clusters(CacheClusterId=members[0])["CacheClusters"][0])
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "CacheClusterNotFound", "CacheClusterNotFoundFault"):
                return {}
            raise

    def subnet_group_ids(self, group: str) -> t.Optional[t.List[str]]:
        try:
            found = self.client("elasticache").describe_cache_subnet_groups(CacheSubnetGroupName=group)["CacheSubnetGroups"][0]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "CacheSubnetGroupNotFoundFault"):
                return None
            raise
        return sorted(subnet["SubnetIdentifier"] for subnet in found.get("Subnets") or [])

    def ensure_subnet_group(self, desired: t.Dict[str, t.Any]) -> None:
        """Create the group's own subnet group, or bring its subnets in line (a group named after the cache)."""
        if "subnet_ids" not in desired:
            return
        cache = self.client("elasticache")
        current = self.subnet_group_ids(desired["cache_subnet_group"])
        request = {"CacheSubnetGroupName": desired["cache_subnet_group"], "SubnetIds": desired["subnet_ids"]}
        if current is None:
            cache.create_cache_subnet_group(CacheSubnetGroupDescription="subnets of %s" % self.name, **request)
        elif current != desired["subnet_ids"]:
            cache.modify_cache_subnet_group(**request)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.ensure_subnet_group(desired)
        request: t.Dict[str, t.Any] = {
            "ReplicationGroupId": self.name, "ReplicationGroupDescription": desired.get("description") or "agno.infra %s" % self.name,
            "Engine": desired["engine"], "CacheNodeType": desired["node_type"], "NumCacheClusters": desired.get("num_cache_clusters") or 1,
            "Port": desired["port"], "CacheSubnetGroupName": desired["cache_subnet_group"],
            "AtRestEncryptionEnabled": desired["at_rest_encryption"], "TransitEncryptionEnabled": desired["transit_encryption"],
            "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        optional = (("engine_version", "EngineVersion"), ("kms_key_id", "KmsKeyId"), ("automatic_failover", "AutomaticFailoverEnabled"),
                    ("snapshot_retention_limit", "SnapshotRetentionLimit"), ("security_group_ids", "SecurityGroupIds"))
        request.update({key: desired[option] for option, key in optional if desired.get(option) is not None})
        if desired.get("auth_token"):
            request["AuthToken"] = desired["auth_token"]
            request["Tags"].append({"Key": TOKEN_DIGEST_TAG, "Value": token_digest(desired["auth_token"])})
        group = self.client("elasticache").create_replication_group(**request)["ReplicationGroup"]
        return self.state(group)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "subnet_ids" in changes:
            self.ensure_subnet_group(desired)
        for index, step in enumerate(self.modify_steps(current, changes)):
            if index:
                self.settle()  # ElastiCache refuses a second modification while the first is in progress
            step()
        self.update_tags(current["arn"], current, changes)
        if "auth_token" in changes:
            tagging.ELASTICACHE.sync(self.client("elasticache"), current["arn"], {}, {TOKEN_DIGEST_TAG: token_digest(changes["auth_token"])},
                                     False)

    def modify_steps(self, current: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.List[t.Callable[[], t.Any]]:
        """ModifyReplicationGroup and the replica count change, in an order ElastiCache accepts.

        Replicas are added before failover is turned on, and failover is turned off before the last replica goes.
        """
        cache = self.client("elasticache")
        request = {key: changes[option] for option, key in MODIFIABLE if option in changes}
        if "auth_token" in changes:
            # ROTATE, not SET: the tasks still running with the previous token keep working until they are redeployed.
            request.update(AuthToken=changes["auth_token"], AuthTokenUpdateStrategy="ROTATE")
        steps: t.List[t.Callable[[], t.Any]] = []
        if request:
            steps.append(lambda: cache.modify_replication_group(
                ReplicationGroupId=self.name, ApplyImmediately=self.params["apply_immediately"], **request))
        count = changes.get("num_cache_clusters")
        if count is not None:
            growing = count > current["num_cache_clusters"]
            resize = cache.increase_replica_count if growing else cache.decrease_replica_count
            steps.insert(0 if growing else len(steps),
                         lambda: resize(ReplicationGroupId=self.name, NewReplicaCount=count - 1, ApplyImmediately=True))
        return steps

    def settle(self) -> None:
        self.poll(lambda: (bool((self.read() or {}).get("status") in ("available", None)), None), self.wait_timeout,
                  lambda: "%s %s is still being modified after %d s; rerun later." % (self.kind, self.name, self.wait_timeout))

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        if current.get("status") == LEFT:
            self.delete_subnet_group()
            return
        request: t.Dict[str, t.Any] = {"ReplicationGroupId": self.name}
        if not self.params["skip_final_snapshot"]:
            request["FinalSnapshotIdentifier"] = self.params.get("final_snapshot_identifier") or final_snapshot_name(self.name)
        self.client("elasticache").delete_replication_group(**request)

    def await_deletion(self) -> None:
        """Then the group's own subnet group: ElastiCache refuses to delete it while the group is still being removed
        (without wait it stays)."""
        super().await_deletion()
        if self.owns_subnet_group():
            self.delete_subnet_group()

    def gone(self) -> bool:
        try:
            self.client("elasticache").describe_replication_groups(ReplicationGroupId=self.name)
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ReplicationGroupNotFoundFault"):
                return True
            raise
        return False

    def delete_subnet_group(self) -> None:
        try:
            self.client("elasticache").delete_cache_subnet_group(CacheSubnetGroupName=self.name)
        except Exception as error:  # pylint: disable=broad-except
            if not is_not_found(error, "CacheSubnetGroupNotFoundFault"):
                raise

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("status") == "available":
            return state

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.read()
            if latest and latest["status"] == "create-failed":
                raise ResourceError("%s %s failed to create: see its events in the ElastiCache console." % (self.kind, self.name))
            return bool(latest and latest["status"] == "available"), latest

        def late() -> str:
            return "%s %s is not available after %d s; rerun later." % (self.kind, self.name, timeout)

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, late))
