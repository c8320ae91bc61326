"""aws_subnet through the engine: the VPC checked before creating, public IPs in place, waiting for a pending subnet."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Subnets(FakeEc2):
    def create_subnet(self, VpcId: str, CidrBlock: str, TagSpecifications: t.List[t.Any],  # pylint: disable=invalid-name
                      AvailabilityZone: str = "us-east-1a") -> t.Dict[str, t.Any]:
        return {"Subnet": dict(self.add("subnet", "SubnetId", {
            "VpcId": VpcId, "CidrBlock": CidrBlock, "AvailabilityZone": AvailabilityZone, "State": "available",
            "MapPublicIpOnLaunch": False, "AvailableIpAddressCount": 251}, self.tagged(TagSpecifications)))}

    def modify_subnet_attribute(self, SubnetId: str, MapPublicIpOnLaunch: t.Dict[str, bool]) -> None:  # pylint: disable=invalid-name
        self.objects[SubnetId]["MapPublicIpOnLaunch"] = MapPublicIpOnLaunch["Value"]

    def delete_subnet(self, SubnetId: str) -> None:  # pylint: disable=invalid-name
        del self.objects[SubnetId]


def resource(aws: FakeAws, vpc_id: str, **options: t.Any) -> aws_subnet.SubnetResource:
    return task_resource(aws_subnet.SubnetResource, aws, **dict(
        {"name": "app-a", "vpc_id": vpc_id, "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}, **options))


def test_create_rerun_public_ip_in_place_and_delete() -> None:
    ec2 = Subnets()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    created = converge(resource(aws, vpc_id, map_public_ip=True))
    assert created.action == "create" and aws.writes() == ["create_subnet", "modify_subnet_attribute"]
    assert {key: created.state[key] for key in ("vpc_id", "cidr_block", "availability_zone", "map_public_ip", "tags")} == {
        "vpc_id": vpc_id, "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a", "map_public_ip": True,
        "tags": {"Name": "app-a"}}
    aws.clear()
    assert converge(resource(aws, vpc_id, map_public_ip=True)).changed is False and aws.writes() == []
    updated = converge(resource(aws, vpc_id))
    assert (updated.action, updated.changes, aws.writes()) == ("update", ["map_public_ip"], ["modify_subnet_attribute"])
    aws.clear()
    assert converge(resource(aws, vpc_id, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["delete_subnet"]


def test_a_missing_vpc_or_a_block_outside_it_fails_before_anything_is_created() -> None:
    ec2 = Subnets()
    aws = FakeAws(ec2=ec2)
    with pytest.raises(ResourceError) as raised:
        converge(resource(aws, "vpc-missing"), check_mode=True)
    assert raised.value.msg == ("VPC vpc-missing of subnet app-a does not exist: create it first (agno.infra.aws_vpc) and "
                                "pass its id.")
    vpc_id = ec2.vpc()
    with pytest.raises(ResourceError) as raised:
        converge(resource(aws, vpc_id, cidr_block="10.9.0.0/24"))
    assert raised.value.msg == ("Subnet app-a cidr_block 10.9.0.0/24 is outside VPC %s (10.0.0.0/16): pick a block inside "
                                "the VPC's range." % vpc_id)
    assert aws.writes() == []


def test_another_zone_means_a_new_subnet() -> None:
    ec2 = Subnets()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    converge(resource(aws, vpc_id))
    preview = converge(resource(aws, vpc_id, availability_zone="us-east-1b"), check_mode=True)
    assert (preview.action, preview.changes) == ("replace", ["availability_zone"])


def test_a_pending_subnet_is_waited_for_until_available(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    states = iter(["pending", "pending", "available"])
    subnet = aws_subnet.SubnetResource(None, {"name": "app-a"})
    subnet.clock = clock
    monkeypatch.setattr(subnet, "read", lambda: {"id": "subnet-1", "state": next(states)})
    assert subnet.wait({"id": "subnet-1", "state": "pending"}, 30) == {"id": "subnet-1", "state": "available"}
    assert subnet.wait({"id": "subnet-1", "state": "available"}, 30)["state"] == "available"
