"""The example agent app's prd environment on AWS (a moto server), through the collection's playbooks:
created as specified and secure, a rerun with no mutating call, a previewed and applied image change,
down in reverse order with a final snapshot and the data kept, and delete_data leaving nothing.

(Up again after down is covered by the dev environment: moto 5.2.5 keeps a deleted ElastiCache group
in status deleting for ever, so the same name cannot be created twice there.)"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.parse
import urllib.request

import pytest
import yaml

from harness import (OUTPUT_DIR, ROOT, TARGETS, PlaybookRun, ansible_env, keep_output, playbook_command, ready_images, run_playbook, secret,
                     secret_hits, shown_lines, status_shown, status_table)

sys.path.insert(0, str(TARGETS / "moto_record" / "filter_plugins"))
from moto_calls import call_name, moto_calls, moto_mutating_calls, request_body  # noqa: E402  pylint: disable=wrong-import-position

# Ready images: the build from the sources has its own test (test_example_prd_build).
INVENTORY = ready_images()
ENV = "agent-app-prd"
# Characters RDS accepts that a URL must percent-encode; the encoded form is as secret as the password.
DB_PASSWORD = secret("prd-it:pa#ss%w?rd&7e21")
secret(urllib.parse.quote(DB_PASSWORD, safe=""))
# A no-op rerun reads the 40 resources of the environment in at most this many calls (1.2 a resource, issue 10's
# target; 73 before the plan read ahead, many items of a type in one call): what is left has no batch form
# (tags of log groups, ECR repositories and ElastiCache, task definitions, VPC and target group attributes, S3 settings).
# Two more since the prune: the tagging read that finds what the environment no longer has, and the load balancer's
# listeners (they take no tags), which find the HTTPS one the environment no longer has.
NOOP_CALLS = 48

pytestmark = pytest.mark.aws


def client(env: t.Dict[str, str], service: str) -> t.Any:
    import boto3  # pylint: disable=import-outside-toplevel
    return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def recorder(env: t.Dict[str, str], action: str) -> str:
    method = "GET" if action == "download-recording" else "POST"
    request = urllib.request.Request(env["AWS_ENDPOINT_URL"] + "/moto-api/recorder/" + action, method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the test's own moto server
        return str(answer.read().decode())


def play(env: t.Dict[str, str], name: str, *args: str, inventory: pathlib.Path = INVENTORY, **extra: str) -> t.Tuple[PlaybookRun, str]:
    """Run agno.infra.<name> on the prd inventory (or an edited copy) with the recorder on; return the run and its recording."""
    recorder(env, "reset-recording")
    recorder(env, "start-recording")
    # -vvv: the session-wide secret scan then also covers module arguments and results.
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=inventory, extra_vars=extra, env=env, timeout=900)
    recorder(env, "stop-recording")
    assert run.rc == 0, run.tail(60)
    assert DB_PASSWORD not in run.output
    return run, recorder(env, "download-recording")


@pytest.fixture()
def prd_env(aws_env: t.Dict[str, str]) -> t.Dict[str, str]:
    return dict(aws_env, AGNO_DB_PASSWORD=DB_PASSWORD)


def check_streaming(env: t.Dict[str, str]) -> None:
    """The ALB keeps the longest idle timeout of its apps (Streamlit's hour); each target group drains a leaving task for
    its app's idle timeout, and only Streamlit's is sticky."""
    elbv2 = client(env, "elbv2")
    balancer = elbv2.describe_load_balancers(Names=[ENV])["LoadBalancers"][0]["LoadBalancerArn"]
    attributes = {item["Key"]: item["Value"] for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer)["Attributes"]}
    assert attributes["idle_timeout.timeout_seconds"] == "3600"
    expected = {8000: ("300", "false"), 8501: ("3600", "true")}
    groups = elbv2.describe_target_groups(LoadBalancerArn=balancer)["TargetGroups"]
    assert sorted(group["Port"] for group in groups) == sorted(expected)
    for group in groups:
        found = {item["Key"]: item["Value"] for item in elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
        assert (found["deregistration_delay.timeout_seconds"], found["stickiness.enabled"]) == expected[group["Port"]], found


def check_secure(env: t.Dict[str, str]) -> None:
    ec2, ecs = client(env, "ec2"), client(env, "ecs")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"]
    assert len(vpc) == 1
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc[0]["VpcId"]]}])["SecurityGroups"]}
    ids = {name: group["GroupId"] for name, group in groups.items()}

    def sources(name: str) -> t.List[t.Tuple[int, t.List[str], t.List[str]]]:
        return sorted((rule["FromPort"], [pair["GroupId"] for pair in rule["UserIdGroupPairs"]], [r["CidrIp"] for r in rule["IpRanges"]])
                      for rule in groups[name]["IpPermissions"])
    assert sources(ENV + "-alb") == [(80, [], ["0.0.0.0/0"])]
    assert sources(ENV + "-app") == [(8000, [ids[ENV + "-alb"]], []), (8501, [ids[ENV + "-alb"]], [])]
    assert sources(ENV + "-postgres") == [(5432, [ids[ENV + "-app"]], [])]
    assert sources(ENV + "-redis") == [(6379, [ids[ENV + "-app"]], [])]
    db = client(env, "rds").describe_db_instances(DBInstanceIdentifier=ENV)["DBInstances"][0]
    assert not db["PubliclyAccessible"] and db["StorageEncrypted"] and db["DeletionProtection"]
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [ids[ENV + "-postgres"]]
    targets = client(env, "application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    assert [(item["ResourceId"], item["MinCapacity"], item["MaxCapacity"]) for item in targets] == [("service/%s/api" % ENV, 2, 6)]
    block = client(env, "s3").get_public_access_block(Bucket=ENV + "-data")["PublicAccessBlockConfiguration"]
    assert len(block) == 4 and all(block.values())
    private = {s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [ENV + "-private-a", ENV + "-private-b"]}])["Subnets"]}
    services = ecs.describe_services(cluster=ENV, services=["api", "worker", "ui"])["services"]
    assert sorted(service["serviceName"] for service in services) == ["api", "ui", "worker"]
    for service in services:
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert network["assignPublicIp"] == "DISABLED" and set(network["subnets"]) == private
        assert network["securityGroups"] == [ids[ENV + "-app"]]
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        container = definition["containerDefinitions"][0]
        assert container["user"] == "10001"
        assert all(item["valueFrom"].startswith("arn:aws:secretsmanager:") for item in container.get("secrets", []))
        assert DB_PASSWORD not in repr(definition)


def test_prd_up_rerun_change_down_up_and_delete_data(prd_env: t.Dict[str, str]) -> None:
    first = play(prd_env, "up")[0]
    assert first.recap["changed"] == 1
    check_secure(prd_env)
    check_streaming(prd_env)
    url = client(prd_env, "secretsmanager").get_secret_value(SecretId=ENV + "/database-url")["SecretString"]
    parsed = urllib.parse.urlsplit(url)
    assert (parsed.username, urllib.parse.unquote(parsed.password or ""), parsed.port) == ("app", DB_PASSWORD, 5432)
    s3 = client(prd_env, "s3")
    s3.put_object(Bucket=ENV + "-data", Key="memory/notes.txt", Body=b"kept")

    rerun, recording = play(prd_env, "up")
    assert rerun.recap["changed"] == 0
    assert moto_mutating_calls(recording) == []
    print("prd no-op rerun: %d API calls" % len(moto_calls(recording)))
    assert len(moto_calls(recording)) <= NOOP_CALLS, sorted(moto_calls(recording))

    preview, recording = play(prd_env, "up", "--check", "--diff", agno_image_tag="2")
    assert preview.recap["changed"] == 1 and "agent-app-prd/api:2" in preview.output
    assert moto_mutating_calls(recording) == []

    _applied, recording = play(prd_env, "up", agno_image_tag="2")
    assert sorted(moto_mutating_calls(recording)) == ["RegisterTaskDefinition"] * 3 + ["UpdateService"] * 3
    ecs = client(prd_env, "ecs")
    assert ecs.describe_services(cluster=ENV, services=["api"])["services"][0]["taskDefinition"].endswith(":2")

    play(prd_env, "down")
    rds = client(prd_env, "rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    assert any(s["DBSnapshotIdentifier"].startswith(ENV + "-final-") for s in rds.describe_db_snapshots()["DBSnapshots"])
    assert client(prd_env, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"] == []
    assert client(prd_env, "elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert s3.get_object(Bucket=ENV + "-data", Key="memory/notes.txt")["Body"].read() == b"kept"
    assert sorted(s["Name"] for s in client(prd_env, "secretsmanager").list_secrets()["SecretList"]) == [
        ENV + "/database-url", ENV + "/db-password", ENV + "/redis-url"]

    play(prd_env, "down", delete_data="true")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == []
    assert client(prd_env, "ecr").describe_repositories()["repositories"] == []
    # Secrets Manager keeps deleted secrets for their recovery window (30 days), scheduled for deletion.
    assert all(item.get("DeletedDate") for item in client(prd_env, "secretsmanager").list_secrets()["SecretList"])
    assert rds.describe_db_instances()["DBInstances"] == []
    assert client(prd_env, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [ENV]}])["Vpcs"] == []


def with_spec(path: pathlib.Path, edit: t.Callable[[t.Dict[str, t.Any]], None]) -> pathlib.Path:
    """A vars file with the inventory's agno_env (templates kept) as ``edit`` changes it: the inventory edited."""
    spec = yaml.safe_load(INVENTORY.read_text())["all"]["vars"]["agno_env"]
    edit(spec)
    path.write_text(yaml.safe_dump({"agno_env": spec}))
    return path


def with_app_env(path: pathlib.Path, **env: str) -> pathlib.Path:
    """The inventory with these env vars on the api app."""
    return with_spec(path, lambda spec: spec["apps"][0].update(env=env))


def test_prd_status_shows_the_table_with_health_and_gates_on_drift(prd_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    play(prd_env, "up")

    status, recording = play(prd_env, "status", agno_detailed_exitcode="true")
    assert status.recap["changed"] == 0
    assert moto_mutating_calls(recording) == []
    table = status_table(status.output)
    assert len(table) == 40 and {state for _type, state, _health in table.values()} == {"in sync"}
    assert "40 resources: 40 in sync." in status.output
    services = client(prd_env, "ecs").describe_services(cluster=ENV, services=["api", "worker", "ui"])["services"]
    assert {"service-" + item["serviceName"]: table["service-" + item["serviceName"]] for item in services} == {
        "service-" + item["serviceName"]: ("aws_ecs_service", "in sync", "%d/%d running" % (item["runningCount"], item["desiredCount"]))
        for item in services}
    shown = status_shown(status.output)
    assert any(line.strip().startswith('"  api') and "http://" in line for line in shown)
    # The table task prints a header, 40 rows, the count and two endpoints, with the task's own few lines around them.
    assert len(shown) <= 52, "\n".join(shown)

    edited = with_app_env(tmp_path / "edited.yml", LOG_LEVEL="debug")
    drifted, recording = play(prd_env, "status", "-e", "@%s" % edited)
    assert drifted.recap["changed"] == 0
    assert moto_mutating_calls(recording) == []
    table = status_table(drifted.output)
    assert table["task-api"] == ("aws_ecs_task_definition", "to change", "")
    differing = sorted(item_id for item_id, (_type, state, _health) in table.items() if state != "in sync")
    assert "task-api" in differing and set(differing) <= {"task-api", "service-api"}

    gate = run_playbook("agno.infra.status", "-e", "@%s" % edited, inventory=INVENTORY,
                        extra_vars={"agno_detailed_exitcode": "true"}, env=prd_env, timeout=900)
    assert gate.rc != 0 and gate.recap["failed"] == 1
    sentence = "%d of 40 resources differ from agno_env: %s." % (
        len(differing), ", ".join("%s to change" % item_id for item_id in sorted(differing, key=list(table).index)))
    assert sentence in gate.output, gate.tail()


def test_prd_with_a_certificate_not_yet_issued_fails_before_any_change(prd_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    # moto keeps a requested certificate PENDING_VALIDATION for its first 60 seconds, as ACM does until DNS validates it.
    pending = client(prd_env, "acm").request_certificate(DomainName="app.example.com", ValidationMethod="DNS")["CertificateArn"]
    spec = yaml.safe_load(INVENTORY.read_text())["all"]["vars"]["agno_env"]
    spec["aws"]["certificate_arn"] = pending
    edited = tmp_path / "https.yml"
    edited.write_text(yaml.safe_dump({"agno_env": spec}))
    recorder(prd_env, "reset-recording")
    recorder(prd_env, "start-recording")
    run = run_playbook("agno.infra.up", "-e", "@%s" % edited, inventory=INVENTORY, env=prd_env, timeout=900)
    recorder(prd_env, "stop-recording")
    assert run.rc != 0
    assert ("certificate_arn %s is PENDING_VALIDATION, not ISSUED: complete its validation (the DNS records ACM asks for), or "
            "give an issued certificate, then run again" % pending) in run.output, run.tail()
    assert moto_mutating_calls(recorder(prd_env, "download-recording")) == []


# Characters ElastiCache accepts in a token that a URL must percent-encode; the encoded form is as secret as the token.
REDIS_TOKEN = secret("prd-it:to#ken%r?7&c31")
NEW_REDIS_TOKEN = secret("prd-it:ne#wer%t?8&d42")
secret(urllib.parse.quote(REDIS_TOKEN, safe=""))
secret(urllib.parse.quote(NEW_REDIS_TOKEN, safe=""))
REDIS_VARIABLES = {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}


def redis_url_token(env: t.Dict[str, str]) -> str:
    url = urllib.parse.urlsplit(client(env, "secretsmanager").get_secret_value(SecretId=ENV + "/redis-url")["SecretString"])
    assert (url.scheme, url.username, url.port, url.path, url.query) == ("rediss", "", 6379, "/0", "ssl_cert_reqs=required")
    return urllib.parse.unquote(url.password or "")


def test_prd_redis_has_tls_and_an_auth_token_that_reaches_the_apps_only_as_a_secret(aws_env: t.Dict[str, str]) -> None:
    env = dict(aws_env, AGNO_DB_PASSWORD=DB_PASSWORD, AGNO_REDIS_AUTH_TOKEN=REDIS_TOKEN)
    first = play(env, "up")[0]
    assert first.recap["changed"] == 1
    group = client(env, "elasticache").describe_replication_groups(ReplicationGroupId=ENV)["ReplicationGroups"][0]
    assert group["TransitEncryptionEnabled"] and group["AuthTokenEnabled"]
    assert redis_url_token(env) == REDIS_TOKEN
    ecs, arn = client(env, "ecs"), client(env, "secretsmanager").describe_secret(SecretId=ENV + "/redis-url")["ARN"]
    for service in ecs.describe_services(cluster=ENV, services=["api", "worker"])["services"]:
        container = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]
        assert {item["name"]: item["valueFrom"] for item in container["secrets"] if item["name"] in REDIS_VARIABLES} == dict.fromkeys(
            REDIS_VARIABLES, arn)
        assert not REDIS_VARIABLES & {item["name"] for item in container["environment"]}
        assert REDIS_TOKEN not in repr(container)

    rotated = dict(env, AGNO_REDIS_AUTH_TOKEN=NEW_REDIS_TOKEN)
    preview, recording = play(rotated, "up", "--check", "--diff")
    assert moto_mutating_calls(recording) == []
    assert re.search(r'"action": "update",\s+"changed": true,\s+"changes": \[\s+"auth_token"\s+\],\s+"id": "redis"', preview.output)
    _applied, recording = play(rotated, "up")
    assert {"ModifyReplicationGroup", "AddTagsToResource", "PutSecretValue"} <= set(moto_mutating_calls(recording))
    assert redis_url_token(rotated) == NEW_REDIS_TOKEN
    rerun, recording = play(rotated, "up")
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []

    # -vvv prints the module arguments and results: neither token, plain or encoded, is in any of the runs' output.
    tokens = [REDIS_TOKEN, NEW_REDIS_TOKEN, urllib.parse.quote(REDIS_TOKEN, safe=""), urllib.parse.quote(NEW_REDIS_TOKEN, safe="")]
    assert secret_hits(sorted(OUTPUT_DIR.glob("*.log")), tokens) == []


RUN_LINES_TASK = "TASK [Show the command's output]"


def run_task_requests(recording: str) -> t.List[t.Dict[str, t.Any]]:
    """The bodies of the RunTask requests of a recording."""
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]
    return [json.loads(request_body(entry)) for entry in entries if call_name(entry) == "RunTask"]


def end_task(ecs: t.Any, logs: t.Any, task: t.Dict[str, t.Any], messages: t.List[str]) -> None:
    """Play ECS for a task, which moto never runs: its container writes these lines to its awslogs stream and exits."""
    container = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])["taskDefinition"]["containerDefinitions"][0]
    options = container["logConfiguration"]["options"]
    stream = "%s/%s/%s" % (options["awslogs-stream-prefix"], container["name"], task["taskArn"].rsplit("/", 1)[-1])
    logs.create_log_stream(logGroupName=options["awslogs-group"], logStreamName=stream)
    logs.put_log_events(logGroupName=options["awslogs-group"], logStreamName=stream, logEvents=[
        {"timestamp": int(time.time() * 1000) + number, "message": message} for number, message in enumerate(messages)])
    ecs.stop_task(cluster=ENV, task=task["taskArn"], reason="Essential container in task exited")


