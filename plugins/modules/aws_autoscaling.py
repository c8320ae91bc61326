#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_autoscaling
short_description: Manage target-tracking auto scaling of an ECS service
version_added: 0.1.0
description:
  - Registers an ECS service with Application Auto Scaling, so that its desired count stays between
    O(min_capacity) and O(max_capacity), and keeps one target-tracking policy per metric the task gives.
  - The policies are named after the service, C(SERVICE-cpu), C(SERVICE-memory) and C(SERVICE-requests).
    A policy of one of those names whose metric the task no longer gives is deleted. Policies of other names
    are left alone.
  - Only what differs is changed. The bounds in one RegisterScalableTarget call, each differing policy in one
    PutScalingPolicy call. A rerun with the same task sends no mutating call.
  - Capacities, percentages, cooldowns and ARNs are checked before any call.
  - O(state=absent) deletes the module's policies and deregisters the service from auto scaling.
    The service keeps its current desired count.
author:
  - agno.infra contributors (@agno-agi)
options:
  cluster:
    description: Name of the ECS cluster of the service.
    type: str
    required: true
  service:
    description: Name of the ECS service to scale. It must exist.
    type: str
    required: true
  state:
    description: Whether the service should be scaled automatically.
    type: str
    choices: [present, absent]
    default: present
  min_capacity:
    description: Fewest tasks (0 or more). Required with O(state=present).
    type: int
  max_capacity:
    description: Most tasks, at least O(min_capacity). Required with O(state=present).
    type: int
  target_cpu:
    description:
      - Average CPU utilisation of the service's tasks to keep, in percent (above 0, at most 100).
      - Manages the policy C(SERVICE-cpu); unset, that policy is deleted.
    type: float
  target_memory:
    description:
      - Average memory utilisation of the service's tasks to keep, in percent (above 0, at most 100).
      - Manages the policy C(SERVICE-memory); unset, that policy is deleted.
    type: float
  target_requests_per_target:
    description:
      - Requests per task per minute to keep, counted by the application load balancer (above 0).
      - Needs O(target_group_arn) and O(load_balancer_arn).
      - Manages the policy C(SERVICE-requests); unset, that policy is deleted.
    type: float
  target_group_arn:
    description: ARN of the service's target group, for O(target_requests_per_target).
    type: str
  load_balancer_arn:
    description: ARN of the application load balancer in front of that target group, for O(target_requests_per_target).
    type: str
  scale_in_cooldown:
    description: Seconds after a scale-in before another one (0 to 86400), for every policy.
    type: int
    default: 300
  scale_out_cooldown:
    description: Seconds after a scale-out before another one (0 to 86400), for every policy.
    type: int
    default: 300
  disable_scale_in:
    description: Let the policies add tasks but never remove them.
    type: bool
    default: false
notes:
  - Application Auto Scaling uses its service-linked role for ECS, which AWS creates on first use.
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Scale the API between 2 and 10 tasks on CPU and requests
  agno.infra.aws_autoscaling:
    cluster: agent-app
    service: agent-app-api
    min_capacity: 2
    max_capacity: 10
    target_cpu: 60
    target_requests_per_target: 500
    target_group_arn: "{{ target_group.target_group.arn }}"
    load_balancer_arn: "{{ alb.load_balancer.arn }}"
    scale_in_cooldown: 300
    scale_out_cooldown: 60

- name: Scale the Celery workers on memory only (the CPU policy, if any, is deleted)
  agno.infra.aws_autoscaling:
    cluster: agent-app
    service: agent-app-worker
    min_capacity: 1
    max_capacity: 4
    target_memory: 75

- name: Stop scaling the workers automatically
  agno.infra.aws_autoscaling:
    cluster: agent-app
    service: agent-app-worker
    state: absent
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
changes:
  description: Fields that differed and were changed.
  returned: always
  type: list
  elements: str
  sample: [max_capacity, policies]
scaling:
  description: The scalable target and its policies after the task; empty when absent.
  returned: always
  type: dict
  contains:
    resource_id:
      description: Application Auto Scaling resource id of the service.
      type: str
      sample: service/agent-app/agent-app-api
    arn:
      description: ARN of the scalable target, when AWS reports it.
      type: str
    min_capacity:
      description: Fewest tasks.
      type: int
      sample: 2
    max_capacity:
      description: Most tasks.
      type: int
      sample: 10
    policies:
      description:
        - The module's target-tracking policies by name, each with C(metric), C(target), C(resource_label),
          C(scale_in_cooldown), C(scale_out_cooldown) and C(disable_scale_in).
      type: dict
      sample:
        agent-app-api-cpu:
          metric: ECSServiceAverageCPUUtilization
          target: 60.0
          resource_label: null
          scale_in_cooldown: 300
          scale_out_cooldown: 60
          disable_scale_in: false
    policy_arns:
      description: ARN of each of those policies, by name.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.autoscaling import ScalingResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ScalingResource)


if __name__ == "__main__":
    main()
