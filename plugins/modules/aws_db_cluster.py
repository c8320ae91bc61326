#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_db_cluster
short_description: Manage Aurora DB clusters, encrypted by default
version_added: 0.1.0
description:
  - Creates, modifies or deletes an Aurora DB cluster (C(aurora-postgresql) or C(aurora-mysql)).
  - The cluster holds the storage, the master user and the endpoints. Add its instances with
    M(agno.infra.aws_db_instance) and O(agno.infra.aws_db_instance#module:db_cluster_identifier).
  - Secure by default. Storage is encrypted unless the task says otherwise.
  - Only the settings the task sets are compared; every changed setting goes into one ModifyDBCluster call. An
    O(engine_version) of C(16) matches any C(16.x). Tags come with the cluster's description, so a rerun costs one call.
  - The engine, database name, master user name, subnet group, storage encryption and KMS key cannot change. A task
    asking for other values fails instead of replacing the database.
  - The master password is never read, compared, returned or shown in a diff. It is sent on creation, and on every run
    only with O(update_password=always).
  - O(state=absent) takes a final snapshot unless O(skip_final_snapshot=true). It is refused while the cluster still
    has instances, and while deletion protection is on unless the same task sets O(deletion_protection=false), which
    lifts it first.
author:
  - agno.infra contributors (@agno-agi)
options:
  identifier:
    description: DB cluster identifier.
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the cluster should exist.
    type: str
    choices: [present, absent]
    default: present
  engine:
    description: Aurora engine. Required with O(state=present).
    type: str
    choices: [aurora-postgresql, aurora-mysql]
  db_subnet_group:
    description: DB subnet group that places the cluster in the VPC's (private) subnets (fixed at creation).
    type: str
  port:
    description: Port the database listens on (C(1150) to C(65535)); the engine's default when unset.
    type: int
  backup_retention_period:
    description: Days automated backups are kept (1 to 35).
    type: int
  serverless_v2_scaling:
    description: Capacity range of Aurora Serverless v2 instances (instance class C(db.serverless)), in ACUs.
    type: dict
    suboptions:
      min_capacity:
        description: Lowest capacity, 0 to 256 in steps of 0.5.
        type: float
        required: true
      max_capacity:
        description: Highest capacity, 0 to 256 in steps of 0.5, not below O(serverless_v2_scaling.min_capacity).
        type: float
        required: true
  wait:
    description: Wait until the cluster is available (and, on delete, gone).
    type: bool
    default: true
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.rds
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Aurora Postgres cluster for the app, encrypted, password from the vault
  agno.infra.aws_db_cluster:
    identifier: agent-app-prd
    engine: aurora-postgresql
    engine_version: "16"
    db_name: app
    master_username: app
    master_user_password: "{{ vault_db_password }}"
    db_subnet_group: agent-app-prd-db
    vpc_security_group_ids: ["{{ db_sg_id }}"]
    backup_retention_period: 7
    deletion_protection: true
    serverless_v2_scaling:
      min_capacity: 0.5
      max_capacity: 4

- name: Its writer instance
  agno.infra.aws_db_instance:
    identifier: agent-app-prd-1
    engine: aurora-postgresql
    instance_class: db.serverless
    db_cluster_identifier: agent-app-prd
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
db_cluster:
  description: The cluster after the task, without any password; empty when it is absent.
  returned: always
  type: dict
  contains:
    identifier:
      description: Identifier.
      type: str
    arn:
      description: ARN.
      type: str
    status:
      description: RDS status, such as available.
      type: str
    endpoint:
      description: Writer endpoint host name.
      type: str
    reader_endpoint:
      description: Reader endpoint host name.
      type: str
    port:
      description: Port.
      type: int
    engine:
      description: Engine.
      type: str
    engine_version:
      description: Engine version.
      type: str
    db_name:
      description: Database name.
      type: str
    master_username:
      description: Master user name.
      type: str
    master_user_secret_arn:
      description: Secret holding the RDS-managed password, with manage_master_user_password.
      type: str
    members:
      description: Identifiers of the cluster's instances.
      type: list
      elements: str
    storage_encrypted:
      description: Whether storage is encrypted.
      type: bool
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
    backup_retention_period:
      description: Days backups are kept.
      type: int
    db_subnet_group:
      description: DB subnet group.
      type: str
    vpc_security_group_ids:
      description: Security groups.
      type: list
      elements: str
    serverless_v2_scaling:
      description: Serverless v2 capacity range, when set.
      type: dict
    tags:
      description: Tags.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_cluster import DbClusterResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbClusterResource)


if __name__ == "__main__":
    main()
