"""Security group rule normalisation and CIDR checks."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils import aws_security_group as sg
from ansible_collections.agno.infra.plugins.module_utils.aws_ec2 import parse_cidr, prefix_in_range
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import ResourceError


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


def test_cidr_checks() -> None:
    assert str(parse_cidr("10.0.0.0/16", "cidr_block")) == "10.0.0.0/16"
    with pytest.raises(ResourceError, match="host bits set"):
        parse_cidr("10.0.0.1/16", "cidr_block")
    with pytest.raises(ResourceError, match="is IPv6"):
        parse_cidr("2001:db8::/32", "cidr_block")
    with pytest.raises(ResourceError, match="AWS allows /16 to /28"):
        prefix_in_range(parse_cidr("10.0.0.0/8", "cidr_block"), "cidr_block")
