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
  - Deleting a policy first detaches it from every role, user and group and deletes its other versions.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the policy. Policy names are unique in an account, whatever their path.
    type: str
    required: true
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
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
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
    state: absent
    path: /agent-app/
"""

RETURN = r"""
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
  sample: [policy]
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
policy:
  description:
    - The policy after the task; empty when it is absent. C(name), C(path), C(description) and C(tags) hold the policy's
      values, and C(policy) the default version's document, normalised, when the task sets a document.
  returned: always
  type: dict
  sample:
    name: agent-app-read-assets
    arn: arn:aws:iam::123456789012:policy/agent-app/agent-app-read-assets
    policy_id: ANPA0A1B2C3D4E5F6G7H8
    path: /agent-app/
    description: Read the agent app's assets
    default_version_id: v2
    attachment_count: 1
    policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Action: [s3:GetObject, s3:ListBucket], Resource: ["arn:aws:s3:::agent-app-assets"]}
    tags: {app: agent-app}
  contains:
    arn:
      description: Policy ARN, for O(agno.infra.aws_iam_role#module:managed_policy_arns).
      type: str
    attachment_count:
      description: Number of roles, users and groups it is attached to.
      type: int
    policy_id:
      description: Unique id.
      type: str
    default_version_id:
      description: Id of the default version, which grows with each change of the document.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_policy import PolicyResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(PolicyResource)


if __name__ == "__main__":
    main()
