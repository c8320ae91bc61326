# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route table as a lifecycle resource: routes and subnet associations compared as sets, only differences sent."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, parse_cidr, require_vpc, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import CREATE, DELETE, Refusal, ResourceError, as_set, purge, subset

#: Route target options and the EC2 field each one maps to, in the order a route read from EC2 is matched.
TARGETS = (
    ("gateway_id", "GatewayId"),
    ("nat_gateway_id", "NatGatewayId"),
    ("transit_gateway_id", "TransitGatewayId"),
    ("vpc_peering_connection_id", "VpcPeeringConnectionId"),
    ("network_interface_id", "NetworkInterfaceId"),
)
ROUTE_OPTIONS: t.Dict[str, t.Any] = dict(
    {"destination": {"type": "str", "required": True}},
    **{option: {"type": "str"} for option, _field in TARGETS}
)

# A route: {"destination": "0.0.0.0/0", "<target option>": "<id>"}
Route = t.Dict[str, str]


def normalise_route(spec: t.Dict[str, t.Any], where: str) -> Route:
    """One route of the task with its destination canonical and exactly one target."""
    targets = [(option, spec[option]) for option, _field in TARGETS if spec.get(option)]
    if len(targets) != 1:
        raise ResourceError("%s needs exactly one target (%s); it has %s." % (
            where, ", ".join(option for option, _field in TARGETS), ", ".join(option for option, _value in targets) or "none"))
    destination = str(parse_cidr(spec["destination"], where + " destination"))
    return {"destination": destination, targets[0][0]: targets[0][1]}


def normalise_routes(specs: t.List[t.Dict[str, t.Any]]) -> t.List[Route]:
    routes = [normalise_route(spec, "routes[%d]" % index) for index, spec in enumerate(specs)]
    destinations = [route["destination"] for route in routes]
    repeated = sorted({item for item in destinations if destinations.count(item) > 1})
    if repeated:
        raise ResourceError("routes lists destination %s more than once: keep one route per destination." % ", ".join(repeated))
    return sorted(routes, key=lambda route: route["destination"])


def routes_from_api(routes: t.List[t.Dict[str, t.Any]]) -> t.List[Route]:
    """EC2's routes as the task writes them; the VPC's local route, propagated and IPv6 routes are not ours to manage."""
    found = []
    for route in routes:
        if route.get("GatewayId") == "local" or route.get("Origin") == "EnableVgwRoutePropagation" \
                or not route.get("DestinationCidrBlock"):
            continue
        target = next(((option, route[field]) for option, field in TARGETS if route.get(field)), None)
        if target:
            found.append({"destination": route["DestinationCidrBlock"], target[0]: target[1]})
    return sorted(found, key=lambda item: item["destination"])


def route_changes(current: t.List[Route], desired: t.List[Route],
                  purge: bool) -> t.Tuple[t.List[Route], t.List[Route], t.List[Route]]:
    """Routes to create, to point elsewhere (same destination, other target) and to delete."""
    have = {route["destination"]: route for route in current}
    want = {route["destination"]: route for route in desired}
    create = [route for destination, route in sorted(want.items()) if destination not in have]
    replace = [route for destination, route in sorted(want.items()) if destination in have and have[destination] != route]
    delete = [route for destination, route in sorted(have.items()) if purge and destination not in want]
    return create, replace, delete


def route_request(route: Route) -> t.Dict[str, str]:
    """The destination and target arguments of create_route and replace_route."""
    fields = dict(TARGETS)
    return dict({"DestinationCidrBlock": route["destination"]},
                **{fields[option]: value for option, value in route.items() if option != "destination"})


