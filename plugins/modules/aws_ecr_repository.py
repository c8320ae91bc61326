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
    images unless O(force=true); so is deleting it.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the repository, such as C(agent-app/api).
    type: str
    required: true
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
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
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
repository:
  description:
    - The repository after the task; empty when it is absent. C(name), C(scan_on_push), C(image_tag_mutability),
      C(encryption) and C(kms_key) (for KMS encryption) hold the repository's values; C(lifecycle_policy) and C(tags)
      are returned when the task manages them.
  returned: always
  type: dict
  sample:
    name: agent-app/api
    arn: arn:aws:ecr:us-east-1:123456789012:repository/agent-app/api
    uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/agent-app/api
    scan_on_push: true
    image_tag_mutability: IMMUTABLE
    encryption: AES256
    kms_key: null
    lifecycle_policy: {rules: [{rulePriority: 1, selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 20},
                                action: {type: expire}}]}
    tags: {app: agent-app}
  contains:
    arn:
      description: Repository ARN.
      type: str
    uri:
      description: URI to tag and push images to (C(docker push URI:TAG)).
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import RepositoryResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(RepositoryResource)


if __name__ == "__main__":
    main()
