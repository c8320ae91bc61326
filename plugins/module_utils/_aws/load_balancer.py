# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Application load balancer as a lifecycle resource: internal by default, invalid headers dropped."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import (
    ElbName, ElbResource, attribute_list, attribute_map, check_name, flag)
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, Range, Refusal, ResourceError, subset


def desired_attributes(params: t.Dict[str, t.Any]) -> t.Dict[str, str]:
    attributes = {"deletion_protection.enabled": flag(params["deletion_protection"]),
                  "routing.http.drop_invalid_header_fields.enabled": flag(params["drop_invalid_header_fields"])}
    if params.get("idle_timeout") is not None:
        attributes["idle_timeout.timeout_seconds"] = str(params["idle_timeout"])
    return attributes


class LoadBalancerResource(ElbResource):
    kind = "load balancer"
    locator = ("name",)
    result_key = "load_balancer"
    # A different scheme means a new load balancer (and a new DNS name).
    replace_fields = ("scheme",)
    # The task sets some attributes; AWS reports them all.
    compare = {"attributes": subset}
    refusals = (Refusal("Load balancer {name} has deletion protection: set deletion_protection: false first.", actions=(DELETE,),
                        blockers=lambda resource, current: current["attributes"].get("deletion_protection.enabled") == "true"),)

    module_name = "aws_load_balancer"
    owned_kind = "elasticloadbalancing:loadbalancer"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """loadbalancer/app/NAME/ID (deleting it deletes its listeners)."""
        return {"name": arn_kind(found)[1].split("/")[1]}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "scheme": {"type": "str", "default": "internal", "choices": ["internal", "internet-facing"]},
            "subnets": {"type": "list", "elements": "str"},
            "security_groups": {"type": "list", "elements": "str"},
            "ip_address_type": {"type": "str", "default": "ipv4", "choices": ["ipv4", "dualstack"]},
            "idle_timeout": {"type": "int"},
            "deletion_protection": {"type": "bool", "default": False},
            "drop_invalid_header_fields": {"type": "bool", "default": True},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 600},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["subnets"])]}
    constraints = {"name": ElbName("Load balancer"), "idle_timeout": Range(1, 4000)}

    def desired(self) -> t.Dict[str, t.Any]:
        check_name(self.name, "Load balancer")
        params = self.params
        if len(set(params["subnets"])) < 2:
            raise ResourceError("Load balancer %s needs subnets in at least two availability zones; it got %d."
                                % (self.name, len(set(params["subnets"]))))
        wanted: t.Dict[str, t.Any] = {"scheme": params["scheme"], "subnets": sorted(set(params["subnets"])),
                                      "ip_address_type": params["ip_address_type"], "attributes": desired_attributes(params)}
        if params.get("security_groups") is not None:
            wanted["security_groups"] = sorted(set(params["security_groups"]))
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.describe_by_name("describe_load_balancers", "LoadBalancers", "LoadBalancerNotFound")
        if found is None:
            return None
        elb = self.client("elbv2")
        state: t.Dict[str, t.Any] = {
            "name": found["LoadBalancerName"],
            "arn": found["LoadBalancerArn"],
            "dns_name": found.get("DNSName"),
            "hosted_zone_id": found.get("CanonicalHostedZoneId"),
            "scheme": found.get("Scheme"),
            "vpc_id": found.get("VpcId"),
            "state": (found.get("State") or {}).get("Code"),
            "subnets": sorted(zone["SubnetId"] for zone in found.get("AvailabilityZones") or []),
            "security_groups": sorted(found.get("SecurityGroups") or []),
            "ip_address_type": found.get("IpAddressType"),
            "attributes": attribute_map(elb.describe_load_balancer_attributes(LoadBalancerArn=found["LoadBalancerArn"])["Attributes"]),
        }
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags(state["arn"])
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"Name": self.name, "Subnets": desired["subnets"], "Scheme": desired["scheme"],
                                       "Type": "application", "IpAddressType": desired["ip_address_type"]}
        if desired.get("security_groups"):
            request["SecurityGroups"] = desired["security_groups"]
        if desired.get("tags"):
            request["Tags"] = dict_to_tags(desired["tags"])
        arn = self.client("elbv2").create_load_balancer(**request)["LoadBalancers"][0]["LoadBalancerArn"]
        self.client("elbv2").modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=attribute_list(desired["attributes"]))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        elb = self.client("elbv2")
        if "subnets" in changes:
            elb.set_subnets(LoadBalancerArn=current["arn"], Subnets=changes["subnets"])
        if "security_groups" in changes:
            elb.set_security_groups(LoadBalancerArn=current["arn"], SecurityGroups=changes["security_groups"])
        if "ip_address_type" in changes:
            elb.set_ip_address_type(LoadBalancerArn=current["arn"], IpAddressType=changes["ip_address_type"])
        if "attributes" in changes:
            elb.modify_load_balancer_attributes(LoadBalancerArn=current["arn"], Attributes=attribute_list(changes["attributes"]))
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("elbv2").delete_load_balancer(LoadBalancerArn=current["arn"])

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("state") == "active":
            return state

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.read()
            return bool(latest and latest.get("state") == "active"), latest

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, lambda: "Load balancer %s is not active after %d s." % (self.name, timeout),
                                                    interval=10))
