# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Options every RDS database shares, DB instance or Aurora cluster."""

    DOCUMENTATION = r"""
options:
  identifier:
    description:
      - Identifier of the DB instance or cluster, unique in the account and region.
      - 1 to 63 letters, digits and hyphens, starting with a letter, without two hyphens in a row or one at the end.
    type: str
    required: true
    aliases: [name]
  engine_version:
    description: Engine version; a prefix such as C(16) matches any C(16.x).
    type: str
  db_name:
    description: Name of the database created with the instance or cluster (fixed at creation).
    type: str
  master_username:
    description: Master user name, needed to create anything but a member of an Aurora cluster (fixed at creation).
    type: str
  master_user_password:
    description: Master password. Never returned or logged; see O(update_password).
    type: str
  manage_master_user_password:
    description: Let RDS generate the master password and keep it in Secrets Manager.
    type: bool
  update_password:
    description: C(on_create) sends the password only when creating; C(always) sends it on every run (reports changed).
    type: str
    choices: [on_create, always]
    default: on_create
  db_subnet_group:
    description: DB subnet group that places the database in the VPC's (private) subnets.
    type: str
  port:
    description: Port the database listens on, C(1150) to C(65535); the engine's default when unset.
    type: int
  vpc_security_group_ids:
    description: Security groups of the database, compared as a set.
    type: list
    elements: str
  backup_retention_period:
    description: Days automated backups are kept, up to C(35); C(0) (no backups) is for DB instances only.
    type: int
  preferred_backup_window:
    description: Daily backup window, C(hh24:mi-hh24:mi) in UTC.
    type: str
  deletion_protection:
    description:
      - Refuse deletion while on.
      - With O(state=absent), C(false) lifts the protection and deletes; unset or C(true) leaves a protected database alone.
    type: bool
  storage_encrypted:
    description: Encrypt the storage (fixed at creation).
    type: bool
    default: true
  kms_key_id:
    description: KMS key of the storage encryption (fixed at creation); the AWS managed key when unset.
    type: str
  apply_immediately:
    description: Apply modifications now rather than in the next maintenance window.
    type: bool
    default: true
  skip_final_snapshot:
    description: Delete without a final snapshot. The data is lost.
    type: bool
    default: false
  final_snapshot_identifier:
    description:
      - Name of the final snapshot; defaults to the identifier, C(-final-) and a UTC timestamp.
      - 1 to 255 letters, digits and hyphens, starting with a letter, without two hyphens in a row or one at the end.
    type: str
  wait:
    description: Wait until the database is available and, after a deletion, until it is gone.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait; creating a database takes several minutes.
    type: int
    default: 1800
"""
