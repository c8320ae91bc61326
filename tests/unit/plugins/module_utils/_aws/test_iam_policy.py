"""Managed IAM policies through the engine: a description IAM cannot change is refused; tags use the policy calls."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_policy import PolicyResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

ARN = "arn:aws:iam::123456789012:policy/read-assets"
POLICY = {"Policy": {"PolicyName": "read-assets", "Arn": ARN, "PolicyId": "ANPA1", "Path": "/", "Description": "reads",
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
    assert aws.requests("tag_policy") == [{"PolicyArn": ARN, "Tags": [{"Key": "app", "Value": "api"}]}]
    assert PolicyResource.problems({"name": "read-assets", "path": "/a b/"}) == [
        "IAM policy path '/a b/' is invalid: use / or a path such as /app/ that starts and ends with a slash, in printable "
        "ASCII without spaces."]
