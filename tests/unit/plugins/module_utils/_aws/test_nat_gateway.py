"""aws_nat_gateway through the engine: its own Elastic IP, the wait until available, the release after deletion."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import nat_gateway as nat
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2, client_error
from ansible_collections.agno.infra.tests.unit.support import FakeClock, task_resource


class Gateways(FakeEc2):
    """NAT gateways move on one state per describe by id (pending, then available; deleting, then deleted), as they
    do over minutes in AWS; an Elastic IP is released only once its gateway is deleted."""

    def __init__(self, then: str = "available") -> None:
        super().__init__()
        self.then = then

    def describe_nat_gateways(self, Filter: t.Optional[t.List[t.Any]] = None,  # pylint: disable=invalid-name
                              NatGatewayIds: t.Optional[t.List[str]] = None) -> t.Dict[str, t.Any]:
        for gateway_id in NatGatewayIds or []:
            gateway = self.objects[gateway_id]
            gateway["State"] = {"pending": self.then, "deleting": "deleted"}.get(gateway["State"], gateway["State"])
        return {"NatGateways": self.select("nat", Filter, NatGatewayIds)}

    def describe_addresses(self, Filters: t.Optional[t.List[t.Any]] = None,  # pylint: disable=invalid-name
                           AllocationIds: t.Optional[t.List[str]] = None) -> t.Dict[str, t.Any]:
        return {"Addresses": self.select("eipalloc", Filters, AllocationIds)}

    def allocate_address(self, Domain: str, TagSpecifications: t.List[t.Any]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        address = self.add("eipalloc", "AllocationId", {"Domain": Domain, "PublicIp": "203.0.113.7"}, self.tagged(TagSpecifications))
        return {"AllocationId": address["AllocationId"], "PublicIp": address["PublicIp"], "Domain": Domain}

    def create_nat_gateway(self, SubnetId: str, ConnectivityType: str, ClientToken: str,  # pylint: disable=invalid-name
                           TagSpecifications: t.List[t.Any], AllocationId: t.Optional[str] = None) -> t.Dict[str, t.Any]:
        addresses = [{"AllocationId": AllocationId, "PublicIp": "203.0.113.7", "PrivateIp": "10.0.0.9"}] if AllocationId else []
        gateway = self.add("nat", "NatGatewayId", {"SubnetId": SubnetId, "VpcId": "vpc-1", "ConnectivityType": ConnectivityType,
                                                   "State": "pending", "NatGatewayAddresses": addresses},
                           self.tagged(TagSpecifications))
        if AllocationId:
            self.objects[AllocationId]["AssociationId"] = "eipassoc-1"
        return {"NatGateway": dict(gateway)}

    def delete_nat_gateway(self, NatGatewayId: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        self.objects[NatGatewayId]["State"] = "deleting"
        return {"NatGatewayId": NatGatewayId}

    def release_address(self, AllocationId: str) -> None:  # pylint: disable=invalid-name
        if self.objects[AllocationId].pop("AssociationId", None):
            raise client_error("InvalidIPAddress.InUse", "ReleaseAddress", "Address %s is in use." % AllocationId)
        del self.objects[AllocationId]


def gateway(aws: FakeAws, **options: t.Any) -> nat.NatGatewayResource:
    return task_resource(nat.NatGatewayResource, aws, **dict({"name": "app", "subnet_id": "subnet-a"}, **options))


def test_a_public_gateway_gets_its_own_address_and_is_waited_for(clock: FakeClock) -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    created = converge(gateway(aws), wait=True, wait_timeout=600)
    assert created.action == "create" and aws.writes() == ["allocate_address", "create_nat_gateway"]
    assert (created.state["state"], created.state["public_ip"]) == ("available", "203.0.113.7")
    address = ec2.objects[created.state["allocation_id"]]
    assert ec2.tags_of(address["AllocationId"]) == {"Name": "app", nat.OWNER_TAG: "app"}
    assert clock.sleeps == []  # available at the first look
    aws.clear()
    assert converge(gateway(aws), wait=True).changed is False and aws.writes() == []


def test_an_address_left_unused_by_an_earlier_run_is_taken_again() -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    left = ec2.add("eipalloc", "AllocationId", {"Domain": "vpc", "PublicIp": "203.0.113.8"}, {nat.OWNER_TAG: "app"})
    assert converge(gateway(aws)).state["allocation_id"] == left["AllocationId"]
    assert aws.writes() == ["create_nat_gateway"]


def test_deleting_waits_for_the_gateway_then_releases_its_own_address(clock: FakeClock) -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    allocation = converge(gateway(aws)).state["allocation_id"]
    aws.clear()
    deleted = converge(gateway(aws, state="absent", wait=False), present=False)
    assert deleted.action == "delete"
    # The first release comes while AWS still holds the address: retried after a backoff, not reported.
    assert aws.writes() == ["delete_nat_gateway", "release_address", "release_address"]
    assert allocation not in ec2.objects and len(clock.sleeps) == 1


def test_an_address_the_task_gave_is_not_released() -> None:
    ec2 = Gateways()
    aws = FakeAws(ec2=ec2)
    given = ec2.add("eipalloc", "AllocationId", {"Domain": "vpc", "PublicIp": "203.0.113.9"})["AllocationId"]
    converge(gateway(aws, allocation_id=given))
    aws.clear()
    converge(gateway(aws, state="absent", wait=False), present=False)
    assert aws.writes() == ["delete_nat_gateway"] and given in ec2.objects


def test_refusals_name_the_problem() -> None:
    aws = FakeAws(ec2=Gateways())
    with pytest.raises(ResourceError) as raised:
        converge(gateway(aws, connectivity_type="private", allocation_id="eipalloc-1"))
    assert raised.value.msg == ("NAT gateway app is private and cannot use Elastic IP eipalloc-1: drop allocation_id, or set "
                                "connectivity_type to public.")
    gateway_id = converge(gateway(aws)).state["id"]
    with pytest.raises(ResourceError) as raised:
        converge(gateway(aws, subnet_id="subnet-b"), check_mode=True)
    assert raised.value.msg == ("NAT gateway app (%s) has subnet_id subnet-a, which cannot change, and routes point at the "
                                "gateway's id: keep the current value, or delete the NAT gateway first." % gateway_id)


def test_a_failed_or_slow_gateway_says_what_to_do() -> None:
    aws = FakeAws(ec2=Gateways(then="failed"))
    with pytest.raises(ResourceError, match=r"NAT gateway app \(nat-\w+\) failed: no reason given; fix the cause, delete it"):
        converge(gateway(aws), wait=True, wait_timeout=600)
    slow = FakeAws(ec2=Gateways(then="pending"))
    with pytest.raises(ResourceError, match=r"NAT gateway app \(nat-\w+\) is not available after 60 s; raise wait_timeout\."):
        converge(gateway(slow), wait=True, wait_timeout=60)


def nat_gateway_answers(aws: t.Any, sequence: t.Any, owned: bool, *states: str) -> t.Any:
    def gateway(state: str) -> t.Dict[str, t.Any]:
        return {"NatGatewayId": "nat-1", "SubnetId": "subnet-a", "State": state, "Tags": [{"Key": "Name", "Value": "egress"}],
                "NatGatewayAddresses": [{"AllocationId": "eipalloc-1"}]}
    after_delete = sequence(*[{"NatGateways": [gateway(state)]} for state in states])
    owner = [{"Key": nat.OWNER_TAG, "Value": "egress"}] if owned else []
    return aws(describe_nat_gateways=lambda **request: after_delete() if "NatGatewayIds" in request else {"NatGateways": [gateway("available")]},
               describe_addresses={"Addresses": [{"AllocationId": "eipalloc-1", "Tags": owner}]})


def test_a_nat_gateway_deletion_is_waited_for_on_the_engine_clock(aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = nat_gateway_answers(aws, sequence, False, "deleting", "deleting", "deleted")
    outcome = converge(resource(nat.NatGatewayResource, client, name="egress", state="absent"), present=False, wait=True,
                       wait_timeout=60, clock=clock)
    assert (outcome.action, client.writes(), clock.sleeps) == ("delete", ["delete_nat_gateway"], [5.0, 5.0])
    unwaited = nat_gateway_answers(aws, sequence, False, "deleting")
    converge(resource(nat.NatGatewayResource, unwaited, name="egress", state="absent", wait=False), present=False, clock=clock)
    assert clock.sleeps == [5.0, 5.0]


def test_a_nat_gateway_with_its_own_address_is_waited_for_then_the_address_released(
        aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    client = nat_gateway_answers(aws, sequence, True, "deleting", "deleted")
    converge(resource(nat.NatGatewayResource, client, name="egress", state="absent", wait=False), present=False, clock=clock)
    assert (client.writes(), clock.sleeps) == (["delete_nat_gateway", "release_address"], [5.0])
    stuck = nat_gateway_answers(aws, sequence, True, "deleting")
    with pytest.raises(ResourceError) as late:
        converge(resource(nat.NatGatewayResource, stuck, name="egress", state="absent"), present=False, wait_timeout=20, clock=clock)
    assert late.value.msg == "NAT gateway egress is still being deleted after 20 s: raise wait_timeout, or run again later."
    assert "release_address" not in stuck.writes()
