"""Target groups: stickiness and deregistration attributes, and converges that compare only what the task sets."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as aws_target_group
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, FakeElb, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.support import task_resource


def test_stickiness_attributes() -> None:
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": True, "duration": 60}, "deregistration_delay": 5}) == {
        "stickiness.enabled": "true", "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": "60",
        "deregistration_delay.timeout_seconds": "5"}
    assert aws_target_group.desired_attributes({"stickiness": {"enabled": False, "duration": 60}}) == {"stickiness.enabled": "false"}


# What ELBv2 sets on a new target group, health check and attributes.
HEALTH_DEFAULTS = {"HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckEnabled": True,
                   "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
                   "UnhealthyThresholdCount": 2, "HealthCheckPath": "/", "Matcher": {"HttpCode": "200"}}
ATTRIBUTE_DEFAULTS = {"stickiness.enabled": "false", "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": "86400",
                      "deregistration_delay.timeout_seconds": "300", "slow_start.duration_seconds": "0"}


class TargetGroups(FakeElb):
    def __init__(self) -> None:
        super().__init__()
        self.groups: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.attributes: t.Dict[str, t.Dict[str, str]] = {}

    def describe_target_groups(self, Names: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = [dict(group) for group in self.groups.values() if group["TargetGroupName"] == Names[0]]
        if not found:
            raise client_error("TargetGroupNotFound", "DescribeTargetGroups", "One or more target groups not found")
        return {"TargetGroups": found}

    def create_target_group(self, Name: str, Protocol: str, Port: int, VpcId: str, TargetType: str,  # pylint: disable=invalid-name
                            Tags: t.Optional[t.List[t.Any]] = None, **health: t.Any) -> t.Dict[str, t.Any]:
        arn = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/73e2d6bc24d8a067" % (REGION, ACCOUNT, Name)
        self.groups[arn] = dict(HEALTH_DEFAULTS, TargetGroupName=Name, TargetGroupArn=arn, Protocol=Protocol, Port=Port, VpcId=VpcId,
                                TargetType=TargetType, LoadBalancerArns=[], **health)
        self.attributes[arn] = dict(ATTRIBUTE_DEFAULTS)
        self.tags[arn] = tag_map(Tags)
        return {"TargetGroups": [dict(self.groups[arn])]}

    def modify_target_group(self, TargetGroupArn: str, **health: t.Any) -> None:  # pylint: disable=invalid-name
        self.groups[TargetGroupArn].update(health)

    def describe_target_group_attributes(self, TargetGroupArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Attributes": [{"Key": key, "Value": value} for key, value in sorted(self.attributes[TargetGroupArn].items())]}

    def modify_target_group_attributes(self, TargetGroupArn: str, Attributes: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.attributes[TargetGroupArn].update(tag_map(Attributes))

    def delete_target_group(self, TargetGroupArn: str) -> None:  # pylint: disable=invalid-name
        del self.groups[TargetGroupArn]


def group(aws: FakeAws, **options: t.Any) -> aws_target_group.TargetGroupResource:
    return task_resource(aws_target_group.TargetGroupResource, aws, **dict(
        {"name": "api", "port": 8000, "vpc_id": "vpc-1", "health_check": {"path": "/health", "matcher": "200-299"}}, **options))


def test_create_then_rerun_compares_the_health_check_and_attributes_on_the_keys_set() -> None:
    elb = TargetGroups()
    aws = FakeAws(elbv2=elb)
    created = converge(group(aws, stickiness={"enabled": True, "duration": 3600}, deregistration_delay=5))
    assert created.action == "create" and aws.writes() == ["create_target_group", "modify_target_group_attributes"]
    assert created.state["health_check"]["HealthCheckPath"] == "/health"
    assert created.state["health_check"]["Matcher"] == {"HttpCode": "200-299"}
    assert created.state["attributes"]["stickiness.lb_cookie.duration_seconds"] == "3600"
    aws.clear()
    assert converge(group(aws, stickiness={"enabled": True, "duration": 3600}, deregistration_delay=5)).changed is False
    assert aws.writes() == []


def test_attributes_are_read_only_when_managed_and_health_check_changes_in_place() -> None:
    elb = TargetGroups()
    aws = FakeAws(elbv2=elb)
    converge(group(aws))
    aws.clear()
    updated = converge(group(aws, health_check={"path": "/ready", "interval": 10}, tags={"app": "agent"}))
    assert updated.changes == ["health_check", "tags"] and aws.writes() == ["modify_target_group", "add_tags"]
    assert "describe_target_group_attributes" not in aws.calls and "attributes" not in updated.state
    assert updated.state["health_check"]["HealthCheckIntervalSeconds"] == 10


def test_a_new_port_means_a_new_target_group_and_a_bad_name_is_refused() -> None:
    aws = FakeAws(elbv2=TargetGroups())
    converge(group(aws))
    preview = converge(group(aws, port=9000), check_mode=True)
    assert (preview.action, preview.changes) == ("replace", ["port"])
    with pytest.raises(ResourceError, match="Target group name 'api_v2' is invalid"):
        converge(group(aws, name="api_v2"))
    assert converge(group(aws, state="absent"), present=False).action == "delete"


def test_a_target_group_a_load_balancer_forwards_to_is_not_replaced() -> None:
    elb = TargetGroups()
    aws = FakeAws(elbv2=elb)
    converge(group(aws))
    arn = next(iter(elb.groups))
    elb.groups[arn]["LoadBalancerArns"] = ["arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/web/50dc6c495c0c9188" % (REGION, ACCOUNT)]
    for check_mode in (True, False):
        with pytest.raises(ResourceError) as raised:
            converge(group(aws, port=9000), check_mode=check_mode)
        assert raised.value.msg == (
            "target group api has port 8000 (task wants 9000), which ELB cannot change, and is in use by load balancer web: keep "
            "the current value, or give the app a new name (its new target group is made beside this one, which is removed "
            "once nothing uses it).")
    assert list(elb.groups) == [arn] and elb.groups[arn]["Port"] == 8000


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


def target_group_answers(aws: t.Any, **health: t.Any) -> t.Any:
    group = dict({"TargetGroupName": "api", "TargetGroupArn": "arn:tg", "Protocol": "HTTP", "Port": 8000, "VpcId": "vpc-1",
                  "TargetType": "ip", "HealthCheckPath": "/health", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
                  "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
                  "UnhealthyThresholdCount": 2, "Matcher": {"HttpCode": "200"}}, **health)
    attributes = [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "false"},
                  {"Key": "load_balancing.algorithm.type", "Value": "round_robin"}]
    return aws(describe_target_groups={"TargetGroups": [group]}, describe_target_group_attributes={"Attributes": attributes},
               describe_tags={"TagDescriptions": [{"ResourceArn": "arn:tg", "Tags": [{"Key": "app", "Value": "api"}, {"Key": "old", "Value": "1"}]}]})


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
