"""IAM roles through the engine: constraints, policies compared by purge_policies, tags through the role calls."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_role import RoleResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}
EXECUTION = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ROLE = {"Role": {"RoleName": "app-task", "Arn": "arn:aws:iam::123456789012:role/app-task", "RoleId": "AROA1", "Path": "/",
                 "AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 3600, "Tags": [{"Key": "app", "Value": "api"}]}}


def role(aws: t.Any = None, **params: t.Any) -> RoleResource:
    return RoleResource(aws, task_params(RoleResource, {"name": "app-task", "assume_role_policy": TRUST}, **params))


def test_names_paths_and_session_durations_iam_refuses_fail_together() -> None:
    assert RoleResource.problems(role(name="r" * 65, path="app", max_session_duration=60).params) == [
        "name is '%s': use 1 to 64 letters, digits and + = , . @ _ -." % ("r" * 65),
        "IAM role path 'app' is invalid: use / or a path such as /app/ that starts and ends with a slash, in printable ASCII "
        "without spaces.",
        "max_session_duration is 60: use 3600 to 43200.",
    ]


def test_attached_policies_compare_by_purge_policies() -> None:
    aws = Scripted(get_role=ROLE, list_attached_role_policies={"AttachedPolicies": [{"PolicyArn": EXECUTION}, {"PolicyArn": READ_ONLY}]})
    assert converge(role(aws, managed_policy_arns=[EXECUTION], purge_policies=False)).action == "none"
    purged = converge(role(aws, managed_policy_arns=[EXECUTION]))
    assert purged.changes == ["managed_policy_arns"] and aws.writes() == ["detach_role_policy"]
    assert aws.requests("detach_role_policy") == [{"RoleName": "app-task", "PolicyArn": READ_ONLY}]


def test_tags_change_through_the_role_tag_calls() -> None:
    aws = Scripted(get_role=ROLE)
    assert converge(role(aws, tags={"team": "ml"})).changes == ["tags"]
    assert aws.requests("tag_role") == [{"RoleName": "app-task", "Tags": [{"Key": "team", "Value": "ml"}]}]
    assert aws.requests("untag_role") == [{"RoleName": "app-task", "TagKeys": ["app"]}]
