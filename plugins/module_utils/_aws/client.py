# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWS provider: connection options, cached botocore clients with retries, errors turned into sentences.

Clients come from botocore directly: boto3 adds nothing these modules use, and importing it (with
s3transfer) costs about 0.13 s in every task's process. Only botocore's exceptions are imported with
this module; its session and client machinery (another 0.1 s) when a task first connects, so that a
process that converges no AWS resource (a Docker environment) never loads them.
"""

from __future__ import annotations

import gc
import re
import socket
import threading
import traceback
import typing as t
import urllib.parse

from ansible.module_utils.basic import env_fallback

from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TagCalls, tags_differ
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Compare, Range, Resource, ResourceError

try:
    from botocore.exceptions import (BotoCoreError, ClientError, EndpointConnectionError, HTTPClientError,
                                     NoCredentialsError, ParamValidationError, WaiterError)
    IMPORT_ERROR = None
except ImportError:
    IMPORT_ERROR = traceback.format_exc()

    class BotoCoreError(Exception):  # type: ignore[no-redef]
        """Stand-in so that isinstance checks work when botocore is missing."""

    class ClientError(Exception):  # type: ignore[no-redef]
        response: t.Dict[str, t.Any] = {}
        operation_name = ""

    class EndpointConnectionError(BotoCoreError):  # type: ignore[no-redef]
        pass

    class HTTPClientError(BotoCoreError):  # type: ignore[no-redef]
        pass

    class NoCredentialsError(BotoCoreError):  # type: ignore[no-redef]
        pass

    class ParamValidationError(BotoCoreError):  # type: ignore[no-redef]
        pass

    class WaiterError(BotoCoreError):  # type: ignore[no-redef]
        pass

AWS_ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "region": {"type": "str", "aliases": ["aws_region"],
               "fallback": (env_fallback, ["AWS_REGION", "AWS_DEFAULT_REGION"])},
    "profile": {"type": "str", "aliases": ["aws_profile"], "fallback": (env_fallback, ["AWS_PROFILE"])},
    "endpoint_url": {"type": "str", "aliases": ["aws_endpoint_url"], "fallback": (env_fallback, ["AWS_ENDPOINT_URL"])},
    "access_key": {"type": "str", "aliases": ["aws_access_key_id"], "no_log": False,
                   "fallback": (env_fallback, ["AWS_ACCESS_KEY_ID"])},
    "secret_key": {"type": "str", "aliases": ["aws_secret_access_key"], "no_log": True,
                   "fallback": (env_fallback, ["AWS_SECRET_ACCESS_KEY"])},
    "session_token": {"type": "str", "aliases": ["aws_session_token"], "no_log": True,
                      "fallback": (env_fallback, ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"])},
    "assume_role_arn": {"type": "str"},
    "assume_role_session_name": {"type": "str", "default": "agno-infra"},
    "assume_role_external_id": {"type": "str", "no_log": True},
    "max_attempts": {"type": "int", "default": 10},
}

ACCESS_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"}
BAD_CREDENTIALS = {"InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure", "SignatureDoesNotMatch",
                   "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException"}
THROTTLED = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
             "RequestThrottled", "SlowDown", "PriorRequestNotComplete"}
USER_AGENT = "agno.infra/0.1.0"
# Calls botocore may send twice: reads, and Put* calls, which set a value rather than add one.
REPEATABLE_PREFIXES = ("Describe", "List", "Get", "Head", "Lookup", "Search", "Put")
# What an AWS credential is made of: printable ASCII without spaces (it travels in HTTP headers).
CREDENTIAL = re.compile(r"[\x21-\x7e]*")
#: The credentials' fields as the options and the environment variables name them.
CREDENTIAL_FIELDS = (("access_key", "AWS_ACCESS_KEY_ID"), ("secret_key", "AWS_SECRET_ACCESS_KEY"),
                     ("session_token", "AWS_SESSION_TOKEN"))
#: Times a call is sent to an endpoint that refuses connections or whose host does not resolve: one more try for an
#: endpoint that is restarting, then the run fails in a second or so rather than backing off max_attempts times.
UNREACHABLE_ATTEMPTS = 2


def error_body(error: BaseException) -> t.Dict[str, t.Any]:
    """The Error part of an AWS answer; empty for errors without one (a lost connection's response is None)."""
    return dict((getattr(error, "response", None) or {}).get("Error") or {})


def error_code(error: BaseException) -> str:
    return str(error_body(error).get("Code", ""))


def error_message(error: BaseException) -> str:
    message = error_body(error).get("Message") or str(error)
    return str(message).strip().rstrip(".")


def is_not_found(error: BaseException, *codes: str) -> bool:
    """Whether a ClientError is one of the 'does not exist' codes of a service."""
    return isinstance(error, ClientError) and error_code(error) in codes


def known_regions(session: t.Any) -> t.Set[str]:
    """Every region botocore knows, from its small partitions file (the endpoints file takes 0.2 s to load)."""
    partitions = session.get_component("data_loader").load_data("partitions")["partitions"]
    return {region for partition in partitions for region in partition.get("regions") or {}}


def answer_maybe_lost(status: int, code: t.Optional[str], exception: t.Optional[BaseException]) -> bool:
    """AWS may have applied the call: a 5xx that is not throttling, or the connection lost after sending.

    botocore's ConnectionError family (refused, connect timeout) means the request never left; its
    HTTPClientError family (connection closed, read timeout) means it did.
    """
    if exception is not None:
        return isinstance(exception, HTTPClientError)
    return status >= 500 and code not in THROTTLED


def refuse_blind_retry(operation: t.Any, response: t.Any = None, caught_exception: t.Optional[BaseException] = None,
                       **_kwargs: t.Any) -> t.Optional[bool]:
    """botocore needs-retry handler: never send a mutating call again when AWS may have applied it already.

    botocore would repeat a create whose answer was lost: a second VPC (EC2 names are only tags), or an
    "already exists" failure. Idempotency tokens are no guarantee (moto ignores CreateRouteTable's ClientToken).
    False stops botocore's retry (None lets it decide); the error then reaches ``converge``, which reads again
    before acting. Repeatable calls, throttling and requests that never left are still retried by botocore.
    """
    if operation.name.startswith(REPEATABLE_PREFIXES):
        return None
    http_response, parsed = response if response is not None else (None, {})
    status = http_response.status_code if http_response is not None else 0
    return False if answer_maybe_lost(status, (parsed or {}).get("Error", {}).get("Code"), caught_exception) else None


def is_transient(error: BaseException) -> bool:
    """A failure that refuse_blind_retry let through: worth a new read-then-act pass of the engine."""
    if isinstance(error, ClientError):
        return answer_maybe_lost(int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0), error_code(error), None)
    return answer_maybe_lost(0, None, error)


