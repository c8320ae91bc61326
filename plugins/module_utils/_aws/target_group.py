# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ELBv2 target group as a lifecycle resource: health check, stickiness and deregistration delay."""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import (
    ElbName, ElbResource, attribute_list, attribute_map, check_name, flag)
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import PORT, Constraint, Pattern, Range, Refusal, subset

HEALTH_KEYS = (("path", "HealthCheckPath"), ("protocol", "HealthCheckProtocol"), ("port", "HealthCheckPort"),
               ("interval", "HealthCheckIntervalSeconds"), ("timeout", "HealthCheckTimeoutSeconds"),
               ("healthy_threshold", "HealthyThresholdCount"), ("unhealthy_threshold", "UnhealthyThresholdCount"))
# The codes ELBv2 takes as healthy from an HTTP or HTTPS check: 200 to 499, alone, as ranges, in a list.
HTTP_CODE = "[234][0-9]{2}"
MATCHER = Pattern("{code}(-{code})?(,{code}(-{code})?)*".format(code=HTTP_CODE),
                  "HTTP codes from 200 to 499, such as 200, 200,302 or 200-399")


@dataclasses.dataclass(frozen=True)
class HealthPort(Constraint):
    """The health check's port: traffic-port (the targets' own) or a port number, as a string."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        if value == "traffic-port":
            return None
        if str(value).isdigit():
            return PORT.problem(option, int(value))
        return "%s is %r: use traffic-port or a port from 1 to 65535." % (option, value)


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


def load_balancers_using(resource: t.Any, current: t.Dict[str, t.Any]) -> t.List[str]:
    """The load balancers that forward to the target group (by name): ELB refuses to delete it while one does."""
    return ["load balancer %s" % arn.rsplit("/", 2)[-2] for arn in current.get("load_balancer_arns") or []]


class TargetGroupResource(ElbResource):
    kind = "target group"
    result_key = "target_group"
    replace_fields = ("protocol", "port", "vpc_id", "target_type")
    refusals = (Refusal("{kind} {name} has {wants}, which ELB cannot change, and is in use by {blockers}: keep the current "
                        "value, or give the app a new name (its new target group is made beside this one, which is removed "
                        "once nothing uses it).", blockers=load_balancers_using),)
    # Of the health check and the attributes the task sets some keys; AWS reports them all.
    compare = {"health_check": subset, "attributes": subset}

    module_name = "aws_target_group"
    owned_kind = "elasticloadbalancing:targetgroup"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """targetgroup/NAME/ID."""
        return {"name": arn_kind(found)[1].split("/")[0]}
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
    constraints = {
        "name": ElbName("Target group"),
        # botocore itself refuses a port below 1 before sending anything; the top of the range is checked here.
        "port": Range(high=65535),
        "health_check.path": Pattern("/.{0,1023}", "a path that starts with / (at most 1024 characters)"),
        "health_check.port": HealthPort(),
        "health_check.interval": Range(5, 300),
        "health_check.timeout": Range(2, 120),
        "health_check.healthy_threshold": Range(2, 10),
        "health_check.unhealthy_threshold": Range(2, 10),
        "health_check.matcher": MATCHER,
        "stickiness.duration": Range(1, 604800),
        "deregistration_delay": Range(0, 3600),
    }
    locator = ("name",)

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

    @classmethod
    def read_batch(cls, resources: t.List[TargetGroupResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many target groups: one describe for all, one for the tags the tasks manage."""
        found = resources[0].describe_by_names("describe_target_groups", "TargetGroups", "TargetGroupNotFound",
                                               [resource.name for resource in resources])
        if found is None:
            return [resource.read() for resource in resources]  # one of them is missing: each reads alone
        by_name = {group["TargetGroupName"]: group for group in found}
        tags = resources[0].tags_of([by_name[resource.name]["TargetGroupArn"] for resource in resources if resource.manages_tags])
        return [resource.state_of(by_name[resource.name], tags) for resource in resources]

    @property
    def manages_tags(self) -> bool:
        return self.params.get("tags") is not None

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.describe_by_name("describe_target_groups", "TargetGroups", "TargetGroupNotFound")
        if found is None:
            return None
        return self.state_of(found, self.tags_of([found["TargetGroupArn"]] if self.manages_tags else []))

    def state_of(self, found: t.Dict[str, t.Any], tags: t.Dict[str, t.Dict[str, str]]) -> t.Dict[str, t.Any]:
        """The state of the target group a describe returned, its tags among ``tags`` (by ARN)."""
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
        if self.manages_tags:
            state["tags"] = tags.get(state["arn"], {})
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request = dict({"Name": self.name, "Protocol": desired["protocol"], "Port": desired["port"], "VpcId": desired["vpc_id"],
                        "TargetType": desired["target_type"]}, **desired.get("health_check", {}))
        if desired.get("tags"):
            request["Tags"] = dict_to_tags(desired["tags"])
        arn = self.client("elbv2").create_target_group(**request)["TargetGroups"][0]["TargetGroupArn"]
        if desired.get("attributes"):
            self.client("elbv2").modify_target_group_attributes(TargetGroupArn=arn, Attributes=attribute_list(desired["attributes"]))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        elb = self.client("elbv2")
        if "health_check" in changes:
            elb.modify_target_group(TargetGroupArn=current["arn"], **changes["health_check"])
        if "attributes" in changes:
            elb.modify_target_group_attributes(TargetGroupArn=current["arn"], Attributes=attribute_list(changes["attributes"]))
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("elbv2").delete_target_group(TargetGroupArn=current["arn"])
