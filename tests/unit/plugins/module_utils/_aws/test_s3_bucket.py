"""S3 bucket naming rules and encryption normalisation."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.s3_bucket import bucket_name_problem, encryption_rule


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
