# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR repository as a lifecycle resource: scanning, tag immutability, encryption, lifecycle policy, tags."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tag_changes, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, REPLACE, ResourceError


def normalise_policy(policy: t.Any) -> t.Optional[t.Dict[str, t.Any]]:
    """A lifecycle policy as a dict with its rules in priority order, from a dict or JSON text; None for no policy."""
    if policy in (None, "", {}):
        return None
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError as error:
            raise ResourceError("lifecycle_policy is not valid JSON (%s): give a dict or a JSON document." % error)
    if not isinstance(policy, dict) or not isinstance(policy.get("rules"), list):
        raise ResourceError("lifecycle_policy must be a document with a list of rules, such as {rules: [{rulePriority: 1, ...}]}.")
    # ECR applies rules by rulePriority, whatever their order in the document.
    return dict(policy, rules=sorted(policy["rules"], key=lambda rule: rule.get("rulePriority", 0)))


class RepositoryResource(AwsResource):
    kind = "ECR repository"
    result_key = "repository"
    # Encryption is chosen at creation; ECR cannot change it.
    replace_fields = ("encryption", "kms_key")

    module_name = "aws_ecr_repository"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "scan_on_push": {"type": "bool", "default": True},
            "image_tag_mutability": {"type": "str", "default": "IMMUTABLE", "choices": ["MUTABLE", "IMMUTABLE"]},
            "encryption": {"type": "str", "default": "AES256", "choices": ["AES256", "KMS"], "aliases": ["encryption_type"]},
            "kms_key": {"type": "str", "no_log": False},
            "lifecycle_policy": {"type": "raw"},
            "force": {"type": "bool", "default": False},
        },
        **TAGS_ARGUMENT_SPEC,
    )

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {
            "scan_on_push": params["scan_on_push"],
            "image_tag_mutability": params["image_tag_mutability"],
            "encryption": params["encryption"],
        }
        if params.get("kms_key") is not None:
            if params["encryption"] != "KMS":
                raise ResourceError("ECR repository %s: kms_key needs encryption KMS; set encryption: KMS or drop kms_key." % self.name)
            wanted["kms_key"] = params["kms_key"]
        if params.get("lifecycle_policy") is not None:
            wanted["lifecycle_policy"] = normalise_policy(params["lifecycle_policy"])
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        ecr = self.client("ecr")
        try:
            found = ecr.describe_repositories(repositoryNames=[self.name])["repositories"][0]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "RepositoryNotFoundException"):
                return None
            raise
        encryption = found.get("encryptionConfiguration") or {}
        state: t.Dict[str, t.Any] = {
            "name": found["repositoryName"],
            "arn": found["repositoryArn"],
            "uri": found["repositoryUri"],
            "scan_on_push": bool((found.get("imageScanningConfiguration") or {}).get("scanOnPush")),
            "image_tag_mutability": found.get("imageTagMutability"),
            "encryption": encryption.get("encryptionType", "AES256"),
            "kms_key": encryption.get("kmsKey"),
        }
        # Policy and tags cost a call each: read them only when the task manages them.
        if self.params.get("lifecycle_policy") is not None:
            state["lifecycle_policy"] = self.read_policy()
        if self.params.get("tags") is not None:
            state["tags"] = tags_to_dict(ecr.list_tags_for_resource(resourceArn=state["arn"]).get("tags"))
        return state

    def read_policy(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            text = self.client("ecr").get_lifecycle_policy(repositoryName=self.name)["lifecyclePolicyText"]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "LifecyclePolicyNotFoundException"):
                return None
            raise
        return normalise_policy(text)

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        if action not in (DELETE, REPLACE) or not current or self.params["force"]:
            return
        images = self.client("ecr").list_images(repositoryName=self.name, maxResults=1).get("imageIds")
        if images:
            why = " must be recreated to change its encryption, and it" if action == REPLACE else ""
            raise ResourceError("ECR repository %s%s still holds images: delete them first, or set force: true to "
                                "delete the repository with its images." % (self.name, why))

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        encryption: t.Dict[str, t.Any] = {"encryptionType": desired["encryption"]}
        if desired.get("kms_key"):
            encryption["kmsKey"] = desired["kms_key"]
        self.client("ecr").create_repository(
            repositoryName=self.name,
            imageTagMutability=desired["image_tag_mutability"],
            imageScanningConfiguration={"scanOnPush": desired["scan_on_push"]},
            encryptionConfiguration=encryption,
            tags=dict_to_tags(desired.get("tags") or {}),
        )
        if desired.get("lifecycle_policy"):
            self.put_policy(desired["lifecycle_policy"])
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        ecr = self.client("ecr")
        if "scan_on_push" in changes:
            ecr.put_image_scanning_configuration(repositoryName=self.name,
                                                 imageScanningConfiguration={"scanOnPush": changes["scan_on_push"]})
        if "image_tag_mutability" in changes:
            ecr.put_image_tag_mutability(repositoryName=self.name, imageTagMutability=changes["image_tag_mutability"])
        if "lifecycle_policy" in changes:
            if changes["lifecycle_policy"]:
                self.put_policy(changes["lifecycle_policy"])
            else:
                ecr.delete_lifecycle_policy(repositoryName=self.name)
        if "tags" in changes:
            to_set, to_remove = tag_changes(current.get("tags") or {}, changes["tags"], self.params["purge_tags"])
            if to_set:
                ecr.tag_resource(resourceArn=current["arn"], tags=dict_to_tags(to_set))
            if to_remove:
                ecr.untag_resource(resourceArn=current["arn"], tagKeys=to_remove)
        return t.cast(t.Dict[str, t.Any], self.read())

    def put_policy(self, policy: t.Dict[str, t.Any]) -> None:
        self.client("ecr").put_lifecycle_policy(repositoryName=self.name, lifecyclePolicyText=json.dumps(policy))

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ecr").delete_repository(repositoryName=self.name, force=self.params["force"])
