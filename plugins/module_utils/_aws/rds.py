# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What RDS resources share: tags by ARN, final snapshot names, and the lifecycle of a database.

DB instances and Aurora clusters differ only in their API names and settings tables; how they are
compared, modified in one call, protected from replacement, snapshotted on delete and waited for
lives here once.
"""

from __future__ import annotations

import datetime
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import NamedResource
from ansible_collections.agno.infra.plugins.module_utils._aws.client import is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    DELETE, Compare, Constraint, Pattern, Range, Refusal, ResourceError)

ENGINES = ("postgres", "mysql", "mariadb", "aurora-postgresql", "aurora-mysql", "oracle-ee", "oracle-ee-cdb", "oracle-se2",
           "oracle-se2-cdb", "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web", "db2-se", "db2-ae")
READY = "available"
FAILED_STATUSES = ("failed", "incompatible-parameters", "incompatible-network", "storage-full",
                   "inaccessible-encryption-credentials")
# Options of every database, instance or cluster; each module adds its own.
DATABASE_OPTIONS: t.Dict[str, t.Any] = {
    "identifier": {"type": "str", "required": True, "aliases": ["name"]},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "engine_version": {"type": "str"},
    "db_name": {"type": "str"},
    "master_username": {"type": "str"},
    "master_user_password": {"type": "str", "no_log": True},
    "manage_master_user_password": {"type": "bool", "no_log": False},
    "update_password": {"type": "str", "default": "on_create", "choices": ["on_create", "always"], "no_log": False},
    "db_subnet_group": {"type": "str"},
    "vpc_security_group_ids": {"type": "list", "elements": "str"},
    "port": {"type": "int"},
    "backup_retention_period": {"type": "int"},
    "preferred_backup_window": {"type": "str"},
    "deletion_protection": {"type": "bool"},
    "storage_encrypted": {"type": "bool", "default": True},
    "kms_key_id": {"type": "str", "no_log": False},
    "apply_immediately": {"type": "bool", "default": True},
    "skip_final_snapshot": {"type": "bool", "default": False},
    "final_snapshot_identifier": {"type": "str"},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 1800},
}
# (option, key in Modify*) for settings every database modifies the same way.
ACCESS_SETTINGS = (("vpc_security_group_ids", "VpcSecurityGroupIds"), ("master_user_password", "MasterUserPassword"),
                   ("manage_master_user_password", "ManageMasterUserPassword"))


def final_snapshot_name(identifier: str, now: t.Optional[datetime.datetime] = None) -> str:
    """<identifier>-final-YYYYmmddHHMMSS, within RDS's 255-character limit."""
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%d%H%M%S")
    return ("%s-final-%s" % (identifier, stamp))[-255:]


# Identifiers of instances, clusters and snapshots: a letter first, then letters, digits and single hyphens.
IDENTIFIER = r"[A-Za-z](?!.*--)[A-Za-z0-9-]{0,%d}(?<!-)"
IDENTIFIER_RULE = "letters, digits and hyphens, starting with a letter, without two hyphens in a row or one at the end"
DATABASE_CONSTRAINTS: t.Dict[str, Constraint] = {
    "identifier": Pattern(IDENTIFIER % 62, "1 to 63 " + IDENTIFIER_RULE),
    "final_snapshot_identifier": Pattern(IDENTIFIER % 254, "1 to 255 " + IDENTIFIER_RULE),
    "port": Range(1150, 65535),
    "backup_retention_period": Range(0, 35),
    "preferred_backup_window": Pattern(r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]",
                                       "a UTC window such as 03:00-03:30 (hh24:mi-hh24:mi)"),
}


def engine_version_matches(current: t.Any, desired: t.Any) -> bool:
    """"15" asks for any 15.x: RDS reports the full version it runs."""
    return bool(current == desired or str(current).startswith(str(desired) + "."))


