"""What RDS resources share: final snapshot names, the password part of a create request."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.rds import final_snapshot_name, password_request
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


def test_final_snapshot_name() -> None:
    when = datetime.datetime(2026, 11, 24, 5, 30, 0, tzinfo=datetime.timezone.utc)
    assert final_snapshot_name("agent-app", when) == "agent-app-final-20261124053000"


def test_password_request_prefers_rds_managed_and_refuses_none() -> None:
    assert password_request("c", "DB cluster", {"manage_master_user_password": True}) == {"ManageMasterUserPassword": True}
    assert password_request("c", "DB cluster", {"master_user_password": "pw"}) == {"MasterUserPassword": "pw"}
    with pytest.raises(ResourceError, match="DB cluster c does not exist and has no password"):
        password_request("c", "DB cluster", {})
