#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_route_table
short_description: Manage VPC route tables, their routes and subnet associations
version_added: 0.1.0
description:
  - Creates, updates or deletes a route table identified by its C(Name) tag within a VPC, with its routes, the subnets
    associated with it and its tags.
  - Routes are compared as a set, keyed by destination, after normalising the CIDR. Only the routes that differ are
    created, replaced or deleted. The VPC's local route, propagated routes and IPv6 routes are left alone.
  - Subnet associations are compared as a set. A subnet associated with another table is moved to this one.
  - Inputs are checked before any call; each route needs a valid IPv4 destination and exactly one target.
  - Deleting a table removes its subnet associations first. The main route table of a VPC is never deleted.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Value of the table's C(Name) tag, unique within the VPC.
    type: str
    required: true
  state:
    description: Whether the table should exist.
    type: str
    choices: [present, absent]
    default: present
  vpc_id:
    description: Id of the VPC.
    type: str
    required: true
  routes:
    description: Routes of the table. Not managed when unset; an empty list removes all (with O(purge_routes=true)).
    type: list
    elements: dict
    suboptions:
      destination:
        description: IPv4 CIDR block the route matches, such as C(0.0.0.0/0).
        type: str
        required: true
      gateway_id:
        description: Id of an internet gateway or virtual private gateway.
        type: str
      nat_gateway_id:
        description: Id of a NAT gateway.
        type: str
      transit_gateway_id:
        description: Id of a transit gateway.
        type: str
      vpc_peering_connection_id:
        description: Id of a VPC peering connection.
        type: str
      network_interface_id:
        description: Id of a network interface (of an instance that routes traffic, say).
        type: str
  purge_routes:
    description: Delete the routes the task does not list (when O(routes) is set).
    type: bool
    default: true
  subnet_ids:
    description: Ids of the subnets associated with the table, exactly. Not managed when unset; an empty list removes all.
    type: list
    elements: str
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Public subnets reach the internet through the internet gateway
  agno.infra.aws_route_table:
    name: agent-app-prd-public
    vpc_id: "{{ vpc.vpc.id }}"
    routes:
      - {destination: 0.0.0.0/0, gateway_id: "{{ igw.internet_gateway.id }}"}
    subnet_ids: "{{ public_subnets.results | map(attribute='subnet.id') | list }}"

- name: Private subnets go out through the NAT gateway
  agno.infra.aws_route_table:
    name: agent-app-prd-private
    vpc_id: "{{ vpc.vpc.id }}"
    routes:
      - {destination: 0.0.0.0/0, nat_gateway_id: "{{ nat.nat_gateway.id }}"}
    subnet_ids: "{{ private_subnets.results | map(attribute='subnet.id') | list }}"
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
route_table:
  description: The table after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Route table id.
      type: str
      sample: rtb-0a1b2c3d4e5f
    name:
      description: Name tag.
      type: str
    vpc_id:
      description: VPC id.
      type: str
    main:
      description: Whether it is the VPC's main route table.
      type: bool
    routes:
      description: Managed routes (the local route left out), each with destination and its one target option.
      type: list
      elements: dict
      sample: [{destination: 0.0.0.0/0, nat_gateway_id: nat-0a1b2c3d4e5f}]
    subnet_ids:
      description: Ids of the associated subnets, sorted.
      type: list
      elements: str
    tags:
      description: Tags, Name included.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.route_table import RouteTableResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(RouteTableResource)


if __name__ == "__main__":
    main()
