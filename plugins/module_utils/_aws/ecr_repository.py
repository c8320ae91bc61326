# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR repository as a lifecycle resource: scanning, tag immutability, encryption, lifecycle policy, tags."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import NamedResource
from ansible_collections.agno.infra.plugins.module_utils._aws.client import is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    DELETE, REPLACE, Constraint, Pattern, Range, Refusal, ResourceError, constraint_problems)

# The numbers ECR requires of each lifecycle rule, by path in the rule (the types and statuses it knows grow: ECR checks them).
RULE_CONSTRAINTS: t.Dict[str, Constraint] = {"rulePriority": Range(1), "selection.countNumber": Range(1)}


def policy_document(policy: t.Any) -> t.Optional[t.Dict[str, t.Any]]:
    """A lifecycle policy as a dict, from a dict or JSON text; None for no policy."""
    if policy in (None, "", {}):
        return None
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError as error:
            raise ResourceError("lifecycle_policy is not valid JSON (%s): give a dict or a JSON document." % error)
    if not isinstance(policy, dict) or not isinstance(policy.get("rules"), list):
        raise ResourceError("lifecycle_policy must be a document with a list of rules, such as {rules: [{rulePriority: 1, ...}]}.")
    return policy


def normalise_policy(policy: t.Any) -> t.Optional[t.Dict[str, t.Any]]:
    """The policy with its rules in priority order (ECR applies them so, whatever their order in the document)."""
    document = policy_document(policy)
    return None if document is None else dict(document, rules=sorted(document["rules"], key=lambda rule: rule.get("rulePriority", 0)))


class LifecyclePolicy(Constraint):
    """A lifecycle policy ECR accepts: valid JSON, rules with their own priorities, counts of one or more."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        try:
            document = policy_document(value)
        except ResourceError as error:
            return error.msg
        rules = (document or {}).get("rules") or []
        problems = ["%s.rules[%d].%s" % (option, index, problem) for index, rule in enumerate(rules) if isinstance(rule, dict)
                    for problem in constraint_problems(RULE_CONSTRAINTS, rule)]
        priorities = [rule.get("rulePriority") for rule in rules if isinstance(rule, dict)]
        if len(set(map(str, priorities))) < len(priorities):
            problems.append("%s repeats a rulePriority: give each rule its own." % option)
        return " ".join(problems) or None


class RepositoryResource(NamedResource):
    kind = "ECR repository"
    result_key = "repository"
    # Encryption is chosen at creation; ECR cannot change it.
    replace_fields = ("encryption", "kms_key")
    tag_calls = tagging.ECR
    constraints = {
        "name": Pattern(r"(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
                        "2 to 256 lower-case letters, digits and . _ - / (between letters or digits), such as team/app"),
        "lifecycle_policy": LifecyclePolicy(),
    }
    refusals = (Refusal({
        DELETE: "ECR repository {name} still holds images: delete them first, or set force: true to delete the repository "
                "with its images.",
        REPLACE: "ECR repository {name} must be recreated to change its encryption, and it still holds images: delete them "
                 "first, or set force: true to delete the repository with its images.",
    }, actions=(DELETE, REPLACE), unless=("force", True), blockers=lambda resource, current: resource.holds_images()),)

    module_name = "aws_ecr_repository"
    owned_kind = "ecr:repository"
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

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return self.holds_images()

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        if params.get("kms_key") is not None and cls.setting(params, "encryption") != "KMS":
            return ["kms_key needs encryption KMS; set encryption: KMS or drop kms_key."]
        return []
    locator = ("name",)

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {
            "scan_on_push": params["scan_on_push"],
            "image_tag_mutability": params["image_tag_mutability"],
            "encryption": params["encryption"],
        }
        if params.get("kms_key") is not None:
            wanted["kms_key"] = params["kms_key"]
        if params.get("lifecycle_policy") is not None:
            wanted["lifecycle_policy"] = normalise_policy(params["lifecycle_policy"])
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[RepositoryResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many repositories: one describe for all of them."""
        found = resources[0].described([resource.name for resource in resources])
        if found is None:
            return [resource.read() for resource in resources]  # one of them is missing: each reads alone
        by_name = {repository["repositoryName"]: repository for repository in found}
        return [resource.state_of(by_name[resource.name]) for resource in resources]

    def described(self, names: t.List[str]) -> t.Optional[t.List[t.Dict[str, t.Any]]]:
        """The repositories of these names, or None when one of them does not exist: ECR then answers for none."""
        try:
            return t.cast(t.List[t.Dict[str, t.Any]], self.client("ecr").describe_repositories(repositoryNames=names)["repositories"])
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "RepositoryNotFoundException"):
                return None
            raise

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.described([self.name])
        return None if found is None else self.state_of(found[0])

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        ecr = self.client("ecr")
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

    def holds_images(self) -> bool:
        return bool(self.client("ecr").list_images(repositoryName=self.name, maxResults=1).get("imageIds"))

    def create(self, desired: t.Dict[str, t.Any]) -> None:
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

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
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
        self.update_tags(current["arn"], current, changes)

    def put_policy(self, policy: t.Dict[str, t.Any]) -> None:
        self.client("ecr").put_lifecycle_policy(repositoryName=self.name, lifecyclePolicyText=json.dumps(policy))

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ecr").delete_repository(repositoryName=self.name, force=self.params["force"])
