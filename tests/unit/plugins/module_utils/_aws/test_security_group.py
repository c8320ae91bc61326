"""Security group rules: normalisation, round trips through EC2's permissions, and set comparison."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as sg
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


def ids(reference: str) -> str:
    return {"alb": "sg-123"}.get(reference, reference)


def test_equivalent_rules_normalise_to_one() -> None:
    one = sg.normalise_rule({"protocol": "TCP", "port": 443, "cidr": "0.0.0.0/0"}, "r", ids)
    two = sg.normalise_rule({"protocol": "6", "from_port": 443, "to_port": 443, "cidr": "0.0.0.0/0"}, "r", ids)
    assert one == two == ("tcp", 443, 443, "cidr:0.0.0.0/0", None)


def test_all_protocol_has_no_ports_and_groups_resolve() -> None:
    assert sg.normalise_rule({"protocol": "all", "source_security_group": "alb"}, "r", ids) == ("-1", None, None, "sg:sg-123", None)


def test_permissions_round_trip() -> None:
    rules = [("tcp", 8000, 8000, "sg:sg-123", "from alb"), ("-1", None, None, "cidr:10.0.0.0/16", None)]
    assert sg.rules_from_permissions([sg.permission(rule) for rule in rules]) == sorted(rules, key=str)


@pytest.mark.parametrize("spec, message", [
    ({"port": 70000, "cidr": "0.0.0.0/0"}, "outside 0-65535"),
    ({"from_port": 90, "to_port": 80, "cidr": "0.0.0.0/0"}, "above to_port"),
    ({"port": 1, "from_port": 1, "cidr": "0.0.0.0/0"}, "sets port and from_port"),
    ({"port": 22}, "exactly one of cidr"),
    ({"port": 22, "cidr": "0.0.0.0/0", "source_security_group": "alb"}, "exactly one of cidr"),
    ({"port": 22, "protocol": "gre", "cidr": "0.0.0.0/0"}, "protocol 'gre'"),
])
def test_bad_rules_name_the_problem(spec: dict, message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        sg.normalise_rule(spec, "ingress[0]", ids)


def security_group(purge: bool) -> sg.SecurityGroupResource:
    return sg.SecurityGroupResource(None, {"name": "app", "vpc_id": "vpc-1", "purge_rules": purge, "purge_tags": True})


def test_rule_views_round_trip_in_stable_order() -> None:
    rules = [("tcp", 8000, 8000, "sg:sg-123", "from alb"), ("-1", None, None, "cidr:10.0.0.0/16", None)]
    views = sg.rule_views(rules + rules[:1])
    assert views == sg.rule_views(reversed(rules))
    assert views[0] == {"protocol": "all", "from_port": None, "to_port": None, "cidr": "10.0.0.0/16"}
    assert [sg.rule_key(view) for view in views] == sorted(rules, key=str)


def test_rules_compare_as_sets_with_and_without_purge() -> None:
    https = sg.rule_view(("tcp", 443, 443, "cidr:0.0.0.0/0", None))
    ssh = sg.rule_view(("tcp", 22, 22, "cidr:10.0.0.0/16", None))
    assert not security_group(True).differs("ingress", [ssh, https], [https, ssh])
    assert security_group(True).differs("ingress", [ssh, https], [https])
    assert not security_group(False).differs("ingress", [ssh, https], [https])
    assert security_group(False).differs("ingress", [ssh], [https])
