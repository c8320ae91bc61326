#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_elasticache
short_description: Manage ElastiCache Redis or Valkey replication groups, encrypted by default
version_added: 0.1.0
description:
  - Creates, modifies or deletes an ElastiCache replication group (Redis OSS or Valkey, cluster mode off), such as the
    broker of Celery workers, and with O(subnet_ids) its own cache subnet group named after it.
  - Secure by default. Data is encrypted at rest and in transit (clients connect with C(rediss://)).
  - Only the settings the task sets are compared. Node type, engine and version, automatic failover, snapshot
    retention, security groups and the description change in place in one ModifyReplicationGroup call.
  - The number of nodes changes in place too, by adding or removing replicas (IncreaseReplicaCount or
    DecreaseReplicaCount). When failover changes in the same task, replicas are added before failover is turned on
    and failover is turned off before the last replica is removed, waiting for the group in between.
  - Encryption, KMS key, port and the subnet group cannot change in place. A task asking for other
    values fails instead of replacing the cache.
  - The auth token is never read, compared, returned or shown in a diff; it is sent on creation only.
  - A group that ElastiCache is deleting counts as absent.
  - O(state=absent) takes a final snapshot unless O(skip_final_snapshot=true). With O(wait=true) it waits until the group
    is gone and then deletes its subnet group too; with O(wait=false) the subnet group stays until the next run with
    O(state=absent) finds the group gone and deletes it.
  - The name, node count, failover, token, KMS key, snapshot retention and port settings are checked before any call.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Replication group id, 1 to 40 lower-case letters, digits and hyphens, starting with a letter.
    type: str
    required: true
    aliases: [replication_group_id]
  description:
    description: Description of the group; C(agno.infra NAME) when created without one.
    type: str
  engine:
    description: Cache engine.
    type: str
    choices: [redis, valkey]
    default: redis
  engine_version:
    description: Engine version; a prefix such as C(7) matches any C(7.x). Compared when ElastiCache reports it.
    type: str
  node_type:
    description: Node type, such as C(cache.t4g.micro). Required with O(state=present).
    type: str
  num_cache_clusters:
    description:
      - Nodes in the group, a primary and its replicas (1 to 6).
      - Compared only when set. A group created without it has one node.
    type: int
  port:
    description: Port the nodes listen on (fixed at creation).
    type: int
    default: 6379
  subnet_ids:
    description: Subnets (private ones) of the group's own cache subnet group, named after the group; compared as a set.
    type: list
    elements: str
  cache_subnet_group:
    description: An existing cache subnet group to use instead of O(subnet_ids) (fixed at creation).
    type: str
  security_group_ids:
    description: Security groups of the nodes, compared as a set.
    type: list
    elements: str
  at_rest_encryption:
    description: Encrypt data at rest (fixed at creation).
    type: bool
    default: true
  transit_encryption:
    description: Require TLS between clients and nodes (fixed at creation).
    type: bool
    default: true
  kms_key_id:
    description: KMS key for encryption at rest (fixed at creation; needs O(at_rest_encryption)); the AWS managed key when unset.
    type: str
  auth_token:
    description:
      - Password that clients must give, 16 to 128 printable characters without spaces, slashes, double quotes or at signs.
      - Needs O(transit_encryption). Set at creation; on a group without it, or with another token, it is set in place
        (C(ModifyReplicationGroup) with strategy C(ROTATE); the previous token stays valid too, so clients still using it keep
        working until they are redeployed).
      - ElastiCache never shows a token, so the module keeps a salted scrypt digest of it in the tag C(agno:auth-token-digest)
        to tell whether the group has this one; a group whose token was set elsewhere gets this one once.
    type: str
  automatic_failover:
    description: Promote a replica when the primary fails (needs O(num_cache_clusters) of 2 or more).
    type: bool
  snapshot_retention_limit:
    description: Days automatic snapshots are kept, 0 (no snapshots) to 35.
    type: int
  apply_immediately:
    description: Change the group now; with C(false), ElastiCache waits for its maintenance window.
    type: bool
    default: true
  skip_final_snapshot:
    description: Delete the group without taking a snapshot of its data first.
    type: bool
    default: false
  final_snapshot_identifier:
    description: Name of the snapshot taken before deletion; the group name, C(-final-) and a UTC timestamp when unset.
    type: str
  wait:
    description: Wait until the group is available, after node changes too, and after a deletion until it is gone.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait; a new replication group takes ten minutes or more.
    type: int
    default: 1800
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Redis broker for Celery, in the private subnets, reachable from the app's security group only
  agno.infra.aws_elasticache:
    name: agent-app-prd
    node_type: cache.t4g.micro
    subnet_ids: "{{ private_subnet_ids }}"
    security_group_ids: ["{{ redis_sg_id }}"]
  register: redis

- name: Give the workers its URL
  ansible.builtin.set_fact:
    broker_url: "rediss://{{ redis.replication_group.primary_endpoint }}:6379/0?ssl_cert_reqs=required"

- name: A replica with automatic failover, added in place
  agno.infra.aws_elasticache:
    name: agent-app-prd
    node_type: cache.t4g.micro
    num_cache_clusters: 2
    automatic_failover: true
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
replication_group:
  description:
    - The group after the task, without the auth token; empty when it is absent. Keys named after options hold the
      group's values. C(engine_version) and C(security_group_ids) are read only when the task sets one of them or
      O(cache_subnet_group) (else null), C(subnet_ids) only with O(subnet_ids), C(tags) only when the task manages
      tags.
  returned: always
  type: dict
  sample:
    name: agent-app-prd
    arn: arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:agent-app-prd
    status: available
    description: agno.infra agent-app-prd
    engine: redis
    engine_version: null
    node_type: cache.t4g.micro
    num_cache_clusters: 2
    port: 6379
    primary_endpoint: master.agent-app-prd.a1b2c3.euw1.cache.amazonaws.com
    reader_endpoint: replica.agent-app-prd.a1b2c3.euw1.cache.amazonaws.com
    at_rest_encryption: true
    transit_encryption: true
    auth_token_enabled: false
    kms_key_id: null
    automatic_failover: true
    snapshot_retention_limit: 0
    security_group_ids: null
    cache_subnet_group: agent-app-prd
  contains:
    status:
      description: ElastiCache status, such as C(creating), C(available) or C(modifying).
      type: str
    reader_endpoint:
      description: Host name that spreads reads over the replicas.
      type: str
    auth_token_enabled:
      description: Whether clients must give O(auth_token).
      type: bool
    arn:
      description: Replication group ARN.
      type: str
    primary_endpoint:
      description: Host name of the primary node, for reads and writes (the broker URL).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.elasticache import ReplicationGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ReplicationGroupResource)


if __name__ == "__main__":
    main()
