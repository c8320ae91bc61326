# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM role as a lifecycle resource: trust policy, managed and inline policies compared after normalising."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, arn_kind, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._aws.iam import IamPath, document_json, iam_name, normalise_document
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range, ResourceError, purge

# The most roles one GetAccountAuthorizationDetails page may hold for a batch read (see RoleResource.read_batch).
ROLES_PER_PAGE = 100


class RoleResource(AwsResource):
    kind = "IAM role"
    locator = ("name",)
    result_key = "role"
    replace_fields = ("path",)
    tag_calls = tagging.IAM_ROLE
    # Without purge_policies, the task's policies must be there; others may be too.
    compare = {"managed_policy_arns": purge("purge_policies"), "inline_policies": purge("purge_policies")}
    constraints = {"name": iam_name(64), "path": IamPath(kind), "max_session_duration": Range(3600, 43200)}

    module_name = "aws_iam_role"
    owned_kind = "iam:role"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """role/PATH/NAME: the name is the last part."""
        return {"name": arn_kind(found)[1].rsplit("/", 1)[-1]}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "path": {"type": "str", "default": "/"},
            "description": {"type": "str"},
            "assume_role_policy": {"type": "raw"},
            "managed_policy_arns": {"type": "list", "elements": "str"},
            "inline_policies": {"type": "dict"},
            "purge_policies": {"type": "bool", "default": True},
            "max_session_duration": {"type": "int"},
            "permissions_boundary": {"type": "str"},
        },
        **TAGS_ARGUMENT_SPEC,
    )

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {"path": params["path"]}
        if params.get("assume_role_policy") is not None:
            wanted["assume_role_policy"] = normalise_document(params["assume_role_policy"], "assume_role_policy")
        for field in ("description", "max_session_duration", "permissions_boundary"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if params.get("managed_policy_arns") is not None:
            wanted["managed_policy_arns"] = sorted(set(params["managed_policy_arns"]))
        if params.get("inline_policies") is not None:
            wanted["inline_policies"] = {name: normalise_document(document, "inline_policies.%s" % name)
                                         for name, document in params["inline_policies"].items()}
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    @classmethod
    def read_batch(cls, resources: t.List[RoleResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many roles from one GetAccountAuthorizationDetails (each role with its policies and tags), in
        an account whose roles fit in one page; in a larger one, or for a task that sets what that call leaves out
        (description, maximum session duration), each role reads alone."""
        answer = resources[0].client("iam").get_account_authorization_details(Filter=["Role"], MaxItems=ROLES_PER_PAGE)
        if answer.get("IsTruncated"):
            return [resource.read() for resource in resources]
        # IAM names are unique whatever their case.
        details = {role["RoleName"].lower(): role for role in answer["RoleDetailList"]}
        return [resource.read() if resource.needs_role_call else resource.state_from_details(details.get(resource.name.lower()))
                for resource in resources]

    @property
    def needs_role_call(self) -> bool:
        return any(self.params.get(field) is not None for field in ("description", "max_session_duration"))

    def state_from_details(self, role: t.Optional[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        if role is None:
            return None
        return self.state_of(role, lambda: sorted(policy["PolicyArn"] for policy in role["AttachedManagedPolicies"]),
                             lambda: {policy["PolicyName"]: normalise_document(policy["PolicyDocument"], policy["PolicyName"])
                                      for policy in role["RolePolicyList"]})

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            role = self.client("iam").get_role(RoleName=self.name)["Role"]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "NoSuchEntity"):
                return None
            raise
        return self.state_of(role, self.attached_policies, self.inline_policies)

    def state_of(self, role: t.Dict[str, t.Any], managed: t.Callable[[], t.List[str]],
                 inline: t.Callable[[], t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
        """The state of a role as GetRole or GetAccountAuthorizationDetails describe it, with its policies (from
        ``managed`` and ``inline``) when the task manages them."""
        state: t.Dict[str, t.Any] = {
            "name": role["RoleName"],
            "arn": role["Arn"],
            "role_id": role["RoleId"],
            "path": role.get("Path", "/"),
            "description": role.get("Description"),
            "assume_role_policy": normalise_document(role.get("AssumeRolePolicyDocument") or {}, "AssumeRolePolicyDocument"),
            "max_session_duration": role.get("MaxSessionDuration"),
            "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            "tags": tags_to_dict(role.get("Tags")),
        }
        if self.params.get("managed_policy_arns") is not None:
            state["managed_policy_arns"] = managed()
        if self.params.get("inline_policies") is not None:
            state["inline_policies"] = inline()
        return state

    def attached_policies(self) -> t.List[str]:
        pages = self.client("iam").get_paginator("list_attached_role_policies").paginate(RoleName=self.name)
        return sorted(policy["PolicyArn"] for page in pages for policy in page["AttachedPolicies"])

    def inline_policies(self) -> t.Dict[str, t.Any]:
        iam = self.client("iam")
        names = [name for page in iam.get_paginator("list_role_policies").paginate(RoleName=self.name)
                 for name in page["PolicyNames"]]
        return {name: normalise_document(iam.get_role_policy(RoleName=self.name, PolicyName=name)["PolicyDocument"], name)
                for name in names}

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        if desired.get("assume_role_policy") is None:
            raise ResourceError("IAM role %s does not exist and assume_role_policy is not set: give the trust policy "
                                "that says who may assume the role." % self.name)
        request: t.Dict[str, t.Any] = {
            "RoleName": self.name, "Path": desired["path"],
            "AssumeRolePolicyDocument": document_json(desired["assume_role_policy"]),
            "Tags": dict_to_tags(desired.get("tags") or {}),
        }
        for field, key in (("description", "Description"), ("max_session_duration", "MaxSessionDuration"),
                           ("permissions_boundary", "PermissionsBoundary")):
            if desired.get(field) is not None:
                request[key] = desired[field]
        self.client("iam").create_role(**request)
        empty: t.Dict[str, t.Any] = {"managed_policy_arns": [], "inline_policies": {}}
        self.sync_policies(empty, desired)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        iam = self.client("iam")
        if "assume_role_policy" in changes:
            iam.update_assume_role_policy(RoleName=self.name, PolicyDocument=document_json(changes["assume_role_policy"]))
        settings = {key: changes[field] for field, key in (("description", "Description"),
                                                           ("max_session_duration", "MaxSessionDuration"))
                    if field in changes}
        if settings:
            iam.update_role(RoleName=self.name, **settings)
        if "permissions_boundary" in changes:
            if changes["permissions_boundary"]:
                iam.put_role_permissions_boundary(RoleName=self.name, PermissionsBoundary=changes["permissions_boundary"])
            else:
                iam.delete_role_permissions_boundary(RoleName=self.name)
        self.sync_policies(current, changes)
        self.update_tags(self.name, current, changes)

    def sync_policies(self, current: t.Dict[str, t.Any], wanted: t.Dict[str, t.Any]) -> None:
        """Attach, detach, put and delete only the policies that differ."""
        iam = self.client("iam")
        purge = self.params["purge_policies"]
        if "managed_policy_arns" in wanted:
            have, want = set(current.get("managed_policy_arns") or []), set(wanted["managed_policy_arns"])
            for arn in sorted(want - have):
                iam.attach_role_policy(RoleName=self.name, PolicyArn=arn)
            for arn in sorted(have - want) if purge else []:
                iam.detach_role_policy(RoleName=self.name, PolicyArn=arn)
        if "inline_policies" in wanted:
            have_inline, want_inline = current.get("inline_policies") or {}, wanted["inline_policies"]
            for name, document in sorted(want_inline.items()):
                if have_inline.get(name) != document:
                    iam.put_role_policy(RoleName=self.name, PolicyName=name, PolicyDocument=document_json(document))
            for name in sorted(set(have_inline) - set(want_inline)) if purge else []:
                iam.delete_role_policy(RoleName=self.name, PolicyName=name)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        iam = self.client("iam")
        # IAM refuses to delete a role that still has policies or instance profiles.
        for arn in self.attached_policies():
            iam.detach_role_policy(RoleName=self.name, PolicyArn=arn)
        for name in self.inline_policies():
            iam.delete_role_policy(RoleName=self.name, PolicyName=name)
        for page in iam.get_paginator("list_instance_profiles_for_role").paginate(RoleName=self.name):
            for profile in page["InstanceProfiles"]:
                iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=self.name)
        iam.delete_role(RoleName=self.name)
