"""Managed IAM policies: the ARN from the caller identity, pruning old versions, and converges through the engine: a
description IAM cannot change is refused, tags use the policy calls."""

from __future__ import annotations

import datetime
import json
import typing as t
import urllib.parse

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import iam_policy
from ansible_collections.agno.infra.plugins.module_utils._aws.iam_policy import PolicyResource, policy_arn, versions_to_prune
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


def test_policy_arn_takes_partition_and_account_from_the_caller() -> None:
    caller = "arn:aws-cn:sts::111122223333:assumed-role/deploy/session"
    assert policy_arn(caller, "/app/", "read") == "arn:aws-cn:iam::111122223333:policy/app/read"
    assert policy_arn("arn:aws:iam::123456789012:user/ci", "/", "read") == "arn:aws:iam::123456789012:policy/read"


def version(version_id: str, day: int, default: bool = False) -> dict:
    return {"VersionId": version_id, "IsDefaultVersion": default, "CreateDate": datetime.datetime(2026, 1, day)}


def test_no_pruning_below_the_limit() -> None:
    assert versions_to_prune([version("v1", 1), version("v2", 2, True)]) == []
    assert versions_to_prune([version("v%d" % day, day, day == 4) for day in range(1, 5)]) == []


def test_pruning_deletes_the_oldest_non_default_version() -> None:
    # The default is the oldest here (someone rolled back): it must be kept.
    versions = [version("v1", 1, True)] + [version("v%d" % day, day) for day in (5, 3, 2, 4)]
    assert versions_to_prune(versions) == ["v2"]


def test_pruning_catches_up_when_over_the_limit() -> None:
    versions = [version("v%d" % day, day, day == 7) for day in range(1, 8)]
    assert versions_to_prune(versions) == ["v1", "v2", "v3"]


class Sts:
    def get_caller_identity(self) -> t.Dict[str, str]:
        return {"Account": ACCOUNT, "Arn": "arn:aws:sts::%s:assumed-role/deploy/ci" % ACCOUNT, "UserId": "AROA1:ci"}


