"""Routes: normalisation, the target check, what EC2 returns, and the changes sent."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import route_table as rt
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


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
