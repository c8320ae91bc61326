"""ElastiCache replication groups: input checks, the desired state, comparisons that tolerate unreported fields."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.elasticache import (
    TOKEN_DIGEST_TAG, ReplicationGroupResource, token_differs, token_digest)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REPLACE, UPDATE, ResourceError, converge, refuse
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    values = {key: spec.get("default") for key, spec in ReplicationGroupResource.argument_spec.items()}
    values.update(name="agent-app", node_type="cache.t4g.micro")
    values.update(overrides)
    return values


def input_problem(values: t.Dict[str, t.Any]) -> t.Optional[str]:
    """Every problem the task's options have, in one text as the module reports them; None when there is none."""
    return " ".join(ReplicationGroupResource.problems(values)) or None


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


def test_desired_is_encrypted_and_sorted() -> None:
    desired = ReplicationGroupResource(None, params(subnet_ids=["s-2", "s-1", "s-2"])).desired()
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
        refuse(ReplicationGroupResource(None, params()), REPLACE, {"port": 6379}, {"port": 6380})


@pytest.mark.parametrize("overrides, problem", [
    ({"auth_token": "short"}, "auth_token must be 16 to 128 printable characters"),
    ({"auth_token": "has/a/slash/in/it/0123"}, "auth_token must be"),
    ({"auth_token": "Valid-token_0123456789!"}, None),
    ({"kms_key_id": "alias/cache", "at_rest_encryption": False}, "kms_key_id needs at_rest_encryption true"),
    ({"snapshot_retention_limit": 36}, "snapshot_retention_limit is 36: use 0 (no snapshots) to 35 days"),
    ({"num_cache_clusters": None, "automatic_failover": True}, "automatic_failover needs a replica"),
])
def test_setting_problems(overrides: t.Dict[str, t.Any], problem: t.Optional[str]) -> None:
    found = input_problem(params(**overrides))
    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_token_problem_never_shows_the_token() -> None:
    assert "has/a/slash" not in (input_problem(params(auth_token="has/a/slash/in/it/0123")) or "")


def test_the_node_count_is_compared_only_when_set() -> None:
    assert "num_cache_clusters" not in ReplicationGroupResource(None, params()).desired()
    assert ReplicationGroupResource(None, params(num_cache_clusters=3)).desired()["num_cache_clusters"] == 3


class FakeCache:
    """Records the modifying calls; every read finds the group available."""

    def __init__(self) -> None:
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def __call__(self, service: str) -> "FakeCache":
        return self

    def __getattr__(self, operation: str) -> t.Callable[..., t.Dict[str, t.Any]]:
        def call(**kwargs: t.Any) -> t.Dict[str, t.Any]:
            self.calls.append((operation, kwargs))
            return {}
        return call


@pytest.mark.parametrize("current_nodes, changes, expected", [
    (1, {"num_cache_clusters": 3, "automatic_failover": True}, ["increase_replica_count", "modify_replication_group"]),
    (3, {"num_cache_clusters": 1, "automatic_failover": False}, ["modify_replication_group", "decrease_replica_count"]),
    (2, {"num_cache_clusters": 3}, ["increase_replica_count"]),
    (2, {"node_type": "cache.t4g.small"}, ["modify_replication_group"]),
])
def test_replicas_and_failover_change_in_an_order_elasticache_accepts(
        current_nodes: int, changes: t.Dict[str, t.Any], expected: t.List[str]) -> None:
    fake = FakeCache()
    group = ReplicationGroupResource(fake, params())
    for step in group.modify_steps({"num_cache_clusters": current_nodes}, changes):
        step()
    assert [call[0] for call in fake.calls] == expected
    resized = [kwargs for name, kwargs in fake.calls if name.endswith("replica_count")]
    if "num_cache_clusters" in changes:
        assert resized[0]["NewReplicaCount"] == changes["num_cache_clusters"] - 1


def test_going_down_to_one_node_with_failover_on_is_refused() -> None:
    group = ReplicationGroupResource(None, params(num_cache_clusters=1))
    with pytest.raises(ResourceError, match="set automatic_failover: false"):
        refuse(group, UPDATE, {"automatic_failover": True}, {"num_cache_clusters": 1})
    refuse(ReplicationGroupResource(None, params(num_cache_clusters=1, automatic_failover=False)), UPDATE,
           {"automatic_failover": True}, {"num_cache_clusters": 1, "automatic_failover": False})


