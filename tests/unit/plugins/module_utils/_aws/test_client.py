"""The AWS provider: the connection checked before any call, errors as sentences, and retries: a call AWS may have
applied is never sent twice by botocore; the engine reads again instead of creating twice."""

from __future__ import annotations

import functools
import gc
import os
import pathlib
import socket
import typing as t

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (ClientError, ConnectionClosedError, ConnectTimeoutError, DataNotFoundError, EndpointConnectionError,
                                 NoCredentialsError, ParamValidationError, WaiterError)
from urllib3.exceptions import NewConnectionError

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


# ---- the endpoint, the credentials and an endpoint that is not there (issue 11, findings 9 and 13) ----
def connection(**params: t.Any) -> t.Dict[str, t.Any]:
    return dict({"region": "us-east-1", "access_key": "AKIAUNIT", "secret_key": "secret", "max_attempts": 3}, **params)


@pytest.mark.parametrize("endpoint", ["", "   ", None])
def test_an_empty_endpoint_means_aws_own_endpoints(no_aws_settings: None, endpoint: t.Optional[str]) -> None:
    clients = AwsProvider().connect(connection(endpoint_url=endpoint))
    assert clients.endpoint_url is None
    assert clients("ec2").meta.endpoint_url == "https://ec2.us-east-1.amazonaws.com"


def test_an_endpoint_with_spaces_around_it_is_used_without_them(no_aws_settings: None) -> None:
    assert AwsProvider().connect(connection(endpoint_url=" http://127.0.0.1:5000\n")).endpoint_url == "http://127.0.0.1:5000"


FIX = "give a URL such as http://127.0.0.1:5000 or https://ec2.us-east-1.amazonaws.com, or leave it empty for AWS's own endpoints."


@pytest.mark.parametrize("endpoint, problem", [
    ("localhost:5000", "has no http:// or https:// scheme"),
    ("127.0.0.1:5000", "has no http:// or https:// scheme"),
    ("ftp://files.example.com", "has no http:// or https:// scheme"),
    ("http://", "has no valid host name"),
    ("http://moto server:5000", "has no valid host name"),
    ("http://127.0.0.1:99999", "has port '99999', which is not a number from 1 to 65535"),
    ("http://127.0.0.1:abc", "has port 'abc', which is not a number from 1 to 65535"),
    ("http://127.0.0.1:0", "has port '0', which is not a number from 1 to 65535"),
])
def test_a_malformed_endpoint_is_named_with_the_fix_before_any_call(no_aws_settings: None, endpoint: str, problem: str) -> None:
    with pytest.raises(ResourceError) as raised:
        AwsProvider().connect(connection(endpoint_url=endpoint))
    assert raised.value.msg == "endpoint_url (or AWS_ENDPOINT_URL) %r %s: %s" % (endpoint, problem, FIX)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:5000", "https://ec2.us-east-1.amazonaws.com/", "http://[::1]:4566",
                                      "http://localstack:4566/path"])
def test_well_formed_endpoints_are_accepted(no_aws_settings: None, endpoint: str) -> None:
    assert AwsProvider().connect(connection(endpoint_url=endpoint)).endpoint_url == endpoint


TOKEN = "FwoGZXIvYXdzEJr//////////wEaDAgentToken+abc/def=="


def credential_forms(value: str) -> t.List[str]:
    """Every way a message could carry the value: as is, stripped, as Python shows it, as bytes."""
    return [value, value.strip(), repr(value), repr(value)[1:-1], repr(value.encode()), value.strip()[4:20]]


@pytest.mark.parametrize("params, fields", [
    ({"session_token": TOKEN + "\n"}, "session_token (AWS_SESSION_TOKEN) holds"),
    ({"session_token": TOKEN + "\r\n"}, "session_token (AWS_SESSION_TOKEN) holds"),
    ({"secret_key": "wJalrXUtnFEMI K7MDENG"}, "secret_key (AWS_SECRET_ACCESS_KEY) holds"),
    ({"access_key": "AKIAUNIT\t"}, "access_key (AWS_ACCESS_KEY_ID) holds"),
    ({"secret_key": "se\u00e7ret-key-value", "session_token": TOKEN + "\n"},
     "secret_key (AWS_SECRET_ACCESS_KEY) and session_token (AWS_SESSION_TOKEN) hold"),
])
def test_a_credential_no_aws_credential_can_be_is_refused_naming_the_field_never_the_value(
        no_aws_settings: None, params: t.Dict[str, str], fields: str) -> None:
    with pytest.raises(ResourceError) as raised:
        AwsProvider().connect(connection(**params))
    assert raised.value.msg.startswith("The AWS %s a space, a line break or another character that no AWS credential has: set "
                                       % fields)
    assert raised.value.msg.endswith("without it (a value read from a file or written by echo often ends in a newline).") \
        or raised.value.msg.endswith("without them (a value read from a file or written by echo often ends in a newline).")
    assert raised.value.msg.count(".") == 1 and raised.value.msg.endswith(".")  # one sentence
    for value in params.values():
        assert [form for form in credential_forms(value) if form in raised.value.msg] == []


def test_credentials_from_the_environment_are_checked_too(no_aws_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNIT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN + "\n")
    with pytest.raises(ResourceError, match=r"^The AWS session_token \(AWS_SESSION_TOKEN\) holds"):
        AwsProvider().connect({"region": "us-east-1"})
    assert AwsProvider().connect(connection(session_token=TOKEN)).session.get_credentials().token == TOKEN


