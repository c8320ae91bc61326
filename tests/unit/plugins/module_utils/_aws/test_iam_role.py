"""aws_iam_role through the engine: constraints, trust and inline documents compared after normalising, policies synced
one by one and compared by purge_policies, tags through the role calls."""

from __future__ import annotations

import json
import typing as t
import urllib.parse

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import iam_role
from ansible_collections.agno.infra.plugins.module_utils._aws.iam_role import RoleResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, FakeAws, client_error, tag_map
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
READ_LOGS = {"Statement": {"Effect": "Allow", "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Resource": "*"}}
EXECUTION = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


class Iam:
    """IAM's role calls. Documents come back URL-encoded, as the IAM API sends them."""

    def __init__(self) -> None:
        self.roles: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.attached: t.Dict[str, t.List[str]] = {}
        self.inline: t.Dict[str, t.Dict[str, str]] = {}
        self.profiles: t.Dict[str, t.List[str]] = {}

    def get_role(self, RoleName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if RoleName not in self.roles:
            raise client_error("NoSuchEntity", "GetRole", "The role with name %s cannot be found." % RoleName, 404)
        return {"Role": dict(self.roles[RoleName])}

    def create_role(self, RoleName: str, Path: str, AssumeRolePolicyDocument: str, Tags: t.List[t.Any],  # pylint: disable=invalid-name
                    **settings: t.Any) -> None:
        self.roles[RoleName] = dict(settings, RoleName=RoleName, Path=Path, RoleId="AROA0000000000000001", Tags=Tags,
                                    Arn="arn:aws:iam::%s:role%s%s" % (ACCOUNT, Path, RoleName), MaxSessionDuration=3600,
                                    AssumeRolePolicyDocument=urllib.parse.quote(AssumeRolePolicyDocument))
        self.attached[RoleName], self.inline[RoleName], self.profiles[RoleName] = [], {}, ["app-profile"]

    def update_assume_role_policy(self, RoleName: str, PolicyDocument: str) -> None:  # pylint: disable=invalid-name
        self.roles[RoleName]["AssumeRolePolicyDocument"] = urllib.parse.quote(PolicyDocument)

    def update_role(self, RoleName: str, **settings: t.Any) -> None:  # pylint: disable=invalid-name
        self.roles[RoleName].update(settings)

    def list_attached_role_policies(self, RoleName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"AttachedPolicies": [{"PolicyArn": arn, "PolicyName": arn.rsplit("/", 1)[-1]} for arn in self.attached[RoleName]]}

    def attach_role_policy(self, RoleName: str, PolicyArn: str) -> None:  # pylint: disable=invalid-name
        self.attached[RoleName].append(PolicyArn)

    def detach_role_policy(self, RoleName: str, PolicyArn: str) -> None:  # pylint: disable=invalid-name
        self.attached[RoleName].remove(PolicyArn)

    def list_role_policies(self, RoleName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"PolicyNames": sorted(self.inline[RoleName])}

    def get_role_policy(self, RoleName: str, PolicyName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"RoleName": RoleName, "PolicyName": PolicyName, "PolicyDocument": urllib.parse.quote(self.inline[RoleName][PolicyName])}

    def put_role_policy(self, RoleName: str, PolicyName: str, PolicyDocument: str) -> None:  # pylint: disable=invalid-name
        self.inline[RoleName][PolicyName] = PolicyDocument

    def delete_role_policy(self, RoleName: str, PolicyName: str) -> None:  # pylint: disable=invalid-name
        del self.inline[RoleName][PolicyName]

    def tag_role(self, RoleName: str, Tags: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.roles[RoleName]["Tags"] = self.roles[RoleName]["Tags"] + Tags

    def list_instance_profiles_for_role(self, RoleName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"InstanceProfiles": [{"InstanceProfileName": name} for name in self.profiles[RoleName]]}

    def remove_role_from_instance_profile(self, InstanceProfileName: str, RoleName: str) -> None:  # pylint: disable=invalid-name
        self.profiles[RoleName].remove(InstanceProfileName)

    def delete_role(self, RoleName: str) -> None:  # pylint: disable=invalid-name
        assert not (self.attached[RoleName] or self.inline[RoleName] or self.profiles[RoleName]), "IAM refuses: DeleteConflict"
        del self.roles[RoleName]


def role(aws: FakeAws, **options: t.Any) -> iam_role.RoleResource:
    return task_resource(iam_role.RoleResource, aws, **dict(
        {"name": "app-task", "assume_role_policy": TRUST}, **options))


def test_create_with_policies_then_a_rerun_with_documents_written_otherwise_changes_nothing() -> None:
    iam = Iam()
    aws = FakeAws(iam=iam)
    created = converge(role(aws, managed_policy_arns=[EXECUTION], inline_policies={"logs": READ_LOGS}, tags={"app": "agent"}))
    assert created.action == "create" and aws.writes() == ["create_role", "attach_role_policy", "put_role_policy"]
    assert created.state["arn"] == "arn:aws:iam::123456789012:role/app-task"
    assert json.loads(iam.inline["app-task"]["logs"])["Statement"][0]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    aws.clear()
    same = {"Version": "2012-10-17", "Statement": [{"Resource": "*", "Effect": "Allow",
                                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"]}]}
    rerun = converge(role(aws, assume_role_policy=json.dumps(TRUST), managed_policy_arns=[EXECUTION], inline_policies={"logs": same},
                          tags={"app": "agent"}))
    assert (rerun.changed, aws.writes()) == (False, [])


def test_policies_of_others_stay_without_purge_policies_and_go_with_it() -> None:
    iam = Iam()
    aws = FakeAws(iam=iam)
    converge(role(aws, managed_policy_arns=[EXECUTION], inline_policies={"logs": READ_LOGS}))
    aws.clear()
    kept = converge(role(aws, managed_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"], inline_policies={}, purge_policies=False))
    assert (kept.changes, aws.writes()) == (["managed_policy_arns"], ["attach_role_policy"])
    assert len(iam.attached["app-task"]) == 2 and "logs" in iam.inline["app-task"]
    aws.clear()
    purged = converge(role(aws, managed_policy_arns=[EXECUTION], inline_policies={}))
    assert (purged.changes, aws.writes()) == (["inline_policies", "managed_policy_arns"], ["detach_role_policy", "delete_role_policy"])


def test_settings_and_the_trust_policy_change_in_place() -> None:
    iam = Iam()
    aws = FakeAws(iam=iam)
    converge(role(aws))
    aws.clear()
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    outcome = converge(role(aws, assume_role_policy=trust, description="task role", max_session_duration=7200))
    assert outcome.changes == ["assume_role_policy", "description", "max_session_duration"]
    assert aws.writes() == ["update_assume_role_policy", "update_role"] and iam.roles["app-task"]["MaxSessionDuration"] == 7200


def test_refusals_come_before_any_change() -> None:
    aws = FakeAws(iam=Iam())
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    assert RoleResource.problems(role(aws, path="app").params) == [
        "IAM role path 'app' is invalid: use / or a path such as /app/ that starts and ends with a slash, in printable ASCII "
        "without spaces."]
    with pytest.raises(ResourceError) as raised:
        converge(role(aws, assume_role_policy=None))
    assert raised.value.msg == ("IAM role app-task does not exist and assume_role_policy is not set: give the trust policy that "
                                "says who may assume the role.")
    assert aws.writes() == []


def test_delete_takes_off_what_iam_would_refuse_to_delete_with() -> None:
    iam = Iam()
    aws = FakeAws(iam=iam)
    converge(role(aws, managed_policy_arns=[EXECUTION], inline_policies={"logs": READ_LOGS}))
    aws.clear()
    assert converge(role(aws, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["detach_role_policy", "delete_role_policy", "remove_role_from_instance_profile", "delete_role"]
    assert iam.roles == {}


def test_tags_are_added_by_role_name() -> None:
    iam = Iam()
    aws = FakeAws(iam=iam)
    converge(role(aws))
    assert converge(role(aws, tags={"env": "prd"})).changes == ["tags"]
    assert tag_map(iam.roles["app-task"]["Tags"]) == {"env": "prd"}


READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ROLE = {"Role": {"RoleName": "app-task", "Arn": "arn:aws:iam::123456789012:role/app-task", "RoleId": "AROA1", "Path": "/",
                 "AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 3600, "Tags": [{"Key": "app", "Value": "api"}]}}


def scripted_role(aws: t.Any = None, **params: t.Any) -> RoleResource:
    return RoleResource(aws, task_params(RoleResource, {"name": "app-task", "assume_role_policy": TRUST}, **params))


def test_names_paths_and_session_durations_iam_refuses_fail_together() -> None:
    assert RoleResource.problems(scripted_role(name="r" * 65, path="app", max_session_duration=60).params) == [
        "name is '%s': use 1 to 64 letters, digits and + = , . @ _ -." % ("r" * 65),
        "IAM role path 'app' is invalid: use / or a path such as /app/ that starts and ends with a slash, in printable ASCII "
        "without spaces.",
        "max_session_duration is 60: use 3600 to 43200.",
    ]


def test_attached_policies_compare_by_purge_policies() -> None:
    aws = Scripted(get_role=ROLE, list_attached_role_policies={"AttachedPolicies": [{"PolicyArn": EXECUTION}, {"PolicyArn": READ_ONLY}]})
    assert converge(scripted_role(aws, managed_policy_arns=[EXECUTION], purge_policies=False)).action == "none"
    purged = converge(scripted_role(aws, managed_policy_arns=[EXECUTION]))
    assert purged.changes == ["managed_policy_arns"] and aws.writes() == ["detach_role_policy"]
    assert aws.requests("detach_role_policy") == [{"RoleName": "app-task", "PolicyArn": READ_ONLY}]


def test_tags_change_through_the_role_tag_calls() -> None:
    aws = Scripted(get_role=ROLE)
    assert converge(scripted_role(aws, tags={"team": "ml"})).changes == ["tags"]
    assert aws.requests("tag_role") == [{"RoleName": "app-task", "Tags": [{"Key": "team", "Value": "ml"}]}]
    assert aws.requests("untag_role") == [{"RoleName": "app-task", "TagKeys": ["app"]}]