def causes(error: t.Optional[BaseException]) -> t.Iterator[BaseException]:
    """The error and the errors it was raised from or while handling, innermost last."""
    seen: t.Set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def unreachable_reason(error: t.Optional[BaseException]) -> t.Optional[str]:
    """Why no call can reach the endpoint (it refuses connections, its host name does not resolve); None otherwise.

    A timeout is not one of them: a live endpoint may be slow, and its calls keep their retries.
    """
    if not isinstance(error, EndpointConnectionError):
        return None
    chain = list(causes(getattr(error, "kwargs", {}).get("error")))
    if any(isinstance(cause, ConnectionRefusedError) for cause in chain):
        return "connection refused"
    if any(isinstance(cause, socket.gaierror) for cause in chain):
        return "the host name does not resolve"
    return None


def give_up_when_unreachable(attempts: int = 1, caught_exception: t.Optional[BaseException] = None,
                             **_kwargs: t.Any) -> t.Optional[bool]:
    """botocore needs-retry handler: stop after UNREACHABLE_ATTEMPTS sends to an endpoint that is not there."""
    return False if attempts >= UNREACHABLE_ATTEMPTS and unreachable_reason(caught_exception) else None


class AwsClients:
    """One botocore session per task; service clients created on first use and reused."""

    def __init__(self, session: t.Any, region: str, endpoint_url: t.Optional[str], config: t.Any) -> None:
        self.session = session
        self.region = region
        self.endpoint_url = endpoint_url
        self.config = config
        self._clients: t.Dict[str, t.Any] = {}
        # The resources module converges items in threads; sessions must not create clients concurrently.
        self._lock = threading.Lock()

    def __call__(self, service: str) -> t.Any:
        with self._lock:
            if service not in self._clients:
                client = self.session.create_client(service, endpoint_url=self.endpoint_url, config=self.config)
                # First, so that its False overrides the retry botocore's own handler would ask for.
                retries = "needs-retry.%s" % client.meta.service_model.service_id.hyphenize()
                client.meta.events.register_first(retries, refuse_blind_retry)
                client.meta.events.register_first(retries, give_up_when_unreachable)
                self._clients[service] = client
                # A client's service model (hundreds of thousands of objects) lives as long as the process: out of the
                # collector's walks, it costs no time in every later collection, nor 0.1-0.3 s at the process's exit.
                gc.freeze()
            return self._clients[service]


def require_region(session: t.Any, region: t.Optional[str]) -> str:
    if not region:
        raise ResourceError("No AWS region is set: give the region option or set AWS_REGION (or AWS_DEFAULT_REGION).")
    if region not in known_regions(session):
        raise ResourceError("Unknown AWS region %r: give a region name such as us-east-1 or eu-west-1 in the region "
                            "option or AWS_REGION." % region)
    return region


