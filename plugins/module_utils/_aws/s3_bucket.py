# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""S3 bucket as a lifecycle resource, secure by default: encrypted, public access blocked, ACLs disabled."""

from __future__ import annotations

import ipaddress
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, error_code
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, merged_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, Constraint, Refusal, ResourceError

PUBLIC_ACCESS_FLAGS = (("block_public_acls", "BlockPublicAcls"), ("ignore_public_acls", "IgnorePublicAcls"),
                       ("block_public_policy", "BlockPublicPolicy"), ("restrict_public_buckets", "RestrictPublicBuckets"))
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DELETE_BATCH = 1000


def bucket_name_problem(name: str) -> t.Optional[str]:
    """Why S3 would refuse the name, or None."""
    if not BUCKET_NAME.match(name):
        return "use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit"
    if ".." in name or ".-" in name or "-." in name:
        return "dots may not be next to each other or to a hyphen"
    try:
        ipaddress.ip_address(name)
        return "it may not look like an IP address"
    except ValueError:
        pass
    if name.startswith(("xn--", "sthree-")) or name.endswith(("-s3alias", "--ol-s3")):
        return "the prefixes xn-- and sthree- and the suffixes -s3alias and --ol-s3 are reserved"
    return None


class BucketName(Constraint):
    """A bucket name S3 accepts."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        found = bucket_name_problem(str(value))
        return "S3 bucket name %r is invalid: %s." % (value, found) if found else None


def encryption_rule(algorithm: str, key_id: t.Optional[str], bucket_key: t.Optional[bool]) -> t.Dict[str, t.Any]:
    return {"algorithm": algorithm, "key_id": key_id if algorithm == "aws:kms" else None,
            "bucket_key_enabled": bool(bucket_key)}


class BucketResource(AwsResource):
    kind = "S3 bucket"
    locator = ("name",)
    result_key = "bucket"
    constraints = {"name": BucketName()}
    refusals = (Refusal("S3 bucket {name} is not empty: empty it first, or set force: true to delete it with every object "
                        "and version in it.", actions=(DELETE,), unless=("force", True),
                        blockers=lambda resource, current: resource.holds_objects()),)

    module_name = "aws_s3_bucket"
    owned_kind = "s3"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "versioning": {"type": "bool"},
            "encryption": {"type": "str", "default": "AES256", "choices": ["AES256", "aws:kms"]},
            "encryption_key_id": {"type": "str", "no_log": False},
            "bucket_key_enabled": {"type": "bool"},
            "public_access_block": {
                "type": "dict",
                "options": {flag: {"type": "bool", "default": True} for flag, _key in PUBLIC_ACCESS_FLAGS},
            },
            "object_ownership": {"type": "str", "default": "BucketOwnerEnforced",
                                 "choices": ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]},
            "force": {"type": "bool", "default": False},
        },
        **TAGS_ARGUMENT_SPEC,
    )

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return True

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        block = params.get("public_access_block") or {flag: True for flag, _key in PUBLIC_ACCESS_FLAGS}
        wanted: t.Dict[str, t.Any] = {
            "encryption": encryption_rule(params["encryption"], params.get("encryption_key_id"), params.get("bucket_key_enabled")),
            "public_access_block": {flag: bool(block[flag]) for flag, _key in PUBLIC_ACCESS_FLAGS},
            "object_ownership": params["object_ownership"],
        }
        if params.get("versioning") is not None:
            wanted["versioning"] = params["versioning"]
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        # No HeadBucket: the first GET says as much (no such bucket, or another account's), one call fewer.
        try:
            encryption = self.read_encryption()
        except Exception as error:  # pylint: disable=broad-except
            code = error_code(error)
            if code in ("404", "NoSuchBucket", "NotFound"):
                return None
            if code in ("403", "AccessDenied"):
                raise ResourceError("S3 bucket %s exists but belongs to another account (bucket names are global): "
                                    "choose another name." % self.name)
            raise
        s3 = self.client("s3")
        state: t.Dict[str, t.Any] = {
            "name": self.name,
            "arn": "arn:aws:s3:::%s" % self.name,
            "encryption": encryption,
            "public_access_block": self.read_public_access_block(),
            "object_ownership": self.read_ownership(),
        }
        # Versioning and tags cost a call each: read them only when the task manages them.
        if self.params.get("versioning") is not None:
            state["versioning"] = s3.get_bucket_versioning(Bucket=self.name).get("Status") == "Enabled"
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags()
        return state

    def read_optional(self, call: t.Callable[[], t.Any], missing: t.Tuple[str, ...]) -> t.Any:
        """The answer of a GET on a bucket sub-resource, or None when the sub-resource is not configured."""
        try:
            return call()
        except Exception as error:  # pylint: disable=broad-except
            if error_code(error) in missing:
                return None
            raise

    def read_encryption(self) -> t.Optional[t.Dict[str, t.Any]]:
        answer = self.read_optional(lambda: self.client("s3").get_bucket_encryption(Bucket=self.name),
                                    ("ServerSideEncryptionConfigurationNotFoundError",))
        if not answer:
            return None
        rule = answer["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        return encryption_rule(default.get("SSEAlgorithm", "AES256"), default.get("KMSMasterKeyID"), rule.get("BucketKeyEnabled"))

    def read_public_access_block(self) -> t.Dict[str, bool]:
        answer = self.read_optional(lambda: self.client("s3").get_public_access_block(Bucket=self.name),
                                    ("NoSuchPublicAccessBlockConfiguration",))
        config = (answer or {}).get("PublicAccessBlockConfiguration") or {}
        return {flag: bool(config.get(key)) for flag, key in PUBLIC_ACCESS_FLAGS}

    def read_ownership(self) -> t.Optional[str]:
        answer = self.read_optional(lambda: self.client("s3").get_bucket_ownership_controls(Bucket=self.name),
                                    ("OwnershipControlsNotFoundError",))
        rules = ((answer or {}).get("OwnershipControls") or {}).get("Rules") or []
        return rules[0]["ObjectOwnership"] if rules else None

    def read_tags(self) -> t.Dict[str, str]:
        answer = self.read_optional(lambda: self.client("s3").get_bucket_tagging(Bucket=self.name), ("NoSuchTagSet",))
        return tags_to_dict((answer or {}).get("TagSet"))

    def holds_objects(self) -> bool:
        answer = self.client("s3").list_object_versions(Bucket=self.name, MaxKeys=1)
        return bool(answer.get("Versions") or answer.get("DeleteMarkers"))

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        request: t.Dict[str, t.Any] = {"Bucket": self.name, "ObjectOwnership": desired["object_ownership"]}
        region = self.client.region
        if region != "us-east-1":
            request["CreateBucketConfiguration"] = {"LocationConstraint": region}
        self.client("s3").create_bucket(**request)
        # A new bucket already has its ownership; the other settings are applied as updates of an empty one.
        empty: t.Dict[str, t.Any] = {"tags": {}, "object_ownership": desired["object_ownership"]}
        self.update(empty, desired, desired)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        s3 = self.client("s3")
        if "public_access_block" in changes:
            s3.put_public_access_block(Bucket=self.name, PublicAccessBlockConfiguration={
                key: changes["public_access_block"][flag] for flag, key in PUBLIC_ACCESS_FLAGS})
        if "encryption" in changes:
            s3.put_bucket_encryption(Bucket=self.name, ServerSideEncryptionConfiguration=self.encryption_request(changes["encryption"]))
        if "object_ownership" in changes and current.get("object_ownership") != changes["object_ownership"]:
            s3.put_bucket_ownership_controls(Bucket=self.name, OwnershipControls={
                "Rules": [{"ObjectOwnership": changes["object_ownership"]}]})
        if "versioning" in changes and (changes["versioning"] or current.get("versioning") is not None):
            s3.put_bucket_versioning(Bucket=self.name, VersioningConfiguration={
                "Status": "Enabled" if changes["versioning"] else "Suspended"})
        if "tags" in changes:
            # S3 replaces the whole tag set at once.
            tags = merged_tags(current.get("tags"), changes["tags"], self.params["purge_tags"])
            if tags:
                s3.put_bucket_tagging(Bucket=self.name, Tagging={"TagSet": dict_to_tags(tags)})
            elif current.get("tags"):
                s3.delete_bucket_tagging(Bucket=self.name)

    @staticmethod
    def encryption_request(rule: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        default: t.Dict[str, t.Any] = {"SSEAlgorithm": rule["algorithm"]}
        if rule.get("key_id"):
            default["KMSMasterKeyID"] = rule["key_id"]
        return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": rule["bucket_key_enabled"]}]}

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        s3 = self.client("s3")
        if self.params["force"]:
            self.empty()
        s3.delete_bucket(Bucket=self.name)

    def empty(self) -> None:
        """Delete every object version and delete marker, a thousand per call."""
        s3 = self.client("s3")
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=self.name):
            keys = [{"Key": item["Key"], "VersionId": item["VersionId"]}
                    for item in (page.get("Versions") or []) + (page.get("DeleteMarkers") or [])]
            for start in range(0, len(keys), DELETE_BATCH):
                s3.delete_objects(Bucket=self.name, Delete={"Objects": keys[start:start + DELETE_BATCH], "Quiet": True})
