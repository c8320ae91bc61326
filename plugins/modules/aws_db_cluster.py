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
  engine:
    description: Aurora engine. Required with O(state=present).
    type: str
    choices: [aurora-postgresql, aurora-mysql]
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
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.rds, agno.infra.attributes]
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
db_cluster:
  description:
    - The cluster after the task, without any password; empty when it is absent. The keys named after options
      (C(identifier), C(engine), C(engine_version), C(port), C(db_name), C(master_username),
      C(manage_master_user_password), C(storage_encrypted), C(kms_key_id), C(db_subnet_group),
      C(vpc_security_group_ids), C(backup_retention_period), C(preferred_backup_window), C(deletion_protection),
      C(serverless_v2_scaling) and C(tags)) hold the cluster's values; C(serverless_v2_scaling) is null when unset.
  returned: always
  type: dict
  sample:
    identifier: agent-app-prd
    arn: arn:aws:rds:eu-west-1:123456789012:cluster:agent-app-prd
    status: available
    endpoint: agent-app-prd.cluster-c0a1b2c3d4e5.eu-west-1.rds.amazonaws.com
    reader_endpoint: agent-app-prd.cluster-ro-c0a1b2c3d4e5.eu-west-1.rds.amazonaws.com
    members: [agent-app-prd-1]
    engine: aurora-postgresql
    engine_version: "16.4"
    port: 5432
    db_name: app
    master_username: app
    manage_master_user_password: false
    master_user_secret_arn: null
    storage_encrypted: true
    kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
    db_subnet_group: agent-app-prd-db
    vpc_security_group_ids: [sg-0a1b2c3d4e5f]
    deletion_protection: true
    backup_retention_period: 7
    preferred_backup_window: 03:00-03:30
    serverless_v2_scaling: {min_capacity: 0.5, max_capacity: 4.0}
    tags: {}
  contains:
    arn:
      description: ARN of the cluster.
      type: str
    status:
      description: RDS status, such as C(available) or C(backing-up).
      type: str
    endpoint:
      description: Host name of the writer, for the app's database URL.
      type: str
    reader_endpoint:
      description: Host name that spreads connections over the readers.
      type: str
    members:
      description: Identifiers of its instances.
      type: list
      elements: str
    master_user_secret_arn:
      description: Secrets Manager secret of the password RDS manages (O(manage_master_user_password=true)), else null.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.db_cluster import DbClusterResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(DbClusterResource)


if __name__ == "__main__":
    main()
