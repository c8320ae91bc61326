#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_secret
short_description: Manage AWS Secrets Manager secrets
version_added: 0.1.0
description:
  - Creates, updates or deletes a Secrets Manager secret, with its value, description, KMS key and tags.
  - The value is compared with the stored one inside the module and is never returned, logged or shown in a diff;
    a diff only says whether it changed. A rerun with the same value writes no new version.
  - Writes carry a request token derived from the name and the value, so a retried write never makes two versions.
  - A secret scheduled for deletion is restored when the task wants it present.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the secret, such as C(agent-app/prd/db-password).
    type: str
    required: true
  state:
    description: Whether the secret should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the secret.
    type: str
  kms_key_id:
    description: KMS key (id, ARN or alias) that encrypts the secret; the account's default key when unset.
    type: str
  secret_string:
    description: The value, as a string. Mutually exclusive with O(secret_json).
    type: str
  secret_json:
    description:
      - The value, as a dictionary stored as compact JSON with sorted keys. Compared as JSON, not as text.
    type: dict
  recovery_window_days:
    description:
      - Days during which a deleted secret can be restored (7 to 30). C(0) deletes it at once, without recovery.
    type: int
    default: 30
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Database password for the app
  agno.infra.aws_secret:
    name: agent-app/prd/db-password
    secret_string: "{{ vault_db_password }}"
    tags:
      app: agent-app

- name: Several values in one secret
  agno.infra.aws_secret:
    name: agent-app/prd/api-keys
    secret_json:
      openai: "{{ vault_openai_key }}"

- name: Delete a secret at once
  agno.infra.aws_secret:
    name: agent-app/dev/scratch
    state: absent
    recovery_window_days: 0
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
changes:
  description: Fields that differed (C(value) when the value changed).
  returned: always
  type: list
  elements: str
secret:
  description: The secret after the task, without its value; empty when it is absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the secret.
      type: str
    name:
      description: Name.
      type: str
    description:
      description: Description.
      type: str
    kms_key_id:
      description: KMS key, when not the default one.
      type: str
    tags:
      description: Tags.
      type: dict
    version_id:
      description: Id of the current version.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.secret import SecretResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(SecretResource)


if __name__ == "__main__":
    main()
