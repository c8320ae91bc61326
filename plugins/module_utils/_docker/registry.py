# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Docker registry as a push sees it: which manifest a tag holds, the credentials (given, or an ECR login), the push.

The manifest is read over the registry's HTTP API (``HEAD /v2/REPO/manifests/TAG``) with the task's credentials,
Basic or through the Bearer token flow; nothing is written to a Docker config file and ``docker login`` is never
run: the push hands the credentials to the daemon for that one call. requests (a dependency of the Docker SDK) is
imported by the first read, botocore's session machinery by the first ECR login (only its exceptions come with the
AWS connection options).
"""

from __future__ import annotations

import base64
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, BotoCoreError, ClientError, client_error_sentence
from ansible_collections.agno.infra.plugins.module_utils._docker.client import SDK, api_error_text, connection_reason
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REFERENCE_TEXT, ResourceError

#: What a manifest read accepts: the types a Docker engine or BuildKit pushes, so the digest is the stored one's.
MANIFEST_TYPES = ", ".join((
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
))
#: Registries spoken to over plain HTTP (the Docker engine allows them without TLS too); every other one over HTTPS.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: The host of an ECR registry names the account whose registry it is: 123456789012.dkr.ecr.us-east-1.amazonaws.com.
ECR_HOST = re.compile(r"(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")
CHALLENGE_FIELD = re.compile(r'(\w+)="([^"]*)"')
#: Seconds to wait for the registry to accept a connection: a registry that is down fails the task at once.
CONNECT_TIMEOUT = 5

Credentials = t.Optional[t.Dict[str, str]]


def split_repository(repository: str) -> t.Tuple[str, str]:
    """The registry host (with its port) and the repository's path on it."""
    host, _sep, path = repository.partition("/")
    return host, path


