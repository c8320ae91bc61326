"""An HTTP proxy in front of moto that fails a seeded share of AWS API calls, the way AWS fails them in production.

Faults are throttling errors in the protocol's own shape, HTTP 500, HTTP 503 and dropped connections. A fault is
chosen before the request is forwarded (AWS never applied it) or, in the ``after`` phase, once moto has applied it
(the answer is lost, so a client that simply sends the call again creates a second resource). moto's own
``/moto-api/`` paths are forwarded untouched, and ``GET /__faults__`` returns the counts as JSON.

Stdlib only, so it runs wherever the tests run::

    with FaultProxy("http://127.0.0.1:5000", rate=0.2, seed=7, phases=("before", "after")) as proxy:
        ...  # point AWS_ENDPOINT_URL at proxy.url
        print(proxy.counts())
"""

from __future__ import annotations

import collections
import http.client
import http.server
import json
import random
import re
import socket
import struct
import threading
import typing as t
import urllib.parse
import uuid

THROTTLE, HTTP_500, HTTP_503, DROP = "throttle", "http_500", "http_503", "drop"
KINDS = (THROTTLE, HTTP_500, HTTP_503, DROP)
BEFORE, AFTER = "before", "after"
# Throttling is refused at the door: AWS never applies a throttled call, so it has no "after" form.
AFTER_KINDS = (HTTP_500, HTTP_503, DROP)
# Connection-level headers belong to one hop; the proxy speaks its own (always "Connection: close").
HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
               "content-length", "server", "date"}
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")
CONTROL_PATH = "/__faults__"
READ_PREFIXES = ("Describe", "List", "Get", "Head", "Lookup", "Search")


class Call(t.NamedTuple):
    """What the proxy knows of one request: the AWS service and action, and the protocol its errors use."""

    service: str
    action: str
    protocol: str  # "json", "ec2", "query" or "rest-xml"

    @property
    def label(self) -> str:
        return "%s:%s" % (self.service, self.action)


def classify(method: str, path: str, headers: t.Mapping[str, str], body: bytes) -> Call:
    """Service from the SigV4 credential scope; action from X-Amz-Target or the query's Action parameter."""
    scope = CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    service = scope.group(1) if scope else "unknown"
    target = headers.get("X-Amz-Target")
    if target:
        return Call(service, target.rsplit(".", 1)[-1], "json")
    # Blank values kept: S3 names its sub-resources by bare keys (?versioning, ?tagging).
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query, keep_blank_values=True)
    if "x-www-form-urlencoded" in headers.get("Content-Type", ""):
        query.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
    if "Action" in query:
        return Call(service, query["Action"][0], "ec2" if service == "ec2" else "query")
    # REST APIs (S3): the method and the sub-resource say what the call does.
    subresources = sorted(key for key in query if not key.startswith("X-Amz-"))
    return Call(service, "%s%s" % (method, "?" + "&".join(subresources) if subresources else ""), "rest-xml")


