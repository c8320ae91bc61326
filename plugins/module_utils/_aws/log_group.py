# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudWatch Logs log group as a lifecycle resource."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import OneOf, Pattern

RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                  3288, 3653]


def folder(name: str) -> str:
    """A log group name up to its last slash ("/ecs/app/" for /ecs/app/api); "" at the root, too wide to list."""
    return name[:name.rfind("/") + 1] if name.rfind("/") > 0 else ""


class LogGroupResource(AwsResource):
    kind = "log group"
    result_key = "log_group"
    tag_calls = tagging.LOGS
    # The argument spec has the retention choices too; declared here, a plan refuses them before any item converges.
    constraints = {
        "name": Pattern(r"[.\-_/#A-Za-z0-9]{1,512}", "1 to 512 letters, digits and . - _ / # characters"),
        "retention_days": OneOf(tuple([0] + RETENTION_DAYS)),
    }

    module_name = "aws_log_group"
    owned_kind = "logs:log-group"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """log-group:NAME, or log-group:NAME:* (the form of describe_log_groups)."""
        name = arn_kind(found)[1]
        return {"name": name[:-2] if name.endswith(":*") else name}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "retention_days": {"type": "int", "choices": [0] + RETENTION_DAYS},
            "kms_key_id": {"type": "str"},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    locator = ("name",)

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {}
        if params.get("retention_days") is not None:
            # 0 means "never expire", which CloudWatch reports as no retention at all.
            wanted["retention_days"] = params["retention_days"] or None
        if params.get("kms_key_id") is not None:
            wanted["kms_key_id"] = params["kms_key_id"] or None
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[LogGroupResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many log groups: one listing per folder of their names, a read each for the others."""
        found = {group["logGroupName"]: group for prefix in sorted({folder(resource.name) for resource in resources} - {""})
                 for group in resources[0].listed(prefix)}
        return [resource.state_in(found) if folder(resource.name) else resource.read() for resource in resources]

    def listed(self, prefix: str) -> t.Iterator[t.Dict[str, t.Any]]:
        """The log groups whose names start with ``prefix``, a page at a time."""
        for page in self.client("logs").get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            yield from page["logGroups"]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = next((group for group in self.listed(self.name) if group["logGroupName"] == self.name), None)
        return None if found is None else self.state_of(found)

    def state_in(self, listed: t.Dict[str, t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        """The state of this log group among those listed (by name), or None when it is not one of them."""
        return self.state_of(listed[self.name]) if self.name in listed else None

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        logs = self.client("logs")
        arn = found.get("logGroupArn") or found["arn"].rsplit(":*", 1)[0]
        state = {
            "name": found["logGroupName"],
            "arn": arn,
            "retention_days": found.get("retentionInDays"),
            "kms_key_id": found.get("kmsKeyId"),
            "stored_bytes": found.get("storedBytes", 0),
        }
        # Tags cost one more call: read them only when the task manages them.
        if self.params.get("tags") is not None:
            state["tags"] = logs.list_tags_for_resource(resourceArn=arn).get("tags", {})
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"logGroupName": self.name}
        if desired.get("kms_key_id"):
            request["kmsKeyId"] = desired["kms_key_id"]
        if desired.get("tags"):
            request["tags"] = desired["tags"]
        logs = self.client("logs")
        logs.create_log_group(**request)
        if desired.get("retention_days"):
            logs.put_retention_policy(logGroupName=self.name, retentionInDays=desired["retention_days"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        logs = self.client("logs")
        if "retention_days" in changes:
            if changes["retention_days"]:
                logs.put_retention_policy(logGroupName=self.name, retentionInDays=changes["retention_days"])
            else:
                logs.delete_retention_policy(logGroupName=self.name)
        if "kms_key_id" in changes:
            if changes["kms_key_id"]:
                logs.associate_kms_key(logGroupName=self.name, kmsKeyId=changes["kms_key_id"])
            else:
                logs.disassociate_kms_key(logGroupName=self.name)
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("logs").delete_log_group(logGroupName=self.name)
