"""ElastiCache replication groups: input checks, the desired state, comparisons that tolerate unreported fields."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils.aws_elasticache import ARGUMENT_SPEC, ReplicationGroupResource, input_problem
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import REPLACE, ResourceError


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    values = {key: spec.get("default") for key, spec in ARGUMENT_SPEC.items()}
    values.update(name="agent-app", node_type="cache.t4g.micro")
    values.update(overrides)
    return values


@pytest.mark.parametrize("overrides, problem", [
    ({}, None),
    ({"name": "Agent_App"}, "name 'Agent_App' is not a replication group id"),
    ({"name": "a--b"}, "is not a replication group id"),
    ({"name": "a" * 41}, "is not a replication group id"),
    ({"num_cache_clusters": 7}, "num_cache_clusters is 7: use 1 to 6"),
    ({"automatic_failover": True}, "automatic_failover needs a replica"),
    ({"auth_token": "x" * 20, "transit_encryption": False}, "auth_token needs transit_encryption: true"),
    ({"port": 70000}, "port 70000 is not a port"),
])
def test_input_problems(overrides: t.Dict[str, t.Any], problem: t.Optional[str]) -> None:
    found = input_problem(params(**overrides))
    assert (found is None) if problem is None else (problem in (found or ""))


def test_desired_is_encrypted_sorted_and_keeps_the_token_out() -> None:
    desired = ReplicationGroupResource(None, params(subnet_ids=["s-2", "s-1", "s-2"], auth_token="t" * 20)).desired()
    assert desired["at_rest_encryption"] is True and desired["transit_encryption"] is True
    assert desired["subnet_ids"] == ["s-1", "s-2"] and desired["cache_subnet_group"] == "agent-app"
    assert "auth_token" not in desired


def test_unreported_member_fields_do_not_count_as_changes() -> None:
    group = ReplicationGroupResource(None, params())
    assert not group.differs("security_group_ids", None, ["sg-1"])
    assert not group.differs("engine_version", "7.1.0", "7")
    assert group.differs("engine_version", "6.2.6", "7")


def test_fixed_fields_are_refused() -> None:
    with pytest.raises(ResourceError, match="cannot change in place"):
        ReplicationGroupResource(None, params()).check_allowed(REPLACE, {"port": 6379}, {"port": 6380})
