"""What the ELBv2 resources share: names."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.elb import check_name
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


@pytest.mark.parametrize("name", ["-api", "api-", "internal-api", "a" * 33, "api_1"])
def test_bad_names(name: str) -> None:
    with pytest.raises(ResourceError, match="is invalid"):
        check_name(name, "Target group")