class RouteTableResource(Ec2Resource):
    kind = "route table"
    result_key = "route_table"
    describe_call, result_list, id_key = "describe_route_tables", "RouteTables", "RouteTableId"
    scope_filter = ("vpc-id", "vpc_id")
    # Routes are sorted by destination, one per destination: with purge_routes they must be the task's, else include them.
    compare = {"routes": purge("purge_routes", as_set, subset)}
    refusals = (Refusal("Route table {name} ({id}) is the main route table of VPC {current[vpc_id]}, which AWS deletes only "
                        "with the VPC: make another table the main one first, or delete the VPC.", actions=(DELETE,),
                        blockers=lambda resource, current: current["main"]),)

    module_name = "aws_route_table"
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        vpc_id={"type": "str", "required": True},
        routes={"type": "list", "elements": "dict", "options": ROUTE_OPTIONS},
        purge_routes={"type": "bool", "default": True},
        subnet_ids={"type": "list", "elements": "str"},
    )
    locator = ("name", "vpc_id")

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {}
        if self.params.get("routes") is not None:
            wanted["routes"] = normalise_routes(self.params["routes"])
        if self.params.get("subnet_ids") is not None:
            wanted["subnet_ids"] = sorted(set(self.params["subnet_ids"]))
        wanted.update(self.desired_tag_field())
        return wanted

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        associations = found.get("Associations") or []
        return {
            "id": found["RouteTableId"],
            "name": self.name,
            "vpc_id": found["VpcId"],
            "main": any(item.get("Main") for item in associations),
            "routes": routes_from_api(found.get("Routes") or []),
            "subnet_ids": sorted(item["SubnetId"] for item in associations if item.get("SubnetId")),
            "associations": {item["SubnetId"]: item["RouteTableAssociationId"] for item in associations if item.get("SubnetId")},
            "tags": ec2_tags(found),
        }

    def public(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {key: value for key, value in state.items() if key != "associations"}

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        # Not a refusal but a look-up: a wrong VPC id fails before anything is created.
        if action == CREATE:
            require_vpc(self.client("ec2"), self.params["vpc_id"], "route table %s" % self.name)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        table = self.client("ec2").create_route_table(
            VpcId=self.params["vpc_id"], TagSpecifications=tag_specifications("route-table", self.all_tags()))["RouteTable"]
        return self.complete(self.state_of(table), desired, ("routes", "subnet_ids"))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "routes" in changes:
            self.sync_routes(current, changes["routes"])
        if "subnet_ids" in changes:
            self.sync_subnets(current, changes["subnet_ids"])
        self.update_tags(current["id"], current, changes)

    def sync_routes(self, current: t.Dict[str, t.Any], desired: t.List[Route]) -> None:
        ec2 = self.client("ec2")
        create, replace, delete = route_changes(current["routes"], desired, self.params["purge_routes"])
        for route in delete:
            ec2.delete_route(RouteTableId=current["id"], DestinationCidrBlock=route["destination"])
        for route in replace:
            ec2.replace_route(RouteTableId=current["id"], **route_request(route))
        for route in create:
            ec2.create_route(RouteTableId=current["id"], **route_request(route))

    def sync_subnets(self, current: t.Dict[str, t.Any], desired: t.List[str]) -> None:
        ec2 = self.client("ec2")
        for subnet_id in sorted(set(current["subnet_ids"]) - set(desired)):
            ec2.disassociate_route_table(AssociationId=current["associations"][subnet_id])
        added = sorted(set(desired) - set(current["subnet_ids"]))
        elsewhere = self.associations_elsewhere(added)
        for subnet_id in added:
            if subnet_id in elsewhere:
                # A subnet has one route table: move it over in one call rather than failing on "already associated".
                ec2.replace_route_table_association(AssociationId=elsewhere[subnet_id], RouteTableId=current["id"])
            else:
                ec2.associate_route_table(RouteTableId=current["id"], SubnetId=subnet_id)

    def associations_elsewhere(self, subnet_ids: t.List[str]) -> t.Dict[str, str]:
        """Association ids of the given subnets with other route tables (one call, and none when nothing is added)."""
        if not subnet_ids:
            return {}
        tables = self.client("ec2").describe_route_tables(
            Filters=[{"Name": "association.subnet-id", "Values": subnet_ids}])["RouteTables"]
        return {item["SubnetId"]: item["RouteTableAssociationId"] for table in tables
                for item in table.get("Associations") or [] if item.get("SubnetId") in subnet_ids}

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        ec2 = self.client("ec2")
        for association_id in current["associations"].values():  # AWS refuses to delete an associated table
            ec2.disassociate_route_table(AssociationId=association_id)
        ec2.delete_route_table(RouteTableId=current["id"])
