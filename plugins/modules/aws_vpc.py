#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_vpc
short_description: Manage VPCs, known by their Name tag
version_added: 0.1.0
description:
  - Creates, updates or deletes a VPC identified by its C(Name) tag, with its CIDR block, DNS settings and tags.
  - The CIDR block and tenancy of a VPC cannot change. A task that asks for other values fails instead of replacing
    the VPC and everything in it.
  - The CIDR block is checked before any call (a valid IPv4 network, prefix /16 to /28).
  - Two VPCs with the same Name tag make the task fail, naming both ids.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Value of the VPC's C(Name) tag, which identifies it.
    type: str
    required: true
  state:
    description: Whether the VPC should exist. AWS refuses to delete a VPC that still holds subnets, gateways or interfaces.
    type: str
    choices: [present, absent]
    default: present
  cidr_block:
    description: IPv4 CIDR block of the VPC, such as C(10.0.0.0/16). Required with O(state=present).
    type: str
  enable_dns_support:
    description: Resolve DNS through the Amazon-provided DNS server.
    type: bool
    default: true
  enable_dns_hostnames:
    description: Give instances DNS host names (needed by RDS and interface endpoints).
    type: bool
    default: true
  instance_tenancy:
    description: Tenancy of instances launched in the VPC. Not compared when unset.
    type: str
    choices: [default, dedicated]
  wait:
    description: Wait until the VPC is available.
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
- name: VPC of the production environment
  agno.infra.aws_vpc:
    name: agent-app-prd
    cidr_block: 10.20.0.0/16
    tags:
      app: agent-app
  register: vpc
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
vpc:
  description: The VPC after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: VPC id.
      type: str
      sample: vpc-0a1b2c3d4e5f
    name:
      description: Name tag.
      type: str
    cidr_block:
      description: CIDR block.
      type: str
    state:
      description: pending or available.
      type: str
    instance_tenancy:
      description: Tenancy.
      type: str
    is_default:
      description: Whether it is the region's default VPC.
      type: bool
    enable_dns_support:
      description: DNS support.
      type: bool
    enable_dns_hostnames:
      description: DNS host names.
      type: bool
    tags:
      description: Tags, Name included.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(VpcResource)


if __name__ == "__main__":
    main()
