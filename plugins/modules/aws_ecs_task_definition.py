#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_ecs_task_definition
short_description: Register ECS task definitions (Fargate), a new revision only when something differs
version_added: 0.1.0
description:
  - Compares the task with the family's latest active revision after normalising ECS's defaults and ordering
    (environment and secrets sorted, host ports and protocols filled in, default health check timings, empty values
    dropped). It registers a new revision only when a field really differs, so a rerun registers nothing.
  - Fargate CPU and memory combinations are checked before any call.
  - Containers have a read-only root filesystem unless they say otherwise.
  - O(state=absent) deregisters every active revision of the family.
author:
  - agno.infra contributors (@agno-agi)
options:
  family:
    description: Family of the task definition.
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the family should have an active revision.
    type: str
    choices: [present, absent]
    default: present
  cpu:
    description: Task CPU units (Fargate - 256, 512, 1024, 2048, 4096, 8192 or 16384). Required with O(state=present).
    type: int
  memory:
    description: Task memory in MiB, within the range Fargate allows for O(cpu). Required with O(state=present).
    type: int
  network_mode:
    description: Network mode; Fargate needs C(awsvpc).
    type: str
    choices: [awsvpc, bridge, host, none]
    default: awsvpc
  requires_compatibilities:
    description: Launch types the task must be compatible with.
    type: list
    elements: str
    default: [FARGATE]
  execution_role_arn:
    description: Role ECS uses to pull the image, read secrets and write logs.
    type: str
  task_role_arn:
    description: Role the application's code runs with.
    type: str
  cpu_architecture:
    description: CPU architecture of the task.
    type: str
    choices: [X86_64, ARM64]
  containers:
    description: The containers of the task. Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: Container name.
        type: str
        required: true
      image:
        description: Image URI.
        type: str
        required: true
      essential:
        description: Stop the task when this container stops.
        type: bool
        default: true
      command:
        description: Command.
        type: list
        elements: str
      entrypoint:
        description: Entrypoint.
        type: list
        elements: str
      ports:
        description: Container ports, as numbers or dicts with C(container_port), C(host_port) and C(protocol).
        type: list
        elements: raw
      environment:
        description: Plain environment variables. Put secrets in O(containers[].secrets).
        type: dict
      secrets:
        description: Environment variables read from Secrets Manager or SSM at start, by name to ARN.
        type: dict
      awslogs:
        description: Send the container's output to CloudWatch Logs.
        type: dict
        suboptions:
          group:
            description: Log group.
            type: str
            required: true
          region:
            description: Region of the log group; the task's region when unset.
            type: str
          stream_prefix:
            description: Prefix of the log streams; the container name when unset.
            type: str
      log_configuration:
        description: A raw ECS logConfiguration, when O(containers[].awslogs) is not enough.
        type: dict
      health_check:
        description: Container health check (timings in seconds).
        type: dict
        suboptions:
          command:
            description: A string runs in a shell (CMD-SHELL); a list is used as given.
            type: raw
            required: true
          interval:
            description: Seconds between checks (default 30).
            type: int
          timeout:
            description: Seconds before a check fails (default 5).
            type: int
          retries:
            description: Failures before unhealthy (default 3).
            type: int
          start_period:
            description: Start-up grace period in seconds.
            type: int
      readonly_root_filesystem:
        description: Mount the root filesystem read-only.
        type: bool
        default: true
      user:
        description: User the process runs as.
        type: str
      working_directory:
        description: Working directory.
        type: str
      cpu:
        description: CPU units reserved for the container.
        type: int
      memory:
        description: Hard memory limit of the container in MiB.
        type: int
      memory_reservation:
        description: Soft memory limit in MiB.
        type: int
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: API task
  agno.infra.aws_ecs_task_definition:
    family: agent-app-api
    cpu: 512
    memory: 1024
    execution_role_arn: "{{ execution_role.role.arn }}"
    containers:
      - name: api
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-app/api:1.4.0
        ports: [8000]
        environment: {RUNTIME_ENV: prd}
        secrets: {DB_PASSWORD: "{{ db_secret.secret.arn }}"}
        awslogs: {group: /ecs/agent-app/api}
        user: "10001"
        health_check:
          command: "curl -fsS http://127.0.0.1:8000/health"
"""

RETURN = r"""
action:
  description: What the task did (create and update both register a revision).
  returned: always
  type: str
  sample: update
changes:
  description: Fields that differed from the latest active revision.
  returned: always
  type: list
  elements: str
task_definition:
  description: The latest active revision after the task; empty when none is active.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the revision.
      type: str
    family:
      description: Family.
      type: str
    revision:
      description: Revision number.
      type: int
    cpu:
      description: CPU units.
      type: str
    memory:
      description: Memory in MiB.
      type: str
    containers:
      description: Container definitions, normalised.
      type: list
      elements: dict
    tags:
      description: Tags.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils.aws_client import AwsProvider
from ansible_collections.agno.infra.plugins.module_utils.aws_ecs_task_definition import ARGUMENT_SPEC, REQUIRED_IF, TaskDefinitionResource
from ansible_collections.agno.infra.plugins.module_utils.runner import run_module


def main() -> None:
    run_module(TaskDefinitionResource, AwsProvider(), ARGUMENT_SPEC, required_if=REQUIRED_IF)


if __name__ == "__main__":
    main()
