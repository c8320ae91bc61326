"""Security group rules, routes and CIDR checks: normalisation and set comparison; the declarations of the EC2 network types."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import internet_gateway as igw
from ansible_collections.agno.infra.plugins.module_utils._aws import nat_gateway as nat
from ansible_collections.agno.infra.plugins.module_utils._aws import route_table as rt
from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet
from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as sg
from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import parse_cidr, prefix_in_range
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


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


def test_a_pending_subnet_is_waited_for_until_available(monkeypatch: pytest.MonkeyPatch) -> None:
    states = iter(["pending", "pending", "available"])
    subnet = aws_subnet.SubnetResource(None, {"name": "app-a"})
    monkeypatch.setattr(subnet, "read", lambda: {"id": "subnet-1", "state": next(states)})
    assert subnet.wait({"id": "subnet-1", "state": "pending"}, 30) == {"id": "subnet-1", "state": "available"}
    assert subnet.wait({"id": "subnet-1", "state": "available"}, 30)["state"] == "available"


# ---- declarations: constraints, comparisons, refusals and slow deletions through converge ---------------------------
def test_security_group_constraints_report_every_bad_value_at_once() -> None:
    params = {"name": "sg-web", "description": "café", "ingress": [
        {"port": 70000, "cidr": "0.0.0.0/0"},
        {"port": 22, "source_security_group": "${sg-alb.id}"},
        {"port": 22, "cidr": "${vpc.cidr_block}", "protocol": "gre"},
    ], "egress": [{"protocol": "all", "cidr": "0.0.0.0/99", "description": "to <anywhere>"}]}
    assert sg.SecurityGroupResource.problems(params) == [
        "name is 'sg-web': use 1 to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-.",
        "description is 'café': use at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.",
        "ingress[0] has port 70000, outside 0-65535.",
        "egress[0] cidr '0.0.0.0/99' is not a valid IPv4 CIDR block ('0.0.0.0/99' does not appear to be an IPv4 or IPv6 "
        "network): write it as a network address and prefix, for example 10.0.0.0/16.",
        "egress[0].description is 'to <anywhere>': use at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.",
    ]


def test_a_rule_naming_its_own_group_gets_the_group_id_once_it_exists() -> None:
    views = sg.rule_views([("-1", None, None, "sg:app", None), ("tcp", 443, 443, "cidr:0.0.0.0/0", None)])
    assert sg.own_rules(views, "app", "sg-9") == {("-1", None, None, "sg:sg-9", None), ("tcp", 443, 443, "cidr:0.0.0.0/0", None)}


def route_table_answers(aws: t.Any, main: bool = False) -> t.Any:
    table = {"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "public"}],
             "Associations": [{"Main": main, "RouteTableAssociationId": "rtbassoc-1"}] + ([] if main else [
                 {"Main": False, "SubnetId": "subnet-a", "RouteTableAssociationId": "rtbassoc-2"}]),
             "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"},
                        {"DestinationCidrBlock": "10.9.0.0/16", "GatewayId": "igw-1"}]}
    return aws(describe_route_tables={"RouteTables": [table]})


def test_routes_compare_as_a_set_with_purge_routes_and_as_a_subset_without(aws: t.Any, resource: t.Any) -> None:
    routes = [{"destination": "10.9.0.0/16", "gateway_id": "igw-1"}, {"destination": "0.0.0.0/0", "gateway_id": "igw-1"}]
    same = route_table_answers(aws)
    assert converge(resource(rt.RouteTableResource, same, name="public", vpc_id="vpc-1", routes=routes)).action == "none"
    kept = route_table_answers(aws)
    assert converge(resource(rt.RouteTableResource, kept, name="public", vpc_id="vpc-1", routes=routes[1:], purge_routes=False)).action == "none"
    purged = route_table_answers(aws)
    assert converge(resource(rt.RouteTableResource, purged, name="public", vpc_id="vpc-1", routes=routes[1:])).changes == ["routes"]
    assert purged.writes() == ["delete_route"]
    assert purged.request("delete_route") == {"RouteTableId": "rtb-1", "DestinationCidrBlock": "10.9.0.0/16"}


def test_the_main_route_table_is_not_deleted_even_in_check_mode(aws: t.Any, resource: t.Any) -> None:
    client = route_table_answers(aws, main=True)
    for check_mode in (True, False):
        with pytest.raises(ResourceError) as refused:
            converge(resource(rt.RouteTableResource, client, name="public", vpc_id="vpc-1", state="absent"), present=False,
                     check_mode=check_mode)
        assert refused.value.msg == ("Route table public (rtb-1) is the main route table of VPC vpc-1, which AWS deletes only "
                                     "with the VPC: make another table the main one first, or delete the VPC.")
    assert client.writes() == []
    other = route_table_answers(aws)
    converge(resource(rt.RouteTableResource, other, name="public", vpc_id="vpc-1", state="absent"), present=False)
    assert other.writes() == ["disassociate_route_table", "delete_route_table"]


def nat_gateway_answers(aws: t.Any, sequence: t.Any, owned: bool, *states: str) -> t.Any:
    def gateway(state: str) -> t.Dict[str, t.Any]:
        return {"NatGatewayId": "nat-1", "SubnetId": "subnet-a", "State": state, "Tags": [{"Key": "Name", "Value": "egress"}],
                "NatGatewayAddresses": [{"AllocationId": "eipalloc-1"}]}
    after_delete = sequence(*[{"NatGateways": [gateway(state)]} for state in states])
    owner = [{"Key": nat.OWNER_TAG, "Value": "egress"}] if owned else []
    return aws(describe_nat_gateways=lambda **request: after_delete() if "NatGatewayIds" in request else {"NatGateways": [gateway("available")]},
               describe_addresses={"Addresses": [{"AllocationId": "eipalloc-1", "Tags": owner}]})


def test_a_nat_gateway_deletion_is_waited_for_on_the_engine_clock(aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = nat_gateway_answers(aws, sequence, False, "deleting", "deleting", "deleted")
    outcome = converge(resource(nat.NatGatewayResource, client, name="egress", state="absent"), present=False, wait=True,
                       wait_timeout=60, clock=clock)
    assert (outcome.action, client.writes(), clock.sleeps) == ("delete", ["delete_nat_gateway"], [5.0, 5.0])
    unwaited = nat_gateway_answers(aws, sequence, False, "deleting")
    converge(resource(nat.NatGatewayResource, unwaited, name="egress", state="absent", wait=False), present=False, clock=clock)
    assert clock.sleeps == [5.0, 5.0]


def test_a_nat_gateway_with_its_own_address_is_waited_for_then_the_address_released(
        aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = nat_gateway_answers(aws, sequence, True, "deleting", "deleted")
    converge(resource(nat.NatGatewayResource, client, name="egress", state="absent", wait=False), present=False, clock=clock)
    assert (client.writes(), clock.sleeps) == (["delete_nat_gateway", "release_address"], [5.0])
    stuck = nat_gateway_answers(aws, sequence, True, "deleting")
    with pytest.raises(ResourceError) as late:
        converge(resource(nat.NatGatewayResource, stuck, name="egress", state="absent"), present=False, wait_timeout=20, clock=clock)
    assert late.value.msg == "NAT gateway egress is still being deleted after 20 s: raise wait_timeout, or run again later."
    assert "release_address" not in stuck.writes()
