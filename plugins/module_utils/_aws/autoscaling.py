# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Target-tracking auto scaling of an ECS service (Application Auto Scaling), as a lifecycle resource.

One scalable target (the service's desired count between two bounds) and one target-tracking policy per
metric the task gives, named ``<service>-cpu``, ``<service>-memory`` and ``<service>-requests``. Policies of
those names whose metric the task no longer gives are deleted; policies of other names are left alone.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, error_code, error_message
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    REFERENCE_TEXT, Constraint, Range, ResourceError, number)


NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"
# Policy suffix -> (option that sets its target, predefined metric of Application Auto Scaling).
METRICS = {
    "cpu": ("target_cpu", "ECSServiceAverageCPUUtilization"),
    "memory": ("target_memory", "ECSServiceAverageMemoryUtilization"),
    "requests": ("target_requests_per_target", "ALBRequestCountPerTarget"),
}
# The parts of the ARNs that make an ALB request-count resource label: app/NAME/ID and targetgroup/NAME/ID.
LOAD_BALANCER_ARN = re.compile(r"^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:loadbalancer/(app/[^/]+/[^/]+)$")
TARGET_GROUP_ARN = re.compile(r"^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(targetgroup/[^/]+/[^/]+)$")
MAX_COOLDOWN = 86400


def format_number(value: float) -> str:
    return ("%g" % value) if value != int(value) else str(int(value))


@dataclasses.dataclass(frozen=True)
class Amount(Constraint):
    """A number above ``low`` (from it, when ``inclusive``) and at most ``high``, said as what the option counts."""

    low: float
    high: t.Optional[float]
    wanted: str
    inclusive: bool = False

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        found = number(value)
        if found is None or ((found >= self.low if self.inclusive else found > self.low) and (self.high is None or found <= self.high)):
            return None
        return "%s is %s: use %s." % (option, format_number(found), self.wanted)


PERCENT = Amount(0, 100, "a percentage above 0 and at most 100")
COOLDOWN = Amount(0, MAX_COOLDOWN, "0 to %d seconds" % MAX_COOLDOWN, inclusive=True)


def capacity_problem(params: t.Dict[str, t.Any]) -> t.Optional[str]:
    if params.get("min_capacity") is None or params.get("max_capacity") is None:
        return "min_capacity and max_capacity are required with state present: set both."
    low, high = number(params["min_capacity"]), number(params["max_capacity"])
    if low is not None and high is not None and high < low:
        return "max_capacity %s is below min_capacity %s: raise max_capacity or lower min_capacity." % (
            format_number(high), format_number(low))
    return None


def label_problem(params: t.Dict[str, t.Any]) -> t.Optional[str]:
    given = params.get("target_requests_per_target") is not None
    group, balancer = params.get("target_group_arn"), params.get("load_balancer_arn")
    if given and not (group and balancer):
        return "target_requests_per_target needs target_group_arn and load_balancer_arn: set both."
    if not given or REFERENCE_TEXT.search("%s %s" % (group, balancer)):
        return None  # an ARN from another item of a plan is checked once it resolves
    if not LOAD_BALANCER_ARN.match(balancer):
        return ("load_balancer_arn %r is not an application load balancer ARN (one ending in loadbalancer/app/NAME/ID): "
                "use the ALB's ARN." % balancer)
    if not TARGET_GROUP_ARN.match(group):
        return "target_group_arn %r is not a target group ARN (one ending in targetgroup/NAME/ID): use the target group's ARN." % group
    return None


def resource_label(load_balancer_arn: str, target_group_arn: str) -> str:
    """The ALBRequestCountPerTarget label: app/LB/ID/targetgroup/TG/ID."""
    balancer = LOAD_BALANCER_ARN.match(load_balancer_arn)
    group = TARGET_GROUP_ARN.match(target_group_arn)
    if not balancer or not group:
        raise ValueError("not a load balancer and target group ARN pair")
    return "%s/%s" % (balancer.group(1), group.group(1))


