"""Secret value comparison, idempotency tokens, and converges in which the value never leaves the module."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import secret as aws_secret
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params


def test_json_values_compare_as_json() -> None:
    desired = aws_secret.canonical_json({"b": 2, "a": 1})
    assert aws_secret.same_value('{"a": 1, "b": 2}', desired, as_json=True)
    assert not aws_secret.same_value('{"a": 1, "b": 3}', desired, as_json=True)
    assert not aws_secret.same_value("not json", desired, as_json=True)


def test_string_values_compare_exactly() -> None:
    assert aws_secret.same_value("s3cret", "s3cret", as_json=False)
    assert not aws_secret.same_value("s3cret ", "s3cret", as_json=False)
    assert not aws_secret.same_value(None, "s3cret", as_json=False)


def test_request_tokens_repeat_for_the_same_value_only() -> None:
    first = aws_secret.request_token("app/db", "value-1")
    assert first == aws_secret.request_token("app/db", "value-1")
    assert first != aws_secret.request_token("app/db", "value-2")
    assert first != aws_secret.request_token("app/other", "value-1")
    assert "value-1" not in first


ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
DESCRIBED = {"ARN": ARN, "Name": "app/db", "Tags": [{"Key": "app", "Value": "api"}], "VersionIdsToStages": {"v1": ["AWSCURRENT"]}}


def secret(aws: t.Any = None, **params: t.Any) -> aws_secret.SecretResource:
    return aws_secret.SecretResource(aws, task_params(aws_secret.SecretResource, {"name": "app/db"}, **params))


def test_recovery_windows_and_names_secrets_manager_refuses_fail_before_any_call() -> None:
    assert aws_secret.SecretResource.problems(secret(name="app db", recovery_window_days=3).params) == [
        "name is 'app db': use 1 to 512 letters, digits and / _ + = . @ - characters.",
        "recovery_window_days is 3: use 7 to 30 days, or 0 to delete the secret at once without recovery.",
    ]
    assert aws_secret.SecretResource.problems(secret(recovery_window_days=0).params) == []


def test_a_json_value_compares_as_json_and_a_new_value_never_leaves_the_module() -> None:
    aws = Scripted(describe_secret=DESCRIBED, get_secret_value={"SecretString": '{"a": 1, "b": 2}'})
    assert converge(secret(aws, secret_json={"b": 2, "a": 1})).action == "none" and aws.writes() == []
    outcome = converge(secret(aws, secret_string="new-value-1", tags={"team": "ml"}))
    assert outcome.changes == ["tags", "value"] and "value" not in outcome.state and "new-value-1" not in str(outcome.diff)
    assert aws.writes() == ["put_secret_value", "tag_resource", "untag_resource"]
    assert aws.requests("tag_resource") == [{"SecretId": ARN, "Tags": [{"Key": "team", "Value": "ml"}]}]
