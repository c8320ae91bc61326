"""Target groups: stickiness and deregistration attributes."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as aws_target_group


def test_stickiness_attributes() -> None:
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": True, "duration": 60}, "deregistration_delay": 5}) == {
        "stickiness.enabled": "true", "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": "60",
        "deregistration_delay.timeout_seconds": "5"}
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": False, "duration": 60}}) == {"stickiness.enabled": "false"}
