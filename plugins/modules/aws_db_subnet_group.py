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
  - Creates, updates or deletes an RDS DB subnet group, the private subnets that M(agno.infra.aws_db_instance) and
    M(agno.infra.aws_db_cluster) place a database in. Subnets are compared as a set.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the subnet group, which databases give as their C(db_subnet_group).
    type: str
    required: true
  description:
    description: Description; defaults to C(Managed by agno.infra) and the name on creation, not compared when unset.
    type: str
  subnet_ids:
    description: Ids of the subnets, in at least two availability zones. Required with O(state=present).
    type: list
    elements: str
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Private subnets of the database, in two zones
  agno.infra.aws_db_subnet_group:
    name: agent-app-prd-db
    description: Databases of agent-app
    subnet_ids: "{{ private_subnets.results | map(attribute='subnet.id') | list }}"
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
db_subnet_group:
  description:
    - The subnet group after the task; empty when it is absent. C(name), C(description) and C(subnet_ids) (sorted) hold
      the group's values, C(tags) its tags when the task manages them.
  returned: always
  type: dict
  sample:
    name: agent-app-prd-db
    arn: arn:aws:rds:eu-west-1:123456789012:subgrp:agent-app-prd-db
    description: Databases of agent-app
    vpc_id: vpc-0a1b2c3d4e5f
    subnet_ids: [subnet-0a1b2c3d4e5f, subnet-1b2c3d4e5f6a]
    status: Complete
  contains:
    vpc_id:
      description: VPC that the subnets belong to.
      type: str
    arn:
      description: Subnet group ARN.
      type: str
    status:
      description: C(Complete) once RDS has checked the subnets.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_subnet_group import DbSubnetGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbSubnetGroupResource)


if __name__ == "__main__":
    main()
