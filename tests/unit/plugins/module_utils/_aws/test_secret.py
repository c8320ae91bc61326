"""Secret value comparison and idempotency tokens."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws import secret as aws_secret


def test_json_values_compare_as_json() -> None:
    desired = aws_secret.canonical_json({"b": 2, "a": 1})
    assert aws_secret.same_value('{"a": 1, "b": 2}', desired, as_json=True)
    assert not aws_secret.same_value('{"a": 1, "b": 3}', desired, as_json=True)
    assert not aws_secret.same_value("not json", desired, as_json=True)


def test_string_values_compare_exactly() -> None:
    assert aws_secret.same_value("s3cret", "s3cret", as_json=False)
    assert not aws_secret.same_value("s3cret ", "s3cret", as_json=False)
    assert not aws_secret.same_value(None, "s3cret", as_json=False)


def test_request_tokens_repeat_for_the_same_value_only() -> None:
    first = aws_secret.request_token("app/db", "value-1")
    assert first == aws_secret.request_token("app/db", "value-1")
    assert first != aws_secret.request_token("app/db", "value-2")
    assert first != aws_secret.request_token("app/other", "value-1")
    assert "value-1" not in first
