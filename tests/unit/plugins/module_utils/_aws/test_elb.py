"""ELBv2 names, target group attributes, listener actions and rules."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener

from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as aws_target_group
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import check_name
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


@pytest.mark.parametrize("name", ["-api", "api-", "internal-api", "a" * 33, "api_1"])
def test_bad_names(name: str) -> None:
    with pytest.raises(ResourceError, match="is invalid"):
        check_name(name, "Target group")


def test_stickiness_attributes() -> None:
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": True, "duration": 60}, "deregistration_delay": 5}) == {
        "stickiness.enabled": "true", "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": "60",
        "deregistration_delay.timeout_seconds": "5"}
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": False, "duration": 60}}) == {"stickiness.enabled": "false"}


def test_actions_compare_with_what_elb_returns() -> None:
    redirect = aws_listener.default_action({"redirect_to_https": True})
    returned = {"Type": "redirect", "Order": 1, "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}",
                                                                   "Path": "/#{path}", "StatusCode": "HTTP_301"}}
    assert aws_listener.action_view(returned) == redirect
    forward = {"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "arn:tg", "Weight": 1}]}}
    assert aws_listener.action_view(forward) == aws_listener.default_action({"target_group_arn": "arn:tg"})


def test_rules_by_priority() -> None:
    wanted = aws_listener.desired_rules([{"priority": 10, "path_patterns": ["/b/*", "/a/*"], "target_group_arn": "arn:tg"}])
    returned = [{"IsDefault": True, "Priority": "default"},
                {"Priority": "10", "RuleArn": "arn:rule", "Conditions": [{"Field": "path-pattern", "Values": ["/a/*", "/b/*"]}],
                 "Actions": [{"Type": "forward", "TargetGroupArn": "arn:tg"}]}]
    current = aws_listener.current_rules(returned)
    assert {key: {name: value for name, value in rule.items() if name != "arn"} for key, rule in current.items()} == wanted
    with pytest.raises(ResourceError, match="needs path_patterns or host_headers"):
        aws_listener.desired_rules([{"priority": 1, "target_group_arn": "arn:tg"}])
