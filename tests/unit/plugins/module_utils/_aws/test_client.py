"""The AWS provider: the connection checked before any call, errors as sentences, and retries: a call AWS may have
applied is never sent twice by botocore; the engine reads again instead of creating twice."""

from __future__ import annotations

import functools
import gc
import os
import pathlib
import typing as t

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (ClientError, ConnectionClosedError, DataNotFoundError, EndpointConnectionError, NoCredentialsError,
                                 ParamValidationError, WaiterError)

from ansible_collections.agno.infra.plugins.module_utils._aws import client as aws_client

from ansible_collections.agno.infra.plugins.module_utils._engine import lifecycle
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsClients, AwsProvider, is_transient, new_session
from ansible_collections.agno.infra.plugins.module_utils._aws.vpc import VpcResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, client_error


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


@functools.lru_cache(maxsize=None)
def unit_clients() -> AwsClients:
    """The provider's clients, made once for these tests: building an EC2 client takes a tenth of a second."""
    return AwsClients(new_session("AKIAUNIT", "secret", None), "us-east-1", "http://127.0.0.1:9",
                      Config(region_name="us-east-1", retries={"mode": "standard", "max_attempts": 5}))


def ec2_with_answers(answers: t.List[t.Any]) -> t.Tuple[t.Any, t.List[str]]:
    """An EC2 client of the provider whose HTTP layer replays ``answers`` (status or exception) and logs each send."""
    ec2 = unit_clients()("ec2")
    sent: t.List[str] = []

    def send(request: t.Any, event_name: str, **_kwargs: t.Any) -> AWSResponse:
        action = event_name.rsplit(".", 1)[-1]
        sent.append(action)
        answer = answers.pop(0) if answers else 200
        if isinstance(answer, Exception):
            raise answer
        body = EC2_OK[action] if answer == 200 else (THROTTLED if answer == 503 else b"<html>oops</html>")
        return AWSResponse(request.url, answer, {}, Raw(body))

    ec2.meta.events.unregister("before-send.ec2", unique_id="unit-answers")  # the answers of the test before
    ec2.meta.events.register("before-send.ec2", send, unique_id="unit-answers")
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
    assert unit_clients()("ec2") is ec2  # one client per service and task


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


@pytest.fixture()
def no_aws_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    """No region, credentials or profile from the environment, the config files or an instance role."""
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.parametrize("params, message", [
    ({}, "No AWS region is set: give the region option or set AWS_REGION (or AWS_DEFAULT_REGION)."),
    ({"region": "mars-1"}, "Unknown AWS region 'mars-1': give a region name such as us-east-1 or eu-west-1 in the region option or "
                           "AWS_REGION."),
    ({"region": "us-east-1"}, "No AWS credentials were found: set access_key and secret_key, a profile, or the AWS_ACCESS_KEY_ID "
                              "and AWS_SECRET_ACCESS_KEY environment variables (in AWX, attach an Amazon Web Services credential)."),
    ({"region": "us-east-1", "profile": "nope"}, "Cannot load the AWS profile 'nope': The config profile (nope) could not be found; "
                                                 "check the profile option or AWS_PROFILE."),
])
def test_connection_problems_are_named_before_any_call(no_aws_settings: None, params: t.Dict[str, t.Any], message: str) -> None:
    with pytest.raises(ResourceError) as raised:
        AwsProvider().connect(params)
    assert raised.value.msg == message


def test_a_connection_carries_the_region_endpoint_retries_and_keys(no_aws_settings: None) -> None:
    clients = AwsProvider().connect({"region": "eu-west-1", "access_key": "AKIAUNIT", "secret_key": "secret",
                                     "endpoint_url": "http://127.0.0.1:9", "max_attempts": 3})
    assert (clients.region, clients.endpoint_url, clients.config.region_name) == ("eu-west-1", "http://127.0.0.1:9", "eu-west-1")
    assert clients.config.retries == {"mode": "standard", "max_attempts": 3}
    assert clients.config.user_agent_extra == aws_client.USER_AGENT
    assert clients.session.get_credentials().access_key == "AKIAUNIT"


