"""Listeners: default actions and rules compared with what ELBv2 returns."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


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
