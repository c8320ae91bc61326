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
  - Policy documents are compared after normalising. A single string and a one-item list are the same, the order of
    actions, resources and statements does not matter, and JSON text, dicts and IAM's URL-encoded form are equal.
  - Only the policies that differ are attached, detached, put or deleted.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the role.
    type: str
    required: true
  state:
    description: Whether the role should exist. Deleting it first detaches its policies and removes it from instance profiles.
    type: str
    choices: [present, absent]
    default: present
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
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
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
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
changes:
  description: Fields that differed.
  returned: always
  type: list
  elements: str
role:
  description: The role after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    role_id:
      description: Unique id.
      type: str
    path:
      description: Path.
      type: str
    description:
      description: Description.
      type: str
    assume_role_policy:
      description: Trust policy, normalised.
      type: dict
    max_session_duration:
      description: Maximum session duration in seconds.
      type: int
    permissions_boundary:
      description: ARN of the permissions boundary.
      type: str
    managed_policy_arns:
      description: Attached managed policies (returned when the task manages them).
      type: list
      elements: str
    inline_policies:
      description: Inline policies, normalised (returned when the task manages them).
      type: dict
    tags:
      description: Tags.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_role import RoleResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(RoleResource)


if __name__ == "__main__":
    main()
