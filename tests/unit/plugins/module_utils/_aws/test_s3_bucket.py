"""S3 bucket naming rules, encryption normalisation, and converges through the engine."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.s3_bucket import (
    PUBLIC_ACCESS_FLAGS, BucketResource, bucket_name_problem, encryption_rule)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params


@pytest.mark.parametrize("name", ["agent-app-docs", "a.b.c", "abc", "x" * 63])
def test_valid_names(name: str) -> None:
    assert bucket_name_problem(name) is None


@pytest.mark.parametrize("name, problem", [
    ("Agent", "lower-case"), ("ab", "3 to 63"), ("x" * 64, "3 to 63"), ("-abc", "starting"),
    ("a..b", "next to each other"), ("a.-b", "next to each other"), ("10.0.0.1", "IP address"),
    ("xn--abc", "reserved"), ("abc-s3alias", "reserved"),
])
def test_invalid_names_say_why(name: str, problem: str) -> None:
    assert problem in (bucket_name_problem(name) or "")


def test_kms_key_only_counts_for_kms() -> None:
    assert encryption_rule("AES256", "key-1", None) == {"algorithm": "AES256", "key_id": None, "bucket_key_enabled": False}
    assert encryption_rule("aws:kms", "key-1", True)["key_id"] == "key-1"


BUCKET_READS = {
    "get_bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}},
    "get_public_access_block": {"PublicAccessBlockConfiguration": {key: True for _flag, key in PUBLIC_ACCESS_FLAGS}},
    "get_bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
    "get_bucket_tagging": {"TagSet": [{"Key": "app", "Value": "api"}]},
}


def bucket(aws: t.Any, **params: t.Any) -> BucketResource:
    return BucketResource(aws, task_params(BucketResource, {"name": "agent-docs"}, **params))


def test_a_bucket_with_objects_is_refused_unless_forced_then_emptied() -> None:
    aws = Scripted(list_object_versions={"Versions": [{"Key": "a.txt", "VersionId": "1"}]}, **BUCKET_READS)
    with pytest.raises(ResourceError, match="^S3 bucket agent-docs is not empty: empty it first, or set force: true"):
        converge(bucket(aws, state="absent"), present=False, check_mode=True)
    assert converge(bucket(aws, state="absent", force=True), present=False).action == "delete"
    assert aws.writes() == ["delete_objects", "delete_bucket"]


def test_a_new_bucket_is_set_up_then_read_back_and_tags_are_merged_without_purge() -> None:
    aws = Scripted(head_bucket=[not_found("404"), {}], **BUCKET_READS)
    created = converge(bucket(aws))
    assert (created.action, created.state["object_ownership"]) == ("create", "BucketOwnerEnforced")
    assert aws.writes() == ["create_bucket", "put_public_access_block", "put_bucket_encryption"]
    assert converge(bucket(aws, tags={"team": "ml"}, purge_tags=False)).changes == ["tags"]
    assert aws.requests("put_bucket_tagging") == [{"Bucket": "agent-docs", "Tagging": {"TagSet": [
        {"Key": "app", "Value": "api"}, {"Key": "team", "Value": "ml"}]}}]
    assert BucketResource.problems({"name": "Agent_Docs"})[0].startswith("S3 bucket name 'Agent_Docs' is invalid: use 3 to 63")
