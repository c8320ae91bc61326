#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_subnet
short_description: Manage VPC subnets, known by their Name tag
version_added: 0.1.0
description:
  - Creates, updates or deletes a subnet identified by its C(Name) tag within the VPC O(vpc_id).
  - The CIDR block is checked before any call (valid IPv4, /16 to /28), and on creation it must lie inside the VPC.
  - Instances get no public IP unless O(map_public_ip=true).
  - A different CIDR block or availability zone replaces the subnet (AWS cannot change them).
author:
  - agno.infra contributors (@agno-agi)
options:
  vpc_id:
    description: Id of the VPC the subnet belongs to; its Name tag is unique there.
    type: str
    required: true
  cidr_block:
    description: IPv4 CIDR block inside the VPC's range. Required with O(state=present).
    type: str
  availability_zone:
    description: Availability zone, such as C(eu-west-1a); AWS picks one when unset (and it is not compared then).
    type: str
  map_public_ip:
    description: Give instances launched in the subnet a public IPv4 address.
    type: bool
    default: false
  wait:
    description: Wait while a new subnet is pending, until AWS reports it available.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait at most.
    type: int
    default: 300
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.ec2, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Private subnet for the app tasks, one per availability zone
  agno.infra.aws_subnet:
    name: "agent-app-prd-private-{{ item.zone[-1] }}"
    vpc_id: "{{ vpc.vpc.id }}"
    cidr_block: "{{ item.cidr }}"
    availability_zone: "{{ item.zone }}"
  loop:
    - {zone: eu-west-1a, cidr: 10.20.10.0/24}
    - {zone: eu-west-1b, cidr: 10.20.11.0/24}
  register: private_subnets

- name: Public subnet for the load balancer
  agno.infra.aws_subnet:
    name: agent-app-prd-public-a
    vpc_id: "{{ vpc.vpc.id }}"
    cidr_block: 10.20.0.0/24
    map_public_ip: true
"""

RETURN = r"""
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
subnet:
  description:
    - The subnet after the task; empty when it is absent. C(name), C(vpc_id), C(cidr_block), C(availability_zone) and
      C(map_public_ip) hold the subnet's own values of those options, and C(tags) all its tags with C(Name).
  returned: always
  type: dict
  sample:
    id: subnet-0a1b2c3d4e5f
    name: agent-app-prd-private-a
    vpc_id: vpc-0a1b2c3d4e5f
    cidr_block: 10.20.10.0/24
    availability_zone: eu-west-1a
    map_public_ip: false
    available_ip_addresses: 251
    state: available
    tags: {Name: agent-app-prd-private-a}
  contains:
    state:
      description: C(pending) or C(available).
      type: str
    available_ip_addresses:
      description: Addresses still free.
      type: int
    id:
      description: Subnet id, as load balancers, ECS services and DB subnet groups take it.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.subnet import SubnetResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(SubnetResource)


if __name__ == "__main__":
    main()
