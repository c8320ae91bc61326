# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ALB listener as a lifecycle resource: default action, TLS, and path/host rules compared by priority."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.elb import ElbResource
from ansible_collections.agno.infra.plugins.module_utils._aws.ownership import PORT_TAG
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import PORT, OneOf, Pattern, Range, ResourceError, purge

DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
FIXED_CONTENT_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")


def default_action(params: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The listener's default action in ELBv2's terms, reduced to the fields that define it."""
    if params.get("redirect_to_https"):
        return {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    if params.get("fixed_response"):
        response = params["fixed_response"]
        config = {"StatusCode": response["status_code"], "ContentType": response["content_type"]}
        if response.get("message_body"):
            config["MessageBody"] = response["message_body"]
        return {"Type": "fixed-response", "FixedResponseConfig": config}
    return {"Type": "forward", "TargetGroupArn": params["target_group_arn"]}


def action_view(action: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """An action as ELBv2 returns it, reduced like default_action builds it."""
    kind = action.get("Type")
    if kind == "redirect":
        config = action.get("RedirectConfig") or {}
        return {"Type": "redirect", "RedirectConfig": {key: config.get(key) for key in ("Protocol", "Port", "StatusCode")}}
    if kind == "fixed-response":
        config = action.get("FixedResponseConfig") or {}
        return {"Type": "fixed-response", "FixedResponseConfig": {key: value for key, value in config.items() if value}}
    target = action.get("TargetGroupArn") or ((action.get("ForwardConfig") or {}).get("TargetGroups") or [{}])[0].get("TargetGroupArn")
    return {"Type": "forward", "TargetGroupArn": target}


def rule_conditions(rule: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
    conditions = []
    if rule.get("host_headers"):
        conditions.append({"Field": "host-header", "Values": sorted(rule["host_headers"])})
    if rule.get("path_patterns"):
        conditions.append({"Field": "path-pattern", "Values": sorted(rule["path_patterns"])})
    return conditions


def desired_rules(rules: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    """Rules by priority (as strings, ELBv2's form): conditions and the target group."""
    result = {}
    for rule in rules:
        if not rule.get("path_patterns") and not rule.get("host_headers"):
            raise ResourceError("Listener rule %d needs path_patterns or host_headers." % rule["priority"])
        result[str(rule["priority"])] = {"conditions": rule_conditions(rule), "target_group_arn": rule["target_group_arn"]}
    return result


def condition_values(condition: t.Dict[str, t.Any]) -> t.List[str]:
    """A condition's values, from the legacy Values or the newer per-field config."""
    config = condition.get("PathPatternConfig") or condition.get("HostHeaderConfig") or {}
    return sorted(condition.get("Values") or config.get("Values") or [])


def current_rules(rules: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    result = {}
    for rule in rules:
        if rule.get("IsDefault"):
            continue
        conditions = sorted(({"Field": item["Field"], "Values": condition_values(item)} for item in rule.get("Conditions") or []),
                            key=lambda item: item["Field"])
        result[str(rule["Priority"])] = {"conditions": conditions,
                                         "target_group_arn": action_view((rule.get("Actions") or [{}])[0]).get("TargetGroupArn"),
                                         "arn": rule["RuleArn"]}
    return result


def as_written(rule: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """A rule of the listener as the task writes it: without the ARN AWS gives it."""
    return {name: value for name, value in rule.items() if name != "arn"}


# All the rules with purge_rules, else only those of the priorities the task gives.
RULES_COMPARE = purge("purge_rules")


def rules_differ(current: t.Optional[t.Dict[str, t.Any]], desired: t.Dict[str, t.Any], params: t.Dict[str, t.Any]) -> bool:
    return RULES_COMPARE({key: as_written(rule) for key, rule in (current or {}).items()}, desired, params)


class ListenerResource(ElbResource):
    kind = "listener"
    locator = ("load_balancer_arn", "port")
    preflight_options = ("protocol", "certificate_arn")
    result_key = "listener"
    # Where it lives; a target group it forwards to, even a new one, only changes its content.
    located_by = ("load_balancer_arn",)

    module_name = "aws_listener"
    # Listeners take no tags: the environment finds them through its load balancers (see _aws/ownership.py).
    owned_kind = "elasticloadbalancing:listener"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """listener/app/NAME/ID/LISTENER-ID, in its load balancer (loadbalancer/app/NAME/ID), on the port it was found."""
        balancer = found.replace(":listener/", ":loadbalancer/", 1).rsplit("/", 1)[0]
        return {"load_balancer_arn": balancer, "port": int(tags[PORT_TAG])}
    argument_spec: t.Dict[str, t.Any] = {
        "load_balancer_arn": {"type": "str", "required": True},
        "port": {"type": "int", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "protocol": {"type": "str", "default": "HTTP", "choices": ["HTTP", "HTTPS"]},
        "certificate_arn": {"type": "str"},
        "ssl_policy": {"type": "str"},
        "target_group_arn": {"type": "str"},
        "redirect_to_https": {"type": "bool", "default": False},
        "fixed_response": {"type": "dict", "options": {
            "status_code": {"type": "str", "default": "404"},
            "content_type": {"type": "str", "default": "text/plain"},
            "message_body": {"type": "str"},
        }},
        "rules": {"type": "list", "elements": "dict", "options": {
            "priority": {"type": "int", "required": True},
            "path_patterns": {"type": "list", "elements": "str"},
            "host_headers": {"type": "list", "elements": "str"},
            "target_group_arn": {"type": "str", "required": True},
        }},
        "purge_rules": {"type": "bool", "default": True},
    }
    validation: t.Dict[str, t.Any] = {
        "mutually_exclusive": [("target_group_arn", "redirect_to_https", "fixed_response")],
        "required_one_of": [("target_group_arn", "redirect_to_https", "fixed_response")],
    }
    constraints = {
        "port": PORT,
        "fixed_response.status_code": Pattern("[245][0-9]{2}", "an HTTP status code 2XX, 4XX or 5XX"),
        "fixed_response.content_type": OneOf(FIXED_CONTENT_TYPES),
        "fixed_response.message_body": Pattern("(?s).{0,1024}", "at most 1024 characters"),
        "rules.priority": Range(1, 50000),
    }
    compare = {"rules": rules_differ}

    @property
    def name(self) -> str:
        return "%s:%s" % (self.params["load_balancer_arn"].rsplit("/", 2)[-2], self.params["port"])

    def preflight(self, current: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
        """A certificate the listener is to start serving must be issued: the load balancer refuses any other, and by then
        a plan may have changed much else. One ACM call, only when the certificate is new to the listener."""
        arn = self.params.get("certificate_arn")
        if self.params["protocol"] != "HTTPS" or not arn or (current or {}).get("certificate_arn") == arn:
            return []
        try:
            status = self.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]["Status"]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ResourceNotFoundException"):
                return ["certificate_arn %s is not a certificate of this account and region: request or import it in ACM in "
                        "%s, or give the ARN of one there." % (arn, self.client.region)]
            raise
        if status == "ISSUED":
            return []
        return ["certificate_arn %s is %s, not ISSUED: complete its validation (the DNS records ACM asks for), or give an "
                "issued certificate, then run again." % (arn, status)]

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {"protocol": params["protocol"], "default_action": default_action(params)}
        if params["protocol"] == "HTTPS":
            if not params.get("certificate_arn"):
                raise ResourceError("Listener %s uses HTTPS and has no certificate_arn: give the ACM certificate to serve."
                                    % self.name)
            wanted["certificate_arn"] = params["certificate_arn"]
            wanted["ssl_policy"] = params.get("ssl_policy") or DEFAULT_TLS_POLICY
        if params.get("rules") is not None:
            wanted["rules"] = desired_rules(params["rules"])
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[ListenerResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many listeners: one describe per load balancer they are on."""
        on: t.Dict[str, t.List[t.Dict[str, t.Any]]] = {}
        for resource in resources:
            balancer = resource.params["load_balancer_arn"]
            if balancer not in on:
                on[balancer] = resource.listeners()
        return [resource.state_of(on[resource.params["load_balancer_arn"]]) for resource in resources]

    def listeners(self) -> t.List[t.Dict[str, t.Any]]:
        return self.client("elbv2").describe_listeners(LoadBalancerArn=self.params["load_balancer_arn"])["Listeners"]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        return self.state_of(self.listeners())

    def state_of(self, listeners: t.List[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        """The state of this listener among its load balancer's (its rules read when the task sets them)."""
        found = next((item for item in listeners if item["Port"] == self.params["port"]), None)
        if found is None:
            return None
        state: t.Dict[str, t.Any] = {
            "arn": found["ListenerArn"],
            "port": found["Port"],
            "protocol": found.get("Protocol"),
            "certificate_arn": ((found.get("Certificates") or [{}])[0]).get("CertificateArn"),
            "ssl_policy": found.get("SslPolicy"),
            "default_action": action_view((found.get("DefaultActions") or [{}])[0]),
        }
        if self.params.get("rules") is not None:
            state["rules"] = current_rules(self.client("elbv2").describe_rules(ListenerArn=found["ListenerArn"])["Rules"])
        return state

    def listener_request(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {"Protocol": desired["protocol"], "DefaultActions": [desired["default_action"]]}
        if desired.get("certificate_arn"):
            request["Certificates"] = [{"CertificateArn": desired["certificate_arn"]}]
            request["SslPolicy"] = desired["ssl_policy"]
        return request

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        listener = self.client("elbv2").create_listener(LoadBalancerArn=self.params["load_balancer_arn"], Port=self.params["port"],
                                                        **self.listener_request(desired))["Listeners"][0]
        if desired.get("rules"):
            # A new listener has its default rule only.
            self.sync_rules({"arn": listener["ListenerArn"], "rules": {}}, desired["rules"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if set(changes) - {"rules"}:
            self.client("elbv2").modify_listener(ListenerArn=current["arn"], **self.listener_request(desired))
        if "rules" in changes:
            self.sync_rules(current, changes["rules"])

    def sync_rules(self, current: t.Dict[str, t.Any], wanted: t.Dict[str, t.Any]) -> None:
        """Create, modify or delete rules by priority, only where they differ."""
        elb = self.client("elbv2")
        have = current.get("rules") or {}
        for priority, rule in sorted(wanted.items()):
            actions = [{"Type": "forward", "TargetGroupArn": rule["target_group_arn"]}]
            existing = have.get(priority)
            if existing is None:
                elb.create_rule(ListenerArn=current["arn"], Priority=int(priority), Conditions=rule["conditions"], Actions=actions)
            elif as_written(existing) != rule:
                elb.modify_rule(RuleArn=existing["arn"], Conditions=rule["conditions"], Actions=actions)
        for priority in sorted(set(have) - set(wanted)) if self.params["purge_rules"] else []:
            elb.delete_rule(RuleArn=have[priority]["arn"])

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("elbv2").delete_listener(ListenerArn=current["arn"])
