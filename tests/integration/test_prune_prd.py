"""Pruning on the example prd environment (a moto server): what an app, Redis or Postgres had goes when agno_env no
longer has them, in dependency order; data-holding leftovers (a repository with images, the cache, the database and its
secrets) are kept and reported until delete_data, which removes them with a final snapshot as down does."""

from __future__ import annotations

import json
import pathlib
import typing as t

import pytest

from harness import edited_inventory, leftovers, status_table
from test_example_prd import DB_PASSWORD, ENV, INVENTORY, client, moto_mutating_calls, play

pytestmark = pytest.mark.aws


def without_api(env: t.Dict[str, t.Any]) -> None:
    env["apps"] = [dict(app, depends_on=[]) for app in env["apps"] if app["name"] != "api"]


def ui_only(env: t.Dict[str, t.Any]) -> None:
    """Redis and Postgres off, with the worker that needs Redis."""
    env["apps"] = [dict(app, depends_on=[]) for app in env["apps"] if app["name"] == "ui"]
    env["redis"]["enabled"] = False
    env["postgres"]["enabled"] = False


def task_families(env: t.Dict[str, str]) -> t.List[str]:
    arns = client(env, "ecs").list_task_definitions(status="ACTIVE")["taskDefinitionArns"]
    return sorted({arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] for arn in arns})


def test_prd_prunes_removed_app_redis_and_postgres(aws_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    env = dict(aws_env, AGNO_DB_PASSWORD=DB_PASSWORD)
    play(env, "up", inventory=INVENTORY)
    ecr, ecs, elb, logs = client(env, "ecr"), client(env, "ecs"), client(env, "elbv2"), client(env, "logs")
    # The api's repository holds an image: it is data, kept until delete_data.
    ecr.put_image(repositoryName=ENV + "/api", imageTag="1", imageManifest=json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": []}))

    no_api = edited_inventory(INVENTORY, tmp_path, without_api)
    preview, recording = play(env, "up", "--check", inventory=no_api)
    assert moto_mutating_calls(recording) == []
    removed = {"scaling-api": "delete", "service-api": "delete", "task-api": "delete", "tg-api": "delete",
               "logs-api": "delete", "ecr-api": "keep"}
    assert leftovers(preview.output) == removed

    pruned, recording = play(env, "up", inventory=no_api)
    assert leftovers(pruned.output) == removed
    calls = moto_mutating_calls(recording)
    # Dependency order: the listener stops routing to the target group, the scaling and the service go before it.
    print("prune of the api: %s" % calls)
    assert calls.index("DeleteRule") < calls.index("DeleteTargetGroup")
    assert calls.index("DeregisterScalableTarget") < calls.index("DeleteService") < calls.index("DeleteTargetGroup")
    services = ecs.describe_services(cluster=ENV, services=["api", "ui", "worker"])["services"]
    assert sorted(service["serviceName"] for service in services if service["status"] == "ACTIVE") == ["ui", "worker"]
    assert [group["TargetGroupName"] for group in elb.describe_target_groups()["TargetGroups"]] == [ENV + "-ui"]
    [listener] = elb.describe_listeners(LoadBalancerArn=elb.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"])["Listeners"]
    assert [rule for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not rule["IsDefault"]] == []
    assert [group["logGroupName"] for group in logs.describe_log_groups()["logGroups"]] == ["/ecs/%s/ui" % ENV, "/ecs/%s/worker" % ENV]
    assert task_families(env) == [ENV + "-ui", ENV + "-worker"]
    assert client(env, "application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert ENV + "/api" in [repository["repositoryName"] for repository in ecr.describe_repositories()["repositories"]]

    rerun, recording = play(env, "up", inventory=no_api)
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []
    assert leftovers(rerun.output) == {"ecr-api": "keep"}
    status = play(env, "status", inventory=no_api)[0]
    assert status_table(status.output)["ecr-api"][:2] == ("aws_ecr_repository", "leftover")

    # down picks the removed app's leftovers by its name; with delete_data its repository goes, images and all.
    play(env, "down", inventory=no_api, agno_limit="api", agno_delete_data="true")
    assert ENV + "/api" not in [repository["repositoryName"] for repository in ecr.describe_repositories()["repositories"]]
    assert ecs.describe_services(cluster=ENV, services=["ui"])["services"][0]["status"] == "ACTIVE"

    # Redis and Postgres off: the worker goes; the cache, the database and its secrets (and what they use) stay.
    bare = edited_inventory(INVENTORY, tmp_path, ui_only)
    kept, _recording = play(env, "up", inventory=bare)
    data = {"redis": "keep", "sg-redis": "keep", "postgres": "keep", "db-subnets": "keep", "sg-postgres": "keep",
            "secret-db-password": "keep", "secret-database-url": "keep", "secret-redis-url": "keep"}
    worker = {"service-worker": "delete", "task-worker": "delete", "logs-worker": "delete", "ecr-worker": "delete"}
    assert leftovers(kept.output) == dict(data, **worker)
    rds = client(env, "rds")
    assert [db["DBInstanceIdentifier"] for db in rds.describe_db_instances()["DBInstances"]] == [ENV]
    rerun, recording = play(env, "up", inventory=bare)
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []
    assert leftovers(rerun.output) == data

    deleted, recording = play(env, "up", inventory=bare, agno_delete_data="true")
    assert leftovers(deleted.output) == {key: "delete" for key in data}
    assert rds.describe_db_instances()["DBInstances"] == []
    assert any(s["DBSnapshotIdentifier"].startswith(ENV + "-final-") for s in rds.describe_db_snapshots()["DBSnapshots"])
    calls = moto_mutating_calls(recording)
    assert calls.index("DeleteDBInstance") < calls.index("DeleteDBSubnetGroup")
    assert "DeleteReplicationGroup" in calls
    assert all(item.get("DeletedDate") for item in client(env, "secretsmanager").list_secrets()["SecretList"])
