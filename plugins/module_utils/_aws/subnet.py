# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subnet as a lifecycle resource, known by its Name tag within its VPC."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    CIDR_BLOCK, NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, parse_cidr, require_vpc, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import CREATE, REPLACE, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec


class SubnetResource(Ec2Resource):
    module_name = "aws_subnet"
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        vpc_id={"type": "str", "required": True},
        cidr_block={"type": "str"},
        availability_zone={"type": "str"},
        map_public_ip={"type": "bool", "default": False},
        **wait_argument_spec(True),
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["cidr_block"])]}
    constraints = {"cidr_block": CIDR_BLOCK}
    kind = "subnet"
    result_key = "subnet"
    describe_call, result_list, id_key = "describe_subnets", "Subnets", "SubnetId"
    scope_filter = ("vpc-id", "vpc_id")
    locator = ("name", "vpc_id")
    replace_fields = ("cidr_block", "availability_zone")

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"cidr_block": str(parse_cidr(self.params["cidr_block"], "cidr_block")),
                                      "map_public_ip": self.params["map_public_ip"]}
        if self.params.get("availability_zone"):
            wanted["availability_zone"] = self.params["availability_zone"]
        wanted.update(self.desired_tag_field())
        return wanted

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {
            "id": found["SubnetId"],
            "name": self.name,
            "vpc_id": found["VpcId"],
            "cidr_block": found["CidrBlock"],
            "availability_zone": found["AvailabilityZone"],
            "map_public_ip": bool(found.get("MapPublicIpOnLaunch")),
            "available_ip_addresses": found.get("AvailableIpAddressCount"),
            "state": found.get("State"),
            "tags": ec2_tags(found),
        }

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        if action not in (CREATE, REPLACE):
            return
        # Only on creation: one describe of the VPC, to say clearly what AWS would refuse more vaguely.
        vpc = require_vpc(self.client("ec2"), self.params["vpc_id"], "subnet %s" % self.name)
        network = parse_cidr(self.params["cidr_block"], "cidr_block")
        ranges = [parse_cidr(block["CidrBlock"], "VPC CIDR") for block in vpc.get("CidrBlockAssociationSet") or []
                  if (block.get("CidrBlockState") or {}).get("State", "associated") == "associated"] or \
            [parse_cidr(vpc["CidrBlock"], "VPC CIDR")]
        if not any(network.subnet_of(vpc_range) for vpc_range in ranges):
            raise ResourceError("Subnet %s cidr_block %s is outside VPC %s (%s): pick a block inside the VPC's range."
                                % (self.name, network, self.params["vpc_id"], ", ".join(str(item) for item in ranges)))

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"VpcId": self.params["vpc_id"], "CidrBlock": desired["cidr_block"],
                                       "TagSpecifications": tag_specifications("subnet", self.all_tags())}
        if desired.get("availability_zone"):
            request["AvailabilityZone"] = desired["availability_zone"]
        subnet = self.client("ec2").create_subnet(**request)["Subnet"]
        if desired["map_public_ip"]:
            self.client("ec2").modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "map_public_ip" in changes:
            self.client("ec2").modify_subnet_attribute(SubnetId=current["id"],
                                                       MapPublicIpOnLaunch={"Value": changes["map_public_ip"]})
        self.update_tags(current["id"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ec2").delete_subnet(SubnetId=current["id"])