class Policies:
    """IAM's managed policy calls, with the versions IAM keeps; documents come back URL-encoded."""

    def __init__(self) -> None:
        self.policies: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.versions: t.Dict[str, t.List[t.Dict[str, t.Any]]] = {}
        self.roles: t.List[str] = []

    def get_policy(self, PolicyArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if PolicyArn not in self.policies:
            raise client_error("NoSuchEntity", "GetPolicy", "Policy %s does not exist or is not attachable." % PolicyArn, 404)
        return {"Policy": dict(self.policies[PolicyArn])}

    def create_policy(self, PolicyName: str, Path: str, PolicyDocument: str, Tags: t.List[t.Any],  # pylint: disable=invalid-name
                      Description: t.Optional[str] = None) -> None:
        if any(policy["PolicyName"] == PolicyName for policy in self.policies.values()):
            raise client_error("EntityAlreadyExists", "CreatePolicy", "A policy called %s already exists." % PolicyName, 409)
        arn = "arn:aws:iam::%s:policy%s%s" % (ACCOUNT, Path, PolicyName)
        self.policies[arn] = {"PolicyName": PolicyName, "Arn": arn, "PolicyId": "ANPA0000000000000001", "Path": Path,
                              "Description": Description, "AttachmentCount": 0, "Tags": Tags}
        self.versions[arn] = []
        self.create_policy_version(arn, PolicyDocument, True)

    def get_policy_version(self, PolicyArn: str, VersionId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        version = next(item for item in self.versions[PolicyArn] if item["VersionId"] == VersionId)
        return {"PolicyVersion": dict(version, Document=urllib.parse.quote(version["Document"]))}

    def list_policy_versions(self, PolicyArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Versions": [{key: value for key, value in item.items() if key != "Document"} for item in self.versions[PolicyArn]]}

    def create_policy_version(self, PolicyArn: str, PolicyDocument: str, SetAsDefault: bool) -> None:  # pylint: disable=invalid-name
        versions = self.versions[PolicyArn]
        assert len(versions) < 5, "IAM refuses: LimitExceeded"
        number = int(versions[-1]["VersionId"][1:]) + 1 if versions else 1
        for item in versions:
            item["IsDefaultVersion"] = item["IsDefaultVersion"] and not SetAsDefault
        versions.append({"VersionId": "v%d" % number, "IsDefaultVersion": SetAsDefault, "Document": PolicyDocument,
                         "CreateDate": datetime.datetime(2026, 1, number)})
        self.policies[PolicyArn]["DefaultVersionId"] = "v%d" % number

    def delete_policy_version(self, PolicyArn: str, VersionId: str) -> None:  # pylint: disable=invalid-name
        self.versions[PolicyArn] = [item for item in self.versions[PolicyArn] if item["VersionId"] != VersionId]

    def list_entities_for_policy(self, PolicyArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"PolicyRoles": [{"RoleName": name} for name in self.roles], "PolicyUsers": [], "PolicyGroups": []}

    def detach_role_policy(self, RoleName: str, PolicyArn: str) -> None:  # pylint: disable=invalid-name
        self.roles.remove(RoleName)

    def delete_policy(self, PolicyArn: str) -> None:  # pylint: disable=invalid-name
        assert len(self.versions[PolicyArn]) == 1 and not self.roles, "IAM refuses: DeleteConflict"
        del self.policies[PolicyArn]


def document(*actions: str) -> t.Dict[str, t.Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}


def managed(aws: FakeAws, **options: t.Any) -> iam_policy.PolicyResource:
    return task_resource(iam_policy.PolicyResource, aws, **dict(
        {"name": "read", "path": "/app/", "policy": document("s3:GetObject")}, **options))


ARN = "arn:aws:iam::123456789012:policy/app/read"


def test_create_then_rerun_then_a_new_document_is_a_new_default_version() -> None:
    iam = Policies()
    aws = FakeAws(iam=iam, sts=Sts())
    created = converge(managed(aws))
    assert (created.action, created.state["arn"], created.state["default_version_id"]) == ("create", ARN, "v1")
    assert aws.writes() == ["create_policy"]
    aws.clear()
    assert converge(managed(aws, policy=json.dumps(document("s3:GetObject")))).changed is False and aws.writes() == []
    updated = converge(managed(aws, policy=document("s3:GetObject", "s3:ListBucket")))
    assert (updated.changes, updated.state["default_version_id"]) == (["policy"], "v2")
    assert aws.writes() == ["create_policy_version"]
    assert aws.calls.count("get_caller_identity") == 2  # once per task, not once per call


def test_the_oldest_versions_make_room_for_a_new_one() -> None:
    iam = Policies()
    aws = FakeAws(iam=iam, sts=Sts())
    for number in range(5):
        converge(managed(aws, policy=document("s3:GetObject", "s3:Action%d" % number)))
    assert [item["VersionId"] for item in iam.versions[ARN]] == ["v1", "v2", "v3", "v4", "v5"]
    converge(managed(aws, policy=document("s3:PutObject")))
    assert [item["VersionId"] for item in iam.versions[ARN]] == ["v2", "v3", "v4", "v5", "v6"]


def test_refusals_say_what_iam_cannot_do() -> None:
    iam = Policies()
    aws = FakeAws(iam=iam, sts=Sts())
    converge(managed(aws, description="reads objects"))
    with pytest.raises(ResourceError) as raised:
        converge(managed(aws, description="reads more"), check_mode=True)
    assert raised.value.msg == ("IAM cannot change the description of IAM policy read (it is 'reads objects'): leave description "
                                "unset or equal, or delete the policy and create it again.")
    with pytest.raises(ResourceError) as raised:
        converge(managed(aws, path="/other/"))
    assert raised.value.msg == ("An IAM policy named read already exists under another path (policy names are unique in an "
                                "account): set path to the existing policy's path.")
    with pytest.raises(ResourceError, match="IAM policy nothing does not exist and policy is not set"):
        converge(managed(aws, name="nothing", policy=None))


def test_delete_detaches_and_drops_old_versions_first() -> None:
    iam = Policies()
    aws = FakeAws(iam=iam, sts=Sts())
    converge(managed(aws))
    converge(managed(aws, policy=document("s3:PutObject")))
    iam.roles = ["app-task"]
    aws.clear()
    assert converge(managed(aws, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["detach_role_policy", "delete_policy_version", "delete_policy"] and iam.policies == {}


ASSETS_ARN = "arn:aws:iam::123456789012:policy/read-assets"
POLICY = {"Policy": {"PolicyName": "read-assets", "Arn": ASSETS_ARN, "PolicyId": "ANPA1", "Path": "/", "Description": "reads",
                     "DefaultVersionId": "v1", "Tags": []}}


def policy(aws: t.Any, **params: t.Any) -> PolicyResource:
    return PolicyResource(aws, task_params(PolicyResource, {"name": "read-assets"}, **params))


def scripted() -> Scripted:
    return Scripted(get_caller_identity={"Arn": "arn:aws:iam::123456789012:user/ci"}, get_policy=POLICY)


def test_a_new_description_is_refused_even_in_check_mode() -> None:
    aws = scripted()
    with pytest.raises(ResourceError) as error:
        converge(policy(aws, description="reads more"), check_mode=True)
    assert error.value.msg == ("IAM cannot change the description of IAM policy read-assets (it is 'reads'): leave description "
                               "unset or equal, or delete the policy and create it again.")
    assert converge(policy(aws, description="reads")).action == "none" and aws.writes() == []


def test_tags_change_through_the_policy_tag_calls_and_paths_are_checked() -> None:
    aws = scripted()
    assert converge(policy(aws, tags={"app": "api"})).changes == ["tags"]
    assert aws.requests("tag_policy") == [{"PolicyArn": ASSETS_ARN, "Tags": [{"Key": "app", "Value": "api"}]}]
    assert PolicyResource.problems({"name": "read-assets", "path": "/a b/"}) == [
        "IAM policy path '/a b/' is invalid: use / or a path such as /app/ that starts and ends with a slash, in printable "
        "ASCII without spaces."]
