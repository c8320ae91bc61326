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
    description: Wait until the load balancer is active; a new one provisions for a few minutes.
    type: bool
    default: true
  wait_timeout:
    description: Seconds it may take to become active.
    type: int
    default: 600
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
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
load_balancer:
  description:
    - The load balancer after the task; empty when it is absent. C(name), C(scheme), C(subnets), C(security_groups)
      (both sorted) and C(ip_address_type) hold its values, C(tags) its tags when the task manages them.
  returned: always
  type: dict
  sample:
    name: agent-app-prd
    arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/agent-app-prd/0a1b2c3d4e5f6a7b
    dns_name: agent-app-prd-1234567890.eu-west-1.elb.amazonaws.com
    hosted_zone_id: Z32O12XQLNTSW2
    scheme: internet-facing
    vpc_id: vpc-0a1b2c3d4e5f
    state: active
    subnets: [subnet-0a1b2c3d4e5f, subnet-1b2c3d4e5f6a]
    security_groups: [sg-0a1b2c3d4e5f]
    ip_address_type: ipv4
    attributes:
      deletion_protection.enabled: "false"
      idle_timeout.timeout_seconds: "300"
      routing.http.drop_invalid_header_fields.enabled: "true"
  contains:
    arn:
      description: ARN, which listeners and auto scaling take.
      type: str
    hosted_zone_id:
      description: Route 53 zone of the DNS name, for alias records.
      type: str
    state:
      description: C(provisioning), C(active) or C(failed).
      type: str
    attributes:
      description: The load balancer attributes by ELBv2 key, as strings.
      type: dict
    vpc_id:
      description: VPC of its subnets.
      type: str
    dns_name:
      description: DNS name to point the app's domain at (a CNAME or an alias record).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.load_balancer import LoadBalancerResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(LoadBalancerResource)


if __name__ == "__main__":
    main()
