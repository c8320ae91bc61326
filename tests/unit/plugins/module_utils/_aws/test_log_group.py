"""Log groups through the engine: retention values CloudWatch offers, a creation read back, tags via the Logs calls."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws.log_group import LogGroupResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, task_params

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
