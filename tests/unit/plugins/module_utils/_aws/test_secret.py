"""Secrets: value comparison, idempotency tokens, and converges in which the value never leaves the module."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import secret as aws_secret
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import SECRET_CHANGED, SECRET_MASK, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error, tag_list, tag_map
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


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


class SecretsManager:
    """Secrets Manager's calls: a version per new request token; a deleted secret waits out its recovery window."""

    def __init__(self) -> None:
        self.secrets: t.Dict[str, t.Dict[str, t.Any]] = {}

    def find(self, secret_id: str) -> t.Dict[str, t.Any]:
        for found in self.secrets.values():
            if secret_id in (found["Name"], found["ARN"]):
                return found
        raise client_error("ResourceNotFoundException", "DescribeSecret", "Secrets Manager can't find the specified secret.")

    def describe_secret(self, SecretId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = self.find(SecretId)
        return {key: value for key, value in found.items() if key not in ("values", "tokens")}

    def get_secret_value(self, SecretId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = self.find(SecretId)
        return {"ARN": found["ARN"], "Name": found["Name"], "SecretString": found["values"][-1]}

    def create_secret(self, Name: str, Tags: t.List[t.Any], SecretString: str, ClientRequestToken: str,  # pylint: disable=invalid-name
                      Description: t.Optional[str] = None) -> None:
        arn = "arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf" % (REGION, ACCOUNT, Name)
        self.secrets[Name] = {"ARN": arn, "Name": Name, "Description": Description, "Tags": Tags, "values": [], "tokens": []}
        self.put_secret_value(arn, SecretString, ClientRequestToken)

    def put_secret_value(self, SecretId: str, SecretString: str, ClientRequestToken: str) -> None:  # pylint: disable=invalid-name
        found = self.find(SecretId)
        if ClientRequestToken not in found["tokens"]:
            found["values"].append(SecretString)
            found["tokens"].append(ClientRequestToken)
        found["VersionIdsToStages"] = {ClientRequestToken: ["AWSCURRENT"]}

    def restore_secret(self, SecretId: str) -> None:  # pylint: disable=invalid-name
        del self.find(SecretId)["DeletedDate"]

    def tag_resource(self, SecretId: str, Tags: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        found = self.find(SecretId)
        found["Tags"] = tag_list(dict(tag_map(found["Tags"]), **tag_map(Tags)))

    def delete_secret(self, SecretId: str, RecoveryWindowInDays: t.Optional[int] = None,  # pylint: disable=invalid-name
                      ForceDeleteWithoutRecovery: bool = False) -> None:
        found = self.find(SecretId)
        if ForceDeleteWithoutRecovery:
            del self.secrets[found["Name"]]
        else:
            found["DeletedDate"], found["window"] = "2026-01-01T00:00:00Z", RecoveryWindowInDays


def secret(aws: FakeAws, **options: t.Any) -> aws_secret.SecretResource:
    return task_resource(aws_secret.SecretResource, aws, **dict({"name": "app/db"}, **options))


def test_a_json_value_is_stored_once_compared_as_json_and_never_returned() -> None:
    manager = SecretsManager()
    aws = FakeAws(secretsmanager=manager)
    created = converge(secret(aws, secret_json={"user": "app", "password": "pw-0123"}))
    assert created.action == "create" and aws.writes() == ["create_secret"]
    assert manager.secrets["app/db"]["values"] == ['{"password":"pw-0123","user":"app"}']
    assert "value" not in created.state and "pw-0123" not in repr(created)
    aws.clear()
    assert converge(secret(aws, secret_json={"password": "pw-0123", "user": "app"})).changed is False and aws.writes() == []


def test_a_new_value_is_a_new_version_shown_only_as_changed() -> None:
    manager = SecretsManager()
    aws = FakeAws(secretsmanager=manager)
    converge(secret(aws, secret_string="old-value"))
    aws.clear()
    outcome = converge(secret(aws, secret_string="new-value", tags={"app": "agent"}))
    assert (outcome.changes, aws.writes()) == (["tags", "value"], ["put_secret_value", "tag_resource"])
    assert (outcome.diff["before"]["value"], outcome.diff["after"]["value"]) == (SECRET_MASK, SECRET_CHANGED)
    assert "new-value" not in repr(outcome) and manager.secrets["app/db"]["values"] == ["old-value", "new-value"]


def test_a_secret_waiting_for_deletion_is_restored_rather_than_created_anew() -> None:
    manager = SecretsManager()
    aws = FakeAws(secretsmanager=manager)
    converge(secret(aws, secret_string="old-value"))
    converge(secret(aws, state="absent"), present=False)
    assert manager.secrets["app/db"]["window"] == 30
    aws.clear()
    outcome = converge(secret(aws, secret_string="new-value"))
    assert outcome.action == "create" and aws.writes() == ["restore_secret", "put_secret_value"]
    assert "DeletedDate" not in manager.secrets["app/db"]


def test_a_recovery_window_outside_what_aws_allows_is_refused_and_zero_deletes_at_once() -> None:
    manager = SecretsManager()
    aws = FakeAws(secretsmanager=manager)
    converge(secret(aws, secret_string="value"))
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    assert aws_secret.SecretResource.problems(secret(aws, state="absent", recovery_window_days=3).params) == [
        "recovery_window_days is 3: use 7 to 30 days, or 0 to delete the secret at once without recovery."]
    converge(secret(aws, state="absent", recovery_window_days=0), present=False)
    assert manager.secrets == {}


ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
DESCRIBED = {"ARN": ARN, "Name": "app/db", "Tags": [{"Key": "app", "Value": "api"}], "VersionIdsToStages": {"v1": ["AWSCURRENT"]}}


def scripted_secret(aws: t.Any = None, **params: t.Any) -> aws_secret.SecretResource:
    return aws_secret.SecretResource(aws, task_params(aws_secret.SecretResource, {"name": "app/db"}, **params))


def test_recovery_windows_and_names_secrets_manager_refuses_fail_before_any_call() -> None:
    assert aws_secret.SecretResource.problems(scripted_secret(name="app db", recovery_window_days=3).params) == [
        "name is 'app db': use 1 to 512 letters, digits and / _ + = . @ - characters.",
        "recovery_window_days is 3: use 7 to 30 days, or 0 to delete the secret at once without recovery.",
    ]
    assert aws_secret.SecretResource.problems(scripted_secret(recovery_window_days=0).params) == []


def test_a_json_value_compares_as_json_and_a_new_value_never_leaves_the_module() -> None:
    aws = Scripted(describe_secret=DESCRIBED, get_secret_value={"SecretString": '{"a": 1, "b": 2}'})
    assert converge(scripted_secret(aws, secret_json={"b": 2, "a": 1})).action == "none" and aws.writes() == []
    outcome = converge(scripted_secret(aws, secret_string="new-value-1", tags={"team": "ml"}))
    assert outcome.changes == ["tags", "value"] and "value" not in outcome.state and "new-value-1" not in str(outcome.diff)
    assert aws.writes() == ["put_secret_value", "tag_resource", "untag_resource"]
    assert aws.requests("tag_resource") == [{"SecretId": ARN, "Tags": [{"Key": "team", "Value": "ml"}]}]
