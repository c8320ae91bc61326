"""aws_vpc: its block is checked before any call, a replacement is refused with the engine's declared refusal; through the
engine: create with its DNS attributes, no-op rerun, tags, in-place attributes, delete."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Vpcs(FakeEc2):
    """EC2's VPC calls; a new VPC starts pending, with DNS support on and DNS host names off, as in AWS."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: t.Dict[str, t.Dict[str, bool]] = {}

    def create_vpc(self, CidrBlock: str, TagSpecifications: t.List[t.Any],  # pylint: disable=invalid-name
                   InstanceTenancy: str = "default") -> t.Dict[str, t.Any]:
        found = self.add("vpc", "VpcId", {"CidrBlock": CidrBlock, "State": "pending", "InstanceTenancy": InstanceTenancy,
                                          "IsDefault": False, "OwnerId": "123456789012"}, self.tagged(TagSpecifications))
        self.attributes[found["VpcId"]] = {"enableDnsSupport": True, "enableDnsHostnames": False}
        return {"Vpc": dict(found)}

    def wait_vpc_available(self, VpcIds: t.List[str]) -> None:  # pylint: disable=invalid-name
        for vpc_id in VpcIds:
            self.objects[vpc_id]["State"] = "available"

    def describe_vpc_attribute(self, VpcId: str, Attribute: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"VpcId": VpcId, Attribute[0].upper() + Attribute[1:]: {"Value": self.attributes[VpcId][Attribute]}}

    def modify_vpc_attribute(self, VpcId: str, **attribute: t.Dict[str, bool]) -> None:  # pylint: disable=invalid-name
        key, value = next(iter(attribute.items()))  # EC2 takes one attribute per call
        self.attributes[VpcId][key[0].lower() + key[1:]] = value["Value"]

    def delete_vpc(self, VpcId: str) -> None:  # pylint: disable=invalid-name
        del self.objects[VpcId]


def resource(aws: FakeAws, **options: t.Any) -> VpcResource:
    return task_resource(VpcResource, aws, **dict({"name": "app", "cidr_block": "10.0.0.0/16"}, **options))


def test_create_sets_the_dns_attributes_ec2_does_not_default_and_a_rerun_changes_nothing() -> None:
    aws = FakeAws(ec2=Vpcs())
    created = converge(resource(aws, tags={"env": "prd"}))
    assert created.action == "create"
    assert aws.writes() == ["create_vpc", "modify_vpc_attribute"]
    assert {key: created.state[key] for key in ("cidr_block", "state", "enable_dns_support", "enable_dns_hostnames", "tags")} == {
        "cidr_block": "10.0.0.0/16", "state": "available", "enable_dns_support": True, "enable_dns_hostnames": True,
        "tags": {"Name": "app", "env": "prd"}}
    assert created.state["id"].startswith("vpc-")
    aws.clear()
    rerun = converge(resource(aws, tags={"env": "prd"}))
    assert (rerun.changed, aws.writes()) == (False, [])


def test_tags_are_synced_and_the_name_tag_is_never_removed() -> None:
    ec2 = Vpcs()
    aws = FakeAws(ec2=ec2)
    vpc_id = converge(resource(aws, tags={"old": "1"})).state["id"]
    aws.clear()
    updated = converge(resource(aws, tags={"env": "prd"}))
    assert (updated.action, updated.changes, aws.writes()) == ("update", ["tags"], ["create_tags", "delete_tags"])
    assert ec2.tags_of(vpc_id) == {"Name": "app", "env": "prd"}
    aws.clear()
    assert converge(resource(aws, tags={"extra": "x"}, purge_tags=False)).changes == ["tags"]
    assert ec2.tags_of(vpc_id) == {"Name": "app", "env": "prd", "extra": "x"}


def test_a_dns_attribute_changes_in_place_one_call_per_attribute() -> None:
    ec2 = Vpcs()
    aws = FakeAws(ec2=ec2)
    vpc_id = converge(resource(aws)).state["id"]
    aws.clear()
    outcome = converge(resource(aws, enable_dns_support=False, enable_dns_hostnames=False))
    assert outcome.changes == ["enable_dns_hostnames", "enable_dns_support"]
    assert aws.writes() == ["modify_vpc_attribute", "modify_vpc_attribute"]
    assert ec2.attributes[vpc_id] == {"enableDnsSupport": False, "enableDnsHostnames": False}


def test_delete_then_absent_again_is_no_change() -> None:
    ec2 = Vpcs()
    aws = FakeAws(ec2=ec2)
    converge(resource(aws))
    aws.clear()
    deleted = converge(resource(aws, state="absent"), present=False)
    assert (deleted.action, deleted.state, aws.writes(), ec2.objects) == ("delete", None, ["delete_vpc"], {})
    assert converge(resource(aws, state="absent"), present=False).changed is False


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
