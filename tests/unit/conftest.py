"""Fixtures every unit test may ask for."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock


class FakeClock(Clock):
    """Time that passes only when the code sleeps, and records each sleep: no unit test really waits."""

    def __init__(self) -> None:
        self.time = 0.0
        self.sleeps: t.List[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()
