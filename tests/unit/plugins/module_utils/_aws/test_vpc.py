"""aws_vpc: its block is checked before any call, and a replacement is refused with the engine's declared refusal."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


def vpc(**params: t.Any) -> VpcResource:
    values = {key: spec.get("default") for key, spec in VpcResource.argument_spec.items()}
    return VpcResource(None, dict(values, name="app", **params))


def test_the_cidr_block_is_checked_before_any_call() -> None:
    assert VpcResource.problems({"cidr_block": "10.0.0.0/16"}) == []
    assert VpcResource.problems({"cidr_block": "10.0.0.0/8"}) == ["cidr_block 10.0.0.0/8 has a /8 prefix; AWS allows /16 to /28."]
    assert "not a valid IPv4 CIDR block" in VpcResource.problems({"cidr_block": "10.0.0.1/16"})[0]


def test_a_new_block_is_refused_even_in_check_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    resource = vpc(cidr_block="10.40.0.0/16")
    current = {"id": "vpc-1", "cidr_block": "10.30.0.0/16", "enable_dns_support": True, "enable_dns_hostnames": True}
    monkeypatch.setattr(resource, "read", lambda: current)
    with pytest.raises(ResourceError) as error:
        converge(resource, check_mode=True)
    assert error.value.msg == ("VPC app (vpc-1) has cidr_block 10.30.0.0/16, which cannot change, and replacing a VPC "
                               "means deleting everything in it: keep the current value, or delete the VPC first.")
