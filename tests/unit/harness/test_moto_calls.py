"""The recorder filter names each recorded call and tells the mutating ones apart."""

from __future__ import annotations

import base64
import importlib.util
import json
import pathlib

PLUGIN = (pathlib.Path(__file__).resolve().parents[2] / "integration" / "targets" / "moto_record"
          / "filter_plugins" / "moto_calls.py")
SPEC = importlib.util.spec_from_file_location("moto_calls", PLUGIN)
moto_calls = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(moto_calls)


def entry(method="POST", url="http://127.0.0.1:5000/", body="", target=None):
    headers = {"X-Amz-Target": target} if target else {}
    return json.dumps({"headers": headers, "method": method, "url": url,
                       "body": base64.b64encode(body.encode()).decode(), "body_encoded": True})


def test_query_json_and_rest_calls_are_named():
    recording = "\n".join([
        entry(body="Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"),
        entry(body="Action=DescribeVpcs&Version=2016-11-15"),
        entry(target="AmazonEC2ContainerServiceV20141113.DescribeClusters"),
        entry(method="PUT", url="http://127.0.0.1:5000/bucket?versioning"),
        entry(method="GET", url="http://127.0.0.1:5000/bucket?versioning"),
    ])
    assert moto_calls.moto_calls(recording) == [
        "CreateVpc", "DescribeVpcs", "DescribeClusters", "PUT /bucket?versioning", "GET /bucket?versioning",
    ]
    assert moto_calls.moto_mutating_calls(recording) == ["CreateVpc", "PUT /bucket?versioning"]


def test_reads_are_not_mutating():
    for name in ("DescribeDBInstances", "ListTagsForResource", "GetSecretValue", "GET /bucket?tagging"):
        assert not moto_calls.is_mutating(name)
    for name in ("AuthorizeSecurityGroupIngress", "RegisterTaskDefinition", "TagResource", "DELETE /bucket"):
        assert moto_calls.is_mutating(name)
