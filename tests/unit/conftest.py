"""What every unit test shares: a fake clock, so that no test really waits."""

from __future__ import annotations

import time

import pytest

from ansible_collections.agno.infra.tests.unit.support import FakeClock


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every test runs on a fake clock: the one a test hands to converge, and the one behind time.sleep and
    time.monotonic for code that does not take the engine's clock (the real Clock, locks, SDK retries)."""
    fake = FakeClock()
    monkeypatch.setattr(time, "sleep", fake.sleep)
    monkeypatch.setattr(time, "monotonic", fake.now)
    return fake
