"""What the EC2 network resources share: CIDR checks, lookup by Name tag, waiting until available."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import parse_cidr, prefix_in_range
from ansible_collections.agno.infra.plugins.module_utils._aws.subnet import SubnetResource
from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2


def test_cidr_checks() -> None:
    assert str(parse_cidr("10.0.0.0/16", "cidr_block")) == "10.0.0.0/16"
    with pytest.raises(ResourceError, match="host bits set"):
        parse_cidr("10.0.0.1/16", "cidr_block")
    with pytest.raises(ResourceError, match="is IPv6"):
        parse_cidr("2001:db8::/32", "cidr_block")
    with pytest.raises(ResourceError, match="AWS allows /16 to /28"):
        prefix_in_range(parse_cidr("10.0.0.0/8", "cidr_block"), "cidr_block")
    with pytest.raises(ResourceError) as raised:
        parse_cidr("10.0.0.0/33", "cidr_block")
    assert raised.value.msg.startswith("cidr_block '10.0.0.0/33' is not a valid IPv4 CIDR block (")
    assert raised.value.msg.endswith("): write it as a network address and prefix, for example 10.0.0.0/16.")


def test_two_objects_with_one_name_are_an_error_the_user_resolves() -> None:
    ec2 = FakeEc2()
    first, second = ec2.vpc(), ec2.vpc("10.1.0.0/16")
    with pytest.raises(ResourceError) as raised:
        VpcResource(FakeAws(ec2=ec2), {"name": "net"}).read()
    assert raised.value.msg == ("2 VPCs are named net (%s, %s): EC2 names are tags and must be unique for agno.infra to "
                                "manage them; rename or delete the extra ones." % (first, second))


class Unfiltered(FakeEc2):
    """An EC2 that ignores tag filters, as moto does for some calls."""

    def describe_subnets(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Subnets": self.select("subnet")}


def subnet(ec2: FakeEc2, name: str, state: str = "available") -> str:
    found = {"VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "State": state}
    return str(ec2.add("subnet", "SubnetId", found, {"Name": name})["SubnetId"])


def test_objects_the_filter_let_through_under_other_names_are_not_found() -> None:
    ec2 = Unfiltered()
    subnet(ec2, "other")
    mine = subnet(ec2, "app-a")
    found = SubnetResource(FakeAws(ec2=ec2), {"name": "app-a", "vpc_id": "vpc-1"}).read()
    assert found is not None and found["id"] == mine
    assert SubnetResource(FakeAws(ec2=ec2), {"name": "app-b", "vpc_id": "vpc-1"}).read() is None


def test_an_object_that_stays_pending_times_out_naming_it() -> None:
    ec2 = FakeEc2()
    subnet_id = subnet(ec2, "app-a", state="pending")
    resource = SubnetResource(FakeAws(ec2=ec2), {"name": "app-a", "vpc_id": "vpc-1"})
    with pytest.raises(ResourceError) as raised:
        resource.wait({"id": subnet_id, "state": "pending"}, 30)
    assert raised.value.msg == "subnet app-a is not available after 30 s; raise wait_timeout."
