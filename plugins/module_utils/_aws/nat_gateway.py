# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAT gateway as a lifecycle resource, known by its Name tag; it allocates (and later releases) its own Elastic IP."""

from __future__ import annotations

import typing as t
import uuid

from ansible_collections.agno.infra.plugins.module_utils._aws.client import error_code
from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, fixed_id, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec

#: Tag on the Elastic IPs the module allocates itself: only those are released with the gateway.
OWNER_TAG = "agno.infra/nat-gateway"


class NatGatewayResource(Ec2Resource):
    kind = "NAT gateway"
    result_key = "nat_gateway"
    describe_call, result_list, id_key, filter_arg = "describe_nat_gateways", "NatGateways", "NatGatewayId", "Filter"
    # Deleted and failed gateways linger in the API for a while; they are not this gateway any more.
    live_states = ("state", ["pending", "available"])
    replace_fields = ("subnet_id", "connectivity_type", "allocation_id")
    refusals = (fixed_id("routes point at the gateway's id"),)
    # A deleted gateway is "deleting" for a minute or so, and holds its Elastic IP until it is "deleted".
    deletes_slowly = True
    poll_interval = 5.0
    #: The id of the gateway delete() removed, which gone() follows.
    deleting: t.Optional[str] = None

    module_name = "aws_nat_gateway"
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        subnet_id={"type": "str"},
        connectivity_type={"type": "str", "default": "public", "choices": ["public", "private"]},
        allocation_id={"type": "str"},
        **wait_argument_spec(True, 600),
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["subnet_id"])]}

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"subnet_id": self.params["subnet_id"], "connectivity_type": self.params["connectivity_type"]}
        if self.params.get("allocation_id"):
            if self.params["connectivity_type"] == "private":
                raise ResourceError("NAT gateway %s is private and cannot use Elastic IP %s: drop allocation_id, or set "
                                    "connectivity_type to public." % (self.name, self.params["allocation_id"]))
            wanted["allocation_id"] = self.params["allocation_id"]
        wanted.update(self.desired_tag_field())
        return wanted

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        address = next(iter(found.get("NatGatewayAddresses") or []), {})
        return {
            "id": found["NatGatewayId"],
            "name": self.name,
            "subnet_id": found["SubnetId"],
            "vpc_id": found.get("VpcId"),
            "connectivity_type": found.get("ConnectivityType") or "public",
            "allocation_id": address.get("AllocationId"),
            "public_ip": address.get("PublicIp"),
            "private_ip": address.get("PrivateIp"),
            "state": found["State"],
            "tags": ec2_tags(found),
        }

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        # One token per creation: a retried request (lost answer, throttling) returns the same gateway, not a second one.
        request: t.Dict[str, t.Any] = {"SubnetId": desired["subnet_id"], "ConnectivityType": desired["connectivity_type"],
                                       "ClientToken": str(uuid.uuid4()),
                                       "TagSpecifications": tag_specifications("natgateway", self.all_tags())}
        if desired["connectivity_type"] == "public":
            request["AllocationId"] = desired.get("allocation_id") or self.own_address()
        return self.state_of(self.client("ec2").create_nat_gateway(**request)["NatGateway"])

    def own_address(self) -> str:
        """An Elastic IP for the gateway: one left unused by an earlier failed run, or a new one tagged as ours."""
        ec2 = self.client("ec2")
        ours = ec2.describe_addresses(Filters=[{"Name": "tag:" + OWNER_TAG, "Values": [self.name]}])["Addresses"]
        unused = [address for address in ours if not address.get("AssociationId")]
        if unused:
            return str(unused[0]["AllocationId"])
        tags = {"Name": self.name, OWNER_TAG: self.name}
        return str(ec2.allocate_address(Domain="vpc", TagSpecifications=tag_specifications("elastic-ip", tags))["AllocationId"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        # Only tags can change in place; the refusal stopped every other difference.
        self.update_tags(current["id"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        ec2 = self.client("ec2")
        owned = self.owned_allocation(current)
        ec2.delete_nat_gateway(NatGatewayId=current["id"])
        self.deleting = current["id"]
        if owned:
            # AWS frees the address only once the gateway is gone: releasing it means waiting, with wait or without.
            self.await_deletion()
            self.retry(lambda: ec2.release_address(AllocationId=owned),
                       lambda error: error_code(error) == "InvalidIPAddress.InUse")

    def gone(self) -> bool:
        # By id: a deleting gateway is not live any more, so the lookup by name no longer finds it.
        found = self.client("ec2").describe_nat_gateways(NatGatewayIds=[self.deleting])["NatGateways"]
        return not found or found[0]["State"] == "deleted"

    def owned_allocation(self, current: t.Dict[str, t.Any]) -> t.Optional[str]:
        """The gateway's Elastic IP when this module allocated it (and so must release it), else None."""
        if not current.get("allocation_id"):
            return None
        addresses = self.client("ec2").describe_addresses(AllocationIds=[current["allocation_id"]])["Addresses"]
        owned = any(ec2_tags(address).get(OWNER_TAG) == self.name for address in addresses)
        return t.cast(str, current["allocation_id"]) if owned else None

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("state") == "available":
            return state
        gateway_id = state["id"]

        def check() -> t.Tuple[bool, t.Dict[str, t.Any]]:
            gateway = self.client("ec2").describe_nat_gateways(NatGatewayIds=[gateway_id])["NatGateways"][0]
            if gateway["State"] == "failed":
                raise ResourceError("NAT gateway %s (%s) failed: %s; fix the cause, delete it (state=absent) and run "
                                    "again." % (self.name, gateway_id, gateway.get("FailureMessage") or "no reason given"))
            return gateway["State"] == "available", gateway

        def describe() -> str:
            return "NAT gateway %s (%s) is not available after %d s; raise wait_timeout." % (self.name, gateway_id, timeout)

        return self.state_of(self.poll(check, timeout, describe))
