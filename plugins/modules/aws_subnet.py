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
  - Creates, updates or deletes a subnet identified by its C(Name) tag within a VPC.
  - The CIDR block is checked before any call (valid IPv4, /16 to /28), and on creation it must lie inside the VPC.
  - Instances get no public IP unless O(map_public_ip=true).
  - A different CIDR block or availability zone replaces the subnet (AWS cannot change them).
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Value of the subnet's C(Name) tag, unique within the VPC.
    type: str
    required: true
  state:
    description: Whether the subnet should exist.
    type: str
    choices: [present, absent]
    default: present
  vpc_id:
    description: Id of the VPC.
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
    description: Wait until the subnet is available (a new one starts as pending).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 300
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Private subnet for the app tasks
  agno.infra.aws_subnet:
    name: agent-app-prd-private-a
    vpc_id: "{{ vpc.vpc.id }}"
    cidr_block: 10.20.10.0/24
    availability_zone: eu-west-1a
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
subnet:
  description: The subnet after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Subnet id.
      type: str
    name:
      description: Name tag.
      type: str
    vpc_id:
      description: VPC id.
      type: str
    cidr_block:
      description: CIDR block.
      type: str
    availability_zone:
      description: Availability zone.
      type: str
    map_public_ip:
      description: Whether instances get a public IP.
      type: bool
    available_ip_addresses:
      description: Free addresses.
      type: int
    state:
      description: pending or available.
      type: str
    tags:
      description: Tags, Name included.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.subnet import SubnetResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(SubnetResource)


if __name__ == "__main__":
    main()
