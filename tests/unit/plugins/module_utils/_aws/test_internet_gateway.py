"""aws_internet_gateway through the engine: attached on creation, moved between VPCs, detached before deletion."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import internet_gateway as igw
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2, client_error
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Gateways(FakeEc2):
    def create_internet_gateway(self, TagSpecifications: t.List[t.Any]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"InternetGateway": dict(self.add("igw", "InternetGatewayId", {"Attachments": []}, self.tagged(TagSpecifications)))}

    def attach_internet_gateway(self, InternetGatewayId: str, VpcId: str) -> None:  # pylint: disable=invalid-name
        self.objects[InternetGatewayId]["Attachments"] = [{"State": "available", "VpcId": VpcId}]

    def detach_internet_gateway(self, InternetGatewayId: str, VpcId: str) -> None:  # pylint: disable=invalid-name
        assert self.objects[InternetGatewayId]["Attachments"][0]["VpcId"] == VpcId
        self.objects[InternetGatewayId]["Attachments"] = []

    def delete_internet_gateway(self, InternetGatewayId: str) -> None:  # pylint: disable=invalid-name
        if self.objects[InternetGatewayId]["Attachments"]:
            raise client_error("DependencyViolation", "DeleteInternetGateway", "The internetGateway has dependencies and cannot be deleted.")
        del self.objects[InternetGatewayId]


def resource(aws: FakeAws, **options: t.Any) -> igw.InternetGatewayResource:
    return task_resource(igw.InternetGatewayResource, aws, **dict({"name": "app"}, **options))


def test_internet_gateway_attachment() -> None:
    assert igw.attached_vpc({"Attachments": [{"State": "available", "VpcId": "vpc-1"}]}) == "vpc-1"
    assert igw.attached_vpc({"Attachments": [{"State": "detached", "VpcId": "vpc-1"}]}) is None
    assert igw.attached_vpc({}) is None


def test_created_attached_then_moved_to_another_vpc_then_detached() -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    first, second = ec2.vpc(), ec2.vpc("10.1.0.0/16")
    created = converge(resource(aws, vpc_id=first))
    assert (created.action, created.state["vpc_id"], aws.writes()) == ("create", first, ["create_internet_gateway", "attach_internet_gateway"])
    aws.clear()
    assert converge(resource(aws, vpc_id=first)).changed is False and aws.writes() == []
    moved = converge(resource(aws, vpc_id=second))
    assert (moved.changes, moved.state["vpc_id"]) == (["vpc_id"], second)
    assert aws.writes() == ["detach_internet_gateway", "attach_internet_gateway"]
    aws.clear()
    assert converge(resource(aws, vpc_id="")).state["vpc_id"] is None and aws.writes() == ["detach_internet_gateway"]


def test_an_attached_gateway_is_detached_before_it_is_deleted() -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    converge(resource(aws, vpc_id=ec2.vpc()))
    aws.clear()
    assert converge(resource(aws, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["detach_internet_gateway", "delete_internet_gateway"] and ec2.select("igw") == []


def test_a_wrong_vpc_id_fails_before_a_gateway_is_left_behind() -> None:
    aws = FakeAws(ec2=Gateways())
    with pytest.raises(ResourceError, match="VPC vpc-nope of internet gateway app does not exist"):
        converge(resource(aws, vpc_id="vpc-nope"))
    assert aws.writes() == []
