#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_db_instance
short_description: Manage RDS DB instances, private and encrypted by default
version_added: 0.1.0
description:
  - Creates, modifies or deletes an RDS DB instance (or a member of an Aurora cluster).
  - Secure by default. Instances are not publicly accessible and storage is encrypted unless the task says otherwise.
  - Only the settings the task sets are compared; every changed setting goes into one ModifyDBInstance call. An
    O(engine_version) of C(15) matches any C(15.x).
  - The engine, database name, master user name, storage encryption and KMS key cannot change. A task asking for
    other values fails instead of replacing the database.
  - The master password is never read, compared, returned or shown in a diff. It is sent on creation, and on every run
    only with O(update_password=always).
  - O(state=absent) takes a final snapshot unless O(skip_final_snapshot=true). It is refused while deletion protection
    is on, unless the same task sets O(deletion_protection=false), which lifts it first.
  - The engine, the identifier, storage sizes, the port, the backup retention and window are checked before any call,
    every problem of the task in one failure.
author:
  - agno.infra contributors (@agno-agi)
options:
  identifier:
    description: DB instance identifier.
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the instance should exist.
    type: str
    choices: [present, absent]
    default: present
  engine:
    description: Database engine, such as C(postgres). Required with O(state=present).
    type: str
  instance_class:
    description: Instance class, such as C(db.t4g.micro). Required with O(state=present).
    type: str
  allocated_storage:
    description:
      - Storage in GiB, C(20) to C(65536) (C(100) to C(65536) for C(io1) and C(io2), C(5) to C(3072) for C(standard)).
    type: int
  max_allocated_storage:
    description: Upper limit in GiB for storage autoscaling, at least 10% above O(allocated_storage) and at most C(65536).
    type: int
  storage_type:
    description: Storage type.
    type: str
    choices: [gp2, gp3, io1, io2, standard]
  db_subnet_group:
    description: DB subnet group that places the instance in the VPC's (private) subnets.
    type: str
  db_cluster_identifier:
    description: Aurora cluster the instance joins (storage, user and password then come from the cluster).
    type: str
  backup_retention_period:
    description: Days automated backups are kept, C(0) (no backups) to C(35).
    type: int
  multi_az:
    description: Keep a standby in another availability zone.
    type: bool
  port:
    description: Port the database listens on, C(1150) to C(65535).
    type: int
  publicly_accessible:
    description: Give the instance a public address. Keep it private.
    type: bool
    default: false
  wait:
    description: Wait until the instance is available (and, on delete, gone).
    type: bool
    default: true
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.rds
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Postgres for the app, private and encrypted, password from the vault
  agno.infra.aws_db_instance:
    identifier: agent-app-prd
    engine: postgres
    engine_version: "16"
    instance_class: db.t4g.small
    allocated_storage: 20
    db_name: app
    master_username: app
    master_user_password: "{{ vault_db_password }}"
    db_subnet_group: agent-app-prd-db
    vpc_security_group_ids: ["{{ db_sg_id }}"]
    backup_retention_period: 7
    deletion_protection: true
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
db_instance:
  description: The instance after the task, without any password; empty when it is absent.
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
      description: Host name to connect to.
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
    instance_class:
      description: Instance class.
      type: str
    allocated_storage:
      description: Storage in GiB.
      type: int
    db_name:
      description: Database name.
      type: str
    master_username:
      description: Master user name.
      type: str
    master_user_secret_arn:
      description: Secret holding the RDS-managed password, with manage_master_user_password.
      type: str
    publicly_accessible:
      description: Whether it has a public address.
      type: bool
    storage_encrypted:
      description: Whether storage is encrypted.
      type: bool
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
    backup_retention_period:
      description: Days backups are kept.
      type: int
    multi_az:
      description: Whether a standby exists.
      type: bool
    db_subnet_group:
      description: DB subnet group.
      type: str
    vpc_security_group_ids:
      description: Security groups.
      type: list
      elements: str
    pending_modified_values:
      description: Modifications waiting for the maintenance window.
      type: dict
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbInstanceResource)


if __name__ == "__main__":
    main()
