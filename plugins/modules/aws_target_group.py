#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_target_group
short_description: Manage ELBv2 target groups
version_added: 0.1.0
description:
  - Creates, updates or deletes a target group with its health check, stickiness, deregistration delay and tags.
  - Only the health check settings and attributes the task sets are compared. Attributes are read only when the task
    manages them.
  - Protocol, port, VPC and target type cannot change in place; a difference replaces the group.
  - The name and the numbers are checked before any call, every problem of the task reported at once.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the target group (1 to 32 letters, digits and hyphens, not starting or ending with a hyphen
      nor starting with C(internal-)).
    type: str
    required: true
  state:
    description: Whether the target group should exist.
    type: str
    choices: [present, absent]
    default: present
  protocol:
    description: Protocol to the targets.
    type: str
    choices: [HTTP, HTTPS]
    default: HTTP
  port:
    description: Port of the targets (1 to 65535). Required with O(state=present).
    type: int
  vpc_id:
    description: VPC of the targets. Required with O(state=present).
    type: str
  target_type:
    description: Kind of targets; Fargate tasks register by C(ip).
    type: str
    choices: [ip, instance, lambda]
    default: ip
  health_check:
    description: Health check settings; only those given are compared.
    type: dict
    suboptions:
      path:
        description: HTTP path, such as C(/health); it starts with C(/) and has at most 1024 characters.
        type: str
      protocol:
        description: Protocol of the check.
        type: str
        choices: [HTTP, HTTPS]
      port:
        description: Port of the check (1 to 65535), or C(traffic-port).
        type: str
      interval:
        description: Seconds between checks (5 to 300).
        type: int
      timeout:
        description: Seconds before a check fails (2 to 120).
        type: int
      healthy_threshold:
        description: Successes before a target is healthy (2 to 10).
        type: int
      unhealthy_threshold:
        description: Failures before a target is unhealthy (2 to 10).
        type: int
      matcher:
        description: HTTP codes from 200 to 499 that mean healthy, such as C(200), C(200,302) or C(200-299).
        type: str
  stickiness:
    description: Load balancer cookie stickiness (a Streamlit session needs it). Not managed when unset.
    type: dict
    suboptions:
      enabled:
        description: Turn stickiness on.
        type: bool
        default: true
      duration:
        description: Cookie lifetime in seconds (1 to 604800, a week).
        type: int
        default: 86400
  deregistration_delay:
    description: Seconds to drain a target before it is removed (0 to 3600).
    type: int
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Target group of the API tasks
  agno.infra.aws_target_group:
    name: agent-app-api
    port: 8000
    vpc_id: "{{ vpc_id }}"
    health_check:
      path: /health
      matcher: "200"
    deregistration_delay: 30
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
target_group:
  description: The target group after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    protocol:
      description: Protocol.
      type: str
    port:
      description: Port.
      type: int
    vpc_id:
      description: VPC.
      type: str
    target_type:
      description: Target type.
      type: str
    health_check:
      description: Health check, in ELBv2's terms.
      type: dict
    attributes:
      description: Attributes (returned when the task manages stickiness or the deregistration delay).
      type: dict
    load_balancer_arns:
      description: Load balancers that route to the group.
      type: list
      elements: str
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.target_group import TargetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(TargetGroupResource)


if __name__ == "__main__":
    main()