def policy_names(service: str) -> t.Dict[str, str]:
    """Policy name -> metric suffix, for every policy this module may manage."""
    return {"%s-%s" % (service, suffix): suffix for suffix in METRICS}


def desired_policies(params: t.Dict[str, t.Any]) -> t.Dict[str, t.Dict[str, t.Any]]:
    policies = {}
    for name, suffix in policy_names(params["service"]).items():
        option, metric = METRICS[suffix]
        if params.get(option) is None:
            continue
        label = None
        if suffix == "requests":
            label = resource_label(params["load_balancer_arn"], params["target_group_arn"])
        policies[name] = {
            "metric": metric, "target": float(params[option]), "resource_label": label,
            "scale_in_cooldown": params["scale_in_cooldown"], "scale_out_cooldown": params["scale_out_cooldown"],
            "disable_scale_in": params["disable_scale_in"],
        }
    return policies


def policy_state(found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """One described policy, normalised like desired_policies."""
    config = found.get("TargetTrackingScalingPolicyConfiguration") or {}
    metric = config.get("PredefinedMetricSpecification") or {}
    return {
        "metric": metric.get("PredefinedMetricType") or ("customized" if config.get("CustomizedMetricSpecification") else None),
        "target": float(config["TargetValue"]) if config.get("TargetValue") is not None else None,
        "resource_label": metric.get("ResourceLabel") or None,
        "scale_in_cooldown": config.get("ScaleInCooldown"),
        "scale_out_cooldown": config.get("ScaleOutCooldown"),
        "disable_scale_in": bool(config.get("DisableScaleIn")),
    }


def policy_request(policy: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """TargetTrackingScalingPolicyConfiguration for one desired policy."""
    metric: t.Dict[str, t.Any] = {"PredefinedMetricType": policy["metric"]}
    if policy.get("resource_label"):
        metric["ResourceLabel"] = policy["resource_label"]
    return {
        "TargetValue": policy["target"], "PredefinedMetricSpecification": metric,
        "ScaleInCooldown": policy["scale_in_cooldown"], "ScaleOutCooldown": policy["scale_out_cooldown"],
        "DisableScaleIn": policy["disable_scale_in"],
    }


def policy_changes(current: t.Dict[str, t.Dict[str, t.Any]],
                   desired: t.Dict[str, t.Dict[str, t.Any]]) -> t.Tuple[t.List[str], t.List[str]]:
    """Names of the policies to put (new or different) and to delete (no longer given)."""
    to_put = sorted(name for name, policy in desired.items() if current.get(name) != policy)
    to_delete = sorted(name for name in current if name not in desired)
    return to_put, to_delete


class ScalingResource(AwsResource):
    kind = "ECS service auto scaling"
    locator = ("cluster", "service")
    result_key = "scaling"

    constraints = {
        "min_capacity": Range(0),
        "max_capacity": Range(0),
        "target_cpu": PERCENT,
        "target_memory": PERCENT,
        "target_requests_per_target": Amount(0, None, "a number of requests above 0"),
        "scale_in_cooldown": COOLDOWN,
        "scale_out_cooldown": COOLDOWN,
    }

    module_name = "aws_autoscaling"
    #: Scalable targets take no tags here: the environment's discovery gives them their service's (see ownership.py).
    owned_kind = "application-autoscaling:ecs-service"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """service/CLUSTER/NAME, the resource id of the scalable target."""
        _service, cluster, name = found.split("/", 2)
        return {"cluster": cluster, "service": name}
    argument_spec: t.Dict[str, t.Any] = {
        "cluster": {"type": "str", "required": True},
        "service": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "min_capacity": {"type": "int"},
        "max_capacity": {"type": "int"},
        "target_cpu": {"type": "float"},
        "target_memory": {"type": "float"},
        "target_requests_per_target": {"type": "float"},
        "target_group_arn": {"type": "str"},
        "load_balancer_arn": {"type": "str"},
        "scale_in_cooldown": {"type": "int", "default": 300},
        "scale_out_cooldown": {"type": "int", "default": 300},
        "disable_scale_in": {"type": "bool", "default": False},
    }

    @property
    def name(self) -> str:
        return "%s/%s" % (self.params.get("cluster"), self.params.get("service"))

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        """Each problem as a sentence naming the service: the declared constraints, then the rules across options."""
        found = super().problems(params)
        if cls.present(params):
            found += [problem for problem in (capacity_problem(params), label_problem(params)) if problem]
        return ["%s %s: %s" % (cls.kind, cls(None, params).name, problem) for problem in found]

    @property
    def resource_id(self) -> str:
        return "service/%s" % self.name

    def target_key(self) -> t.Dict[str, str]:
        return {"ServiceNamespace": NAMESPACE, "ResourceId": self.resource_id, "ScalableDimension": DIMENSION}

    def desired(self) -> t.Dict[str, t.Any]:
        problems = self.problems(self.params)  # again, on the values a plan has resolved since it checked them
        if problems:
            raise ResourceError(" ".join(problems))
        return {
            "min_capacity": self.params["min_capacity"],
            "max_capacity": self.params["max_capacity"],
            "policies": desired_policies(self.params),
        }

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        scaling = self.client("application-autoscaling")
        targets = scaling.describe_scalable_targets(ServiceNamespace=NAMESPACE, ResourceIds=[self.resource_id],
                                                    ScalableDimension=DIMENSION)["ScalableTargets"]
        if not targets:
            return None
        found = self.managed_policies()
        return {
            "resource_id": self.resource_id,
            "arn": targets[0].get("ScalableTargetARN"),
            "min_capacity": targets[0].get("MinCapacity"),
            "max_capacity": targets[0].get("MaxCapacity"),
            "policies": {name: policy_state(policy) for name, policy in found.items()},
            "policy_arns": {name: policy.get("PolicyARN") for name, policy in found.items()},
        }

    def managed_policies(self) -> t.Dict[str, t.Dict[str, t.Any]]:
        """The target's policies that carry one of this module's names."""
        names = policy_names(self.params["service"])
        paginator = self.client("application-autoscaling").get_paginator("describe_scaling_policies")
        found = {}
        for page in paginator.paginate(**self.target_key()):
            found.update({policy["PolicyName"]: policy for policy in page["ScalingPolicies"] if policy["PolicyName"] in names})
        return found

    def register(self, desired: t.Dict[str, t.Any]) -> None:
        try:
            self.client("application-autoscaling").register_scalable_target(
                MinCapacity=desired["min_capacity"], MaxCapacity=desired["max_capacity"], **self.target_key())
        except Exception as error:  # pylint: disable=broad-except
            if error_code(error) == "ValidationException" and "doesn't exist" in error_message(error):
                raise ResourceError("%s %s: ECS service %s does not exist in cluster %s: create the service first, or fix "
                                    "cluster and service." % (self.kind, self.name, self.params["service"],
                                                              self.params["cluster"])) from error
            raise

    def put_policies(self, current: t.Dict[str, t.Dict[str, t.Any]], desired: t.Dict[str, t.Dict[str, t.Any]]) -> None:
        scaling = self.client("application-autoscaling")
        to_put, to_delete = policy_changes(current, desired)
        for name in to_put:
            scaling.put_scaling_policy(PolicyName=name, PolicyType="TargetTrackingScaling",
                                       TargetTrackingScalingPolicyConfiguration=policy_request(desired[name]), **self.target_key())
        for name in to_delete:
            scaling.delete_scaling_policy(PolicyName=name, **self.target_key())

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.register(desired)
        self.put_policies({}, desired["policies"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "min_capacity" in changes or "max_capacity" in changes:
            self.register(desired)
        if "policies" in changes:
            self.put_policies(current.get("policies") or {}, desired["policies"])

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        # Deregistering removes every policy of the target on AWS; deleting ours first leaves none behind anywhere.
        self.put_policies(current.get("policies") or {}, {})
        self.client("application-autoscaling").deregister_scalable_target(**self.target_key())
