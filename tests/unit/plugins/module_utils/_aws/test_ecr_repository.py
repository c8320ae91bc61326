"""ECR repositories: the lifecycle policy."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import normalise_policy
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


def test_lifecycle_policy_normalised() -> None:
    text = '{"rules": [{"rulePriority": 2, "action": {"type": "expire"}}, {"rulePriority": 1, "action": {"type": "expire"}}]}'
    assert normalise_policy(text) == {"rules": [{"rulePriority": 1, "action": {"type": "expire"}},
                                                {"rulePriority": 2, "action": {"type": "expire"}}]}
    assert normalise_policy("") is None
    with pytest.raises(ResourceError, match="list of rules"):
        normalise_policy("[1]")