def require_credentials(session: t.Any) -> None:
    credentials = session.get_credentials()
    if credentials is None:
        raise ResourceError(
            "No AWS credentials were found: set access_key and secret_key, a profile, or the AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY environment variables (in AWX, attach an Amazon Web Services credential).")
    malformed = malformed_credentials(credentials.get_frozen_credentials())
    if malformed:
        raise ResourceError(malformed_credentials_message(malformed))


def malformed_credentials(frozen: t.Any) -> t.List[t.Tuple[str, str]]:
    """The fields (option, environment variable) whose value no AWS credential can have: botocore would put it in a
    header that the HTTP layer refuses, retry that for minutes and echo the value in its error."""
    values = (frozen.access_key, frozen.secret_key, frozen.token)
    return [field for field, value in zip(CREDENTIAL_FIELDS, values) if value and not CREDENTIAL.fullmatch(value)]


def malformed_credentials_message(fields: t.List[t.Tuple[str, str]]) -> str:
    """One sentence naming the fields, never their values."""
    names = " and ".join("%s (%s)" % field for field in fields)
    return ("The AWS %s %s a space, a line break or another character that no AWS credential has: set %s again "
            "without it (a value read from a file or written by echo often ends in a newline)."
            % (names, "holds" if len(fields) == 1 else "hold", "it" if len(fields) == 1 else "them"))


def endpoint_setting(value: t.Optional[str]) -> t.Optional[str]:
    """The endpoint URL to use: None when it is empty (unset, as AWS's own tools read it); a malformed one is refused
    before any call, once."""
    url = (value or "").strip()
    if not url:
        return None
    problem = endpoint_problem(url)
    if problem:
        raise ResourceError("endpoint_url (or AWS_ENDPOINT_URL) %r %s: give a URL such as http://127.0.0.1:5000 or "
                            "https://ec2.us-east-1.amazonaws.com, or leave it empty for AWS's own endpoints." % (url, problem))
    return url


def endpoint_problem(url: str) -> t.Optional[str]:
    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url  # with the session: see the module's doc

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "has no http:// or https:// scheme"
    if not (is_valid_endpoint_url(url) or is_valid_ipv6_endpoint_url(url)):
        return "has no valid host name"
    try:
        port = parts.port
    except ValueError:  # not a number, or above 65535
        port = 0
    if port == 0:
        return "has port %r, which is not a number from 1 to 65535" % parts.netloc.rpartition(":")[2]
    return None


def new_session(access_key: t.Optional[str], secret_key: t.Optional[str], session_token: t.Optional[str],
                profile: t.Optional[str] = None) -> t.Any:
    """A botocore session with the given keys, or the default chain (environment, profile, instance role)."""
    import botocore.session  # on first connection only: see the module's doc

    session = botocore.session.Session(profile=profile)
    if profile:
        session.get_scoped_config()  # raises ProfileNotFound now rather than at the first call
    if access_key or secret_key or session_token:
        session.set_credentials(access_key, secret_key, session_token)
    return session


