"""What every unit test shares: a fake clock, so that no test really waits."""

from __future__ import annotations

import inspect
import sys
import time
import typing as t

import pytest

from ansible_collections.agno.infra.tests.unit.support import REAL_MONOTONIC, REAL_SLEEP, FakeClock

PACKAGE = "ansible_collections.agno.infra.plugins."


def clock_defaults() -> t.Iterator[t.Callable[..., t.Any]]:
    """Functions of the collection that took time.sleep or time.monotonic as a default argument when defined."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(PACKAGE):
            continue
        for function in vars(module).values():
            if inspect.isfunction(function) and function.__module__ == name and \
                    any(value is REAL_SLEEP or value is REAL_MONOTONIC for value in function.__defaults__ or ()):
                yield function


@pytest.fixture(scope="session")
def clock_users() -> t.List[t.Callable[..., t.Any]]:
    """The functions to give the fake clock, found once: the tests have imported the collection by then."""
    return list(clock_defaults())


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch, clock_users: t.List[t.Callable[..., t.Any]]) -> FakeClock:
    """Every test runs on a fake clock: the one a test hands to converge, and the one behind time.sleep and
    time.monotonic for code that does not take the engine's clock (the real Clock, locks, SDK retries)."""
    fake = FakeClock()
    monkeypatch.setattr(time, "sleep", fake.sleep)
    monkeypatch.setattr(time, "monotonic", fake.now)
    for function in clock_users:
        monkeypatch.setattr(function, "__defaults__", tuple(fake.stand_in(value) for value in function.__defaults__ or ()))
    return fake
