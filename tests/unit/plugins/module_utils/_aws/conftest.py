"""A stand-in for the AWS clients that answers each operation as the test says and records every call."""

from __future__ import annotations

import typing as t

import pytest

READS = ("describe_", "list_", "get_")


class FakeAws:
    """Every service in one client: an operation answers ``answers[operation]`` (a function of the request, or a value;
    an empty dict when not given); ``calls`` keeps (operation, request) in order."""

    def __init__(self, **answers: t.Any) -> None:
        self.answers = answers
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def __call__(self, service: str) -> "FakeAws":
        return self

    def __getattr__(self, operation: str) -> t.Callable[..., t.Any]:
        def call(**request: t.Any) -> t.Any:
            self.calls.append((operation, request))
            answer = self.answers.get(operation, {})
            return answer(**request) if callable(answer) else answer
        return call

    def writes(self) -> t.List[str]:
        """The mutating operations called, in order."""
        return [operation for operation, _request in self.calls if not operation.startswith(READS)]

    def request(self, operation: str) -> t.Dict[str, t.Any]:
        """The request of the last call of ``operation``."""
        return [request for name, request in self.calls if name == operation][-1]


def answers(*values: t.Any) -> t.Callable[..., t.Any]:
    """An answer that changes from call to call, the last one repeated."""
    remaining = list(values)
    return lambda **_request: remaining.pop(0) if len(remaining) > 1 else remaining[0]


def task(kind: t.Any, client: t.Optional[FakeAws] = None, **params: t.Any) -> t.Any:
    """A resource of ``kind`` with a task's params as its module gets them: the declared defaults, then ``params``."""
    values = {key: spec.get("default") for key, spec in kind.argument_spec.items()}
    values.update(params)
    return kind(client or FakeAws(), values)


@pytest.fixture()
def aws() -> t.Type[FakeAws]:
    return FakeAws


@pytest.fixture()
def sequence() -> t.Callable[..., t.Callable[..., t.Any]]:
    return answers


@pytest.fixture()
def resource() -> t.Callable[..., t.Any]:
    return task