class AwsProvider:
    library = "botocore"
    import_error = IMPORT_ERROR
    argument_spec = AWS_ARGUMENT_SPEC
    is_transient = staticmethod(is_transient)

    def connect(self, params: t.Dict[str, t.Any]) -> AwsClients:
        try:
            session = new_session(params.get("access_key"), params.get("secret_key"), params.get("session_token"),
                                  params.get("profile"))
        except BotoCoreError as error:
            raise ResourceError("Cannot load the AWS profile %r: %s; check the profile option or AWS_PROFILE."
                                % (params.get("profile"), str(error).rstrip(".")))
        region = require_region(session, params.get("region"))
        require_credentials(session)
        from botocore.config import Config  # with the session, on first connection

        config = Config(region_name=region, user_agent_extra=USER_AGENT, connect_timeout=10, read_timeout=60,
                        retries={"mode": "standard", "max_attempts": params.get("max_attempts") or 10})
        clients = AwsClients(session, region, endpoint_setting(params.get("endpoint_url")), config)
        if params.get("assume_role_arn"):
            clients = self.assumed(clients, params)
        return clients

    @staticmethod
    def unreachable(error: BaseException, params: t.Dict[str, t.Any]) -> t.Optional[str]:
        """The sentence for an endpoint that no call of the run can reach (see unreachable_reason); None otherwise."""
        reason = unreachable_reason(error)
        if reason is None:
            return None
        if (params.get("endpoint_url") or "").strip():
            fix = "start the endpoint, or correct endpoint_url (or AWS_ENDPOINT_URL)"
        else:
            fix = "check the network and its DNS, and the region"
        return "Cannot reach the AWS endpoint %s (%s): %s." % (error.kwargs.get("endpoint_url"), reason, fix)

    @staticmethod
    def assumed(clients: AwsClients, params: t.Dict[str, t.Any]) -> AwsClients:
        request = {"RoleArn": params["assume_role_arn"], "RoleSessionName": params["assume_role_session_name"]}
        if params.get("assume_role_external_id"):
            request["ExternalId"] = params["assume_role_external_id"]
        try:
            credentials = clients("sts").assume_role(**request)["Credentials"]
        except (BotoCoreError, ClientError) as error:
            # Raised while connecting, before any resource: the role is the subject of the sentence.
            raise ResourceError(AwsProvider.unreachable(error, params) or role_error_sentence(error, params["assume_role_arn"]))
        session = new_session(credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
        return AwsClients(session, clients.region, clients.endpoint_url, clients.config)

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        subject = "%s %s" % (resource.kind, resource.name)
        if isinstance(error, ClientError):
            return ResourceError(client_error_sentence(error, subject))
        if isinstance(error, NoCredentialsError):
            return ResourceError("No AWS credentials were found while managing %s: set access_key and secret_key, "
                                 "a profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY." % subject)
        if isinstance(error, EndpointConnectionError):
            return ResourceError("Cannot reach the AWS endpoint while managing %s (%s): check endpoint_url, the "
                                 "region and the network." % (subject, str(error).rstrip(".")))
        if isinstance(error, ParamValidationError):
            return ResourceError("Invalid request for %s: %s; check the task's options."
                                 % (subject, " ".join(str(error).split()).rstrip(".")))
        if isinstance(error, WaiterError):
            return ResourceError("Waiting for %s failed: %s; raise wait_timeout or check the resource in the AWS "
                                 "console." % (subject, str(error).rstrip(".")))
        if isinstance(error, BotoCoreError):
            return ResourceError("AWS SDK error while managing %s: %s." % (subject, str(error).rstrip(".")))
        return None


def role_error_sentence(error: BaseException, role: str) -> str:
    if isinstance(error, ClientError):
        return client_error_sentence(error, "the role %s" % role)
    return "AWS SDK error while assuming the role %s: %s." % (role, str(error).rstrip("."))


def client_error_sentence(error: BaseException, subject: str) -> str:
    code, message = error_code(error), error_message(error)
    operation = getattr(error, "operation_name", "") or "a call"
    if code in ACCESS_DENIED:
        return ("AWS denied %s for %s (%s): grant the caller's IAM identity permission for %s."
                % (operation, subject, message, operation))
    if code in BAD_CREDENTIALS:
        return ("AWS rejected the credentials while managing %s (%s: %s): check access_key, secret_key, "
                "session_token or the profile." % (subject, code, message))
    if code in THROTTLED:
        return ("AWS kept throttling %s for %s after every retry (%s): run again later, or raise max_attempts."
                % (operation, subject, message))
    return "AWS refused %s for %s (%s: %s)." % (operation, subject, code, message)


def chunks(items: t.List[t.Any], size: int) -> t.Iterator[t.List[t.Any]]:
    """The items in lists of at most ``size``: the most one call of an API takes."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


AWS = AwsProvider()


def arn_kind(arn: str) -> t.Tuple[str, str]:
    """The kind of an ARN ("ecs:service"; the service alone when its resources have no type: "s3") and what follows it."""
    parts = arn.split(":", 5)
    service, resource = parts[2], parts[5] if len(parts) > 5 else ""
    typed = re.match(r"([^/:]+)[/:](.*)$", resource)
    return ("%s:%s" % (service, typed.group(1)), typed.group(2)) if typed else (service, resource)


class AwsResource(Resource):
    """Base of every AWS resource: the AWS provider, and tags compared and synced as ``tag_calls`` declares."""

    provider = AWS
    compare: t.Dict[str, Compare] = {"tags": tags_differ}
    constraints = {"max_attempts": Range(1)}
    #: How the resource's service sets and removes tags (tagging.EC2, tagging.ECS...).
    tag_calls: t.Optional[TagCalls] = None

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """By default the name is what follows the resource type in the ARN (cluster/NAME, repository/NAME)."""
        return {"name": arn_kind(found)[1]}

    def update_tags(self, target: str, current: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        """When the task changes the tags, sync them on ``target``: the id, ARN or name the service's calls take."""
        if "tags" in changes:
            calls = t.cast(TagCalls, self.tag_calls)
            calls.sync(self.client(calls.service), target, current.get("tags") or {}, changes["tags"], self.params["purge_tags"])
