#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_scheduler_schedule
short_description: Manage EventBridge Scheduler schedules that run an ECS task
version_added: 0.1.0
description:
  - Creates, updates or deletes an EventBridge Scheduler schedule whose target starts one Fargate task of an ECS task
    definition revision, in the given subnets and never with a public IP, the container's command optionally overridden.
  - Only the fields the task sets are compared; subnets and security groups as sets. An update sends the whole
    schedule, as UpdateSchedule requires.
  - Schedules take no tags. The environment module writes what owns a schedule at the end of its O(description).
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the schedule, 1 to 64 letters, digits and V(.), V(-), V(_).
    type: str
    required: true
  group_name:
    description: The schedule group.
    type: str
    default: default
  schedule_expression:
    description:
      - When it runs, as EventBridge Scheduler takes it, such as V(rate(5 minutes)) or V(cron(0 3 * * ? *)).
        Required with O(state=present).
    type: str
  timezone:
    description: Time zone of a cron expression.
    type: str
    default: UTC
  enabled:
    description: Whether the schedule runs (V(false) keeps it, paused).
    type: bool
    default: true
  description:
    description: Description of the schedule.
    type: str
    default: ""
  cluster_arn:
    description: ARN of the ECS cluster that runs the task. Required with O(state=present).
    type: str
  task_definition:
    description: ARN of the task definition revision to run. Required with O(state=present).
    type: str
  role_arn:
    description:
      - ARN of the role the scheduler assumes to start the task; it needs C(ecs:RunTask) on the task definition and
        C(iam:PassRole) on the definition's roles. Required with O(state=present).
    type: str
  subnets:
    description: Subnets the task runs in, private ones (the task never gets a public IP). Required with O(state=present).
    type: list
    elements: str
  security_groups:
    description: Security groups of the task.
    type: list
    elements: str
    default: []
  container:
    description: The container whose command O(command) overrides. Required with O(command).
    type: str
  command:
    description: The command instead of the container's, as a list of words.
    type: list
    elements: str
extends_documentation_fragment: [agno.infra.aws, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Run the nightly report at 03:00 UTC
  agno.infra.aws_scheduler_schedule:
    name: agent-app-prd-job-report
    schedule_expression: cron(0 3 * * ? *)
    cluster_arn: "{{ cluster.cluster.arn }}"
    task_definition: "{{ api_task.task_definition.arn }}"
    role_arn: "{{ scheduler_role.role.arn }}"
    subnets: "{{ private_subnet_ids }}"
    security_groups: ["{{ app_security_group_id }}"]
    container: api
    command: [python, -m, app.report]

- name: Remove it
  agno.infra.aws_scheduler_schedule:
    name: agent-app-prd-job-report
    state: absent
"""

RETURN = r"""
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
  sample: [schedule_expression]
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
schedule:
  description:
    - The schedule after the task; empty when it is absent. Its keys mirror the options, with its ARN.
  returned: always
  type: dict
  sample:
    name: agent-app-prd-job-report
    arn: arn:aws:scheduler:us-east-1:123456789012:schedule/default/agent-app-prd-job-report
    group_name: default
    schedule_expression: cron(0 3 * * ? *)
    timezone: UTC
    enabled: true
    description: ""
    cluster_arn: arn:aws:ecs:us-east-1:123456789012:cluster/agent-app-prd
    task_definition: arn:aws:ecs:us-east-1:123456789012:task-definition/agent-app-prd-api:7
    role_arn: arn:aws:iam::123456789012:role/agent-app-prd-job-report
    subnets: [subnet-0a1b2c3d]
    security_groups: [sg-0a1b2c3d]
    container: api
    command: [python, -m, app.report]
  contains:
    arn:
      description: ARN of the schedule.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.scheduler_schedule import ScheduleResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ScheduleResource)


if __name__ == "__main__":
    main()
