# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB subnet group as a lifecycle resource."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags
from ansible_collections.agno.infra.plugins.module_utils._aws.rds import RdsResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Pattern


class DbSubnetGroupResource(RdsResource):
    kind = "DB subnet group"
    locator = ("name",)
    result_key = "db_subnet_group"

    module_name = "aws_db_subnet_group"
    owned_kind = "rds:subgrp"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "description": {"type": "str"},
            "subnet_ids": {"type": "list", "elements": "str"},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["subnet_ids"])]}
    constraints = {"name": Pattern(r"(?!default$)[A-Za-z0-9._ -]{1,255}",
                                   "1 to 255 letters, digits, spaces and . _ - characters, other than default")}

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"subnet_ids": sorted(set(self.params["subnet_ids"]))}
        if self.params.get("description") is not None:
            wanted["description"] = self.params["description"]
        tags = desired_tags(self.params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = self.client("rds").describe_db_subnet_groups(DBSubnetGroupName=self.name)["DBSubnetGroups"][0]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "DBSubnetGroupNotFoundFault"):
                return None
            raise
        state = {
            "name": found["DBSubnetGroupName"],
            "arn": found.get("DBSubnetGroupArn"),
            "description": found.get("DBSubnetGroupDescription"),
            "vpc_id": found.get("VpcId"),
            "subnet_ids": sorted(subnet["SubnetIdentifier"] for subnet in found.get("Subnets") or []),
            "status": found.get("SubnetGroupStatus"),
        }
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags(state["arn"])
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.client("rds").create_db_subnet_group(
            DBSubnetGroupName=self.name, SubnetIds=desired["subnet_ids"],
            DBSubnetGroupDescription=desired.get("description") or "Managed by agno.infra: %s" % self.name,
            Tags=dict_to_tags(desired.get("tags") or {}))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "subnet_ids" in changes or "description" in changes:
            # RDS wants the full subnet list with every modification.
            request = {"DBSubnetGroupName": self.name, "SubnetIds": desired["subnet_ids"]}
            if "description" in changes:
                request["DBSubnetGroupDescription"] = changes["description"]
            self.client("rds").modify_db_subnet_group(**request)
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("rds").delete_db_subnet_group(DBSubnetGroupName=self.name)
