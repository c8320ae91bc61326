"""Security group rules, routes and CIDR checks: normalisation and set comparison."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import internet_gateway as igw
from ansible_collections.agno.infra.plugins.module_utils._aws import route_table as rt
from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet
from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as sg
from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import parse_cidr, prefix_in_range
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError


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


def test_route_normalisation_and_target_check() -> None:
    assert rt.normalise_route({"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1", "gateway_id": None}, "r") == \
        {"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"}
    with pytest.raises(ResourceError, match="needs exactly one target .* it has none"):
        rt.normalise_route({"destination": "0.0.0.0/0"}, "routes[0]")
    with pytest.raises(ResourceError, match="it has gateway_id, nat_gateway_id"):
        rt.normalise_route({"destination": "0.0.0.0/0", "gateway_id": "igw-1", "nat_gateway_id": "nat-1"}, "routes[0]")
    with pytest.raises(ResourceError, match="more than once"):
        rt.normalise_routes([{"destination": "10.0.0.0/8", "gateway_id": "igw-1"},
                             {"destination": "10.0.0.0/8", "nat_gateway_id": "nat-1"}])


def test_routes_from_api_skip_local_propagated_and_ipv6() -> None:
    api = [
        {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
        {"DestinationCidrBlock": "172.16.0.0/12", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation"},
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1"},
        {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"},
        {"DestinationCidrBlock": "192.168.0.0/16", "InstanceId": "i-1", "NetworkInterfaceId": "eni-1"},
    ]
    assert rt.routes_from_api(api) == [{"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"},
                                       {"destination": "192.168.0.0/16", "network_interface_id": "eni-1"}]


def test_route_changes_create_replace_and_purge() -> None:
    current = [{"destination": "0.0.0.0/0", "gateway_id": "igw-1"}, {"destination": "10.9.0.0/16", "gateway_id": "igw-1"}]
    desired = [{"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"}, {"destination": "192.168.0.0/16", "gateway_id": "igw-1"}]
    create, replace, delete = rt.route_changes(current, desired, purge=True)
    assert create == [desired[1]] and replace == [desired[0]] and delete == [current[1]]
    assert rt.route_changes(current, desired, purge=False)[2] == []
    assert rt.route_changes(current, list(reversed(current)), purge=True) == ([], [], [])
    assert rt.route_request(desired[0]) == {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}


def test_internet_gateway_attachment() -> None:
    assert igw.attached_vpc({"Attachments": [{"State": "available", "VpcId": "vpc-1"}]}) == "vpc-1"
    assert igw.attached_vpc({"Attachments": [{"State": "detached", "VpcId": "vpc-1"}]}) is None
    assert igw.attached_vpc({}) is None


def test_a_pending_subnet_is_waited_for_until_available(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    states = iter(["pending", "pending", "available"])
    subnet = aws_subnet.SubnetResource(None, {"name": "app-a"})
    subnet.clock = clock
    monkeypatch.setattr(subnet, "read", lambda: {"id": "subnet-1", "state": next(states)})
    assert subnet.wait({"id": "subnet-1", "state": "pending"}, 30) == {"id": "subnet-1", "state": "available"}
    assert subnet.wait({"id": "subnet-1", "state": "available"}, 30)["state"] == "available"
