#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_ecs_task_run
short_description: Run an ECS task once for what it runs, such as a database setup or a migration
version_added: 0.1.0
description:
  - Runs one ECS task of a task definition revision (the command optionally overridden) in the given subnets, without a
    public IP, waits until it stops and records the run in an SSM parameter (O(name)) when its container exited with 0.
  - A rerun with the same O(task_definition) and O(command) runs nothing (V(changed=false)). Another revision or another
    command runs the task again and updates the record, so a migration runs once for each new revision of the app.
  - A run that exits with another code, or does not stop within O(run_timeout) seconds (the task is then stopped), fails
    with the last lines of its awslogs stream and records nothing, so the next run tries it again.
  - In check mode the record is compared and nothing runs.
  - O(state=absent) removes the record only; a finished task leaves nothing else.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description:
      - Name of the SSM parameter that records the last successful run, a path such as C(/agno.infra/prd/runs/migrate)
        (up to 15 levels of letters, digits, V(.), V(-) and V(_)).
    type: str
    required: true
  cluster:
    description: Name or ARN of the ECS cluster that runs the task. Required with O(state=present).
    type: str
  task_definition:
    description:
      - ARN of the task definition revision to run, as M(agno.infra.aws_ecs_task_definition) returns it (a family alone is
        refused, since the record must say which revision ran). Required with O(state=present).
    type: str
  container:
    description:
      - The container whose command O(command) overrides and whose awslogs stream is read. Default, the definition's first.
    type: str
  command:
    description:
      - The command instead of the container's, as a list of words. Omitted, the container's own command runs.
      - Part of what the record compares.
    type: list
    elements: str
  subnets:
    description: Subnets the task runs in, private ones (the task never gets a public IP). Required with O(state=present).
    type: list
    elements: str
  security_groups:
    description: Security groups of the task.
    type: list
    elements: str
    default: []
  run_timeout:
    description: Seconds to wait for the task to stop, from 1 to 86400; then it is stopped and the run fails.
    type: int
    default: 600
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
notes:
  - The status of the task is read every 5 seconds.
"""

EXAMPLES = r"""
- name: Run the migrations of the API's current revision once
  agno.infra.aws_ecs_task_run:
    name: /agno.infra/prd/runs/migrate
    cluster: agent-app-prd
    task_definition: "{{ api_task.task_definition.arn }}"
    container: api
    command: [python, -m, app.migrate]
    subnets: "{{ private_subnet_ids }}"
    security_groups: ["{{ app_security_group_id }}"]
    run_timeout: 900

- name: Forget the record (the next run with state=present runs the task again)
  agno.infra.aws_ecs_task_run:
    name: /agno.infra/prd/runs/migrate
    state: absent
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
  sample: update
task_run:
  description:
    - The record of the last successful run after the task; empty when it is absent. C(task_definition) and C(command)
      hold what ran, C(tags) the record's tags when the task manages tags.
  returned: always
  type: dict
  sample:
    name: /agno.infra/prd/runs/migrate
    arn: arn:aws:ssm:us-east-1:123456789012:parameter/agno.infra/prd/runs/migrate
    task_definition: arn:aws:ecs:us-east-1:123456789012:task-definition/agent-app-prd-api:7
    command: [python, -m, app.migrate]
    task_arn: arn:aws:ecs:us-east-1:123456789012:task/agent-app-prd/0f3c9a5e2b7d4c1f
    ran_at: "2026-12-03T10:15:00Z"
    tags: {"agno:env": agent-app-prd}
  contains:
    arn:
      description: ARN of the SSM parameter.
      type: str
    task_arn:
      description: The task of the last successful run.
      type: str
    ran_at:
      description: When that run ended (UTC).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_run import TaskRunResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(TaskRunResource)


if __name__ == "__main__":
    main()
