"""What the EC2 network resources share: CIDR checks."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import parse_cidr, prefix_in_range
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


def test_cidr_checks() -> None:
    assert str(parse_cidr("10.0.0.0/16", "cidr_block")) == "10.0.0.0/16"
    with pytest.raises(ResourceError, match="host bits set"):
        parse_cidr("10.0.0.1/16", "cidr_block")
    with pytest.raises(ResourceError, match="is IPv6"):
        parse_cidr("2001:db8::/32", "cidr_block")
    with pytest.raises(ResourceError, match="AWS allows /16 to /28"):
        prefix_in_range(parse_cidr("10.0.0.0/8", "cidr_block"), "cidr_block")