def endpoint_error(cause: BaseException, url: str = "http://127.0.0.1:9/") -> EndpointConnectionError:
    """The error botocore raises when urllib3 could not connect, ``cause`` being the socket's own error."""
    try:
        try:
            raise cause
        except OSError as error:
            raise NewConnectionError(None, "Failed to establish a new connection: %s" % error) from error
    except NewConnectionError as wrapped:
        return EndpointConnectionError(endpoint_url=url, error=wrapped)


REFUSED = ConnectionRefusedError(111, "Connection refused")
NO_SUCH_HOST = socket.gaierror(-2, "Name or service not known")


def test_connection_refused_and_unknown_hosts_are_unreachable_timeouts_are_not() -> None:
    assert aws_client.unreachable_reason(endpoint_error(REFUSED)) == "connection refused"
    assert aws_client.unreachable_reason(endpoint_error(NO_SUCH_HOST)) == "the host name does not resolve"
    assert aws_client.unreachable_reason(endpoint_error(TimeoutError("timed out"))) is None
    assert aws_client.unreachable_reason(ConnectTimeoutError(endpoint_url="http://127.0.0.1:9/")) is None
    assert aws_client.unreachable_reason(EndpointConnectionError(endpoint_url="http://127.0.0.1:9/")) is None
    assert aws_client.unreachable_reason(ConnectionClosedError(endpoint_url="http://127.0.0.1:9/")) is None


def test_an_endpoint_that_is_not_there_gets_one_more_try_not_max_attempts() -> None:
    ec2, sent = ec2_with_answers([endpoint_error(REFUSED)] * 5)
    with pytest.raises(EndpointConnectionError):
        ec2.create_vpc(CidrBlock="10.0.0.0/16")
    assert sent == ["CreateVpc"] * aws_client.UNREACHABLE_ATTEMPTS
    ec2, sent = ec2_with_answers([endpoint_error(NO_SUCH_HOST)] * 5)
    with pytest.raises(EndpointConnectionError):
        ec2.describe_vpcs()
    assert sent == ["DescribeVpcs"] * aws_client.UNREACHABLE_ATTEMPTS


def test_a_restarting_endpoint_and_a_live_but_slow_one_keep_their_retries() -> None:
    ec2, sent = ec2_with_answers([endpoint_error(REFUSED), 200])
    assert ec2.describe_vpcs()["Vpcs"] == [] and sent == ["DescribeVpcs"] * 2
    ec2, sent = ec2_with_answers([ConnectTimeoutError(endpoint_url="http://127.0.0.1:9/")] * 3 + [503, 200])
    assert ec2.describe_vpcs()["Vpcs"] == [] and sent == ["DescribeVpcs"] * 5  # the unit clients' max_attempts


def test_an_unreachable_endpoint_is_one_sentence_for_the_whole_run() -> None:
    custom = {"endpoint_url": "http://127.0.0.1:9"}
    assert AwsProvider.unreachable(endpoint_error(REFUSED), custom) == (
        "Cannot reach the AWS endpoint http://127.0.0.1:9/ (connection refused): start the endpoint, or correct endpoint_url "
        "(or AWS_ENDPOINT_URL).")
    own = endpoint_error(NO_SUCH_HOST, "https://ec2.us-east-1.amazonaws.com/")
    assert AwsProvider.unreachable(own, {"endpoint_url": ""}) == (
        "Cannot reach the AWS endpoint https://ec2.us-east-1.amazonaws.com/ (the host name does not resolve): check the network "
        "and its DNS, and the region.")
    assert AwsProvider.unreachable(ConnectTimeoutError(endpoint_url="http://127.0.0.1:9/"), custom) is None
    assert AwsProvider.unreachable(client_error("Throttling", "DescribeVpcs", "slow"), custom) is None


def test_a_real_closed_port_is_unreachable(no_aws_settings: None) -> None:
    with socket.socket() as unbound:
        unbound.bind(("127.0.0.1", 0))  # a port of ours that nobody listens on: connections to it are refused
        url = "http://127.0.0.1:%d" % unbound.getsockname()[1]
        clients = AwsProvider().connect(connection(endpoint_url=url, max_attempts=10))
        with pytest.raises(EndpointConnectionError) as caught:
            clients("logs").describe_log_groups()
    assert AwsProvider.unreachable(caught.value, {"endpoint_url": url}) == (
        "Cannot reach the AWS endpoint %s/ (connection refused): start the endpoint, or correct endpoint_url "
        "(or AWS_ENDPOINT_URL)." % url)


class FailingSts:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def assume_role(self, **_request: t.Any) -> t.Dict[str, t.Any]:
        raise self.error


@pytest.mark.parametrize("error, message", [
    (endpoint_error(REFUSED), "Cannot reach the AWS endpoint http://127.0.0.1:9/ (connection refused): start the endpoint, or "
                              "correct endpoint_url (or AWS_ENDPOINT_URL)."),
    (client_error("AccessDenied", "AssumeRole", "not authorized"),
     "AWS denied AssumeRole for the role arn:aws:iam::1:role/deploy (not authorized): grant the caller's IAM identity permission "
     "for AssumeRole."),
    (DataNotFoundError(data_path="sts"), "AWS SDK error while assuming the role arn:aws:iam::1:role/deploy: Unable to load data "
                                         "for: sts."),
])
def test_a_role_that_cannot_be_assumed_fails_the_connection_with_one_sentence(error: BaseException, message: str) -> None:
    params = {"assume_role_arn": "arn:aws:iam::1:role/deploy", "assume_role_session_name": "agno-infra",
              "endpoint_url": "http://127.0.0.1:9"}
    with pytest.raises(ResourceError) as raised:
        AwsProvider.assumed(Clients(sts=FailingSts(error)), params)
    assert raised.value.msg == message
