#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_log_group
short_description: Manage CloudWatch Logs log groups
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudWatch Logs log group, with its retention, KMS key and tags.
  - Only the fields the task sets are compared.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the log group, for example C(/ecs/agent-app/api).
    type: str
    required: true
  state:
    description: Whether the log group should exist. Deleting it deletes its log events.
    type: str
    choices: [present, absent]
    default: present
  retention_days:
    description:
      - Days to keep log events. C(0) keeps them forever (no retention policy).
    type: int
    choices: [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
  kms_key_id:
    description:
      - ARN of the KMS key that encrypts the log events. An empty string removes the association.
    type: str
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Log group for the API service, kept 30 days
  agno.infra.aws_log_group:
    name: /ecs/agent-app/api
    retention_days: 30
    tags:
      app: agent-app

- name: Remove the log group
  agno.infra.aws_log_group:
    name: /ecs/agent-app/api
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
  sample: [retention_days]
log_group:
  description: The log group after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the log group.
      type: str
      sample: /ecs/agent-app/api
    arn:
      description: ARN of the log group.
      type: str
      sample: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/agent-app/api
    retention_days:
      description: Days events are kept; null means forever.
      type: int
      sample: 30
    kms_key_id:
      description: KMS key ARN, if any.
      type: str
    stored_bytes:
      description: Bytes stored.
      type: int
    tags:
      description: Tags (returned when the task manages tags).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.log_group import LogGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(LogGroupResource)


if __name__ == "__main__":
    main()
