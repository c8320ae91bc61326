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
    description: Name of the target group, 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen
      nor starting with C(internal-).
    type: str
    required: true
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
        description: Consecutive successes that make a target healthy (2 to 10).
        type: int
      unhealthy_threshold:
        description: Consecutive failures that make it unhealthy (2 to 10).
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
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
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
target_group:
  description:
    - The target group after the task; empty when it is absent. C(name), C(protocol), C(port), C(vpc_id) and
      C(target_type) hold the group's values, C(tags) its tags when the task manages them.
  returned: always
  type: dict
  sample:
    name: agent-app-api
    arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/agent-app-api/0a1b2c3d4e5f6a7b
    protocol: HTTP
    port: 8000
    vpc_id: vpc-0a1b2c3d4e5f
    target_type: ip
    health_check:
      HealthCheckPath: /health
      HealthCheckProtocol: HTTP
      HealthCheckPort: traffic-port
      HealthCheckIntervalSeconds: 30
      HealthCheckTimeoutSeconds: 5
      HealthyThresholdCount: 5
      UnhealthyThresholdCount: 2
      Matcher: {HttpCode: "200"}
    load_balancer_arns: []
    attributes: {deregistration_delay.timeout_seconds: "30"}
  contains:
    health_check:
      description: The health check in ELBv2's terms (keys of CreateTargetGroup).
      type: dict
    attributes:
      description: Attributes by ELBv2 key, when the task manages stickiness or the deregistration delay.
      type: dict
    load_balancer_arns:
      description: Load balancers routing to it.
      type: list
      elements: str
    arn:
      description: ARN, for the C(load_balancers) of an ECS service and the default action of a listener.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.target_group import TargetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(TargetGroupResource)


if __name__ == "__main__":
    main()