def started_run(ecs: t.Any, running: "subprocess.Popen[str]", timeout: float = 120) -> t.Dict[str, t.Any]:
    """The task agno.infra.run started, once ECS lists it."""
    deadline = time.monotonic() + timeout
    while not ecs.list_tasks(cluster=ENV, startedBy="agno.infra-run")["taskArns"]:
        assert running.poll() is None, running.communicate()[0][-3000:]
        assert time.monotonic() < deadline, "agno.infra.run started no task in %d s" % timeout
        time.sleep(0.5)
    arn = ecs.list_tasks(cluster=ENV, startedBy="agno.infra-run")["taskArns"][0]
    return t.cast(t.Dict[str, t.Any], ecs.describe_tasks(cluster=ENV, tasks=[arn])["tasks"][0])


def test_prd_run_is_one_task_of_the_services_definition_in_its_private_subnets(prd_env: t.Dict[str, str]) -> None:
    play(prd_env, "up")
    ecs, logs = client(prd_env, "ecs"), client(prd_env, "logs")
    service = ecs.describe_services(cluster=ENV, services=["api"])["services"][0]

    recorder(prd_env, "reset-recording")
    recorder(prd_env, "start-recording")
    command = playbook_command("agno.infra.run", "-vvv", "-e", json.dumps({"agno_app": "api", "agno_command": ["python", "-m", "app.migrate"]}),
                               inventory=INVENTORY)
    with subprocess.Popen(command, env=ansible_env(prd_env), cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as running:
        # moto plays no part of ECS: the test writes the task's output and stops it, as its container exiting would.
        task = started_run(ecs, running)
        end_task(ecs, logs, task, ["Applying migrations", "notes: created", "done"])
        output = running.communicate(timeout=120)[0]
    recorder(prd_env, "stop-recording")
    keep_output("agno.infra.run", output)
    run = PlaybookRun(running.returncode, output)
    assert run.rc == 0, run.tail()
    assert DB_PASSWORD not in run.output
    assert shown_lines(run, RUN_LINES_TASK) == ["Applying migrations", "notes: created", "done"]
    assert "python -m app.migrate in app api (task arn %s) exited with 0." % task["taskArn"] in run.output

    recording = recorder(prd_env, "download-recording")
    # One task; the rest are the test's own calls.
    assert sorted(moto_mutating_calls(recording)) == ["CreateLogStream", "PutLogEvents", "RunTask", "StopTask"]
    [request] = run_task_requests(recording)
    assert request["taskDefinition"] == service["taskDefinition"] and request["startedBy"] == "agno.infra-run"
    assert request["overrides"] == {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.migrate"]}]}
    assert request["networkConfiguration"]["awsvpcConfiguration"] == dict(
        service["networkConfiguration"]["awsvpcConfiguration"], assignPublicIp="DISABLED")
    subnets = client(prd_env, "ec2").describe_subnets(SubnetIds=request["networkConfiguration"]["awsvpcConfiguration"]["subnets"])
    assert not any(subnet["MapPublicIpOnLaunch"] for subnet in subnets["Subnets"])

    # At its timeout the task is stopped by the run itself, which fails saying so.
    late = run_playbook("agno.infra.run", "-e", json.dumps({"agno_app": "worker", "agno_command": "celery -A worker inspect ping",
                                                            "agno_run_timeout": 6}), inventory=INVENTORY, env=prd_env, timeout=300)
    assert late.rc != 0 and "The command celery -A worker inspect ping was still running after 6 s in task" in late.output, late.tail()
    stopped = [item for item in ecs.describe_tasks(cluster=ENV, tasks=ecs.list_tasks(
        cluster=ENV, startedBy="agno.infra-run", desiredStatus="STOPPED")["taskArns"])["tasks"]
        if item["stoppedReason"] == "agno.infra run: still running after 6 s"]
    assert len(stopped) == 1 and stopped[0]["lastStatus"] == "STOPPED"


def test_prd_rollback_runs_the_revision_before_and_the_next_up_restores_it(prd_env: t.Dict[str, str]) -> None:
    play(prd_env, "up")
    play(prd_env, "up", agno_image_tag="2")
    ecs = client(prd_env, "ecs")
    names = ["api", "worker", "ui"]

    def revisions() -> t.List[str]:
        return [service["taskDefinition"].rsplit(":", 1)[-1] for service in ecs.describe_services(cluster=ENV, services=names)["services"]]
    assert revisions() == ["2", "2", "2"]

    preview, recording = play(prd_env, "rollback", "--check")
    assert preview.recap["changed"] == 1 and moto_mutating_calls(recording) == [] and revisions() == ["2", "2", "2"]
    assert "Plan: 0 to add, 3 to change, 0 to replace, 0 to destroy." in preview.output, preview.tail()
    _rolled, recording = play(prd_env, "rollback")
    assert sorted(moto_mutating_calls(recording)) == ["UpdateService"] * 3
    assert revisions() == ["1", "1", "1"]

    # Nothing before revision 1: the run fails before any change, naming the service.
    recorder(prd_env, "reset-recording")
    recorder(prd_env, "start-recording")
    refused = run_playbook("agno.infra.rollback", inventory=INVENTORY, extra_vars={"agno_app": "api"}, env=prd_env, timeout=600)
    recorder(prd_env, "stop-recording")
    assert refused.rc != 0 and "Service api runs revision 1 of task definition" in refused.output, refused.tail()
    assert moto_mutating_calls(recorder(prd_env, "download-recording")) == []

    plan, recording = play(prd_env, "up", "--check", agno_image_tag="2")
    assert "Plan: 0 to add, 3 to change, 0 to replace, 0 to destroy." in plan.output and moto_mutating_calls(recording) == []
    _restored, recording = play(prd_env, "up", agno_image_tag="2")
    assert sorted(moto_mutating_calls(recording)) == ["UpdateService"] * 3 and revisions() == ["2", "2", "2"]


def with_one_offs(path: pathlib.Path, migrate: bool = True) -> pathlib.Path:
    """The inventory with pgvector on and, if asked, a migration in the api app."""
    def edit(spec: t.Dict[str, t.Any]) -> None:
        spec["postgres"]["pgvector"] = True
        if migrate:
            spec["migrate"] = {"app": "api", "command": ["python", "-m", "app.migrate"], "timeout": 300}
    return with_spec(path, edit)


def play_ecs(env: t.Dict[str, str], *args: str, **extra: str) -> t.Tuple[PlaybookRun, str, t.List[str]]:
    """agno.infra.up with the recorder on, while the test plays ECS for the one-off tasks up starts: each writes a line
    to its log stream and stops (exit code 0, as moto reports a stopped task's). The run, its recording, the tasks' arns."""
    ecs, logs = client(env, "ecs"), client(env, "logs")
    recorder(env, "reset-recording")
    recorder(env, "start-recording")
    command = playbook_command("agno.infra.up", "-vvv", *args, inventory=INVENTORY,
                               **({"extra_vars": extra} if extra else {}))
    finished: t.List[str] = []
    # The output goes to a file: a pipe nobody reads while the test plays ECS would fill up and stop the run.
    with tempfile.TemporaryFile("w+") as sink, subprocess.Popen(
            command, env=ansible_env(env), cwd=str(ROOT), stdout=sink, stderr=subprocess.STDOUT, text=True) as running:
        while running.poll() is None:
            arns = ecs.list_tasks(cluster=ENV, startedBy="agno.infra-up", desiredStatus="RUNNING")["taskArns"] if any(
                cluster.endswith("/" + ENV) for cluster in ecs.list_clusters()["clusterArns"]) else []
            for task in ecs.describe_tasks(cluster=ENV, tasks=arns)["tasks"] if arns else []:
                end_task(ecs, logs, task, ["%s done" % task["containers"][0]["name"]])
                finished.append(task["taskArn"])
            time.sleep(0.5)
        sink.seek(0)
        output = sink.read()
    recorder(env, "stop-recording")
    keep_output("agno.infra.up", output)
    run = PlaybookRun(running.returncode, output)
    assert run.rc == 0, run.failures()
    assert DB_PASSWORD not in run.output
    return run, recorder(env, "download-recording"), finished


def mutations(recording: str) -> t.List[t.Tuple[str, t.Dict[str, t.Any]]]:
    """The mutating calls of a recording in their order, with their JSON bodies (empty for the query APIs' forms)."""
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]
    names = set(moto_mutating_calls(recording))
    return [(call_name(entry), json.loads(request_body(entry)) if request_body(entry).startswith("{") else {})
            for entry in entries if call_name(entry) in names]


def test_prd_pgvector_setup_and_the_migration_run_once_before_the_services_roll(prd_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    edited = with_one_offs(tmp_path / "one-offs.yml")
    ssm, ecs = client(prd_env, "ssm"), client(prd_env, "ecs")
    _first, recording, finished = play_ecs(prd_env, "-e", "@%s" % edited)
    calls = mutations(recording)
    runs = [body for name, body in calls if name == "RunTask"]
    assert [body["taskDefinition"].rsplit("/", 1)[-1] for body in runs] == ["agent-app-prd-db-setup:1", "agent-app-prd-api:1"]
    assert len(finished) == 2
    setup = ecs.describe_task_definition(taskDefinition="agent-app-prd-db-setup:1")["taskDefinition"]["containerDefinitions"][0]
    assert setup["command"] == ["psql", "-v", "ON_ERROR_STOP=1", "-c", "CREATE EXTENSION IF NOT EXISTS vector"] and setup["user"] == "70"
    assert {"name": "PGPASSWORD", "valueFrom": setup["secrets"][0]["valueFrom"]} == setup["secrets"][0] and "PGPASSWORD" not in str(
        setup.get("environment"))
    assert runs[1]["overrides"] == {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.migrate"]}]}
    for body in runs:
        assert body["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    # The database is there before its setup, the migration before any service.
    order = [name for name, _body in calls]
    assert order.index("CreateDBInstance") < order.index("RunTask") and max(
        index for index, name in enumerate(order) if name == "RunTask") < order.index("CreateService")
    records = {name: json.loads(ssm.get_parameter(Name="/agno.infra/%s/runs/%s" % (ENV, name))["Parameter"]["Value"])
               for name in ("pgvector", "migrate")}
    assert records["migrate"]["task_definition"].endswith("task-definition/agent-app-prd-api:1")
    assert records["migrate"]["task_arn"] == finished[1]

    # A rerun runs nothing: no RunTask, no mutating call at all.
    rerun, recording = play(prd_env, "up", "-e", "@%s" % edited)
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []

    # A new image: the plan says the migration runs again for the new revision, the apply runs it once, before the rollout.
    plan, recording = play(prd_env, "up", "--check", "-e", "@%s" % edited, agno_image_tag="2")
    assert moto_mutating_calls(recording) == []
    assert "migrate to change." in plan.output, plan.tail(80)
    assert "Plan: 0 to add, 7 to change, 0 to replace, 0 to destroy." in plan.output, plan.tail(80)
    applied, recording, finished = play_ecs(prd_env, "-e", "@%s" % edited, agno_image_tag="2")
    assert "Apply: 0 added, 7 changed, 0 replaced, 0 destroyed." in applied.output, applied.tail(80)
    order = [name for name, _body in mutations(recording)]
    runs = [body for name, body in mutations(recording) if name == "RunTask"]
    assert [body["taskDefinition"].rsplit("/", 1)[-1] for body in runs] == ["agent-app-prd-api:2"] and len(finished) == 1
    assert order.index("RunTask") < order.index("UpdateService")

    # Without the migration its record goes (nothing left over); the pgvector setup stays recorded.
    without = with_one_offs(tmp_path / "no-migrate.yml", migrate=False)
    _pruned, recording = play(prd_env, "up", "-e", "@%s" % without, agno_image_tag="2")
    assert "DeleteParameter" in moto_mutating_calls(recording) and "RunTask" not in moto_mutating_calls(recording)
    assert [parameter["Name"] for parameter in ssm.describe_parameters()["Parameters"]] == ["/agno.infra/%s/runs/pgvector" % ENV]

    # down removes the last record with the rest.
    _down, recording = play(prd_env, "down", "-e", "@%s" % without, agno_image_tag="2")
    assert "DeleteParameter" in moto_mutating_calls(recording) and ssm.describe_parameters()["Parameters"] == []


def with_jobs(path: pathlib.Path, jobs: t.List[t.Dict[str, t.Any]]) -> pathlib.Path:
    """The inventory with these jobs."""
    return with_spec(path, lambda spec: spec.update(jobs=jobs))


REPORT = {"name": "report", "app": "api", "command": ["python", "-m", "app.report"], "schedule": "0 3 * * 1-5"}
CLEANUP = {"name": "cleanup", "app": "worker", "command": ["celery", "-A", "worker", "call", "cleanup"], "schedule": "rate(1 hour)"}


def test_prd_jobs_are_schedules_with_a_role_that_may_only_run_their_task_and_go_with_them(
        prd_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    both = with_jobs(tmp_path / "jobs.yml", [REPORT, CLEANUP])
    _first, recording = play(prd_env, "up", "-e", "@%s" % both)
    # EventBridge Scheduler is a REST API: CreateSchedule is POST /schedules/NAME.
    assert sorted(name for name in moto_mutating_calls(recording) if name.startswith("POST /schedules/")) == [
        "POST /schedules/agent-app-prd-job-cleanup", "POST /schedules/agent-app-prd-job-report"]
    scheduler, iam, ecs = client(prd_env, "scheduler"), client(prd_env, "iam"), client(prd_env, "ecs")
    schedules = {item["Name"]: scheduler.get_schedule(Name=item["Name"]) for item in scheduler.list_schedules()["Schedules"]}
    assert sorted(schedules) == ["agent-app-prd-job-cleanup", "agent-app-prd-job-report"]
    report = schedules["agent-app-prd-job-report"]
    assert report["ScheduleExpression"] == "cron(0 3 ? * 2-6 *)" and schedules["agent-app-prd-job-cleanup"]["ScheduleExpression"] == "rate(1 hour)"
    target = report["Target"]
    definition = ecs.describe_task_definition(taskDefinition=target["EcsParameters"]["TaskDefinitionArn"])["taskDefinition"]
    assert definition["family"] == "agent-app-prd-job-report"
    assert definition["containerDefinitions"][0]["command"] == ["python", "-m", "app.report"]
    network = target["EcsParameters"]["NetworkConfiguration"]["awsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED" and not any(
        subnet["MapPublicIpOnLaunch"] for subnet in client(prd_env, "ec2").describe_subnets(SubnetIds=network["Subnets"])["Subnets"])
    role = target["RoleArn"].rsplit("/", 1)[-1]
    assert role == "agent-app-prd-job-report"
    trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] in ({"Service": "scheduler.amazonaws.com"}, {"Service": ["scheduler.amazonaws.com"]})
    policy = iam.get_role_policy(RoleName=role, PolicyName="run-task")["PolicyDocument"]
    allowed = {statement["Action"][0]: statement["Resource"] for statement in policy["Statement"]}
    assert allowed["ecs:RunTask"] == [definition["taskDefinitionArn"]]
    assert sorted(allowed["iam:PassRole"]) == sorted([definition["executionRoleArn"], definition["taskRoleArn"]])

    rerun, recording = play(prd_env, "up", "-e", "@%s" % both)
    assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []

    # Without the report job: its schedule, role and task definition go, the other job stays.
    one = with_jobs(tmp_path / "one.yml", [CLEANUP])
    plan, recording = play(prd_env, "up", "--check", "-e", "@%s" % one)
    assert "Plan: 0 to add, 0 to change, 0 to replace, 3 to destroy." in plan.output and moto_mutating_calls(recording) == []
    _pruned, recording = play(prd_env, "up", "-e", "@%s" % one)
    calls = moto_mutating_calls(recording)
    assert {"DeleteRole", "DeregisterTaskDefinition"} <= set(calls) and any(
        name.startswith("DELETE /schedules/agent-app-prd-job-report") for name in calls), calls
    assert [item["Name"] for item in scheduler.list_schedules()["Schedules"]] == ["agent-app-prd-job-cleanup"]
    assert "agent-app-prd-job-report" not in [item["RoleName"] for item in iam.list_roles()["Roles"]]
    again, recording = play(prd_env, "up", "-e", "@%s" % one)
    assert again.recap["changed"] == 0 and moto_mutating_calls(recording) == []