def repository_problem(repository: str) -> t.Optional[str]:
    """Why ``repository`` cannot be pushed to, in one sentence, or None."""
    host, path = split_repository(repository)
    if not path or not ("." in host or ":" in host or host == "localhost"):
        return ("repository %s names no registry host: write it in full, such as 127.0.0.1:5000/agent/api or "
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api." % repository)
    if ":" in path or "@" in path:
        return ("repository %s carries a tag or digest: set repository without it; the pushed tag is the image's tag."
                % repository)
    return None


def push_problems(params: t.Dict[str, t.Any]) -> t.List[str]:
    """What stops the push options from working, checked before anything happens."""
    repository = params.get("repository")
    auth = params.get("registry_auth") or {}
    problems = []
    if params.get("push") and not repository:
        problems.append("docker image %s has push: true but no repository: set repository to the registry's "
                        "repository, such as 127.0.0.1:5000/agent/api." % params.get("name"))
    if repository and not REFERENCE_TEXT.search(repository):  # a plan's reference is known once its item converged
        problems.append(repository_problem(repository))
    if auth.get("ecr") and (auth.get("username") or auth.get("password")):
        problems.append("registry_auth sets ecr: true and a username or password: keep one of the two ways to log in.")
    elif not auth.get("ecr") and bool(auth.get("username")) != bool(auth.get("password")):
        problems.append("registry_auth has a username or a password without the other: set both, or ecr: true.")
    return [problem for problem in problems if problem]


def base_url(host: str) -> str:
    scheme = "http" if host.rsplit(":", 1)[0] in LOOPBACK_HOSTS or host in LOOPBACK_HOSTS else "https"
    return "%s://%s" % (scheme, host)


def challenge_fields(header: str) -> t.Dict[str, str]:
    """The fields of a ``WWW-Authenticate: Bearer realm="...",service="..."`` challenge."""
    return dict(CHALLENGE_FIELD.findall(header))


class Registry:
    """The registry that holds ``repository``, read with the task's credentials (None: anonymous)."""

    def __init__(self, repository: str, credentials: Credentials, ecr: bool, timeout: float) -> None:
        self.repository = repository
        self.host, self.path = split_repository(repository)
        self.credentials = credentials
        self.ecr = ecr
        self.timeout = timeout

    def digest(self, tag: str) -> t.Optional[str]:
        """The digest of the manifest that ``tag`` names in the registry; None when the registry has no such tag."""
        url = "%s/v2/%s/manifests/%s" % (base_url(self.host), self.path, tag)
        response = self.request(url, {"Accept": MANIFEST_TYPES})
        challenge = response.headers.get("WWW-Authenticate", "")
        if response.status_code == 401 and self.credentials:
            if challenge.lower().startswith("bearer"):
                response = self.request(url, {"Accept": MANIFEST_TYPES,
                                              "Authorization": "Bearer " + self.token(challenge)})
            else:
                response = self.request(url, {"Accept": MANIFEST_TYPES}, basic=True)
        self.check_status(response.status_code)
        return None if response.status_code == 404 else response.headers.get("Docker-Content-Digest")

    def token(self, challenge: str) -> str:
        """A Bearer token for reading the repository, asked of the challenge's realm with the credentials."""
        fields = challenge_fields(challenge)
        response = self.request(fields.get("realm", ""), {}, basic=True, method="GET", query={
            "service": fields.get("service", ""), "scope": "repository:%s:pull" % self.path})
        self.check_status(response.status_code)
        answer = response.json()
        return str(answer.get("token") or answer.get("access_token") or "")

    def check_status(self, status: int) -> None:
        if status == 401 and self.credentials:
            fix = ("the AWS credentials and region of the ECR login (registry_auth.ecr)" if self.ecr
                   else "registry_auth.username/password")
            raise ResourceError("Registry %s refused the credentials for %s: check %s." % (self.host, self.repository, fix))
        if status == 401:
            raise ResourceError("Registry %s asks for credentials for %s: set registry_auth (username and password, or "
                                "ecr: true)." % (self.host, self.repository))
        if status >= 400 and status != 404:
            raise ResourceError("Registry %s answered HTTP %d to a read of %s: check that repository names a Docker "
                                "registry and that the credentials may pull and push it." % (self.host, status, self.repository))

    def request(self, url: str, headers: t.Dict[str, str], basic: bool = False, method: str = "HEAD",
                query: t.Optional[t.Dict[str, str]] = None) -> t.Any:
        import requests  # pylint: disable=import-outside-toplevel  # see the module's doc

        auth = (self.credentials["username"], self.credentials["password"]) if basic and self.credentials else None
        try:
            return requests.request(method, url, headers=headers, auth=auth, params=query,
                                    timeout=(CONNECT_TIMEOUT, self.timeout), allow_redirects=True)
        except requests.exceptions.SSLError:
            raise ResourceError("Registry %s did not pass the TLS check for %s: give it a certificate the host trusts, "
                                "or serve it on 127.0.0.1 or localhost for plain HTTP." % (self.host, self.repository))
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            raise ResourceError("Cannot reach registry %s for %s (%s): start the registry, or correct the host and port "
                                "in repository." % (self.host, self.repository, connection_reason(error)))

    def push(self, client: t.Any, tag: str) -> None:
        """Push ``repository:tag`` (already tagged on the Docker host) with the credentials, for this call only."""
        auth = dict(self.credentials, serveraddress=self.host) if self.credentials else None
        try:
            stream = list(client.push(self.repository, tag=tag, auth_config=auth, stream=True, decode=True))
        except SDK.APIError as error:
            stream = [{"error": api_error_text(error)}]
        failed = [message for message in stream if message.get("error") or message.get("errorDetail")]
        if failed:
            reason = str(failed[0].get("error") or failed[0]["errorDetail"].get("message", "")).strip().rstrip(".")
            raise ResourceError("Pushing %s:%s to registry %s failed (%s): check that the credentials may push to the "
                                "repository, then run the task again." % (self.repository, tag, self.host, reason))


def ecr_login(clients: t.Any, host: str) -> t.Dict[str, str]:
    """Username and password for an ECR registry from GetAuthorizationToken (a base64 ``AWS:<password>``)."""
    account = ECR_HOST.match(host)
    request = {"registryIds": [account.group(1)]} if account else {}
    data = clients("ecr").get_authorization_token(**request)["authorizationData"][0]
    username, _sep, password = base64.b64decode(data["authorizationToken"]).decode("utf-8").partition(":")
    return {"username": username, "password": password}


def ecr_credentials(params: t.Dict[str, t.Any], subject: str) -> t.Dict[str, str]:
    """The ECR login with the task's AWS connection options; its failures as one sentence about ``subject``."""
    if AWS.import_error:
        raise ResourceError("registry_auth.ecr of %s needs botocore on the host that runs the module: install it (pip "
                            "install botocore), or log in with registry_auth.username and password." % subject)
    try:
        return ecr_login(AWS.connect(params), split_repository(params["repository"])[0])
    except (BotoCoreError, ClientError) as error:
        raise ResourceError(AWS.unreachable(error, params) or client_error_sentence(error, "the ECR login of " + subject))


def task_credentials(params: t.Dict[str, t.Any], subject: str) -> Credentials:
    """The credentials the task gives for the registry: an ECR login, a username and password, or none."""
    auth = params.get("registry_auth") or {}
    if auth.get("ecr"):
        return ecr_credentials(params, subject)
    if auth.get("username"):
        return {"username": auth["username"], "password": auth["password"]}
    return None