class AssumingSts:
    def __init__(self) -> None:
        self.requests: t.List[t.Dict[str, t.Any]] = []

    def assume_role(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.requests.append(request)
        return {"Credentials": {"AccessKeyId": "ASIAROLE", "SecretAccessKey": "role-secret", "SessionToken": "token"}}


class Clients(FakeAws):
    """The provider's clients before assuming a role: where they connect and how."""

    endpoint_url = "http://127.0.0.1:9"
    config = Config(region_name="us-east-1")


def test_an_assumed_role_gives_clients_with_its_credentials_in_the_same_region() -> None:
    sts = AssumingSts()
    base = Clients(sts=sts)
    params = {"assume_role_arn": "arn:aws:iam::123456789012:role/deploy", "assume_role_session_name": "agno-infra",
              "assume_role_external_id": "ext-1"}
    assumed = AwsProvider.assumed(base, params)
    assert sts.requests == [{"RoleArn": "arn:aws:iam::123456789012:role/deploy", "RoleSessionName": "agno-infra", "ExternalId": "ext-1"}]
    credentials = assumed.session.get_credentials()
    assert (credentials.access_key, credentials.token, assumed.region, assumed.endpoint_url) == (
        "ASIAROLE", "token", "us-east-1", "http://127.0.0.1:9")
    assert assumed.config is base.config


VPC = VpcResource(None, {"name": "app"})


@pytest.mark.parametrize("error, message", [
    (client_error("AccessDenied", "CreateVpc", "User: arn:aws:iam::1:user/ci is not authorized to perform: ec2:CreateVpc."),
     "AWS denied CreateVpc for VPC app (User: arn:aws:iam::1:user/ci is not authorized to perform: ec2:CreateVpc): grant the "
     "caller's IAM identity permission for CreateVpc."),
    (client_error("InvalidClientTokenId", "DescribeVpcs", "The security token included in the request is invalid."),
     "AWS rejected the credentials while managing VPC app (InvalidClientTokenId: The security token included in the request is "
     "invalid): check access_key, secret_key, session_token or the profile."),
    (client_error("RequestLimitExceeded", "CreateVpc", "Request limit exceeded."),
     "AWS kept throttling CreateVpc for VPC app after every retry (Request limit exceeded): run again later, or raise max_attempts."),
    (client_error("VpcLimitExceeded", "CreateVpc", "The maximum number of VPCs has been reached."),
     "AWS refused CreateVpc for VPC app (VpcLimitExceeded: The maximum number of VPCs has been reached)."),
    (NoCredentialsError(), "No AWS credentials were found while managing VPC app: set access_key and secret_key, a profile, or "
                           "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."),
    (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
     'Cannot reach the AWS endpoint while managing VPC app (Could not connect to the endpoint URL: "http://127.0.0.1:9"): check '
     'endpoint_url, the region and the network.'),
    (ParamValidationError(report="Invalid type for parameter CidrBlock, value: 1, type: <class 'int'>, valid types: <class 'str'>"),
     "Invalid request for VPC app: Parameter validation failed: Invalid type for parameter CidrBlock, value: 1, type: <class 'int'>, "
     "valid types: <class 'str'>; check the task's options."),
    (WaiterError(name="VpcAvailable", reason="Max attempts exceeded", last_response={}),
     "Waiting for VPC app failed: Waiter VpcAvailable failed: Max attempts exceeded; raise wait_timeout or check the resource in "
     "the AWS console."),
    (DataNotFoundError(data_path="endpoints"), "AWS SDK error while managing VPC app: Unable to load data for: endpoints."),
])
def test_sdk_errors_become_one_sentence_naming_the_resource(error: BaseException, message: str) -> None:
    explained = AwsProvider().explain(error, VPC)
    assert explained is not None and explained.msg == message


def test_other_errors_are_left_to_the_runner() -> None:
    assert AwsProvider().explain(ValueError("bug"), VPC) is None
def test_a_new_client_is_kept_out_of_the_collectors_walks() -> None:
    gc.unfreeze()
    clients = AwsClients(new_session("AKIAUNIT", "secret", None), "us-east-1", "http://127.0.0.1:9", Config(region_name="us-east-1"))
    try:
        assert clients("logs") is clients("logs")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
