# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ELBv2 target group as a lifecycle resource: health check, stickiness and deregistration delay."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import ElbResource, attribute_list, attribute_map, check_name, flag

HEALTH_KEYS = (("path", "HealthCheckPath"), ("protocol", "HealthCheckProtocol"), ("port", "HealthCheckPort"),
               ("interval", "HealthCheckIntervalSeconds"), ("timeout", "HealthCheckTimeoutSeconds"),
               ("healthy_threshold", "HealthyThresholdCount"), ("unhealthy_threshold", "UnhealthyThresholdCount"))


def desired_health_check(spec: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    check = {key: spec[option] for option, key in HEALTH_KEYS if spec.get(option) is not None}
    if spec.get("matcher"):
        check["Matcher"] = {"HttpCode": spec["matcher"]}
    return check


def desired_attributes(params: t.Dict[str, t.Any]) -> t.Dict[str, str]:
    attributes: t.Dict[str, str] = {}
    if params.get("stickiness") is not None:
        attributes["stickiness.enabled"] = flag(params["stickiness"]["enabled"])
        if params["stickiness"]["enabled"]:
            attributes["stickiness.type"] = "lb_cookie"
            attributes["stickiness.lb_cookie.duration_seconds"] = str(params["stickiness"]["duration"])
    if params.get("deregistration_delay") is not None:
        attributes["deregistration_delay.timeout_seconds"] = str(params["deregistration_delay"])
    return attributes


class TargetGroupResource(ElbResource):
    kind = "target group"
    result_key = "target_group"
    replace_fields = ("protocol", "port", "vpc_id", "target_type")
    partial_fields = ("health_check", "attributes")

    module_name = "aws_target_group"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "protocol": {"type": "str", "default": "HTTP", "choices": ["HTTP", "HTTPS"]},
            "port": {"type": "int"},
            "vpc_id": {"type": "str"},
            "target_type": {"type": "str", "default": "ip", "choices": ["ip", "instance", "lambda"]},
            "health_check": {"type": "dict", "options": {
                "path": {"type": "str"},
                "protocol": {"type": "str", "choices": ["HTTP", "HTTPS"]},
                "port": {"type": "str"},
                "interval": {"type": "int"},
                "timeout": {"type": "int"},
                "healthy_threshold": {"type": "int"},
                "unhealthy_threshold": {"type": "int"},
                "matcher": {"type": "str"},
            }},
            "stickiness": {"type": "dict", "options": {
                "enabled": {"type": "bool", "default": True},
                "duration": {"type": "int", "default": 86400},
            }},
            "deregistration_delay": {"type": "int"},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["port", "vpc_id"])]}

    def desired(self) -> t.Dict[str, t.Any]:
        check_name(self.name, "Target group")
        params = self.params
        wanted: t.Dict[str, t.Any] = {"protocol": params["protocol"], "port": params["port"], "vpc_id": params["vpc_id"],
                                      "target_type": params["target_type"]}
        if params.get("health_check"):
            wanted["health_check"] = desired_health_check(params["health_check"])
        attributes = desired_attributes(params)
        if attributes:
            wanted["attributes"] = attributes
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.describe_by_name("describe_target_groups", "TargetGroups", "TargetGroupNotFound")
        if found is None:
            return None
        elb = self.client("elbv2")
        state: t.Dict[str, t.Any] = {
            "name": found["TargetGroupName"],
            "arn": found["TargetGroupArn"],
            "protocol": found.get("Protocol"),
            "port": found.get("Port"),
            "vpc_id": found.get("VpcId"),
            "target_type": found.get("TargetType"),
            "health_check": dict({key: found.get(key) for _option, key in HEALTH_KEYS},
                                 Matcher=found.get("Matcher")),
            "load_balancer_arns": found.get("LoadBalancerArns") or [],
        }
        # Attributes and tags cost a call each: read them only when the task manages them.
        if desired_attributes(self.params):
            state["attributes"] = attribute_map(elb.describe_target_group_attributes(TargetGroupArn=state["arn"])["Attributes"])
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags(state["arn"])
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request = dict({"Name": self.name, "Protocol": desired["protocol"], "Port": desired["port"], "VpcId": desired["vpc_id"],
                        "TargetType": desired["target_type"]}, **desired.get("health_check", {}))
        if desired.get("tags"):
            request["Tags"] = dict_to_tags(desired["tags"])
        arn = self.client("elbv2").create_target_group(**request)["TargetGroups"][0]["TargetGroupArn"]
        if desired.get("attributes"):
            self.client("elbv2").modify_target_group_attributes(TargetGroupArn=arn, Attributes=attribute_list(desired["attributes"]))
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        elb = self.client("elbv2")
        if "health_check" in changes:
            elb.modify_target_group(TargetGroupArn=current["arn"], **changes["health_check"])
        if "attributes" in changes:
            elb.modify_target_group_attributes(TargetGroupArn=current["arn"], Attributes=attribute_list(changes["attributes"]))
        if "tags" in changes:
            self.sync_tags(current["arn"], current.get("tags") or {}, changes["tags"])
        return t.cast(t.Dict[str, t.Any], self.read())

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("elbv2").delete_target_group(TargetGroupArn=current["arn"])
