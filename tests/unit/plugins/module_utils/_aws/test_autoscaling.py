"""ECS service auto scaling: input checks, policy normalisation, and the calls a converge sends."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.autoscaling import (
    ScalingResource, policy_changes, policy_request, policy_state, resource_label)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge

LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067"
LABEL = "app/web/50dc6c495c0c9188/targetgroup/api/73e2d6bc24d8a067"


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    values = {key: spec.get("default") for key, spec in ScalingResource.argument_spec.items()}
    values.update(cluster="app", service="api", min_capacity=1, max_capacity=4)
    values.update(overrides)
    return values


@pytest.mark.parametrize("overrides, problem", [
    ({}, None),
    ({"target_cpu": 100, "target_memory": 0.5}, None),
    ({"min_capacity": None}, "min_capacity and max_capacity are required"),
    ({"min_capacity": -1}, "min_capacity is -1: use 0 or more"),
    ({"min_capacity": 5}, "max_capacity 4 is below min_capacity 5"),
    ({"target_cpu": 0}, "target_cpu is 0: use a percentage above 0 and at most 100"),
    ({"target_memory": 100.5}, "target_memory is 100.5: use a percentage"),
    ({"target_requests_per_target": 0}, "target_requests_per_target is 0: use a number of requests above 0"),
    ({"scale_in_cooldown": -5}, "scale_in_cooldown is -5: use 0 to 86400 seconds"),
    ({"target_requests_per_target": 10, "target_group_arn": TG}, "needs target_group_arn and load_balancer_arn"),
    ({"target_requests_per_target": 10, "target_group_arn": LB, "load_balancer_arn": LB}, "is not a target group ARN"),
    ({"target_requests_per_target": 10, "target_group_arn": TG, "load_balancer_arn": TG}, "is not an application load balancer ARN"),
    ({"target_requests_per_target": 10, "target_group_arn": TG, "load_balancer_arn": LB}, None),
])
def test_input_problems(overrides: t.Dict[str, t.Any], problem: t.Optional[str]) -> None:
    found = " ".join(ScalingResource.problems(params(**overrides))) or None
    assert (found is None) if problem is None else (problem in (found or ""))


def test_desired_raises_one_sentence_naming_the_service() -> None:
    with pytest.raises(ResourceError) as raised:
        ScalingResource(None, params(min_capacity=3, max_capacity=1)).desired()
    assert raised.value.msg == ("ECS service auto scaling app/api: max_capacity 1 is below min_capacity 3: "
                                "raise max_capacity or lower min_capacity.")


def test_resource_label_joins_the_two_arns() -> None:
    assert resource_label(LB, TG) == LABEL


def test_a_policy_reads_back_as_it_was_asked_for() -> None:
    desired = ScalingResource(None, params(target_requests_per_target=500, target_group_arn=TG, load_balancer_arn=LB)).desired()
    policy = desired["policies"]["api-requests"]
    assert policy["resource_label"] == LABEL and policy["target"] == 500.0
    # AWS answers integers where it can and leaves DisableScaleIn out when false.
    answer = policy_request(policy)
    answer["TargetValue"] = 500
    del answer["DisableScaleIn"]
    assert policy_state({"TargetTrackingScalingPolicyConfiguration": answer}) == policy


def test_policy_changes_put_only_what_differs_and_delete_what_is_gone() -> None:
    same = {"metric": "ECSServiceAverageCPUUtilization", "target": 60.0}
    current = {"api-cpu": same, "api-memory": {"metric": "ECSServiceAverageMemoryUtilization", "target": 70.0}}
    desired = {"api-cpu": same, "api-requests": {"metric": "ALBRequestCountPerTarget", "target": 5.0}}
    assert policy_changes(current, desired) == (["api-requests"], ["api-memory"])


class FakeScaling:
    """Application Auto Scaling in memory, recording the mutating calls."""

    def __init__(self) -> None:
        self.target: t.Optional[t.Dict[str, t.Any]] = None
        self.policies: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.calls: t.List[str] = []

    def __call__(self, service: str) -> "FakeScaling":
        assert service == "application-autoscaling"
        return self

    def describe_scalable_targets(self, **_kwargs: t.Any) -> t.Dict[str, t.Any]:
        return {"ScalableTargets": [self.target] if self.target else []}

    def get_paginator(self, operation: str) -> "FakeScaling":
        assert operation == "describe_scaling_policies"
        return self

    def paginate(self, **_kwargs: t.Any) -> t.List[t.Dict[str, t.Any]]:
        return [{"ScalingPolicies": list(self.policies.values()) + [{"PolicyName": "someone-else"}]}]

    def register_scalable_target(self, MinCapacity: int, MaxCapacity: int, **_kwargs: t.Any) -> None:  # pylint: disable=invalid-name
        self.calls.append("RegisterScalableTarget")
        self.target = {"MinCapacity": MinCapacity, "MaxCapacity": MaxCapacity, "ScalableTargetARN": "arn:target"}

    def put_scaling_policy(self, PolicyName: str, **kwargs: t.Any) -> None:  # pylint: disable=invalid-name
        self.calls.append("PutScalingPolicy")
        self.policies[PolicyName] = {"PolicyName": PolicyName, "PolicyARN": "arn:" + PolicyName,
                                     "TargetTrackingScalingPolicyConfiguration": kwargs["TargetTrackingScalingPolicyConfiguration"]}

    def delete_scaling_policy(self, PolicyName: str, **_kwargs: t.Any) -> None:  # pylint: disable=invalid-name
        self.calls.append("DeleteScalingPolicy")
        del self.policies[PolicyName]

    def deregister_scalable_target(self, **_kwargs: t.Any) -> None:
        self.calls.append("DeregisterScalableTarget")
        self.target = None


def run(fake: FakeScaling, present: bool = True, check_mode: bool = False, **overrides: t.Any) -> t.Any:
    fake.calls.clear()
    return converge(ScalingResource(fake, params(**overrides)), present=present, check_mode=check_mode)


def test_create_rerun_update_and_delete_send_only_the_needed_calls() -> None:
    fake = FakeScaling()
    created = run(fake, target_cpu=60)
    assert created.action == "create" and fake.calls == ["RegisterScalableTarget", "PutScalingPolicy"]
    assert run(fake, target_cpu=60).changed is False and fake.calls == []

    preview = run(fake, check_mode=True, max_capacity=6, target_memory=75)
    assert preview.changes == ["max_capacity", "policies"] and fake.calls == []

    updated = run(fake, target_cpu=60, target_memory=75)
    assert updated.changes == ["policies"] and fake.calls == ["PutScalingPolicy"]
    assert run(fake, target_memory=75).changed and fake.calls == ["DeleteScalingPolicy"]
    assert sorted(fake.policies) == ["api-memory"]

    deleted = run(fake, present=False)
    assert deleted.action == "delete" and fake.calls == ["DeleteScalingPolicy", "DeregisterScalableTarget"]
    assert run(fake, present=False).changed is False


# ---- declarations: the constraints and the rules across options, all reported at once ------------------------------
def test_every_problem_is_reported_at_once_naming_the_service() -> None:
    bad = params(min_capacity=5, max_capacity=-1, target_cpu=150, target_requests_per_target=-2, scale_out_cooldown=86401)
    assert ScalingResource.problems(bad) == [
        "ECS service auto scaling app/api: max_capacity is -1: use 0 or more.",
        "ECS service auto scaling app/api: target_cpu is 150: use a percentage above 0 and at most 100.",
        "ECS service auto scaling app/api: target_requests_per_target is -2: use a number of requests above 0.",
        "ECS service auto scaling app/api: scale_out_cooldown is 86401: use 0 to 86400 seconds.",
        "ECS service auto scaling app/api: max_capacity -1 is below min_capacity 5: raise max_capacity or lower min_capacity.",
        "ECS service auto scaling app/api: target_requests_per_target needs target_group_arn and load_balancer_arn: set both.",
    ]


def test_an_absent_target_needs_no_bounds_and_references_wait_until_they_resolve() -> None:
    assert ScalingResource.problems(params(state="absent", min_capacity=None, max_capacity=None)) == []
    planned = {"cluster": "${cluster.name}", "service": "${service-api.name}", "min_capacity": 1, "max_capacity": "${limits.max}",
               "target_requests_per_target": 100, "target_group_arn": "${tg-api.arn}", "load_balancer_arn": "${alb.arn}"}
    assert ScalingResource.problems(planned) == []
