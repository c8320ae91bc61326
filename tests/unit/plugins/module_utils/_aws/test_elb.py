"""ELBv2 names, target group attributes, listener actions and rules; the declarations of the three types."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener
from ansible_collections.agno.infra.plugins.module_utils._aws import load_balancer as aws_load_balancer
from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as aws_target_group
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import check_name
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


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


# ---- declarations: constraints, comparisons, the refusal, tags and waits through converge ----------------------------
LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"


def test_target_group_constraints_report_every_bad_value_at_once() -> None:
    params = {"name": "-api", "port": 70000, "deregistration_delay": 3601, "stickiness": {"enabled": True, "duration": 0},
              "health_check": {"path": "health", "port": "0", "interval": 4, "timeout": 121, "healthy_threshold": 1,
                               "unhealthy_threshold": 11, "matcher": "200-600"}}
    assert aws_target_group.TargetGroupResource.problems(params) == [
        "Target group name '-api' is invalid: use 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen "
        "nor starting with internal-.",
        "port is 70000: use at most 65535.",
        "health_check.path is 'health': use a path that starts with / (at most 1024 characters).",
        "health_check.port is 0: use 1 to 65535.",
        "health_check.interval is 4: use 5 to 300.",
        "health_check.timeout is 121: use 2 to 120.",
        "health_check.healthy_threshold is 1: use 2 to 10.",
        "health_check.unhealthy_threshold is 11: use 2 to 10.",
        "health_check.matcher is '200-600': use HTTP codes from 200 to 499, such as 200, 200,302 or 200-399.",
        "stickiness.duration is 0: use 1 to 604800.",
        "deregistration_delay is 3601: use 0 to 3600.",
    ]


def test_target_group_constraints_pass_what_aws_takes() -> None:
    params = {"name": "agno-prd-api", "port": 8000, "vpc_id": "${vpc.id}", "deregistration_delay": 0,
              "stickiness": {"enabled": False, "duration": 86400},
              "health_check": {"path": "/health", "port": "traffic-port", "interval": 300, "matcher": "200,302-399"}}
    assert aws_target_group.TargetGroupResource.problems(params) == []
    assert aws_target_group.TargetGroupResource.problems({"health_check": {"port": "web"}}) == [
        "health_check.port is 'web': use traffic-port or a port from 1 to 65535."]


def test_listener_and_load_balancer_constraints() -> None:
    assert aws_listener.ListenerResource.problems({
        "port": 0, "rules": [{"priority": 1}, {"priority": 50001}],
        "fixed_response": {"status_code": "302", "content_type": "text/xml", "message_body": "x" * 1025}}) == [
        "port is 0: use 1 to 65535.",
        "fixed_response.status_code is '302': use an HTTP status code 2XX, 4XX or 5XX.",
        "fixed_response.content_type is 'text/xml': use one of text/plain, text/css, text/html, application/javascript, "
        "application/json.",
        "fixed_response.message_body is '%s': use at most 1024 characters." % ("x" * 1025),
        "rules[1].priority is 50001: use 1 to 50000.",
    ]
    assert aws_load_balancer.LoadBalancerResource.problems({"name": "internal-web", "idle_timeout": 4001}) == [
        "Load balancer name 'internal-web' is invalid: use 1 to 32 letters, digits and hyphens, not starting or ending with "
        "a hyphen nor starting with internal-.",
        "idle_timeout is 4001: use 1 to 4000.",
    ]


def target_group_answers(aws: t.Any, **health: t.Any) -> t.Any:
    group = dict({"TargetGroupName": "api", "TargetGroupArn": "arn:tg", "Protocol": "HTTP", "Port": 8000, "VpcId": "vpc-1",
                  "TargetType": "ip", "HealthCheckPath": "/health", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
                  "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
                  "UnhealthyThresholdCount": 2, "Matcher": {"HttpCode": "200"}}, **health)
    attributes = [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "false"},
                  {"Key": "load_balancing.algorithm.type", "Value": "round_robin"}]
    return aws(describe_target_groups={"TargetGroups": [group]}, describe_target_group_attributes={"Attributes": attributes},
               describe_tags={"TagDescriptions": [{"Tags": [{"Key": "app", "Value": "api"}, {"Key": "old", "Value": "1"}]}]})


def target_group(resource: t.Any, client: t.Any, **params: t.Any) -> t.Any:
    return resource(aws_target_group.TargetGroupResource, client, name="api", port=8000, vpc_id="vpc-1", **params)


def test_the_health_check_and_attributes_compare_on_the_keys_the_task_sets(aws: t.Any, resource: t.Any) -> None:
    client = target_group_answers(aws)
    same = target_group(resource, client, health_check={"path": "/health", "interval": 30}, deregistration_delay=30)
    assert converge(same).action == "none" and client.writes() == []
    moved = target_group(resource, client, health_check={"path": "/ready", "interval": 30}, deregistration_delay=30)
    outcome = converge(moved)
    assert (outcome.changes, client.writes()) == (["health_check"], ["modify_target_group"])
    assert client.request("modify_target_group") == {"TargetGroupArn": "arn:tg", "HealthCheckPath": "/ready",
                                                     "HealthCheckIntervalSeconds": 30}


def test_target_group_tags_go_through_the_elb_tag_calls(aws: t.Any, resource: t.Any) -> None:
    client = target_group_answers(aws)
    assert converge(target_group(resource, client, tags={"app": "web"})).changes == ["tags"]
    assert client.writes() == ["add_tags", "remove_tags"]
    assert client.request("add_tags") == {"ResourceArns": ["arn:tg"], "Tags": [{"Key": "app", "Value": "web"}]}
    assert client.request("remove_tags") == {"ResourceArns": ["arn:tg"], "TagKeys": ["old"]}
    kept = target_group_answers(aws)
    assert converge(target_group(resource, kept, tags={"app": "api"}, purge_tags=False)).action == "none"


def load_balancer_answers(aws: t.Any, protected: str, state: t.Any = "active") -> t.Any:
    def balancer(**_request: t.Any) -> t.Dict[str, t.Any]:
        code = state() if callable(state) else state
        return {"LoadBalancers": [{"LoadBalancerName": "web", "LoadBalancerArn": LB_ARN, "Scheme": "internal", "State": {"Code": code},
                                   "AvailabilityZones": [{"SubnetId": "subnet-a"}, {"SubnetId": "subnet-b"}], "IpAddressType": "ipv4"}]}
    attributes = [{"Key": "deletion_protection.enabled", "Value": protected},
                  {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}]
    return aws(describe_load_balancers=balancer, describe_load_balancer_attributes={"Attributes": attributes})


def test_a_protected_load_balancer_is_not_deleted_even_in_check_mode(aws: t.Any, resource: t.Any) -> None:
    client = load_balancer_answers(aws, protected="true")
    for check_mode in (True, False):
        with pytest.raises(ResourceError) as refused:
            converge(resource(aws_load_balancer.LoadBalancerResource, client, name="web", state="absent"), present=False,
                     check_mode=check_mode)
        assert refused.value.msg == "Load balancer web has deletion protection: set deletion_protection: false first."
    assert client.writes() == []
    free = load_balancer_answers(aws, protected="false")
    converge(resource(aws_load_balancer.LoadBalancerResource, free, name="web", state="absent"), present=False)
    assert free.writes() == ["delete_load_balancer"]


def test_a_provisioning_load_balancer_is_waited_for_on_the_engine_clock(
        aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = load_balancer_answers(aws, protected="false", state=sequence("provisioning", "provisioning", "active"))
    balancer = resource(aws_load_balancer.LoadBalancerResource, client, name="web", subnets=["subnet-a", "subnet-b"])
    outcome = converge(balancer, wait=True, wait_timeout=60, clock=clock)
    assert (outcome.action, outcome.state["state"], clock.sleeps) == ("none", "active", [10])


def listener_answers(aws: t.Any) -> t.Any:
    def rule(priority: int, path: str) -> t.Dict[str, t.Any]:
        return {"Priority": str(priority), "RuleArn": "arn:rule/%d" % priority,
                "Conditions": [{"Field": "path-pattern", "Values": [path]}], "Actions": [{"Type": "forward", "TargetGroupArn": "arn:tg"}]}
    listener = {"ListenerArn": "arn:listener", "Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:tg"}]}
    return aws(describe_listeners={"Listeners": [listener]},
               describe_rules={"Rules": [{"IsDefault": True, "Priority": "default"}, rule(10, "/api/*"), rule(20, "/old/*")]})


def test_listener_rules_compare_with_and_without_purge_rules(aws: t.Any, resource: t.Any) -> None:
    wanted = [{"priority": 10, "path_patterns": ["/api/*"], "target_group_arn": "arn:tg"}]
    kept = listener_answers(aws)
    listener = resource(aws_listener.ListenerResource, kept, load_balancer_arn=LB_ARN, port=80, target_group_arn="arn:tg",
                        rules=wanted, purge_rules=False)
    assert converge(listener).action == "none" and kept.writes() == []
    purged = listener_answers(aws)
    listener = resource(aws_listener.ListenerResource, purged, load_balancer_arn=LB_ARN, port=80, target_group_arn="arn:tg", rules=wanted)
    assert converge(listener).changes == ["rules"]
    assert purged.writes() == ["delete_rule"] and purged.request("delete_rule") == {"RuleArn": "arn:rule/20"}
