"""aws_log_group through the engine: retention (0 is never expire, only the values CloudWatch offers), KMS key, tags
through the Logs calls, found by exact name among prefixes, a creation read back."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import log_group
from ansible_collections.agno.infra.plugins.module_utils._aws.log_group import LogGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Logs:
    """CloudWatch Logs' log group calls, by group name."""

    def __init__(self) -> None:
        self.groups: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.tags: t.Dict[str, t.Dict[str, str]] = {}

    def arn(self, name: str) -> str:
        return "arn:aws:logs:%s:%s:log-group:%s" % (REGION, ACCOUNT, name)

    def describe_log_groups(self, logGroupNamePrefix: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"logGroups": [dict(group) for name, group in sorted(self.groups.items()) if name.startswith(logGroupNamePrefix)]}

    def create_log_group(self, logGroupName: str, kmsKeyId: t.Optional[str] = None,  # pylint: disable=invalid-name
                         tags: t.Optional[t.Dict[str, str]] = None) -> None:
        group = {"logGroupName": logGroupName, "creationTime": 1767225600000, "metricFilterCount": 0, "storedBytes": 0,
                 "arn": self.arn(logGroupName) + ":*", "logGroupArn": self.arn(logGroupName)}
        if kmsKeyId:
            group["kmsKeyId"] = kmsKeyId
        self.groups[logGroupName] = group
        self.tags[self.arn(logGroupName)] = dict(tags or {})

    def put_retention_policy(self, logGroupName: str, retentionInDays: int) -> None:  # pylint: disable=invalid-name
        self.groups[logGroupName]["retentionInDays"] = retentionInDays

    def delete_retention_policy(self, logGroupName: str) -> None:  # pylint: disable=invalid-name
        self.groups[logGroupName].pop("retentionInDays")

    def associate_kms_key(self, logGroupName: str, kmsKeyId: str) -> None:  # pylint: disable=invalid-name
        self.groups[logGroupName]["kmsKeyId"] = kmsKeyId

    def list_tags_for_resource(self, resourceArn: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"tags": dict(self.tags[resourceArn])}

    def tag_resource(self, resourceArn: str, tags: t.Dict[str, str]) -> None:  # pylint: disable=invalid-name
        self.tags[resourceArn].update(tags)

    def untag_resource(self, resourceArn: str, tagKeys: t.List[str]) -> None:  # pylint: disable=invalid-name
        self.tags[resourceArn] = {key: value for key, value in self.tags[resourceArn].items() if key not in tagKeys}

    def delete_log_group(self, logGroupName: str) -> None:  # pylint: disable=invalid-name
        del self.groups[logGroupName]


def group(aws: FakeAws, **options: t.Any) -> log_group.LogGroupResource:
    return task_resource(log_group.LogGroupResource, aws, **dict({"name": "/ecs/api"}, **options))


def test_create_with_retention_and_tags_then_rerun_changes_nothing() -> None:
    aws = FakeAws(logs=Logs())
    created = converge(group(aws, retention_days=14, tags={"app": "api"}))
    assert created.action == "create" and aws.writes() == ["create_log_group", "put_retention_policy"]
    assert created.state == {"name": "/ecs/api", "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api",
                             "retention_days": 14, "kms_key_id": None, "stored_bytes": 0, "tags": {"app": "api"}}
    aws.clear()
    assert converge(group(aws, retention_days=14, tags={"app": "api"})).changed is False and aws.writes() == []


def test_zero_retention_means_never_expire_and_a_kms_key_is_associated() -> None:
    logs = Logs()
    aws = FakeAws(logs=logs)
    converge(group(aws, retention_days=30))
    aws.clear()
    outcome = converge(group(aws, retention_days=0, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k1"))
    assert outcome.changes == ["kms_key_id", "retention_days"]
    assert aws.writes() == ["delete_retention_policy", "associate_kms_key"]
    assert outcome.state["retention_days"] is None and "retentionInDays" not in logs.groups["/ecs/api"]
    aws.clear()
    assert converge(group(aws, retention_days=0)).changed is False


def test_tags_purge_only_with_purge_tags_and_never_the_aws_ones() -> None:
    logs = Logs()
    aws = FakeAws(logs=logs)
    arn = converge(group(aws, tags={"app": "api", "aws:cloudformation:stack-name": "s"})).state["arn"]
    aws.clear()
    assert converge(group(aws, tags={"team": "a"}, purge_tags=False)).changes == ["tags"]
    assert logs.tags[arn] == {"app": "api", "aws:cloudformation:stack-name": "s", "team": "a"}
    converge(group(aws, tags={"team": "a"}))
    assert logs.tags[arn] == {"aws:cloudformation:stack-name": "s", "team": "a"}
    assert aws.writes() == ["tag_resource", "untag_resource"]


def test_a_group_is_found_by_its_exact_name_and_the_old_arn_form_is_read() -> None:
    logs = Logs()
    aws = FakeAws(logs=logs)
    logs.create_log_group("/ecs/api-old")
    assert group(aws).read() is None
    logs.create_log_group("/ecs/api")
    del logs.groups["/ecs/api"]["logGroupArn"]  # older answers carry only the arn with its :* suffix
    assert group(aws).read()["arn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api"


def test_delete_then_absent_again() -> None:
    logs = Logs()
    aws = FakeAws(logs=logs)
    converge(group(aws))
    assert converge(group(aws, state="absent"), present=False).action == "delete" and "/ecs/api" not in logs.groups
    assert converge(group(aws, state="absent"), present=False).changed is False


ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api"
GROUP = {"logGroups": [{"logGroupName": "/ecs/api", "arn": ARN + ":*", "retentionInDays": 7}]}


def test_a_retention_cloudwatch_does_not_offer_is_refused_with_the_choices() -> None:
    assert LogGroupResource.problems({"name": "/ecs/api app", "retention_days": 10}) == [
        "name is '/ecs/api app': use 1 to 512 letters, digits and . - _ / # characters.",
        "retention_days is 10: use one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "
        "2557, 2922, 3288, 3653.",
    ]
    assert LogGroupResource.problems({"name": "/ecs/api", "retention_days": 0}) == []


def test_a_new_group_is_read_back_and_tags_change_through_the_logs_calls() -> None:
    aws = Scripted(describe_log_groups=[{"logGroups": []}, GROUP], list_tags_for_resource={"tags": {"app": "api"}})
    created = converge(LogGroupResource(aws, task_params(LogGroupResource, name="/ecs/api", retention_days=7)))
    assert (created.action, created.state["arn"], aws.writes()) == ("create", ARN, ["create_log_group", "put_retention_policy"])
    assert converge(LogGroupResource(aws, task_params(LogGroupResource, name="/ecs/api", tags={"env": "prd"}))).changes == ["tags"]
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": {"env": "prd"}}]
    assert aws.requests("untag_resource") == [{"resourceArn": ARN, "tagKeys": ["app"]}]
