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
  - AWS refuses to delete a VPC that still holds subnets, gateways or network interfaces; remove them first.
author:
  - agno.infra contributors (@agno-agi)
options:
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
    description: Wait until a new VPC is available (it starts as pending).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the VPC.
    type: int
    default: 300
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.ec2, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: VPC of the production environment, with DNS host names
  agno.infra.aws_vpc:
    name: agent-app-prd
    cidr_block: 10.20.0.0/16
    tags:
      app: agent-app
  register: vpc

- name: The subnets it holds come from its id
  ansible.builtin.debug:
    msg: "Subnets go into {{ vpc.vpc.id }} ({{ vpc.vpc.cidr_block }})"
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
vpc:
  description:
    - The VPC after the task; empty when it is absent. C(name), C(cidr_block), C(instance_tenancy),
      C(enable_dns_support) and C(enable_dns_hostnames) hold the VPC's values of the options of those names; C(tags)
      holds all its tags, C(Name) included.
  returned: always
  type: dict
  sample:
    id: vpc-0a1b2c3d4e5f
    name: agent-app-prd
    cidr_block: 10.20.0.0/16
    state: available
    instance_tenancy: default
    is_default: false
    enable_dns_support: true
    enable_dns_hostnames: true
    tags: {Name: agent-app-prd, app: agent-app}
  contains:
    is_default:
      description: Whether it is the region's default VPC.
      type: bool
    state:
      description: pending or available.
      type: str
    id:
      description: VPC id, which subnets, gateways and security groups take as C(vpc_id).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(VpcResource)


if __name__ == "__main__":
    main()