def throttle_answer(call: Call) -> t.Tuple[int, t.Dict[str, str], bytes]:
    """Status, headers and body of a throttling error as the service's protocol spells it."""
    request_id = str(uuid.uuid4())
    if call.protocol == "json":
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return 400, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "ThrottlingException",
                     "x-amzn-RequestId": request_id}, body
    if call.protocol == "ec2":
        text = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>%s</RequestID></Response>")
        return 503, {"Content-Type": "text/xml"}, (text % request_id).encode()
    if call.protocol == "query":
        text = ("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                "</Error><RequestId>%s</RequestId></ErrorResponse>")
        return 400, {"Content-Type": "text/xml"}, (text % request_id).encode()
    text = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>%s</RequestId></Error>"
    return 503, {"Content-Type": "application/xml"}, (text % request_id).encode()


def server_error_answer(status: int) -> t.Tuple[int, t.Dict[str, str], bytes]:
    """A bare 5xx, as a load balancer in front of the service would send it: no AWS error code to go by."""
    reason = http.client.responses.get(status, "Error")
    return status, {"Content-Type": "text/html"}, ("<html><body>%d %s</body></html>" % (status, reason)).encode()


class FaultLog:
    """Thread-safe counts of calls and faults, by kind, by phase and by action."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: t.Counter[str] = collections.Counter()
        self.faults: t.Counter[t.Tuple[str, str, str]] = collections.Counter()

    def seen(self, call: Call) -> None:
        with self.lock:
            self.calls[call.label] += 1

    def faulted(self, call: Call, kind: str, phase: str) -> None:
        with self.lock:
            self.faults[(call.label, kind, phase)] += 1

    def summary(self) -> t.Dict[str, t.Any]:
        with self.lock:
            by_kind: t.Counter[str] = collections.Counter()
            by_phase: t.Counter[str] = collections.Counter()
            by_action: t.Dict[str, t.Dict[str, int]] = collections.defaultdict(dict)
            for (label, kind, phase), count in self.faults.items():
                by_kind[kind] += count
                by_phase[phase] += count
                key = "%s/%s" % (kind, phase)
                by_action[label][key] = by_action[label].get(key, 0) + count
            return {
                "calls": sum(self.calls.values()),
                "faults": sum(self.faults.values()),
                "by_kind": dict(by_kind),
                "by_phase": dict(by_phase),
                "calls_by_action": dict(self.calls),
                "faults_by_action": dict(by_action),
            }


def is_mutating(action: str) -> bool:
    """Whether an action ("CreateVpc", S3's "PUT?tagging") may change something: repeated, it may make a twin."""
    return not action.startswith(READ_PREFIXES + ("GET", "HEAD"))


class FaultPlan:
    """The seeded decision, per call, of whether to fail it, how, and before or after moto applies it.

    ``lose_first_answers`` also loses the answer to the first call of every mutating action (after moto applied
    it), so that each create, attach and authorize of a run meets the worst case at least once, whatever the seed.
    """

    def __init__(self, rate: float, seed: int, kinds: t.Sequence[str] = KINDS, phases: t.Sequence[str] = (BEFORE,),
                 lose_first_answers: bool = False) -> None:
        unknown = set(kinds) - set(KINDS) or set(phases) - {BEFORE, AFTER}
        if unknown:
            raise ValueError("unknown fault kinds or phases: %s" % sorted(unknown))
        self.rate = rate
        self.kinds = tuple(kinds)
        self.phases = tuple(phases)
        self.lose_first_answers = lose_first_answers
        self.mutated: t.Set[str] = set()
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def choose(self, call: Call) -> t.Optional[t.Tuple[str, str]]:
        """(kind, phase) for a call to fail, or None to forward it untouched."""
        with self.lock:
            if self.lose_first_answers and is_mutating(call.action) and call.label not in self.mutated:
                self.mutated.add(call.label)
                return self.random.choice(AFTER_KINDS), AFTER
            if self.rate <= 0 or self.random.random() >= self.rate:
                return None
            kind = self.random.choice(self.kinds)
            phase = self.random.choice(self.phases)
            if kind not in AFTER_KINDS:
                phase = BEFORE
            return kind, phase


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    """Forwards one request to moto, or fails it as the server's plan says."""

    # HTTP/1.1 so that "Expect: 100-continue" is answered; every answer still closes its connection.
    protocol_version = "HTTP/1.1"
    server: "ProxyServer"

    def log_message(self, format: str, *args: t.Any) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the counts say what happened, and pytest would only print this noise."""

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def handle_any(self) -> None:
        body = self.read_body()
        if self.command == "GET" and self.path.split("?")[0] == CONTROL_PATH:
            self.answer(200, {"Content-Type": "application/json"}, json.dumps(self.server.log.summary()).encode())
            return
        if self.path.startswith("/moto-api"):
            self.answer(*self.forward(body))
            return
        call = classify(self.command, self.path, self.headers, body)
        self.server.log.seen(call)
        fault = self.server.plan.choose(call)
        if fault is None:
            self.answer(*self.forward(body))
            return
        kind, phase = fault
        if phase == AFTER:
            self.forward(body)  # moto applies the call; its answer is thrown away
        self.server.log.faulted(call, kind, phase)
        self.fail(kind, call)

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self.read_chunks()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def read_chunks(self) -> bytes:
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers up to the blank line
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def forward(self, body: bytes) -> t.Tuple[int, t.Dict[str, str], bytes]:
        """The request sent verbatim (Host and signature included) to moto, and moto's whole answer."""
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=120)
        try:
            headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_HEADERS}
            if body or self.command in ("POST", "PUT", "PATCH"):
                headers["Content-Length"] = str(len(body))
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            answer = {key: value for key, value in response.getheaders() if key.lower() not in HOP_HEADERS}
            if self.command == "HEAD" and response.getheader("Content-Length"):
                answer["Content-Length"] = response.getheader("Content-Length", "0")
            return response.status, answer, data
        finally:
            upstream.close()

    def answer(self, status: int, headers: t.Dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def fail(self, kind: str, call: Call) -> None:
        if kind == DROP:
            self.drop()
        elif kind == THROTTLE:
            self.answer(*throttle_answer(call))
        else:
            self.answer(*server_error_answer(500 if kind == HTTP_500 else 503))

    def drop(self) -> None:
        """Reset the connection with no answer at all, as a dying load balancer or NAT does."""
        # SO_LINGER 0: close() sends RST, so the client sees "connection reset" and not a clean, empty answer.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, plan: FaultPlan) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        parts = urllib.parse.urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.plan = plan
        self.log = FaultLog()

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        """A dropped connection makes the handler's final flush fail; that is the point, not an error."""


class FaultProxy:
    """A fault-injecting proxy on 127.0.0.1, served from a background thread; use as a context manager."""

    def __init__(self, upstream: str, rate: float = 0.2, seed: int = 0, kinds: t.Sequence[str] = KINDS,
                 phases: t.Sequence[str] = (BEFORE,), lose_first_answers: bool = False) -> None:
        self.server = ProxyServer(upstream, FaultPlan(rate, seed, kinds, phases, lose_first_answers))
        self.thread = threading.Thread(target=self.server.serve_forever, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return "http://%s:%d" % (host, port)

    def set_rate(self, rate: float, lose_first_answers: bool = False) -> None:
        """Change the share of failed calls (0 makes the proxy transparent) without a new port."""
        with self.server.plan.lock:
            self.server.plan.rate = rate
            self.server.plan.lose_first_answers = lose_first_answers
            self.server.plan.mutated.clear()

    def counts(self) -> t.Dict[str, t.Any]:
        return self.server.log.summary()

    def reset_counts(self) -> None:
        self.server.log = FaultLog()

    def start(self) -> "FaultProxy":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc: t.Any) -> None:
        self.stop()
