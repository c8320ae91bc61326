"""A call AWS may have applied is never sent twice by botocore; the engine reads again instead of creating twice."""

from __future__ import annotations

import typing as t

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from ansible_collections.agno.infra.plugins.module_utils._aws import client as aws_client

from ansible_collections.agno.infra.plugins.module_utils._engine import lifecycle
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsClients, Config, is_transient, new_session


class Raw:
    """The raw HTTP body botocore reads an AWSResponse from."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs: t.Any) -> t.Iterator[bytes]:
        yield self.body


EC2_OK = {
    "CreateVpc": b"<CreateVpcResponse><vpc><vpcId>vpc-1</vpcId></vpc></CreateVpcResponse>",
    "DescribeVpcs": b"<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>",
}
THROTTLED = b"<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow</Message></Error></Errors></Response>"


def ec2_with_answers(answers: t.List[t.Any]) -> t.Tuple[t.Any, t.List[str]]:
    """An EC2 client of the provider whose HTTP layer replays ``answers`` (status or exception) and logs each send."""
    clients = AwsClients(new_session("AKIAUNIT", "secret", None), "us-east-1", "http://127.0.0.1:9",
                         Config(region_name="us-east-1", retries={"mode": "standard", "max_attempts": 5}))
    ec2 = clients("ec2")
    sent: t.List[str] = []

    def send(request: t.Any, event_name: str, **_kwargs: t.Any) -> AWSResponse:
        action = event_name.rsplit(".", 1)[-1]
        sent.append(action)
        answer = answers.pop(0) if answers else 200
        if isinstance(answer, Exception):
            raise answer
        body = EC2_OK[action] if answer == 200 else (THROTTLED if answer == 503 else b"<html>oops</html>")
        return AWSResponse(request.url, answer, {}, Raw(body))

    ec2.meta.events.register("before-send.ec2", send)
    return ec2, sent


def test_a_create_answered_500_is_not_sent_again() -> None:
    ec2, sent = ec2_with_answers([500])
    with pytest.raises(ClientError) as caught:
        ec2.create_vpc(CidrBlock="10.0.0.0/16")
    assert sent == ["CreateVpc"]
    assert is_transient(caught.value)


def test_a_create_whose_connection_dropped_is_not_sent_again() -> None:
    ec2, sent = ec2_with_answers([ConnectionClosedError(endpoint_url="http://127.0.0.1:9")])
    with pytest.raises(ConnectionClosedError) as caught:
        ec2.create_vpc(CidrBlock="10.0.0.0/16")
    assert sent == ["CreateVpc"]
    assert is_transient(caught.value)


def test_a_throttled_or_undelivered_create_is_retried_by_botocore() -> None:
    ec2, sent = ec2_with_answers([503, EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), 200])
    assert ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] == "vpc-1"
    assert sent == ["CreateVpc"] * 3


def test_reads_are_retried_by_botocore_after_any_transient_failure() -> None:
    ec2, sent = ec2_with_answers([500, ConnectionClosedError(endpoint_url="http://127.0.0.1:9"), 200])
    assert ec2.describe_vpcs()["Vpcs"] == []
    assert sent == ["DescribeVpcs"] * 3


def test_only_ambiguous_failures_start_a_new_pass() -> None:
    assert not is_transient(EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))
    throttled = ClientError({"Error": {"Code": "Throttling"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateRole")
    refused = ClientError({"Error": {"Code": "InvalidParameterValue"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateVpc")
    assert not is_transient(throttled) and not is_transient(refused)
    assert aws_client.AwsProvider.is_transient(ClientError({"Error": {"Code": "InternalError"},
                                                            "ResponseMetadata": {"HTTPStatusCode": 500}}, "CreateVpc"))


class LostAnswer(Exception):
    """The provider applied the call, but its answer never arrived."""


class Store(lifecycle.Resource):
    """A resource whose mutating calls take effect and then lose their answer, ``losses`` times."""

    kind = "store"

    def __init__(self, state: t.Dict[str, t.Any], params: t.Dict[str, t.Any], losses: int = 1) -> None:
        super().__init__(state, params)
        self.losses = losses
        self.calls: t.List[str] = []

    def desired(self) -> t.Dict[str, t.Any]:
        return {"size": self.params["size"]}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        self.calls.append("read")
        return dict(self.client["item"]) if "item" in self.client else None

    def applied(self, call: str) -> None:
        self.calls.append(call)
        if self.losses:
            self.losses -= 1
            raise LostAnswer(call)

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.client["item"] = dict(desired)
        self.applied("create")
        return dict(desired)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.client["item"].update(changes)
        self.applied("update")
        return dict(self.client["item"])

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        del self.client["item"]
        self.applied("delete")


def lost(error: BaseException) -> bool:
    return isinstance(error, LostAnswer)


def test_a_create_whose_answer_was_lost_is_read_back_not_repeated() -> None:
    state: t.Dict[str, t.Any] = {}
    store = Store(state, {"size": 2})
    outcome = lifecycle.converge(store, is_transient=lost)
    assert store.calls == ["read", "create", "read"]
    assert (outcome.changed, outcome.action, outcome.state) == (True, "create", {"size": 2})
    assert outcome.diff["before"] == {"state": "absent"}


def test_a_lost_delete_still_reports_the_deletion() -> None:
    store = Store({"item": {"size": 2}}, {"size": 2})
    outcome = lifecycle.converge(store, present=False, is_transient=lost)
    assert store.calls == ["read", "delete", "read"]
    assert (outcome.changed, outcome.action, outcome.state) == (True, "delete", None)


def test_an_update_that_lost_its_answer_is_found_done() -> None:
    store = Store({"item": {"size": 2}}, {"size": 3})
    outcome = lifecycle.converge(store, is_transient=lost)
    assert store.calls == ["read", "update", "read"]
    assert (outcome.action, outcome.changes, outcome.state) == ("update", ["size"], {"size": 3})


def test_other_failures_and_check_mode_are_not_retried() -> None:
    store = Store({}, {"size": 2})
    with pytest.raises(LostAnswer):
        lifecycle.converge(store)
    assert store.calls == ["read", "create"]
    preview = Store({}, {"size": 2})
    assert lifecycle.converge(preview, check_mode=True, is_transient=lambda error: True).action == "create"
    assert preview.calls == ["read"]
