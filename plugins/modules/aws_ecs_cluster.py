#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_ecs_cluster
short_description: Manage ECS clusters
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECS cluster with Container Insights, capacity providers and tags.
  - A cluster that still runs services is not deleted; the failure names them.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the cluster.
    type: str
    required: true
  state:
    description: Whether the cluster should exist.
    type: str
    choices: [present, absent]
    default: present
  container_insights:
    description: Collect CloudWatch Container Insights metrics.
    type: bool
    default: true
  capacity_providers:
    description:
      - Capacity providers the cluster may use. Not managed when unset; an empty list removes them.
    type: list
    elements: str
    choices: [FARGATE, FARGATE_SPOT]
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Cluster of the production environment
  agno.infra.aws_ecs_cluster:
    name: agent-app-prd
    capacity_providers: [FARGATE, FARGATE_SPOT]
    tags:
      env: prd

- name: Remove the cluster (refused while it runs services)
  agno.infra.aws_ecs_cluster:
    name: agent-app-prd
    state: absent
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
  sample: [container_insights]
cluster:
  description: The cluster after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
      sample: agent-app-prd
    arn:
      description: ARN.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:cluster/agent-app-prd
    status:
      description: C(ACTIVE).
      type: str
    container_insights:
      description: Whether Container Insights is on.
      type: bool
    capacity_providers:
      description: Capacity providers.
      type: list
      elements: str
    active_services:
      description: Services running in the cluster.
      type: int
    running_tasks:
      description: Running tasks.
      type: int
    tags:
      description: Tags.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_cluster import ClusterResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ClusterResource)


if __name__ == "__main__":
    main()
