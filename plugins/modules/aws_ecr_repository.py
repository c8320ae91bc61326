#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_ecr_repository
short_description: Manage Amazon ECR repositories
version_added: 0.1.0
description:
  - Creates, updates or deletes an ECR repository with scan on push, tag immutability, encryption, a lifecycle
    policy and tags.
  - Secure by default, with scan on push on and tags immutable (O(image_tag_mutability=IMMUTABLE)), so a deployed
    tag always names the same image. Set C(MUTABLE) to move tags such as C(latest).
  - Encryption cannot change after creation. The repository is recreated then, which is refused while it holds
    images unless O(force=true).
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the repository, such as C(agent-app/api).
    type: str
    required: true
  state:
    description: Whether the repository should exist. A repository holding images is only deleted with O(force=true).
    type: str
    choices: [present, absent]
    default: present
  scan_on_push:
    description: Scan each pushed image for vulnerabilities.
    type: bool
    default: true
  image_tag_mutability:
    description: Whether a tag can be moved to another image. C(IMMUTABLE) keeps deployed tags trustworthy.
    type: str
    choices: [MUTABLE, IMMUTABLE]
    default: IMMUTABLE
  encryption:
    description:
      - Encryption of the images at rest, chosen at creation.
      - ECR cannot change it later. A different value recreates the repository, which is refused while it holds
        images unless O(force=true).
    type: str
    choices: [AES256, KMS]
    default: AES256
    aliases: [encryption_type]
  kms_key:
    description: KMS key for O(encryption=KMS); the AWS managed key when unset. Chosen at creation, like O(encryption).
    type: str
  lifecycle_policy:
    description:
      - Lifecycle policy, as a dict or a JSON document, compared as parsed JSON with its rules in priority order.
        An empty value removes the policy.
      - Checked before any call. Each rule needs its own C(rulePriority) (C(1) or more) and a C(countNumber) of C(1) or
        more.
      - Not managed when unset.
    type: raw
  force:
    description: Delete (or recreate) the repository even when it holds images.
    type: bool
    default: false
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Repository for the API image, keeping the 20 newest images
  agno.infra.aws_ecr_repository:
    name: agent-app/api
    lifecycle_policy:
      rules:
        - rulePriority: 1
          description: keep 20 images
          selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 20}
          action: {type: expire}
    tags:
      app: agent-app
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
repository:
  description: The repository after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
    uri:
      description: URI to push images to.
      type: str
      sample: 123456789012.dkr.ecr.us-east-1.amazonaws.com/agent-app/api
    scan_on_push:
      description: Whether pushes are scanned.
      type: bool
    image_tag_mutability:
      description: MUTABLE or IMMUTABLE.
      type: str
    encryption:
      description: AES256 or KMS.
      type: str
    kms_key:
      description: KMS key, for KMS encryption.
      type: str
    lifecycle_policy:
      description: Lifecycle policy (returned when the task manages it).
      type: dict
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import RepositoryResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(RepositoryResource)


if __name__ == "__main__":
    main()