def test_every_value_elasticache_refuses_is_reported_at_once() -> None:
    assert ReplicationGroupResource.problems(params(name="Cache", num_cache_clusters=7, port=0, snapshot_retention_limit=40)) == [
        "ElastiCache replication group Cache: name 'Cache' is not a replication group id: 1 to 40 lower-case letters, digits "
        "and hyphens, starting with a letter, without two hyphens in a row or one at the end.",
        "ElastiCache replication group Cache: num_cache_clusters is 7: use 1 to 6 (a primary and up to 5 replicas).",
        "ElastiCache replication group Cache: snapshot_retention_limit is 40: use 0 (no snapshots) to 35 days.",
        "ElastiCache replication group Cache: port 0 is not a port: use 1 to 65535.",
    ]
    # Raw items of a plan lack the defaults: transit_encryption is on unless the task turns it off.
    assert ReplicationGroupResource.problems({"name": "cache", "auth_token": "t" * 20}) == []


ARN = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:agent-app"


def described(**fields: t.Any) -> t.Dict[str, t.Any]:
    found = {"ReplicationGroupId": "agent-app", "ARN": ARN, "Status": "available", "CacheNodeType": "cache.t4g.micro",
             "MemberClusters": ["agent-app-001", "agent-app-002"], "AtRestEncryptionEnabled": True, "TransitEncryptionEnabled": True,
             "AutomaticFailover": "enabled", "NodeGroups": [{"PrimaryEndpoint": {"Address": "primary.cache", "Port": 6379}}]}
    return {"ReplicationGroups": [dict(found, **fields)]}


def test_member_fields_an_emulator_does_not_report_are_no_change() -> None:
    aws = Scripted(describe_replication_groups=described(), describe_cache_clusters=not_found("CacheClusterNotFound"))
    outcome = converge(ReplicationGroupResource(aws, params(engine_version="7", security_group_ids=["sg-1"])))
    assert outcome.action == "none" and aws.writes() == []


def test_failover_is_turned_off_before_the_last_replica_goes_and_refused_otherwise() -> None:
    aws = Scripted(describe_replication_groups=described())
    with pytest.raises(ResourceError, match="has automatic failover, which needs a replica"):
        converge(ReplicationGroupResource(aws, params(num_cache_clusters=1)), check_mode=True)
    outcome = converge(ReplicationGroupResource(aws, params(num_cache_clusters=1, automatic_failover=False)))
    assert outcome.changes == ["automatic_failover", "num_cache_clusters"]
    assert aws.writes() == ["modify_replication_group", "decrease_replica_count"]


def test_the_engine_waits_for_the_deletion_then_the_own_subnet_group_goes(clock: t.Any) -> None:
    deleting = described(Status="deleting")
    aws = Scripted(describe_replication_groups=[described(), deleting, deleting, not_found("ReplicationGroupNotFoundFault")])
    outcome = converge(ReplicationGroupResource(aws, params(state="absent")), present=False, wait=True, wait_timeout=900, clock=clock)
    assert (outcome.action, aws.writes()) == ("delete", ["delete_replication_group", "delete_cache_subnet_group"])
    assert clock.sleeps == [15.0, 15.0]
    unwaited = Scripted(describe_replication_groups=described())
    converge(ReplicationGroupResource(unwaited, params(state="absent")), present=False, wait=False, clock=clock)
    assert unwaited.writes() == ["delete_replication_group"]  # ElastiCache refuses the subnet group while the group goes


def test_a_subnet_group_left_by_a_deletion_without_wait_is_found_and_deleted_on_the_next_way_down() -> None:
    gone = not_found("ReplicationGroupNotFoundFault")
    left = {"CacheSubnetGroups": [{"CacheSubnetGroupName": "agent-app", "Subnets": [{"SubnetIdentifier": "subnet-1"}]}]}
    aws = Scripted(describe_replication_groups=gone, describe_cache_subnet_groups=left)
    down = params(state="absent", subnet_ids=["subnet-1"])
    preview = converge(ReplicationGroupResource(aws, down), present=False, check_mode=True)
    assert (preview.action, aws.writes()) == ("delete", [])
    outcome = converge(ReplicationGroupResource(aws, down), present=False)
    assert (outcome.action, aws.writes()) == ("delete", ["delete_cache_subnet_group"])
    assert aws.requests("delete_cache_subnet_group") == [{"CacheSubnetGroupName": "agent-app"}]
    # Nothing left: nothing to do; and on the way up the subnet group is the new group's to take over.
    clean = Scripted(describe_replication_groups=gone, describe_cache_subnet_groups=not_found("CacheSubnetGroupNotFoundFault"))
    assert converge(ReplicationGroupResource(clean, down), present=False).action == "none"
    assert ReplicationGroupResource(aws, params(subnet_ids=["subnet-1"])).read() is None


