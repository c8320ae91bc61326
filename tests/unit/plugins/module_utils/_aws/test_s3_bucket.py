"""S3 buckets: naming rules, encryption normalisation, and converges of a secure-by-default bucket through the engine."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import s3_bucket
from ansible_collections.agno.infra.plugins.module_utils._aws.s3_bucket import PUBLIC_ACCESS_FLAGS, BucketResource, bucket_name_problem, encryption_rule
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


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


class S3:
    """S3's bucket calls. A new bucket is encrypted with SSE-S3, blocks public access and owns its objects, as S3 has done
    by default since 2023; a sub-resource that was never set answers its own NotFound error."""

    def __init__(self) -> None:
        self.buckets: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.foreign: t.Set[str] = set()

    def head_bucket(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if Bucket in self.foreign:
            raise client_error("403", "HeadBucket", "Forbidden", 403)
        if Bucket not in self.buckets:
            raise client_error("404", "HeadBucket", "Not Found", 404)
        return {"BucketRegion": self.buckets[Bucket]["region"]}

    def setting(self, bucket: str, name: str, missing: str) -> t.Any:
        self.head_bucket(bucket)  # S3 answers a GET on a sub-resource of a missing or foreign bucket as a HEAD
        if name not in self.buckets[bucket]:
            raise client_error(missing, "Get" + name, "The %s does not exist" % name, 404)
        return self.buckets[bucket][name]

    def create_bucket(self, Bucket: str, ObjectOwnership: str,  # pylint: disable=invalid-name
                      CreateBucketConfiguration: t.Optional[t.Dict[str, str]] = None) -> None:
        encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}
        self.buckets[Bucket] = {
            "region": (CreateBucketConfiguration or {}).get("LocationConstraint", "us-east-1"), "objects": [],
            "ServerSideEncryptionConfiguration": encryption, "OwnershipControls": {"Rules": [{"ObjectOwnership": ObjectOwnership}]},
            "PublicAccessBlockConfiguration": {key: True for _flag, key in s3_bucket.PUBLIC_ACCESS_FLAGS}}

    def get_bucket_encryption(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = self.setting(Bucket, "ServerSideEncryptionConfiguration", "ServerSideEncryptionConfigurationNotFoundError")
        return {"ServerSideEncryptionConfiguration": found}

    def put_bucket_encryption(self, Bucket: str, ServerSideEncryptionConfiguration: t.Any) -> None:  # pylint: disable=invalid-name
        self.buckets[Bucket]["ServerSideEncryptionConfiguration"] = ServerSideEncryptionConfiguration

    def get_public_access_block(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        found = self.setting(Bucket, "PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration")
        return {"PublicAccessBlockConfiguration": found}

    def put_public_access_block(self, Bucket: str, PublicAccessBlockConfiguration: t.Any) -> None:  # pylint: disable=invalid-name
        self.buckets[Bucket]["PublicAccessBlockConfiguration"] = PublicAccessBlockConfiguration

    def get_bucket_ownership_controls(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"OwnershipControls": self.setting(Bucket, "OwnershipControls", "OwnershipControlsNotFoundError")}

    def get_bucket_versioning(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Status": self.buckets[Bucket]["Status"]} if "Status" in self.buckets[Bucket] else {}

    def put_bucket_versioning(self, Bucket: str, VersioningConfiguration: t.Dict[str, str]) -> None:  # pylint: disable=invalid-name
        self.buckets[Bucket]["Status"] = VersioningConfiguration["Status"]

    def get_bucket_tagging(self, Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"TagSet": self.setting(Bucket, "TagSet", "NoSuchTagSet")}

    def put_bucket_tagging(self, Bucket: str, Tagging: t.Dict[str, t.Any]) -> None:  # pylint: disable=invalid-name
        self.buckets[Bucket]["TagSet"] = Tagging["TagSet"]

    def delete_bucket_tagging(self, Bucket: str) -> None:  # pylint: disable=invalid-name
        del self.buckets[Bucket]["TagSet"]

    def list_object_versions(self, Bucket: str, MaxKeys: int = 1000) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Versions": [{"Key": key, "VersionId": "v1"} for key in self.buckets[Bucket]["objects"][:MaxKeys]]}

    def delete_objects(self, Bucket: str, Delete: t.Dict[str, t.Any]) -> None:  # pylint: disable=invalid-name
        gone = {item["Key"] for item in Delete["Objects"]}
        self.buckets[Bucket]["objects"] = [key for key in self.buckets[Bucket]["objects"] if key not in gone]

    def delete_bucket(self, Bucket: str) -> None:  # pylint: disable=invalid-name
        if self.buckets[Bucket]["objects"]:
            raise client_error("BucketNotEmpty", "DeleteBucket", "The bucket you tried to delete is not empty", 409)
        del self.buckets[Bucket]


def bucket(aws: FakeAws, **options: t.Any) -> s3_bucket.BucketResource:
    return task_resource(s3_bucket.BucketResource, aws, **dict({"name": "agent-app-docs"}, **options))


def test_a_new_bucket_is_made_in_the_region_secure_by_default_then_a_rerun_changes_nothing() -> None:
    s3 = S3()
    aws = FakeAws(s3=s3)
    aws.region = "eu-west-1"
    created = converge(bucket(aws, versioning=True, tags={"app": "agent"}))
    assert created.action == "create" and s3.buckets["agent-app-docs"]["region"] == "eu-west-1"
    assert aws.writes() == ["create_bucket", "put_public_access_block", "put_bucket_encryption", "put_bucket_versioning",
                            "put_bucket_tagging"]
    assert created.state["encryption"] == {"algorithm": "AES256", "key_id": None, "bucket_key_enabled": False}
    assert all(created.state["public_access_block"].values()) and created.state["object_ownership"] == "BucketOwnerEnforced"
    aws.clear()
    assert converge(bucket(aws, versioning=True, tags={"app": "agent"})).changed is False and aws.writes() == []


def test_kms_encryption_and_tags_change_in_place() -> None:
    s3 = S3()
    aws = FakeAws(s3=s3)
    converge(bucket(aws, tags={"app": "agent"}))
    aws.clear()
    updated = converge(bucket(aws, encryption="aws:kms", encryption_key_id="alias/app", bucket_key_enabled=True,
                              tags={"env": "prd"}, purge_tags=False))
    assert updated.changes == ["encryption", "tags"] and aws.writes() == ["put_bucket_encryption", "put_bucket_tagging"]
    assert updated.state["tags"] == {"app": "agent", "env": "prd"}
    aws.clear()
    assert converge(bucket(aws, encryption="aws:kms", encryption_key_id="alias/app", bucket_key_enabled=True, tags={})).changes == ["tags"]
    assert aws.writes() == ["delete_bucket_tagging"]


def test_a_bucket_with_objects_is_deleted_only_with_force_which_empties_it() -> None:
    s3 = S3()
    aws = FakeAws(s3=s3)
    converge(bucket(aws))
    s3.buckets["agent-app-docs"]["objects"] = ["docs/a.md", "docs/b.md"]
    with pytest.raises(ResourceError) as raised:
        converge(bucket(aws, state="absent"), present=False, check_mode=True)
    assert raised.value.msg == ("S3 bucket agent-app-docs is not empty: empty it first, or set force: true to delete it with every "
                                "object and version in it.")
    aws.clear()
    assert converge(bucket(aws, state="absent", force=True), present=False).action == "delete"
    assert aws.writes() == ["delete_objects", "delete_bucket"] and s3.buckets == {}


def test_a_name_taken_by_another_account_or_against_the_rules_is_refused() -> None:
    s3 = S3()
    s3.foreign.add("agent-app-docs")
    with pytest.raises(ResourceError) as raised:
        converge(bucket(FakeAws(s3=s3)))
    assert raised.value.msg == ("S3 bucket agent-app-docs exists but belongs to another account (bucket names are global): choose "
                                "another name.")
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    problems = BucketResource.problems(bucket(FakeAws(s3=s3), name="Agent_Docs").params)
    assert "S3 bucket name 'Agent_Docs' is invalid: use 3 to 63 lower-case letters" in " ".join(problems)


BUCKET_READS = {
    "get_bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}},
    "get_public_access_block": {"PublicAccessBlockConfiguration": {key: True for _flag, key in PUBLIC_ACCESS_FLAGS}},
    "get_bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
    "get_bucket_tagging": {"TagSet": [{"Key": "app", "Value": "api"}]},
}


def scripted_bucket(aws: t.Any, **params: t.Any) -> BucketResource:
    return BucketResource(aws, task_params(BucketResource, {"name": "agent-docs"}, **params))


def test_a_bucket_with_objects_is_refused_unless_forced_then_emptied() -> None:
    aws = Scripted(list_object_versions={"Versions": [{"Key": "a.txt", "VersionId": "1"}]}, **BUCKET_READS)
    with pytest.raises(ResourceError, match="^S3 bucket agent-docs is not empty: empty it first, or set force: true"):
        converge(scripted_bucket(aws, state="absent"), present=False, check_mode=True)
    assert converge(scripted_bucket(aws, state="absent", force=True), present=False).action == "delete"
    assert aws.writes() == ["delete_objects", "delete_bucket"]


def test_a_new_bucket_is_set_up_then_read_back_and_tags_are_merged_without_purge() -> None:
    # The first read finds no bucket (its first GET says so), the one after the creation finds it.
    reads = dict(BUCKET_READS)
    reads["get_bucket_encryption"] = [not_found("NoSuchBucket"), BUCKET_READS["get_bucket_encryption"]]
    aws = Scripted(**reads)
    created = converge(scripted_bucket(aws))
    assert (created.action, created.state["object_ownership"]) == ("create", "BucketOwnerEnforced")
    assert aws.writes() == ["create_bucket", "put_public_access_block", "put_bucket_encryption"]
    assert converge(scripted_bucket(aws, tags={"team": "ml"}, purge_tags=False)).changes == ["tags"]
    assert aws.requests("put_bucket_tagging") == [{"Bucket": "agent-docs", "Tagging": {"TagSet": [
        {"Key": "app", "Value": "api"}, {"Key": "team", "Value": "ml"}]}}]
    assert BucketResource.problems({"name": "Agent_Docs"})[0].startswith("S3 bucket name 'Agent_Docs' is invalid: use 3 to 63")
