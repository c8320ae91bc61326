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
  - The engine, database name, master user name, storage encryption, KMS key and cluster cannot change. A task asking
    for other values fails instead of replacing the database.
  - The password is never read, compared, returned or shown in a diff. It is sent on creation, and on every run only
    with O(update_password=always).
  - O(state=absent) takes a final snapshot unless O(skip_final_snapshot=true). It is refused while deletion protection
    is on, unless the same task sets O(deletion_protection=false), which lifts it first.
  - The engine, the identifier, storage sizes, the port, the backup retention and window are checked before any call,
    every problem of the task in one failure.
author:
  - agno.infra contributors (@agno-agi)
options:
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
  db_cluster_identifier:
    description: Aurora cluster the instance joins (storage, user and password then come from the cluster).
    type: str
  multi_az:
    description: Keep a standby in another availability zone.
    type: bool
  publicly_accessible:
    description: Give the instance a public address. Keep it private.
    type: bool
    default: false
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.rds, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Postgres for the app, private and encrypted, password from the vault
  agno.infra.aws_db_instance:
    identifier: agent-app-prd
    engine: postgres
    engine_version: "16"
    instance_class: db.t4g.small
    allocated_storage: 20
    max_allocated_storage: 100
    db_name: app
    master_username: app
    master_user_password: "{{ vault_db_password }}"
    db_subnet_group: agent-app-prd-db
    vpc_security_group_ids: ["{{ db_sg_id }}"]
    multi_az: true
    deletion_protection: true

- name: Scratch database of a review environment, deleted without a snapshot
  agno.infra.aws_db_instance:
    identifier: agent-app-review-42
    state: absent
    skip_final_snapshot: true
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
db_instance:
  description:
    - The instance after the task, without any password; empty when it is absent. Keys named after options hold the
      instance's values, C(tags) only when the task manages tags.
  returned: always
  type: dict
  sample:
    identifier: agent-app-prd
    arn: arn:aws:rds:eu-west-1:123456789012:db:agent-app-prd
    status: available
    endpoint: agent-app-prd.c0a1b2c3d4e5.eu-west-1.rds.amazonaws.com
    port: 5432
    engine: postgres
    engine_version: "16.4"
    instance_class: db.t4g.small
    allocated_storage: 20
    max_allocated_storage: 100
    storage_type: gp3
    db_name: app
    master_username: app
    manage_master_user_password: false
    master_user_secret_arn: null
    db_cluster_identifier: null
    db_subnet_group: agent-app-prd-db
    vpc_security_group_ids: [sg-0a1b2c3d4e5f]
    publicly_accessible: false
    multi_az: true
    storage_encrypted: true
    kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
    deletion_protection: true
    backup_retention_period: 7
    preferred_backup_window: 03:00-03:30
    pending_modified_values: {}
  contains:
    status:
      description: RDS status, such as C(available), C(modifying) or C(storage-optimization).
      type: str
    master_user_secret_arn:
      description: Secret holding the password RDS manages (with O(manage_master_user_password)), else null.
      type: str
    pending_modified_values:
      description: Modifications RDS applies in the next maintenance window.
      type: dict
    arn:
      description: ARN of the instance.
      type: str
    endpoint:
      description: Host name that clients connect to (the port is C(port)).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbInstanceResource)


if __name__ == "__main__":
    main()
