"""One tag sync for every AWS service, shaped by each service's declared calls."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging


class Recorder:
    """A botocore client stand-in that records every call."""

    def __init__(self) -> None:
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def __getattr__(self, name: str) -> t.Callable[..., None]:
        return lambda **kwargs: self.calls.append((name, kwargs))


def test_ec2_sets_differing_tags_removes_dropped_ones_and_keeps_name() -> None:
    client = Recorder()
    tagging.EC2.sync(client, "vpc-1", {"Name": "a", "old": "1", "aws:cloudformation": "x", "same": "s"},
                     {"same": "s", "new": "2"}, purge=True)
    assert client.calls == [
        ("create_tags", {"Resources": ["vpc-1"], "Tags": [{"Key": "new", "Value": "2"}]}),
        ("delete_tags", {"Resources": ["vpc-1"], "Tags": [{"Key": "old"}]}),
    ]


def test_services_get_their_own_argument_shapes() -> None:
    client = Recorder()
    tagging.LOGS.sync(client, "arn:logs", {"old": "1"}, {"new": "2"}, purge=True)
    tagging.ECS.sync(client, "arn:ecs", {}, {"new": "2"}, purge=True)
    assert client.calls == [
        ("tag_resource", {"resourceArn": "arn:logs", "tags": {"new": "2"}}),
        ("untag_resource", {"resourceArn": "arn:logs", "tagKeys": ["old"]}),
        ("tag_resource", {"resourceArn": "arn:ecs", "tags": [{"key": "new", "value": "2"}]}),
    ]


def test_no_call_when_nothing_differs_or_nothing_is_purged() -> None:
    client = Recorder()
    tagging.RDS.sync(client, "arn:db", {"a": "1", "extra": "x"}, {"a": "1"}, purge=False)
    assert client.calls == []


def test_the_tags_comparison_ignores_aws_keys_and_follows_purge_tags() -> None:
    assert tagging.tags_differ({"a": "1", "aws:x": "y"}, {"a": "1"}, {"purge_tags": True}) is False
    assert tagging.tags_differ({"a": "1", "b": "2"}, {"a": "1"}, {"purge_tags": True}) is True
    assert tagging.tags_differ({"a": "1", "b": "2"}, {"a": "1"}, {"purge_tags": False}) is False
    assert tagging.merged_tags({"a": "1"}, {"b": "2"}, purge=False) == {"a": "1", "b": "2"}
