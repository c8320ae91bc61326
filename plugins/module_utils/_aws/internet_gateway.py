# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internet gateway as a lifecycle resource, known by its Name tag, with its VPC attachment."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, require_vpc, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import CREATE

# An attachment in any of these states still ties the gateway to its VPC.
ATTACHED_STATES = ("attaching", "attached", "available")


def attached_vpc(gateway: t.Dict[str, t.Any]) -> t.Optional[str]:
    """The VPC the gateway is attached to (EC2 reports a live attachment as "available"), or None."""
    return next((item["VpcId"] for item in gateway.get("Attachments") or [] if item.get("State") in ATTACHED_STATES), None)


class InternetGatewayResource(Ec2Resource):
    kind = "internet gateway"
    result_key = "internet_gateway"
    describe_call, result_list, id_key = "describe_internet_gateways", "InternetGateways", "InternetGatewayId"

    module_name = "aws_internet_gateway"
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        vpc_id={"type": "str"},
    )

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {}
        if self.params.get("vpc_id") is not None:
            # An empty string asks for a detached gateway.
            wanted["vpc_id"] = self.params["vpc_id"] or None
        wanted.update(self.desired_tag_field())
        return wanted

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {"id": found["InternetGatewayId"], "name": self.name, "vpc_id": attached_vpc(found), "tags": ec2_tags(found)}

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        # Only when attaching: one describe, so a wrong id fails before a detached gateway is left behind.
        vpc_id = self.params.get("vpc_id")
        if vpc_id and (action == CREATE or "vpc_id" in changes):
            require_vpc(self.client("ec2"), vpc_id, "internet gateway %s" % self.name)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        gateway = self.client("ec2").create_internet_gateway(
            TagSpecifications=tag_specifications("internet-gateway", self.all_tags()))["InternetGateway"]
        state = {"id": gateway["InternetGatewayId"], "name": self.name, "vpc_id": None, "tags": ec2_tags(gateway)}
        if desired.get("vpc_id"):
            self.attach(state, desired["vpc_id"])
        return state

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "vpc_id" in changes:
            self.detach(current)
            if changes["vpc_id"]:
                self.attach(current, changes["vpc_id"])
        self.update_tags(current["id"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.detach(current)  # AWS refuses to delete an attached gateway
        self.client("ec2").delete_internet_gateway(InternetGatewayId=current["id"])

    def attach(self, state: t.Dict[str, t.Any], vpc_id: str) -> None:
        self.client("ec2").attach_internet_gateway(InternetGatewayId=state["id"], VpcId=vpc_id)
        state["vpc_id"] = vpc_id

    def detach(self, state: t.Dict[str, t.Any]) -> None:
        if state.get("vpc_id"):
            self.client("ec2").detach_internet_gateway(InternetGatewayId=state["id"], VpcId=state["vpc_id"])
            state["vpc_id"] = None