def version_differs(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """The engine_version comparison: a prefix of the running version is no difference."""
    return not engine_version_matches(current, desired)


def never_readable(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """The password comparison: RDS never shows it, so update_password: always sends it on every run."""
    return True


def password_request(identifier: str, kind: str, params: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The password part of a Create* request: RDS-managed, or the task's own; refused when there is neither."""
    if params.get("manage_master_user_password"):
        return {"ManageMasterUserPassword": True}
    if params.get("master_user_password"):
        return {"MasterUserPassword": params["master_user_password"]}
    raise ResourceError("%s %s does not exist and has no password: set master_user_password (kept out of logs) or "
                        "manage_master_user_password: true." % (kind, identifier))


class RdsResource(NamedResource):
    """An RDS object whose tags are managed through its ARN."""

    tag_calls = tagging.RDS

    def read_tags(self, arn: str) -> t.Dict[str, str]:
        return tags_to_dict(self.client("rds").list_tags_for_resource(ResourceName=arn).get("TagList"))


class RdsDatabase(RdsResource):
    """A DB instance or cluster: never replaced, modified in one call, snapshot on delete.

    A subclass names its API (`api_name`, such as DBInstance), its `settings` table of (option,
    key in Describe*, key in Create*/Modify*), and how to read
    its description into a state (`state`) and to create it (`create`). Its `replace_fields` are
    the settings RDS cannot change: a difference there is refused, never solved by replacing data.
    """

    name_option = "identifier"
    secret_fields = ("master_user_password",)
    compare: t.Dict[str, Compare] = {"master_user_password": never_readable, "engine_version": version_differs}
    constraints = DATABASE_CONSTRAINTS
    refusals = (
        Refusal("{kind} {name} has {wants}, which RDS cannot change, and agno.infra never replaces a database: keep the "
                "current values, or migrate the data to a new one."),
        # Lifted by the task itself: deletion_protection: false turns it off just before the deletion.
        Refusal("{kind} {name} has deletion protection: set deletion_protection: false in this task (it is lifted, then "
                "the database deleted) or turn it off first.", actions=(DELETE,), unless=("deletion_protection", False),
                blockers=lambda resource, current: current.get("deletion_protection")),
    )
    deletes_slowly = True
    poll_interval = 10.0
    # RDS never shows the password: a refresh (the secret holding it changed) sends it.
    refresh = {"update_password": "always"}
    locator = ("identifier",)
    api_name = ""
    settings: t.Tuple[t.Tuple[str, str, str], ...] = ()
    not_found_codes: t.Tuple[str, ...] = ()

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return True

    @property
    def identifier_key(self) -> str:
        return "%sIdentifier" % self.api_name

    def snake(self, verb: str) -> str:
        """The boto3 method for verb on this API: describe + DBCluster gives describe_db_clusters."""
        plural = "s" if verb == "describe" else ""
        return "%s_%s%s" % (verb, self.api_name.replace("DB", "db_").lower(), plural)

    def common_desired(self, options: t.Iterable[str]) -> t.Dict[str, t.Any]:
        """The options the task sets, the settings table's included, with security groups as a sorted set."""
        params = self.params
        wanted = {field: params[field] for field in tuple(options) + tuple(option for option, _read, _write in self.settings)
                  if params.get(field) is not None}
        if params.get("vpc_security_group_ids") is not None:
            wanted["vpc_security_group_ids"] = sorted(set(params["vpc_security_group_ids"]))
        if params.get("master_user_password") is not None and params["update_password"] == "always":
            wanted["master_user_password"] = params["master_user_password"]
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = getattr(self.client("rds"), self.snake("describe"))(**{self.identifier_key: self.name})
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, *self.not_found_codes):
                return None
            raise
        return self.state(found["%ss" % self.api_name][0])

    def state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise NotImplementedError

    def settings_state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {option: found.get(key) for option, key, _write in self.settings}

    def settings_request(self, values: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {key: values[option] for option, _read, key in self.settings if values.get(option) is not None}

    def modify_request(self, changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Every changed setting in one Modify* request; empty when only tags changed."""
        request = self.settings_request(changes)
        request.update({key: changes[option] for option, key in ACCESS_SETTINGS if option in changes})
        return request

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        request = self.modify_request(changes)
        if request:
            request.update({self.identifier_key: self.name, "ApplyImmediately": self.params["apply_immediately"]})
            if "engine_version" in changes:
                request["AllowMajorVersionUpgrade"] = True
            getattr(self.client("rds"), self.snake("modify"))(**request)
        self.update_tags(current["arn"], current, changes)

    def skips_snapshot(self, current: t.Dict[str, t.Any]) -> bool:
        return bool(self.params["skip_final_snapshot"])

    def delete_request(self, current: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {self.identifier_key: self.name}
        if self.skips_snapshot(current):
            request["SkipFinalSnapshot"] = True
        else:
            request["FinalDBSnapshotIdentifier"] = self.params.get("final_snapshot_identifier") or final_snapshot_name(self.name)
        return request

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        rds = self.client("rds")
        if current.get("deletion_protection"):
            # The refusal let this through: the task itself set deletion_protection: false.
            getattr(rds, self.snake("modify"))(**{self.identifier_key: self.name, "DeletionProtection": False, "ApplyImmediately": True})
        getattr(rds, self.snake("delete"))(**self.delete_request(current))

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("status") == READY:
            return state

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.read()
            if latest and latest["status"] in FAILED_STATUSES:
                raise ResourceError("%s %s is in status %s: see its events in the RDS console." % (self.kind, self.name, latest["status"]))
            return bool(latest and latest["status"] == READY), latest

        def late() -> str:
            return "%s %s is not available after %d s; it may still become so: rerun later." % (self.kind, self.name, timeout)

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, late, interval=15))
