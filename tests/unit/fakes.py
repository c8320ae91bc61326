"""Fakes that unit tests of every layer share."""

from __future__ import annotations

import time
import typing as t

REAL_SLEEP = time.sleep
REAL_MONOTONIC = time.monotonic


class FakeClock:
    """time.monotonic and time.sleep for tests: sleeping moves the clock on at once, and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: t.List[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def stand_in(self, value: t.Any) -> t.Any:
        """The fake for the real time.sleep or time.monotonic, any other value unchanged."""
        if value is REAL_SLEEP:
            return self.sleep
        if value is REAL_MONOTONIC:
            return self.monotonic
        return value
