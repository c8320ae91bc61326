"""Managed IAM policies: the ARN from the caller identity, and pruning old versions."""

from __future__ import annotations

import datetime

from ansible_collections.agno.infra.plugins.module_utils._aws.iam_policy import policy_arn, versions_to_prune


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
