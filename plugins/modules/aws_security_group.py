#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_security_group
short_description: Manage VPC security groups and their rules
version_added: 0.1.0
description:
  - Creates, updates or deletes a security group of a VPC with its ingress and egress rules and tags.
  - Rules are compared as sets after normalising (protocol names and numbers, one port or a range, CIDR in canonical
    form, source groups by id or by name). Only the rules that differ are authorized or revoked, one call per direction.
  - Inputs are checked before any call, every problem of the task reported at once; ports must be 0-65535, CIDRs
    valid, and each rule needs exactly one of O(ingress[].cidr) and O(ingress[].source_security_group).
  - When O(egress) is unset, the egress rules (by default AWS allows all outbound traffic) are left alone.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description:
      - Group name, unique within the VPC; the C(Name) tag gets the same value.
      - 1 to 255 letters, digits, spaces and C(._-:/()#,@[]+=&;{}!$*), not starting with C(sg-).
    type: str
    required: true
  vpc_id:
    description: Id of the group's VPC.
    type: str
    required: true
  description:
    description:
      - Description of the group; AWS cannot change it, so a different one replaces the group.
      - The replacement is refused, in check mode too, while the group is in use (named by another group's rules, or
        by network interfaces, instances, RDS databases, ElastiCache clusters, load balancers or ECS services); the
        failure names the users. Give the group a new name instead to create a new one beside it.
      - Defaults to C(Managed by agno.infra) and the name on creation, and is not compared when unset.
      - At most 255 letters, digits, spaces and C(._-:/()#,@[]+=&;{}!$*).
    type: str
  ingress:
    description: Inbound rules. Not managed when unset; an empty list removes all (with O(purge_rules=true)).
    type: list
    elements: dict
    suboptions: &rule
      protocol:
        description: C(tcp), C(udp), C(icmp) or C(all) (protocol numbers work too).
        type: str
        default: tcp
      port:
        description: One port. Use O(ingress[].from_port) and O(ingress[].to_port) for a range.
        type: int
      from_port:
        description: First port of a range (for icmp, the ICMP type).
        type: int
      to_port:
        description: Last port of a range (for icmp, the ICMP code).
        type: int
      cidr:
        description: IPv4 CIDR block the traffic comes from (ingress) or goes to (egress).
        type: str
      source_security_group:
        description: Id or name (in the same VPC) of the security group of the peers; this group's own name allows traffic within it.
        type: str
      description:
        description: Description of the rule (at most 255 letters, digits, spaces and C(._-:/()#,@[]+=&;{}!$*)).
        type: str
  egress:
    description: Outbound rules, as O(ingress). Not managed when unset.
    type: list
    elements: dict
    suboptions: *rule
  purge_rules:
    description: Revoke the rules the task does not list (in the directions it manages).
    type: bool
    default: true
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.ec2, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Load balancer open to the web on 80 and 443
  agno.infra.aws_security_group:
    name: agent-app-alb
    vpc_id: "{{ vpc_id }}"
    description: ALB of agent-app
    ingress:
      - {port: 443, cidr: 0.0.0.0/0, description: HTTPS}
      - {port: 80, cidr: 0.0.0.0/0, description: redirect to HTTPS}

- name: App tasks reachable only from the load balancer
  agno.infra.aws_security_group:
    name: agent-app-api
    vpc_id: "{{ vpc_id }}"
    description: API tasks of agent-app
    ingress:
      - {port: 8000, source_security_group: agent-app-alb}
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
security_group:
  description:
    - The group after the task; empty when it is absent. C(name), C(vpc_id), C(description) and C(tags) hold the group's
      values of those options.
  returned: always
  type: dict
  sample:
    id: sg-0a1b2c3d4e5f
    name: agent-app-api
    vpc_id: vpc-0a1b2c3d4e5f
    description: API tasks of agent-app
    ingress: [{protocol: tcp, from_port: 8000, to_port: 8000, source_security_group: sg-1b2c3d4e5f6a}]
    egress: [{protocol: all, from_port: null, to_port: null, cidr: 0.0.0.0/0}]
    tags: {Name: agent-app-api}
  contains:
    ingress:
      description:
        - Inbound rules, normalised, each with C(protocol), C(from_port), C(to_port), C(cidr) or
          C(source_security_group) (a group id), and C(description) when the rule has one.
      type: list
      elements: dict
    egress:
      description: Outbound rules.
      type: list
      elements: dict
    id:
      description: Group id, for the security groups of load balancers, services and databases.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.security_group import SecurityGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(SecurityGroupResource)


if __name__ == "__main__":
    main()
