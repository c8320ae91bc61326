#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_iam_role
short_description: Manage IAM roles with their trust policy, managed and inline policies
version_added: 0.1.0
description:
  - Creates, updates or deletes an IAM role with its trust policy, attached managed policies, inline policies,
    permissions boundary, session duration and tags.
  - The trust policy and inline policies are compared as M(agno.infra.aws_iam_policy) compares a document, normalised
    and without regard to order. Only the policies that differ are attached, detached, put or deleted.
  - Deleting a role first detaches its managed policies, deletes its inline ones and removes it from instance
    profiles.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the role, unique in the account.
    type: str
    required: true
  path:
    description: Path of the role. A different path recreates the role.
    type: str
    default: /
  description:
    description: Description of the role.
    type: str
  assume_role_policy:
    description: Trust policy (who may assume the role), as a dict or JSON text. Required to create the role.
    type: raw
  managed_policy_arns:
    description: ARNs of the managed policies attached to the role. Not managed when unset.
    type: list
    elements: str
  inline_policies:
    description: Inline policies, by name, each a dict or JSON text. Not managed when unset.
    type: dict
  purge_policies:
    description: Detach managed policies and delete inline policies that the task does not list.
    type: bool
    default: true
  max_session_duration:
    description: Maximum session duration in seconds (3600 to 43200).
    type: int
  permissions_boundary:
    description: ARN of the policy used as permissions boundary; an empty string removes it.
    type: str
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Task execution role of the ECS services
  agno.infra.aws_iam_role:
    name: agent-app-task-execution
    assume_role_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: ecs-tasks.amazonaws.com}
          Action: sts:AssumeRole
    managed_policy_arns:
      - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
    inline_policies:
      read-app-secrets:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: secretsmanager:GetSecretValue
            Resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:agent-app/*
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
role:
  description:
    - The role after the task; empty when it is absent. C(name), C(path), C(description), C(max_session_duration),
      C(permissions_boundary) (an ARN) and C(tags) hold the role's values, C(assume_role_policy) its trust policy,
      normalised.
    - C(managed_policy_arns) and C(inline_policies) (normalised) are returned when the task manages them.
  returned: always
  type: dict
  sample:
    name: agent-app-task-execution
    arn: arn:aws:iam::123456789012:role/agent-app-task-execution
    role_id: AROA0A1B2C3D4E5F6G7H8
    path: /
    description: null
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
    max_session_duration: 3600
    permissions_boundary: null
    managed_policy_arns: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
    tags: {}
  contains:
    role_id:
      description: Unique id of the role.
      type: str
    arn:
      description: Role ARN, as task definitions and services take it.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_role import RoleResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(RoleResource)


if __name__ == "__main__":
    main()
