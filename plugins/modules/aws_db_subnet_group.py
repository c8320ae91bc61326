#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_db_subnet_group
short_description: Manage RDS DB subnet groups
version_added: 0.1.0
description:
  - Creates, updates or deletes an RDS DB subnet group. Subnets are compared as a set.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the subnet group.
    type: str
    required: true
  state:
    description: Whether the subnet group should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description; defaults to C(Managed by agno.infra) and the name on creation, not compared when unset.
    type: str
  subnet_ids:
    description: Ids of the subnets, in at least two availability zones. Required with O(state=present).
    type: list
    elements: str
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Private subnets of the database
  agno.infra.aws_db_subnet_group:
    name: agent-app-prd-db
    subnet_ids: "{{ private_subnet_ids }}"
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
db_subnet_group:
  description: The subnet group after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    description:
      description: Description.
      type: str
    vpc_id:
      description: VPC of the subnets.
      type: str
    subnet_ids:
      description: Subnet ids, sorted.
      type: list
      elements: str
    status:
      description: Status.
      type: str
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_subnet_group import DbSubnetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbSubnetGroupResource)


if __name__ == "__main__":
    main()
