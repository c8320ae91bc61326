"""Internet gateways: the VPC attachment."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws import internet_gateway as igw


def test_internet_gateway_attachment() -> None:
    assert igw.attached_vpc({"Attachments": [{"State": "available", "VpcId": "vpc-1"}]}) == "vpc-1"
    assert igw.attached_vpc({"Attachments": [{"State": "detached", "VpcId": "vpc-1"}]}) is None
    assert igw.attached_vpc({}) is None
