"""Day-2 changes on the example prd environment that must not hurt what runs (issue 11, findings 4, 8 and 10):
an autoscaled service keeps the count its scaler set, a security group in use is not replaced, and the way down
leaves a final snapshot of Redis.

moto 5.2.5 runs no tasks for ECS services and gives RDS, ElastiCache and load balancers no network interfaces, so
a group's users are found there through its peers' rules and the services that name it; it also accepts
FinalSnapshotIdentifier without making the snapshot, so the test reads the request that carries it."""

from __future__ import annotations

import json
import pathlib
import sys
import typing as t
import urllib.parse

import pytest
import yaml

from harness import ROOT, TARGETS, run_playbook
from test_example_prd import ENV, INVENTORY, client, play, prd_env, recorder  # noqa: F401  pylint: disable=unused-import

sys.path.insert(0, str(TARGETS / "moto_record" / "filter_plugins"))
from moto_calls import call_name, moto_mutating_calls, request_body  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.aws


def requests(recording: str, operation: str) -> t.List[t.Dict[str, t.Any]]:
    """The parameters of each recorded call of one operation (JSON or query protocol)."""
    found = []
    for line in recording.splitlines():
        entry = json.loads(line) if line.strip() else None
        if entry and call_name(entry) == operation:
            body = request_body(entry)
            found.append(json.loads(body) if body.startswith("{") else {k: v[0] for k, v in urllib.parse.parse_qs(body).items()})
    return found


def refusal(env: t.Dict[str, str], group: str, vpc_id: str) -> t.Tuple[str, t.List[str]]:
    """The sentence a description change of the group is refused with (check mode and apply alike), and the calls made."""
    recorder(env, "reset-recording")
    recorder(env, "start-recording")
    run = run_playbook(ROOT / "tests" / "integration" / "playbooks" / "security_group_description.yml",
                       extra_vars={"group_name": group, "vpc_id": vpc_id, "description": "changed-by-a-day-2-edit"}, env=env)
    recorder(env, "stop-recording")
    assert run.rc == 0, run.tail(60)
    line = next(line for line in run.output.splitlines() if '"msg": "REFUSAL: ' in line)
    return line.split("REFUSAL: ", 1)[1].rstrip('"'), moto_mutating_calls(recorder(env, "download-recording"))


def test_prd_autoscaled_count_groups_in_use_and_the_final_redis_snapshot(prd_env: t.Dict[str, str],  # noqa: F811
                                                                          tmp_path: pathlib.Path) -> None:
    play(prd_env, "up")
    ecs, ec2 = client(prd_env, "ecs"), client(prd_env, "ec2")

    # Finding 4: api scales between replicas (2) and max_replicas (6); a scale-out survives the next up.
    ecs.update_service(cluster=ENV, service="api", desiredCount=5)
    rerun, recording = play(prd_env, "up")
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []
    assert ecs.describe_services(cluster=ENV, services=["api"])["services"][0]["desiredCount"] == 5
    # ui has no autoscaling: its replicas (1) are still enforced.
    ecs.update_service(cluster=ENV, service="ui", desiredCount=3)
    enforced, recording = play(prd_env, "up")
    assert enforced.recap["changed"] == 1 and moto_mutating_calls(recording) == ["UpdateService"]
    assert [(call["service"], call["desiredCount"]) for call in requests(recording, "UpdateService")] == [("ui", 1)]

    # Finding 8: a new description would replace the group; in use, it is refused and nothing changes.
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"][0]["VpcId"]
    groups = {g["GroupName"]: g["GroupId"] for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]}
    message, calls = refusal(prd_env, ENV + "-app", vpc_id)
    assert calls == []
    assert message == (
        "security group {env}-app ({app}) has description 'apps of {env}' (task wants 'changed-by-a-day-2-edit'), which EC2 "
        "cannot change, and is in use by security group {env}-postgres ({postgres}), security group {env}-redis ({redis}), "
        "ECS service {env}/api, ECS service {env}/ui, ECS service {env}/worker: keep the current description, or change the "
        "name to create a new group beside it, move its users to it, then remove this one.").format(
            env=ENV, app=groups[ENV + "-app"], postgres=groups[ENV + "-postgres"], redis=groups[ENV + "-redis"])
    message, calls = refusal(prd_env, ENV + "-postgres", vpc_id)
    assert calls == [] and "is in use by RDS DB instance %s: keep the current description" % ENV in message
    message, calls = refusal(prd_env, ENV + "-alb", vpc_id)
    assert calls == [] and "is in use by security group %s-app (%s), load balancer %s:" % (ENV, groups[ENV + "-app"], ENV) in message
    after = {g["GroupName"]: g["GroupId"] for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]}
    assert after == groups

    # A new port for the ui would replace its target group, which the load balancer forwards to: the run is refused
    # before anything changes (the app security group and the task definition would change too), in check mode too.
    spec = yaml.safe_load(INVENTORY.read_text())["all"]["vars"]["agno_env"]
    next(app for app in spec["apps"] if app["name"] == "ui")["port"] = 8502
    edited = tmp_path / "ui-port.yml"
    edited.write_text(yaml.safe_dump({"agno_env": spec}))
    for mode in (("--check",), ()):
        recorder(prd_env, "reset-recording")
        recorder(prd_env, "start-recording")
        run = run_playbook("agno.infra.up", "-e", "@%s" % edited, *mode, inventory=INVENTORY, env=prd_env, timeout=900)
        recorder(prd_env, "stop-recording")
        assert run.rc != 0 and moto_mutating_calls(recorder(prd_env, "download-recording")) == []
        assert ("target group %s-ui has port 8501 (task wants 8502), which ELB cannot change, and is in use by load balancer "
                "%s: keep the current value, or give the app a new name" % (ENV, ENV)) in run.output, run.tail()

    # Finding 10: down deletes the cache with a final snapshot named like the database's.
    _down, recording = play(prd_env, "down")
    deleted = requests(recording, "DeleteReplicationGroup")
    assert len(deleted) == 1 and deleted[0]["FinalSnapshotIdentifier"].startswith(ENV + "-final-")
