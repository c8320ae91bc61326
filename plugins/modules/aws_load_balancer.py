#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_load_balancer
short_description: Manage application load balancers
version_added: 0.1.0
description:
  - Creates, updates or deletes an application load balancer with its subnets, security groups, attributes and tags.
  - Secure by default. The load balancer is C(internal) unless the task asks for C(internet-facing), and it drops
    invalid HTTP header fields.
  - Subnets and security groups are compared as sets; only the attributes the task manages are compared.
  - A different scheme replaces the load balancer (and changes its DNS name). Deletion is refused while deletion
    protection is on.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name (1 to 32 letters, digits and hyphens, not starting or ending with a hyphen nor starting with
      C(internal-)).
    type: str
    required: true
  state:
    description: Whether the load balancer should exist.
    type: str
    choices: [present, absent]
    default: present
  scheme:
    description: C(internet-facing) for a public entry point, C(internal) otherwise.
    type: str
    choices: [internal, internet-facing]
    default: internal
  subnets:
    description: Subnets in at least two availability zones (public ones for internet-facing). Required with O(state=present).
    type: list
    elements: str
  security_groups:
    description: Security groups. Not managed when unset.
    type: list
    elements: str
  ip_address_type:
    description: IPv4 only or dual stack.
    type: str
    choices: [ipv4, dualstack]
    default: ipv4
  idle_timeout:
    description: Idle connection timeout in seconds, 1 to 4000 (Streamlit's websockets like a long one). Not managed when
      unset.
    type: int
  deletion_protection:
    description: Refuse deletion while on.
    type: bool
    default: false
  drop_invalid_header_fields:
    description: Drop HTTP headers with invalid names instead of passing them to the targets.
    type: bool
    default: true
  wait:
    description: Wait until the load balancer is active.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Public entry point of the app
  agno.infra.aws_load_balancer:
    name: agent-app-prd
    scheme: internet-facing
    subnets: "{{ public_subnet_ids }}"
    security_groups: ["{{ alb_sg_id }}"]
    idle_timeout: 300
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
load_balancer:
  description: The load balancer after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    dns_name:
      description: DNS name to point a domain at.
      type: str
    hosted_zone_id:
      description: Route 53 zone of the DNS name, for alias records.
      type: str
    scheme:
      description: internal or internet-facing.
      type: str
    vpc_id:
      description: VPC.
      type: str
    state:
      description: provisioning or active.
      type: str
    subnets:
      description: Subnets.
      type: list
      elements: str
    security_groups:
      description: Security groups.
      type: list
      elements: str
    attributes:
      description: Attributes.
      type: dict
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.load_balancer import LoadBalancerResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(LoadBalancerResource)


if __name__ == "__main__":
    main()
