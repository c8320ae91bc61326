"""Route tables: route normalisation and the target check, what EC2 returns, and converges that send only the differences."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import route_table as rt
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2
from ansible_collections.agno.infra.tests.unit.support import task_resource


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


class Tables(FakeEc2):
    """EC2's route table calls: a new table has the VPC's local route; a subnet has one table at a time."""

    def create_route_table(self, VpcId: str, TagSpecifications: t.List[t.Any]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        local = {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"}
        return {"RouteTable": dict(self.add("rtb", "RouteTableId", {"VpcId": VpcId, "Routes": [local], "Associations": []},
                                            self.tagged(TagSpecifications)))}

    def routes(self, table: str) -> t.List[t.Dict[str, t.Any]]:
        return t.cast(t.List[t.Dict[str, t.Any]], self.objects[table]["Routes"])

    def create_route(self, RouteTableId: str, **route: str) -> None:  # pylint: disable=invalid-name
        self.routes(RouteTableId).append(dict(route, State="active", Origin="CreateRoute"))

    def replace_route(self, RouteTableId: str, **route: str) -> None:  # pylint: disable=invalid-name
        self.delete_route(RouteTableId, route["DestinationCidrBlock"])
        self.create_route(RouteTableId, **route)

    def delete_route(self, RouteTableId: str, DestinationCidrBlock: str) -> None:  # pylint: disable=invalid-name
        self.objects[RouteTableId]["Routes"] = [item for item in self.routes(RouteTableId)
                                                if item["DestinationCidrBlock"] != DestinationCidrBlock]

    def associate(self, table: str, subnet: str) -> str:
        association = "rtbassoc-%08x" % next(self.numbers)
        self.objects[table]["Associations"].append({"Main": False, "RouteTableAssociationId": association, "RouteTableId": table,
                                                    "SubnetId": subnet, "AssociationState": {"State": "associated"}})
        return association

    def associate_route_table(self, RouteTableId: str, SubnetId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"AssociationId": self.associate(RouteTableId, SubnetId)}

    def unlink(self, association: str) -> str:
        """Remove an association wherever it is; the subnet it linked."""
        for found in self.objects.values():
            for item in found.get("Associations") or []:
                if item["RouteTableAssociationId"] == association:
                    found["Associations"].remove(item)
                    return str(item["SubnetId"])
        raise AssertionError("no association " + association)

    def disassociate_route_table(self, AssociationId: str) -> None:  # pylint: disable=invalid-name
        self.unlink(AssociationId)

    def replace_route_table_association(self, AssociationId: str, RouteTableId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"NewAssociationId": self.associate(RouteTableId, self.unlink(AssociationId))}

    def delete_route_table(self, RouteTableId: str) -> None:  # pylint: disable=invalid-name
        assert not self.objects[RouteTableId]["Associations"], "AWS refuses to delete an associated table"
        del self.objects[RouteTableId]


def table(aws: FakeAws, vpc_id: str, **options: t.Any) -> rt.RouteTableResource:
    return task_resource(rt.RouteTableResource, aws, **dict({"name": "private", "vpc_id": vpc_id}, **options))


NAT = [{"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"}]


def test_create_with_routes_and_subnets_then_rerun_changes_nothing() -> None:
    ec2 = Tables()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    created = converge(table(aws, vpc_id, routes=NAT, subnet_ids=["subnet-b", "subnet-a"]))
    assert created.action == "create"
    assert aws.writes() == ["create_route_table", "create_route", "associate_route_table", "associate_route_table"]
    assert (created.state["routes"], created.state["subnet_ids"], created.state["main"]) == (
        [{"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"}], ["subnet-a", "subnet-b"], False)
    assert "associations" not in created.state
    aws.clear()
    assert converge(table(aws, vpc_id, routes=NAT, subnet_ids=["subnet-a", "subnet-b"])).changed is False
    assert aws.writes() == []


def test_a_route_is_pointed_elsewhere_and_a_subnet_moved_over_from_another_table() -> None:
    ec2 = Tables()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    other = converge(table(aws, vpc_id, name="public", subnet_ids=["subnet-c"])).state["id"]
    converge(table(aws, vpc_id, routes=NAT))
    aws.clear()
    outcome = converge(table(aws, vpc_id, routes=[{"destination": "0.0.0.0/0", "gateway_id": "igw-1"}], subnet_ids=["subnet-c"]))
    assert outcome.changes == ["routes", "subnet_ids"]
    assert aws.writes() == ["replace_route", "replace_route_table_association"]
    assert outcome.state["routes"] == [{"destination": "0.0.0.0/0", "gateway_id": "igw-1"}]
    assert outcome.state["subnet_ids"] == ["subnet-c"] and ec2.objects[other]["Associations"] == []


def test_routes_of_others_stay_without_purge_routes() -> None:
    ec2 = Tables()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    converge(table(aws, vpc_id, routes=NAT))
    peering = [{"destination": "172.16.0.0/12", "vpc_peering_connection_id": "pcx-1"}]
    aws.clear()
    assert converge(table(aws, vpc_id, routes=peering, purge_routes=False)).state["routes"] == [
        {"destination": "0.0.0.0/0", "nat_gateway_id": "nat-1"}, peering[0]]
    assert aws.writes() == ["create_route"]
    aws.clear()
    assert converge(table(aws, vpc_id, routes=peering, purge_routes=False)).changed is False
    assert converge(table(aws, vpc_id, routes=peering)).state["routes"] == peering


def test_delete_disassociates_first_and_the_main_table_is_refused() -> None:
    ec2 = Tables()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    converge(table(aws, vpc_id, subnet_ids=["subnet-a"]))
    aws.clear()
    assert converge(table(aws, vpc_id, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["disassociate_route_table", "delete_route_table"]
    main = ec2.add("rtb", "RouteTableId", {"VpcId": vpc_id, "Routes": [], "Associations": [
        {"Main": True, "RouteTableAssociationId": "rtbassoc-main", "AssociationState": {"State": "associated"}}]}, {"Name": "main"})
    with pytest.raises(ResourceError) as raised:
        converge(table(aws, vpc_id, name="main", state="absent"), present=False, check_mode=True)
    assert raised.value.msg == ("Route table main (%s) is the main route table of VPC %s, which AWS deletes only with the VPC: "
                                "make another table the main one first, or delete the VPC." % (main["RouteTableId"], vpc_id))


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
