"""IAM policy documents compare equal however they are written; IAM paths."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.iam import iam_path_problem, normalise_document
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

WRITTEN = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}}
RETURNED = {"Statement": [{"Action": ["sts:AssumeRole"], "Principal": {"Service": ["ecs-tasks.amazonaws.com"]},
                           "Effect": "Allow"}]}


def test_single_values_lists_and_missing_version_are_equal() -> None:
    assert normalise_document(WRITTEN) == normalise_document(RETURNED)


def test_json_text_and_url_encoded_text_are_equal() -> None:
    text = json.dumps(RETURNED)
    assert normalise_document(text) == normalise_document(WRITTEN)
    assert normalise_document(urllib.parse.quote(text)) == normalise_document(WRITTEN)


def test_order_of_actions_and_statements_does_not_matter() -> None:
    one = {"Statement": [{"Effect": "Allow", "Action": ["b", "a"], "Resource": "*"},
                         {"Effect": "Deny", "Action": "c", "Resource": "*"}]}
    two = {"Statement": [{"Effect": "Deny", "Action": ["c"], "Resource": ["*"]},
                         {"Effect": "Allow", "Action": ["a", "b"], "Resource": "*"}]}
    assert normalise_document(one) == normalise_document(two)


def test_real_differences_remain() -> None:
    assert normalise_document(WRITTEN) != normalise_document(dict(WRITTEN, Statement={**WRITTEN["Statement"], "Effect": "Deny"}))


def test_condition_values_are_sets() -> None:
    one = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                          "Condition": {"StringEquals": {"aws:SourceVpc": ["vpc-2", "vpc-1"]}}}]}
    two = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                          "Condition": {"StringEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}}}]}
    assert normalise_document(one) == normalise_document(two)


def test_bad_documents_name_the_field() -> None:
    with pytest.raises(ResourceError, match="trust is not a valid JSON policy document"):
        normalise_document("{nope", "trust")
    with pytest.raises(ResourceError, match="must be a JSON object"):
        normalise_document("[1, 2]", "trust")


@pytest.mark.parametrize("path", ["/", "/app/", "/app/team-a/", "/a_b.c@d/"])
def test_valid_iam_paths(path: str) -> None:
    assert iam_path_problem(path) is None


@pytest.mark.parametrize("path", ["", "app", "/app", "app/", "/a b/", "/" + "a" * 511 + "/"])
def test_invalid_iam_paths(path: str) -> None:
    assert iam_path_problem(path)
