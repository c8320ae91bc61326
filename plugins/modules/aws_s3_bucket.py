#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_s3_bucket
short_description: Manage S3 buckets, secure by default
version_added: 0.1.0
description:
  - Creates, updates or deletes an S3 bucket with default encryption, the public access block, object ownership,
    versioning and tags, with full check mode and diff.
  - Secure by default. Server-side encryption is on, all four public access flags are blocked, and ACLs are
    disabled (C(BucketOwnerEnforced)); a task has to say otherwise.
  - A bucket that holds objects is not deleted unless O(force=true), which deletes every object and version first.
  - The bucket name is checked against S3's naming rules before any call.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the bucket (global across AWS).
    type: str
    required: true
  state:
    description: Whether the bucket should exist.
    type: str
    choices: [present, absent]
    default: present
  versioning:
    description: Keep every version of each object. Not managed when unset; once enabled it can only be suspended.
    type: bool
  encryption:
    description: Default server-side encryption of new objects.
    type: str
    choices: [AES256, "aws:kms"]
    default: AES256
  encryption_key_id:
    description: KMS key for O(encryption=aws:kms); the AWS managed key when unset.
    type: str
  bucket_key_enabled:
    description: Use an S3 bucket key with KMS encryption, which lowers KMS costs.
    type: bool
  public_access_block:
    description: The four public access block flags; each defaults to C(true).
    type: dict
    suboptions:
      block_public_acls:
        description: Reject public ACLs.
        type: bool
        default: true
      ignore_public_acls:
        description: Ignore public ACLs.
        type: bool
        default: true
      block_public_policy:
        description: Reject public bucket policies.
        type: bool
        default: true
      restrict_public_buckets:
        description: Restrict access to buckets with public policies.
        type: bool
        default: true
  object_ownership:
    description: Object ownership; C(BucketOwnerEnforced) disables ACLs.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
    default: BucketOwnerEnforced
  force:
    description: Delete the bucket even when it holds objects, deleting every object and version first. Data is lost.
    type: bool
    default: false
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Private, encrypted, versioned bucket for the app's documents
  agno.infra.aws_s3_bucket:
    name: agent-app-prd-documents
    versioning: true
    tags:
      app: agent-app

- name: Delete it with its content
  agno.infra.aws_s3_bucket:
    name: agent-app-dev-scratch
    state: absent
    force: true
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
bucket:
  description: The bucket after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    encryption:
      description: Default encryption (algorithm, key_id, bucket_key_enabled); null when none.
      type: dict
    public_access_block:
      description: The four public access block flags.
      type: dict
    object_ownership:
      description: Object ownership.
      type: str
    versioning:
      description: Whether versioning is enabled (returned when the task manages it).
      type: bool
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.s3_bucket import BucketResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(BucketResource)


if __name__ == "__main__":
    main()
