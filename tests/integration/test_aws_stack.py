"""An app's whole AWS stack with the single modules: created as specified, a rerun with no mutating call,
and a changed container env giving exactly one new task definition revision that the service moves to."""

from __future__ import annotations

import json
import sys
import typing as t
import urllib.request

import pytest

from harness import INTEGRATION, TARGETS, PlaybookRun, run_playbook, secret

sys.path.insert(0, str(TARGETS / "moto_record" / "filter_plugins"))
from moto_calls import moto_mutating_calls  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK = INTEGRATION / "playbooks" / "aws_stack.yml"
APP = "agno-stack"
DB_PASSWORD = secret("agno-stack-db-password-3d9a")

pytestmark = pytest.mark.aws


def client(aws_env: t.Dict[str, str], service: str) -> t.Any:
    import boto3  # pylint: disable=import-outside-toplevel
    return boto3.client(service, endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                        aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"])


def moto_api(aws_env: t.Dict[str, str], path: str, method: str = "POST") -> str:
    request = urllib.request.Request(aws_env["AWS_ENDPOINT_URL"] + "/moto-api/recorder/" + path, method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return str(answer.read().decode())


def recorded_run(aws_env: t.Dict[str, str], **extra_vars: str) -> t.Tuple[PlaybookRun, t.List[str]]:
    """Run the playbook with moto's recorder on; return the run and the mutating actions it sent."""
    moto_api(aws_env, "reset-recording")
    moto_api(aws_env, "start-recording")
    run = run_playbook(PLAYBOOK, extra_vars=extra_vars, env=aws_env)
    moto_api(aws_env, "stop-recording")
    return run, moto_mutating_calls(moto_api(aws_env, "download-recording", "GET"))


def check_created_as_specified(aws_env: t.Dict[str, str]) -> None:
    ec2 = client(aws_env, "ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [APP]}])["Vpcs"]
    assert [vpc["CidrBlock"] for vpc in vpcs] == ["10.60.0.0/16"]
    vpc_id = vpcs[0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    assert sorted((s["CidrBlock"], s["AvailabilityZone"]) for s in subnets) == [("10.60.1.0/24", "us-east-1a"), ("10.60.2.0/24", "us-east-1b")]
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]}
    db_rules = groups[APP + "-db"]["IpPermissions"]
    assert [(r["FromPort"], r["ToPort"], [p["GroupId"] for p in r["UserIdGroupPairs"]], r["IpRanges"]) for r in db_rules] == [
        (5432, 5432, [groups[APP + "-app"]["GroupId"]], [])]
    db = client(aws_env, "rds").describe_db_instances(DBInstanceIdentifier=APP)["DBInstances"][0]
    assert db["PubliclyAccessible"] is False and db["StorageEncrypted"] is True
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == APP
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [groups[APP + "-db"]["GroupId"]]
    s3 = client(aws_env, "s3")
    block = s3.get_public_access_block(Bucket=APP + "-uploads")["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    assert s3.get_bucket_versioning(Bucket=APP + "-uploads")["Status"] == "Enabled"
    logs = client(aws_env, "logs").describe_log_groups(logGroupNamePrefix="/ecs/" + APP)["logGroups"]
    assert [(g["logGroupName"], g["retentionInDays"]) for g in logs] == [("/ecs/" + APP, 30)]
    assert client(aws_env, "iam").get_role(RoleName=APP + "-execution")["Role"]["RoleName"] == APP + "-execution"
    elb = client(aws_env, "elbv2")
    balancer = elb.describe_load_balancers(Names=[APP])["LoadBalancers"][0]
    assert balancer["Scheme"] == "internet-facing"
    listeners = elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    assert [(item["Port"], item["Protocol"]) for item in listeners] == [(80, "HTTP")]
    service = ecs_service(aws_env)
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    assert network["assignPublicIp"] == "DISABLED" and sorted(network["subnets"]) == sorted(s["SubnetId"] for s in subnets)
    assert network["securityGroups"] == [groups[APP + "-app"]["GroupId"]]
    definition = client(aws_env, "ecs").describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    container = definition["containerDefinitions"][0]
    assert [s["name"] for s in container["secrets"]] == ["DB_PASSWORD"]
    assert DB_PASSWORD not in json.dumps(definition)


def ecs_service(aws_env: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    return dict(client(aws_env, "ecs").describe_services(cluster=APP, services=[APP + "-api"])["services"][0])


def test_stack_created_rerun_without_mutations_and_one_new_revision(aws_env: t.Dict[str, str]) -> None:
    first = run_playbook(PLAYBOOK, env=aws_env)
    assert first.rc == 0, first.tail()
    assert DB_PASSWORD not in first.output
    check_created_as_specified(aws_env)

    rerun, mutating = recorded_run(aws_env)
    assert rerun.rc == 0, rerun.tail()
    assert rerun.recap["changed"] == 0, rerun.tail()
    assert mutating == []

    changed, mutating = recorded_run(aws_env, app_mode="two")
    assert changed.rc == 0, changed.tail()
    assert changed.recap["changed"] == 2, changed.tail()
    assert sorted(mutating) == ["RegisterTaskDefinition", "UpdateService"]
    ecs = client(aws_env, "ecs")
    revisions = ecs.list_task_definitions(familyPrefix=APP + "-api")["taskDefinitionArns"]
    assert [arn.rsplit(":", 1)[1] for arn in revisions] == ["1", "2"]
    assert ecs_service(aws_env)["taskDefinition"] == revisions[1]
    environment = ecs.describe_task_definition(taskDefinition=revisions[1])["taskDefinition"]["containerDefinitions"][0]["environment"]
    assert {"name": "MODE", "value": "two"} in environment
