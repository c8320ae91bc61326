#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_iam_policy
short_description: Manage customer managed IAM policies
version_added: 0.1.0
description:
  - Creates, updates or deletes a customer managed IAM policy with its document and tags.
  - The document is compared after normalising. A single string and a one-item list are the same, the order of
    actions, resources and statements does not matter, and JSON text, dicts and IAM's URL-encoded form are equal.
  - When the document differs, a new version is created and made the default. IAM keeps at most five versions, so
    when five exist the oldest version that is not the default is deleted first.
  - Only the fields the task sets are compared. A rerun with the same document sends no mutating call.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the policy. Policy names are unique in an account, whatever their path.
    type: str
    required: true
  state:
    description:
      - Whether the policy should exist.
      - Deleting it first detaches it from every role, user and group and deletes its other versions.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - Path of the policy, part of its ARN, for example C(/app/). IAM cannot move a policy to another path.
    type: str
    default: /
  description:
    description:
      - Description of the policy, set when it is created.
      - IAM cannot change it afterwards; a task giving a different description for an existing policy fails.
    type: str
  policy:
    description: The policy document, as a dict or JSON text. Required to create the policy.
    type: raw
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Policy that lets the app read its bucket
  agno.infra.aws_iam_policy:
    name: agent-app-read-assets
    path: /agent-app/
    description: Read the agent app's assets
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [s3:GetObject, s3:ListBucket]
          Resource:
            - arn:aws:s3:::agent-app-assets
            - arn:aws:s3:::agent-app-assets/*
    tags:
      app: agent-app

- name: Remove the policy, detaching it from every role first
  agno.infra.aws_iam_policy:
    name: agent-app-read-assets
    path: /agent-app/
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
  sample: [policy]
policy:
  description: The policy after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the policy.
      type: str
      sample: agent-app-read-assets
    arn:
      description: ARN of the policy.
      type: str
      sample: arn:aws:iam::123456789012:policy/agent-app/agent-app-read-assets
    policy_id:
      description: Unique id of the policy.
      type: str
    path:
      description: Path of the policy.
      type: str
      sample: /agent-app/
    description:
      description: Description of the policy.
      type: str
    default_version_id:
      description: Id of the default version.
      type: str
      sample: v2
    attachment_count:
      description: Number of roles, users and groups the policy is attached to.
      type: int
    policy:
      description: The default version's document, normalised (returned when the task sets a document).
      type: dict
    tags:
      description: Tags of the policy.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_policy import PolicyResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(PolicyResource)


if __name__ == "__main__":
    main()
