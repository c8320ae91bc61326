"""A stand-in for the AWS clients of a resource: every operation answers from a script, every call is recorded.

``Scripted(describe_db_instances=[first, second, not_found(...)])`` answers the first call with ``first``, the next
with ``second``, and every later one with the last entry; an exception is raised, a callable is called with the
request, an operation without a script answers ``{}``. One object serves every service, as ``AwsClients`` does.
"""

from __future__ import annotations

import copy
import typing as t

from botocore.exceptions import ClientError

READS = ("describe_", "list_", "get_", "head_")


def not_found(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "not found"}}, "Describe")


def task_params(kind: t.Any, *layers: t.Dict[str, t.Any], **params: t.Any) -> t.Dict[str, t.Any]:
    """A task's parameters as the argument spec leaves them: every default filled in, then each layer, then ``params``."""
    values = {key: spec.get("default") for key, spec in kind.argument_spec.items()}
    for layer in layers + (params,):
        values.update(layer)
    return values


class Pages:
    """What get_paginator returns: one page, the operation's scripted answer."""

    def __init__(self, client: "Scripted", operation: str) -> None:
        self.client = client
        self.operation = operation

    def paginate(self, **request: t.Any) -> t.List[t.Any]:
        return [self.client.answer(self.operation, request)]


class Scripted:
    def __init__(self, region: str = "us-east-1", **answers: t.Any) -> None:
        self.region = region
        self.scripts = {operation: list(answer) if isinstance(answer, list) else [answer] for operation, answer in answers.items()}
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def __call__(self, service: str) -> "Scripted":
        return self

    def __getattr__(self, operation: str) -> t.Callable[..., t.Any]:
        if operation.startswith("_"):
            raise AttributeError(operation)
        return lambda **request: self.answer(operation, request)

    def get_paginator(self, operation: str) -> Pages:
        return Pages(self, operation)

    def answer(self, operation: str, request: t.Dict[str, t.Any]) -> t.Any:
        self.calls.append((operation, request))
        script = self.scripts.get(operation)
        if not script:
            return {}
        found = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(found, BaseException):
            raise found
        return found(**request) if callable(found) else copy.deepcopy(found)

    def writes(self) -> t.List[str]:
        """The operations called that change something, in order."""
        return [operation for operation, _request in self.calls if not operation.startswith(READS)]

    def requests(self, operation: str) -> t.List[t.Dict[str, t.Any]]:
        return [request for name, request in self.calls if name == operation]
