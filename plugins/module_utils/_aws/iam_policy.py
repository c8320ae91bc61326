# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Customer managed IAM policy as a lifecycle resource: a new default version only when the document differs."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, error_code, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._aws.iam import IamPath, document_json, iam_name, normalise_document
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Refusal, ResourceError

# IAM keeps at most five versions of a managed policy.
MAX_VERSIONS = 5


def policy_arn(caller_arn: str, path: str, name: str) -> str:
    """The ARN of a customer managed policy, in the caller's partition and account."""
    parts = caller_arn.split(":")
    return "arn:%s:iam::%s:policy%s%s" % (parts[1], parts[4], path, name)


def versions_to_prune(versions: t.List[t.Dict[str, t.Any]], limit: int = MAX_VERSIONS) -> t.List[str]:
    """Ids of the oldest non-default versions to delete so that one more version fits under the limit."""
    excess = len(versions) - limit + 1
    if excess <= 0:
        return []
    old = sorted((version for version in versions if not version.get("IsDefaultVersion")), key=lambda version: version["CreateDate"])
    return [version["VersionId"] for version in old[:excess]]


class PolicyResource(AwsResource):
    kind = "IAM policy"
    result_key = "policy"
    tag_calls = tagging.IAM_POLICY
    constraints = {"name": iam_name(128), "path": IamPath(kind)}
    # A description is set at creation only: changing it would mean a new policy, which agno.infra does not make.
    replace_fields = ("description",)
    refusals = (Refusal("IAM cannot change the description of IAM policy {name} (it is {current[description]!r}): leave "
                        "description unset or equal, or delete the policy and create it again."),)

    module_name = "aws_iam_policy"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "path": {"type": "str", "default": "/"},
            "description": {"type": "str"},
            "policy": {"type": "raw"},
        },
        **TAGS_ARGUMENT_SPEC,
    )

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        self._arn: t.Optional[str] = None

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {}
        if params.get("description") is not None:
            wanted["description"] = params["description"]
        if params.get("policy") is not None:
            wanted["policy"] = normalise_document(params["policy"], "policy")
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @property
    def arn(self) -> str:
        """The policy's ARN, built from the caller identity (one call, made once)."""
        if self._arn is None:
            caller = self.client("sts").get_caller_identity()["Arn"]
            self._arn = policy_arn(caller, self.params["path"], self.name)
        return self._arn

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        iam = self.client("iam")
        try:
            policy = iam.get_policy(PolicyArn=self.arn)["Policy"]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "NoSuchEntity"):
                return None
            raise
        state: t.Dict[str, t.Any] = {
            "name": policy["PolicyName"],
            "arn": policy["Arn"],
            "policy_id": policy["PolicyId"],
            "path": policy.get("Path", "/"),
            "description": policy.get("Description"),
            "default_version_id": policy["DefaultVersionId"],
            "attachment_count": policy.get("AttachmentCount", 0),
            "tags": tags_to_dict(policy.get("Tags")),
        }
        # The document costs one more call: read it only when the task sets one.
        if self.params.get("policy") is not None:
            version = iam.get_policy_version(PolicyArn=self.arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
            state["policy"] = normalise_document(version["Document"], "PolicyVersion.Document")
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        if desired.get("policy") is None:
            raise ResourceError("IAM policy %s does not exist and policy is not set: give the policy document to "
                                "create it with." % self.name)
        request: t.Dict[str, t.Any] = {
            "PolicyName": self.name, "Path": self.params["path"],
            "PolicyDocument": document_json(desired["policy"]),
            "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        if desired.get("description") is not None:
            request["Description"] = desired["description"]
        try:
            self.client("iam").create_policy(**request)
        except Exception as error:  # pylint: disable=broad-except
            if error_code(error) == "EntityAlreadyExists":
                raise ResourceError("An IAM policy named %s already exists under another path (policy names are unique "
                                    "in an account): set path to the existing policy's path." % self.name)
            raise

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "policy" in changes:
            self.add_default_version(changes["policy"])
        self.update_tags(self.arn, current, changes)

    def add_default_version(self, document: t.Dict[str, t.Any]) -> None:
        """Make room among the five versions IAM keeps, then add the document as the new default."""
        iam = self.client("iam")
        versions = iam.list_policy_versions(PolicyArn=self.arn)["Versions"]
        for version_id in versions_to_prune(versions):
            iam.delete_policy_version(PolicyArn=self.arn, VersionId=version_id)
        iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=document_json(document), SetAsDefault=True)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        iam = self.client("iam")
        # IAM refuses to delete a policy that is attached or has non-default versions.
        for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=self.arn):
            for role in page.get("PolicyRoles") or []:
                iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=self.arn)
            for user in page.get("PolicyUsers") or []:
                iam.detach_user_policy(UserName=user["UserName"], PolicyArn=self.arn)
            for group in page.get("PolicyGroups") or []:
                iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=self.arn)
        for version in iam.list_policy_versions(PolicyArn=self.arn)["Versions"]:
            if not version.get("IsDefaultVersion"):
                iam.delete_policy_version(PolicyArn=self.arn, VersionId=version["VersionId"])
        iam.delete_policy(PolicyArn=self.arn)
