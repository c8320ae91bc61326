#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_ecs_service
short_description: Manage ECS services, private by default, waiting for a steady state
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECS service. Only the changed settings go into one UpdateService call.
  - Secure and safe by default. Tasks get no public IP, and the deployment circuit breaker with rollback is on.
  - The task definition may be a family, C(family:revision) or an ARN; it is compared as an ARN.
  - With O(wait=true) (the default), waits for a steady state, that is one PRIMARY deployment running all desired
    tasks, with its rollout C(COMPLETED) when ECS reports rollouts. When that does not happen within O(wait_timeout),
    or the circuit breaker fails the rollout, the failure quotes the service's latest events (up to 5) and the
    stopped tasks' reasons.
  - UpdateService changes the task definition, count, network, load balancers, deployment settings, platform
    version and tags in place. Only a different O(launch_type) recreates the service (ECS cannot change it).
  - O(state=absent) scales the service to zero, deletes it and, with O(wait=true), waits until it is INACTIVE.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Service name, unique in its cluster.
    type: str
    required: true
  cluster:
    description: Name or ARN of the cluster.
    type: str
    required: true
  task_definition:
    description: Family, family:revision or ARN of the task definition. Required with O(state=present).
    type: str
  desired_count:
    description: Number of tasks, C(0) or more.
    type: int
    default: 1
  desired_count_on_create_only:
    description:
      - Set O(desired_count) when the service is created and then leave the count alone, for a service whose count
        Application Auto Scaling manages (M(agno.infra.aws_autoscaling)); otherwise every run would set it back.
    type: bool
    default: false
  launch_type:
    description: Launch type; a different one recreates the service.
    type: str
    choices: [FARGATE, EC2, EXTERNAL]
    default: FARGATE
  platform_version:
    description: Fargate platform version. Not compared when unset.
    type: str
  subnets:
    description: Subnets of the tasks (private ones). Not managed when unset.
    type: list
    elements: str
  security_groups:
    description: Security groups of the tasks.
    type: list
    elements: str
  assign_public_ip:
    description: Give tasks a public IP. Keep them in private subnets behind a load balancer instead.
    type: bool
    default: false
  load_balancers:
    description: Target groups the tasks register with. Not managed when unset.
    type: list
    elements: dict
    suboptions:
      target_group_arn:
        description: Target group ARN.
        type: str
        required: true
      container_name:
        description: Container that receives the traffic.
        type: str
        required: true
      container_port:
        description: Its port.
        type: int
        required: true
  deployment_circuit_breaker:
    description: Stop (and roll back) a deployment whose tasks keep failing. On with rollback when unset.
    type: dict
    suboptions:
      enable:
        description: Turn the circuit breaker on.
        type: bool
        default: true
      rollback:
        description: Roll back to the last working deployment.
        type: bool
        default: true
  deployment_configuration:
    description: How many tasks may run during a deployment. ECS uses 200 and 100 percent when unset.
    type: dict
    suboptions:
      maximum_percent:
        description: Upper limit of running tasks during a deployment, in percent of the desired count (100 or more).
        type: int
      minimum_healthy_percent:
        description: Lower limit of healthy tasks during a deployment, in percent of the desired count (0 to 100).
        type: int
  health_check_grace_period_seconds:
    description: Seconds during which load balancer health checks are ignored after a task starts, C(0) to C(2147483647).
    type: int
  enable_execute_command:
    description: Allow ECS Exec into the tasks.
    type: bool
    default: false
  force_new_deployment:
    description: Start a new deployment even when nothing changed (the task then reports changed).
    type: bool
    default: false
  propagate_tags:
    description: Copy tags to the tasks from the task definition or the service.
    type: str
    choices: [TASK_DEFINITION, SERVICE, NONE]
  wait:
    description:
      - Wait for a steady state after a change or an unsettled run, and on delete until the service is INACTIVE.
    type: bool
    default: true
  wait_timeout:
    description: Seconds a deployment may take to become steady.
    type: int
    default: 600
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: API service behind the load balancer, in private subnets
  agno.infra.aws_ecs_service:
    name: agent-app-api
    cluster: agent-app-prd
    task_definition: agent-app-api
    desired_count: 2
    subnets: "{{ private_subnet_ids }}"
    security_groups: ["{{ api_sg_id }}"]
    load_balancers:
      - target_group_arn: "{{ api_tg_arn }}"
        container_name: api
        container_port: 8000
    health_check_grace_period_seconds: 30
    deployment_configuration:
      maximum_percent: 200
      minimum_healthy_percent: 100
    wait_timeout: 900

- name: Roll the workers onto fresh tasks without any other change
  agno.infra.aws_ecs_service:
    name: agent-app-worker
    cluster: agent-app-prd
    task_definition: agent-app-worker
    force_new_deployment: true
"""

RETURN = r"""
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
  sample: [task_definition]
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
service:
  description:
    - The service after the task; empty when it is absent. C(name), C(task_definition) (an ARN), C(desired_count),
      C(launch_type), C(platform_version), C(deployment_circuit_breaker), C(health_check_grace_period_seconds),
      C(enable_execute_command), C(propagate_tags) and C(tags) hold the service's values; C(load_balancers) its target
      groups, sorted.
  returned: always
  type: dict
  sample:
    name: agent-app-api
    arn: arn:aws:ecs:eu-west-1:123456789012:service/agent-app-prd/agent-app-api
    cluster_arn: arn:aws:ecs:eu-west-1:123456789012:cluster/agent-app-prd
    status: ACTIVE
    task_definition: arn:aws:ecs:eu-west-1:123456789012:task-definition/agent-app-api:4
    desired_count: 2
    running_count: 2
    health: {running: 2, desired: 2}
    launch_type: FARGATE
    platform_version: LATEST
    network: {subnets: [subnet-0a1b2c3d4e5f], security_groups: [sg-0a1b2c3d4e5f], assign_public_ip: false}
    load_balancers:
      - target_group_arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/agent-app-api/0a1b2c3d4e5f6a7b
        container_name: api
        container_port: 8000
    deployment_circuit_breaker: {enable: true, rollback: true}
    maximum_percent: 200
    minimum_healthy_percent: 100
    health_check_grace_period_seconds: 30
    enable_execute_command: false
    propagate_tags: null
    steady: true
    tags: {}
  contains:
    arn:
      description: Service ARN.
      type: str
    cluster_arn:
      description: ARN of its cluster.
      type: str
    status:
      description: C(ACTIVE), C(DRAINING) while it is deleted, then C(INACTIVE).
      type: str
    maximum_percent:
      description: O(deployment_configuration.maximum_percent) as ECS applies it.
      type: int
    minimum_healthy_percent:
      description: O(deployment_configuration.minimum_healthy_percent) as ECS applies it.
      type: int
    steady:
      description: One completed deployment runs every desired task.
      type: bool
    health:
      description: The tasks C(running) of those C(desired), as M(agno.infra.status) shows them.
      type: dict
    running_count:
      description: Its tasks now running.
      type: int
    network:
      description: C(subnets), C(security_groups) (both sorted) and C(assign_public_ip) of the tasks.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_service import ServiceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ServiceResource)


if __name__ == "__main__":
    main()