def test_the_final_snapshot_is_named_after_the_group_unless_skipped() -> None:
    aws = Scripted(describe_replication_groups=described())
    converge(ReplicationGroupResource(aws, params(state="absent")), present=False)
    assert aws.requests("delete_replication_group")[0]["FinalSnapshotIdentifier"].startswith("agent-app-final-")
    skipped = Scripted(describe_replication_groups=described())
    converge(ReplicationGroupResource(skipped, params(state="absent", skip_final_snapshot=True)), present=False)
    assert skipped.requests("delete_replication_group") == [{"ReplicationGroupId": "agent-app"}]


# ---- the AUTH token: ElastiCache never shows it; a salted digest in a tag tells whether the group has the task's ----------
TOKEN = "Valid-token_0123456789!"


def test_the_digest_is_salted_and_matches_only_its_token() -> None:
    first, second = token_digest(TOKEN), token_digest(TOKEN)
    assert first != second and TOKEN not in first and first.startswith("scrypt:")  # a fresh salt each time
    assert not token_differs(first, TOKEN, {}) and not token_differs(second, TOKEN, {})
    assert token_differs(first, TOKEN + "x", {})
    assert token_differs(None, TOKEN, {}) and token_differs("scrypt:not-base64!:x", TOKEN, {}) and token_differs("other", TOKEN, {})


def with_token(digest: t.Optional[str], enabled: bool = True) -> Scripted:
    tags = [{"Key": "agno:env", "Value": "prd"}] + ([{"Key": TOKEN_DIGEST_TAG, "Value": digest}] if digest else [])
    return Scripted(describe_replication_groups=described(AuthTokenEnabled=enabled), list_tags_for_resource={"TagList": tags})


def test_a_group_with_the_tasks_token_is_in_sync() -> None:
    aws = with_token(token_digest(TOKEN))
    outcome = converge(ReplicationGroupResource(aws, params(auth_token=TOKEN, tags={"agno:env": "prd"})))
    assert outcome.action == "none" and aws.writes() == []
    assert "auth_token" not in (outcome.state or {}) and TOKEN_DIGEST_TAG not in (outcome.state or {})["tags"]


@pytest.mark.parametrize("digest, enabled", [(token_digest("previous-token-0123"), True), (None, False), (None, True)])
def test_another_token_or_none_is_rotated_in_place_and_masked(digest: t.Optional[str], enabled: bool) -> None:
    aws = with_token(digest, enabled)
    check = converge(ReplicationGroupResource(aws, params(auth_token=TOKEN, tags={"agno:env": "prd"})), check_mode=True)
    assert (check.action, check.changes, aws.writes()) == ("update", ["auth_token"], [])
    outcome = converge(ReplicationGroupResource(aws, params(auth_token=TOKEN, tags={"agno:env": "prd"})))
    assert (outcome.action, aws.writes()) == ("update", ["modify_replication_group", "add_tags_to_resource"])
    [modify] = aws.requests("modify_replication_group")
    assert modify["AuthToken"] == TOKEN and modify["AuthTokenUpdateStrategy"] == "ROTATE"
    [tagged] = aws.requests("add_tags_to_resource")
    assert tagged["Tags"][0]["Key"] == TOKEN_DIGEST_TAG and not token_differs(tagged["Tags"][0]["Value"], TOKEN, {})
    assert TOKEN not in repr(outcome.state) + repr(outcome.diff) + repr(check.diff)


def test_a_new_group_gets_the_token_and_its_digest_never_the_token_in_a_tag() -> None:
    aws = Scripted(describe_replication_groups=not_found("ReplicationGroupNotFoundFault"),
                   create_replication_group={"ReplicationGroup": described()["ReplicationGroups"][0]})
    ReplicationGroupResource(aws, params(auth_token=TOKEN, tags={"agno:env": "prd"})).create(
        ReplicationGroupResource(aws, params(auth_token=TOKEN, tags={"agno:env": "prd"})).desired())
    [request] = aws.requests("create_replication_group")
    assert request["AuthToken"] == TOKEN and request["TransitEncryptionEnabled"] is True
    tags = {tag["Key"]: tag["Value"] for tag in request["Tags"]}
    assert tags["agno:env"] == "prd" and not token_differs(tags[TOKEN_DIGEST_TAG], TOKEN, {}) and TOKEN not in repr(tags)
