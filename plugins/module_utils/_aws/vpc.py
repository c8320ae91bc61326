# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC as a lifecycle resource, known by its Name tag."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    CIDR_BLOCK, NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, fixed_id, parse_cidr, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec

DNS_ATTRIBUTES = (("enable_dns_support", "enableDnsSupport", "EnableDnsSupport"),
                  ("enable_dns_hostnames", "enableDnsHostnames", "EnableDnsHostnames"))


class VpcResource(Ec2Resource):
    module_name = "aws_vpc"
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        cidr_block={"type": "str"},
        enable_dns_support={"type": "bool", "default": True},
        enable_dns_hostnames={"type": "bool", "default": True},
        instance_tenancy={"type": "str", "choices": ["default", "dedicated"]},
        **wait_argument_spec(True),
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["cidr_block"])]}
    constraints = {"cidr_block": CIDR_BLOCK}
    kind = "VPC"
    result_key = "vpc"
    describe_call, result_list, id_key = "describe_vpcs", "Vpcs", "VpcId"
    replace_fields = ("cidr_block", "instance_tenancy")
    refusals = (fixed_id("replacing a VPC means deleting everything in it"),)

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"cidr_block": str(parse_cidr(self.params["cidr_block"], "cidr_block"))}
        for field, _attribute, _key in DNS_ATTRIBUTES:
            wanted[field] = self.params[field]
        if self.params.get("instance_tenancy"):
            wanted["instance_tenancy"] = self.params["instance_tenancy"]
        wanted.update(self.desired_tag_field())
        return wanted

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        ec2 = self.client("ec2")
        state = {
            "id": found["VpcId"],
            "name": self.name,
            "cidr_block": found["CidrBlock"],
            "state": found.get("State"),
            "instance_tenancy": found.get("InstanceTenancy"),
            "is_default": found.get("IsDefault", False),
            "tags": ec2_tags(found),
        }
        for field, attribute, key in DNS_ATTRIBUTES:
            state[field] = ec2.describe_vpc_attribute(VpcId=found["VpcId"], Attribute=attribute)[key]["Value"]
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        request: t.Dict[str, t.Any] = {"CidrBlock": desired["cidr_block"],
                                       "TagSpecifications": tag_specifications("vpc", self.all_tags())}
        if desired.get("instance_tenancy"):
            request["InstanceTenancy"] = desired["instance_tenancy"]
        vpc_id = self.client("ec2").create_vpc(**request)["Vpc"]["VpcId"]
        self.client("ec2").get_waiter("vpc_available").wait(VpcIds=[vpc_id])
        # The DNS attributes cannot be given at creation: set the ones that differ from AWS's defaults.
        return self.complete(t.cast(t.Dict[str, t.Any], self.read()), desired, [field for field, _attribute, _key in DNS_ATTRIBUTES])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        ec2 = self.client("ec2")
        for field, _attribute, key in DNS_ATTRIBUTES:
            if field in changes:  # EC2 takes one attribute per call
                ec2.modify_vpc_attribute(VpcId=current["id"], **{key: {"Value": changes[field]}})
        self.update_tags(current["id"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ec2").delete_vpc(VpcId=current["id"])
