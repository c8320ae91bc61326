"""aws_load_balancer through the engine: input checks, attributes compared on the keys set, in-place changes, protection."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import load_balancer
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, FakeElb, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource

# What ELBv2 sets on a new application load balancer.
DEFAULT_ATTRIBUTES = {"access_logs.s3.enabled": "false", "deletion_protection.enabled": "false", "idle_timeout.timeout_seconds": "60",
                      "routing.http2.enabled": "true", "routing.http.drop_invalid_header_fields.enabled": "false"}


class Elb(FakeElb):
    """ELBv2's load balancer calls; a new load balancer is provisioning until looked at once more (``then``)."""

    def __init__(self, then: str = "active") -> None:
        super().__init__()
        self.balancers: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.attributes: t.Dict[str, t.Dict[str, str]] = {}
        self.then = then

    def describe_load_balancers(self, Names: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if Names[0] not in self.balancers:
            raise client_error("LoadBalancerNotFound", "DescribeLoadBalancers", "One or more load balancers not found")
        found = self.balancers[Names[0]]
        answer = dict(found)
        found["State"] = {"Code": self.then}
        return {"LoadBalancers": [answer]}

    def create_load_balancer(self, Name: str, Subnets: t.List[str], Scheme: str, Type: str,  # pylint: disable=invalid-name
                             IpAddressType: str, SecurityGroups: t.Optional[t.List[str]] = None,
                             Tags: t.Optional[t.List[t.Any]] = None) -> t.Dict[str, t.Any]:
        arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/50dc6c495c0c9188" % (REGION, ACCOUNT, Name)
        self.balancers[Name] = {"LoadBalancerName": Name, "LoadBalancerArn": arn, "DNSName": "%s-1.%s.elb.amazonaws.com" % (Name, REGION),
                                "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K", "Scheme": Scheme, "VpcId": "vpc-1", "Type": Type,
                                "State": {"Code": "provisioning"}, "IpAddressType": IpAddressType, "SecurityGroups": SecurityGroups or []}
        self.set_subnets(arn, Subnets)
        self.attributes[arn] = dict(DEFAULT_ATTRIBUTES)
        self.tags[arn] = tag_map(Tags)
        return {"LoadBalancers": [dict(self.balancers[Name])]}

    def balancer(self, arn: str) -> t.Dict[str, t.Any]:
        return next(item for item in self.balancers.values() if item["LoadBalancerArn"] == arn)

    def set_subnets(self, LoadBalancerArn: str, Subnets: t.List[str]) -> None:  # pylint: disable=invalid-name
        self.balancer(LoadBalancerArn)["AvailabilityZones"] = [{"ZoneName": "us-east-1" + "abcdef"[index], "SubnetId": subnet}
                                                               for index, subnet in enumerate(Subnets)]

    def set_security_groups(self, LoadBalancerArn: str, SecurityGroups: t.List[str]) -> None:  # pylint: disable=invalid-name
        self.balancer(LoadBalancerArn)["SecurityGroups"] = SecurityGroups

    def describe_load_balancer_attributes(self, LoadBalancerArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Attributes": [{"Key": key, "Value": value} for key, value in sorted(self.attributes[LoadBalancerArn].items())]}

    def modify_load_balancer_attributes(self, LoadBalancerArn: str, Attributes: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.attributes[LoadBalancerArn].update(tag_map(Attributes))

    def delete_load_balancer(self, LoadBalancerArn: str) -> None:  # pylint: disable=invalid-name
        del self.balancers[self.balancer(LoadBalancerArn)["LoadBalancerName"]]


def balancer(aws: FakeAws, **options: t.Any) -> load_balancer.LoadBalancerResource:
    return task_resource(load_balancer.LoadBalancerResource, aws, **dict(
        {"name": "web", "subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-alb"]}, **options))


@pytest.mark.parametrize("options, message", [
    ({"subnets": ["subnet-a", "subnet-a"]}, "Load balancer web needs subnets in at least two availability zones; it got 1."),
    ({"name": "internal-web"}, "Load balancer name 'internal-web' is invalid: use 1 to 32 letters, digits and hyphens"),
])
def test_bad_input_is_refused_before_any_call(options: t.Dict[str, t.Any], message: str) -> None:
    aws = FakeAws(elbv2=Elb())
    with pytest.raises(ResourceError, match=message):
        converge(balancer(aws, **options))
    assert aws.calls == []


def test_create_waits_until_active_and_a_rerun_ignores_the_attributes_elb_adds() -> None:
    aws = FakeAws(elbv2=Elb())
    created = converge(balancer(aws, tags={"app": "agent"}), wait=True, wait_timeout=600)
    assert created.action == "create" and aws.writes() == ["create_load_balancer", "modify_load_balancer_attributes"]
    assert (created.state["state"], created.state["scheme"], created.state["subnets"], created.state["tags"]) == (
        "active", "internal", ["subnet-a", "subnet-b"], {"app": "agent"})
    assert created.state["attributes"]["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert created.state["attributes"]["routing.http2.enabled"] == "true"
    aws.clear()
    assert converge(balancer(aws, tags={"app": "agent"})).changed is False and aws.writes() == []


def test_subnets_groups_attributes_and_tags_change_in_place_a_new_scheme_replaces() -> None:
    elb = Elb()
    aws = FakeAws(elbv2=elb)
    converge(balancer(aws))
    aws.clear()
    updated = converge(balancer(aws, subnets=["subnet-a", "subnet-c"], security_groups=["sg-web"], idle_timeout=3600,
                                tags={"env": "prd"}))
    assert updated.changes == ["attributes", "security_groups", "subnets", "tags"]
    assert aws.writes() == ["set_subnets", "set_security_groups", "modify_load_balancer_attributes", "add_tags"]
    assert updated.state["attributes"]["idle_timeout.timeout_seconds"] == "3600"
    preview = converge(balancer(aws, subnets=["subnet-a", "subnet-c"], security_groups=["sg-web"], scheme="internet-facing"),
                       check_mode=True)
    assert (preview.action, preview.changes) == ("replace", ["scheme"])


def test_a_protected_load_balancer_is_not_deleted() -> None:
    aws = FakeAws(elbv2=Elb())
    converge(balancer(aws, deletion_protection=True))
    with pytest.raises(ResourceError) as raised:
        converge(balancer(aws, state="absent"), present=False)
    assert raised.value.msg == "Load balancer web has deletion protection: set deletion_protection: false first."
    converge(balancer(aws))
    aws.clear()
    assert converge(balancer(aws, state="absent"), present=False).action == "delete" and aws.writes() == ["delete_load_balancer"]


def test_a_load_balancer_that_never_becomes_active_times_out(clock: FakeClock) -> None:
    aws = FakeAws(elbv2=Elb(then="provisioning"))
    with pytest.raises(ResourceError) as raised:
        converge(balancer(aws), wait=True, wait_timeout=60)
    assert raised.value.msg == "Load balancer web is not active after 60 s."
    assert clock.sleeps == [10] * 6


LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"


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
            converge(resource(load_balancer.LoadBalancerResource, client, name="web", state="absent"), present=False,
                     check_mode=check_mode)
        assert refused.value.msg == "Load balancer web has deletion protection: set deletion_protection: false first."
    assert client.writes() == []
    free = load_balancer_answers(aws, protected="false")
    converge(resource(load_balancer.LoadBalancerResource, free, name="web", state="absent"), present=False)
    assert free.writes() == ["delete_load_balancer"]


def test_a_provisioning_load_balancer_is_waited_for_on_the_engine_clock(
        aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = load_balancer_answers(aws, protected="false", state=sequence("provisioning", "provisioning", "active"))
    balancer = resource(load_balancer.LoadBalancerResource, client, name="web", subnets=["subnet-a", "subnet-b"])
    outcome = converge(balancer, wait=True, wait_timeout=60, clock=clock)
    assert (outcome.action, outcome.state["state"], clock.sleeps) == ("none", "active", [10])
