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
    (environment, secrets, ports and dependencies sorted, host ports and protocols filled in, default health check
    timings, empty values dropped). It registers a new revision only when a field really differs, so a rerun only
    reads the latest revision.
  - A change registers the next revision, reported as O(state=present) with action C(update); a change of tags
    alone tags the latest revision instead. Fields the task leaves unset (roles, runtime platform, tags) are copied
    from the latest revision.
  - Fargate CPU and memory combinations, ports, health check timings and container dependencies are checked
    before any call.
  - Containers have a read-only root filesystem unless they say otherwise.
  - O(state=absent) deregisters every active revision of the family, or only O(revision).
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
  revision:
    description:
      - With O(state=absent), deregister only this revision of the family.
      - Not allowed with O(state=present), which always compares with the latest active revision.
    type: int
  cpu:
    description: Task CPU units (Fargate accepts 256, 512, 1024, 2048, 4096, 8192 or 16384). Required with O(state=present).
    type: int
  memory:
    description:
      - Task memory in MiB, within what Fargate allows for O(cpu). Required with O(state=present).
      - 256 CPU takes 512, 1024 or 2048; 512 takes 1024 to 4096; 1024 takes 2048 to 8192; 2048 takes 4096 to 16384;
        4096 takes 8192 to 30720 (steps of 1024); 8192 takes 16384 to 61440 (steps of 4096); 16384 takes 32768 to
        122880 (steps of 8192).
    type: int
  network_mode:
    description: Network mode; Fargate needs C(awsvpc).
    type: str
    choices: [awsvpc, bridge, host, none]
    default: awsvpc
  requires_compatibilities:
    description: Launch types the task must be compatible with. Fargate sizes are checked when it holds C(FARGATE).
    type: list
    elements: str
    choices: [FARGATE, EC2, EXTERNAL]
    default: [FARGATE]
  execution_role_arn:
    description:
      - Role ECS uses to pull the image, read secrets and write logs. An empty string removes it.
      - Not compared when unset.
    type: str
  task_role_arn:
    description:
      - Role the application's code runs with. An empty string removes it.
      - Not compared when unset.
    type: str
  runtime_platform:
    description: CPU architecture and operating system of the task. Not compared when unset.
    type: dict
    suboptions:
      cpu_architecture:
        description: CPU architecture.
        type: str
        choices: [X86_64, ARM64]
        default: X86_64
      operating_system_family:
        description: Operating system family, such as C(LINUX).
        type: str
        default: LINUX
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
        description:
          - Container ports, as numbers or dicts with C(container_port), C(host_port) and C(protocol) (C(tcp) or C(udp),
            C(tcp) by default).
          - With awsvpc the host port is the container port.
        type: list
        elements: raw
        aliases: [port_mappings]
      environment:
        description: Plain environment variables, by name. Put secrets in O(containers[].secrets).
        type: dict
        aliases: [env]
      secrets:
        description: Environment variables read from Secrets Manager or SSM when the task starts, by name to the ARN (valueFrom).
        type: dict
      log_configuration:
        description: Send the container's output to CloudWatch Logs (the awslogs driver).
        type: dict
        aliases: [awslogs]
        suboptions:
          log_group:
            description: Log group.
            type: str
            required: true
          region:
            description: Region of the log group; the task's region when unset.
            type: str
          stream_prefix:
            description: Prefix of the log streams; the container name when unset.
            type: str
      health_check:
        description: Container health check (timings in seconds).
        type: dict
        suboptions:
          command:
            description: A string runs in a shell (C(CMD-SHELL)); a list is used as given, such as C([CMD, /bin/check]).
            type: raw
            required: true
          interval:
            description: Seconds between checks, 5 to 300 (ECS uses 30 when unset).
            type: int
          timeout:
            description: Seconds before a check fails, 2 to 60 (ECS uses 5 when unset).
            type: int
          retries:
            description: Failures before the container is unhealthy, 1 to 10 (ECS uses 3 when unset).
            type: int
          start_period:
            description: Start-up grace period in seconds, 0 to 300.
            type: int
      readonly_root_filesystem:
        description: Mount the root filesystem read-only. Mount a volume or turn this off for an application that writes files.
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
      depends_on:
        description: Containers of the same task that must reach a condition before this one starts.
        type: list
        elements: dict
        suboptions:
          container_name:
            description: The other container.
            type: str
            required: true
          condition:
            description: What the other container must do first.
            type: str
            choices: [START, COMPLETE, SUCCESS, HEALTHY]
            default: START
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
        log_configuration: {log_group: /ecs/agent-app/api}
        user: "10001"
        health_check:
          command: "curl -fsS http://127.0.0.1:8000/health"
  register: api_task

- name: Deregister one old revision
  agno.infra.aws_ecs_task_definition:
    family: agent-app-api
    revision: 3
    state: absent
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode. C(create) registers the first revision, C(update) the next one.
  returned: always
  type: str
  sample: update
changes:
  description: Fields that differed from the latest active revision.
  returned: always
  type: list
  elements: str
  sample: [containers]
task_definition:
  description: The latest active revision after the task; empty when none is active.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the revision.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/agent-app-api:4
    family:
      description: Family.
      type: str
      sample: agent-app-api
    revision:
      description: Revision number.
      type: int
      sample: 4
    status:
      description: C(ACTIVE).
      type: str
    cpu:
      description: CPU units.
      type: str
      sample: "512"
    memory:
      description: Memory in MiB.
      type: str
      sample: "1024"
    network_mode:
      description: Network mode.
      type: str
    requires_compatibilities:
      description: Launch types.
      type: list
      elements: str
    execution_role_arn:
      description: Execution role ARN.
      type: str
    task_role_arn:
      description: Task role ARN.
      type: str
    runtime_platform:
      description: CPU architecture and operating system family, in ECS's terms.
      type: dict
    containers:
      description: Container definitions in ECS's terms, normalised (sorted by name).
      type: list
      elements: dict
    tags:
      description: Tags of the revision.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_definition import TaskDefinitionResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(TaskDefinitionResource)


if __name__ == "__main__":
    main()
