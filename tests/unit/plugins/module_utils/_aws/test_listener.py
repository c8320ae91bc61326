"""Listeners: default actions and rules compared with what ELBv2 returns, and converges that sync rules by priority."""

from __future__ import annotations

import itertools
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener
from ansible_collections.agno.infra.plugins.module_utils._aws import load_balancer
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.support import task_resource


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


ALB = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/web/50dc6c495c0c9188" % (REGION, ACCOUNT)
API, UI = ("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/73e2d6bc24d8a067" % (REGION, ACCOUNT, name) for name in ("api", "ui"))


def stored(action: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """An action as ELBv2 returns it: with an order and, for a forward, the ForwardConfig form too."""
    if action["Type"] != "forward":
        return dict(action, Order=1)
    return dict(action, Order=1, ForwardConfig={"TargetGroups": [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}],
                                                "TargetGroupStickinessConfig": {"Enabled": False}})


def condition(item: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """A condition as ELBv2 returns it, in both the legacy and the per-field form."""
    config = "PathPatternConfig" if item["Field"] == "path-pattern" else "HostHeaderConfig"
    return {"Field": item["Field"], "Values": item["Values"], config: {"Values": item["Values"]}}


class Listeners:
    """ELBv2's listener and rule calls; every listener has its default rule."""

    def __init__(self) -> None:
        self.listeners: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.rules: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.numbers = itertools.count(1)

    def describe_listeners(self, LoadBalancerArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Listeners": [dict(item) for item in self.listeners.values() if item["LoadBalancerArn"] == LoadBalancerArn]}

    def create_listener(self, LoadBalancerArn: str, Port: int, **settings: t.Any) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        arn = LoadBalancerArn.replace(":loadbalancer/", ":listener/") + "/%016x" % next(self.numbers)
        self.listeners[arn] = {"ListenerArn": arn, "LoadBalancerArn": LoadBalancerArn, "Port": Port}
        self.modify_listener(arn, **settings)
        return {"Listeners": [dict(self.listeners[arn])]}

    def modify_listener(self, ListenerArn: str, Protocol: str, DefaultActions: t.List[t.Any], **tls: t.Any) -> None:  # pylint: disable=invalid-name
        self.listeners[ListenerArn].update(tls, Protocol=Protocol, DefaultActions=[stored(action) for action in DefaultActions])

    def describe_rules(self, ListenerArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        default = {"RuleArn": ListenerArn + "/default", "Priority": "default", "IsDefault": True, "Conditions": [],
                   "Actions": self.listeners[ListenerArn]["DefaultActions"]}
        return {"Rules": [default] + [dict(rule) for rule in self.rules.values() if rule["ListenerArn"] == ListenerArn]}

    def create_rule(self, ListenerArn: str, Priority: int, Conditions: t.List[t.Any], Actions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        arn = ListenerArn.replace(":listener/", ":listener-rule/") + "/%016x" % next(self.numbers)
        self.rules[arn] = {"ListenerArn": ListenerArn, "RuleArn": arn, "Priority": str(Priority), "IsDefault": False}
        self.modify_rule(arn, Conditions, Actions)

    def modify_rule(self, RuleArn: str, Conditions: t.List[t.Any], Actions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.rules[RuleArn].update(Conditions=[condition(item) for item in Conditions], Actions=[stored(action) for action in Actions])

    def delete_rule(self, RuleArn: str) -> None:  # pylint: disable=invalid-name
        del self.rules[RuleArn]

    def delete_listener(self, ListenerArn: str) -> None:  # pylint: disable=invalid-name
        del self.listeners[ListenerArn]


def listener(aws: FakeAws, **options: t.Any) -> aws_listener.ListenerResource:
    return task_resource(aws_listener.ListenerResource, aws, **dict(
        {"load_balancer_arn": ALB, "port": 80, "target_group_arn": UI}, **options))


RULES = [{"priority": 10, "path_patterns": ["/api/*"], "target_group_arn": API},
         {"priority": 20, "host_headers": ["admin.example.com"], "path_patterns": ["/*"], "target_group_arn": API}]


def test_create_with_rules_then_a_rerun_against_what_elb_returns_changes_nothing() -> None:
    elb = Listeners()
    aws = FakeAws(elbv2=elb)
    created = converge(listener(aws, rules=RULES))
    assert created.action == "create" and aws.writes() == ["create_listener", "create_rule", "create_rule"]
    assert listener(aws).name == "web:80"
    assert sorted(created.state["rules"]) == ["10", "20"]
    aws.clear()
    assert converge(listener(aws, rules=list(reversed(RULES)))).changed is False and aws.writes() == []


def test_rules_change_by_priority_and_stay_without_purge_rules() -> None:
    elb = Listeners()
    aws = FakeAws(elbv2=elb)
    converge(listener(aws, rules=RULES))
    aws.clear()
    moved = [dict(RULES[0], target_group_arn=UI)]
    kept = converge(listener(aws, rules=moved, purge_rules=False))
    assert (kept.changes, aws.writes()) == (["rules"], ["modify_rule"]) and len(elb.rules) == 2
    aws.clear()
    assert converge(listener(aws, rules=moved)).changes == ["rules"] and aws.writes() == ["delete_rule"]


class Certificates:
    """ACM with one issued certificate and one still waiting for its validation."""

    statuses = {"arn:aws:acm:us-east-1:123456789012:certificate/c1": "ISSUED",
                "arn:aws:acm:us-east-1:123456789012:certificate/pending": "PENDING_VALIDATION"}

    def describe_certificate(self, CertificateArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if CertificateArn not in self.statuses:
            raise client_error("ResourceNotFoundException", "DescribeCertificate")
        return {"Certificate": {"CertificateArn": CertificateArn, "Status": self.statuses[CertificateArn]}}


def test_a_new_default_action_modifies_the_listener_and_https_needs_a_certificate() -> None:
    elb = Listeners()
    aws = FakeAws(elbv2=elb, acm=Certificates())
    converge(listener(aws))
    aws.clear()
    redirect = converge(listener(aws, target_group_arn=None, redirect_to_https=True))
    assert (redirect.changes, aws.writes()) == (["default_action"], ["modify_listener"])
    with pytest.raises(ResourceError) as raised:
        converge(listener(aws, port=443, protocol="HTTPS"))
    assert raised.value.msg == "Listener web:443 uses HTTPS and has no certificate_arn: give the ACM certificate to serve."
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/c1"
    https = converge(listener(aws, port=443, protocol="HTTPS", certificate_arn=certificate))
    assert (https.state["certificate_arn"], https.state["ssl_policy"]) == (certificate, aws_listener.DEFAULT_TLS_POLICY)
    assert converge(listener(aws, port=443, state="absent"), present=False).action == "delete" and len(elb.listeners) == 1


LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"


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
    assert load_balancer.LoadBalancerResource.problems({"name": "internal-web", "idle_timeout": 4001}) == [
        "Load balancer name 'internal-web' is invalid: use 1 to 32 letters, digits and hyphens, not starting or ending with "
        "a hyphen nor starting with internal-.",
        "idle_timeout is 4001: use 1 to 4000.",
    ]


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


def test_a_certificate_the_listener_is_to_serve_must_be_issued_and_is_looked_up_only_when_new_to_it() -> None:
    elb = Listeners()
    aws = FakeAws(elbv2=elb, acm=Certificates())
    pending = "arn:aws:acm:us-east-1:123456789012:certificate/pending"
    with pytest.raises(ResourceError) as raised:
        converge(listener(aws, port=443, protocol="HTTPS", certificate_arn=pending), check_mode=True)
    assert raised.value.msg == ("certificate_arn %s is PENDING_VALIDATION, not ISSUED: complete its validation (the DNS records "
                                "ACM asks for), or give an issued certificate, then run again." % pending)
    unknown = listener(aws, port=443, protocol="HTTPS", certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/gone")
    assert unknown.preflight(None)[0].endswith("is not a certificate of this account and region: request or import it in ACM "
                                               "in us-east-1, or give the ARN of one there.")
    issued = "arn:aws:acm:us-east-1:123456789012:certificate/c1"
    converge(listener(aws, port=443, protocol="HTTPS", certificate_arn=issued))
    aws.clear()
    assert converge(listener(aws, port=443, protocol="HTTPS", certificate_arn=issued)).changed is False
    assert "describe_certificate" not in aws.calls and aws.writes() == []
