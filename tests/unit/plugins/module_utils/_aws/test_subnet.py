"""Subnets: waiting for a pending subnet."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet


def test_a_pending_subnet_is_waited_for_until_available(monkeypatch: pytest.MonkeyPatch) -> None:
    states = iter(["pending", "pending", "available"])
    subnet = aws_subnet.SubnetResource(None, {"name": "app-a"})
    monkeypatch.setattr(subnet, "read", lambda: {"id": "subnet-1", "state": next(states)})
    assert subnet.wait({"id": "subnet-1", "state": "pending"}, 30) == {"id": "subnet-1", "state": "available"}
    assert subnet.wait({"id": "subnet-1", "state": "available"}, 30)["state"] == "available"
