"""A whole AWS stack built, rerun and torn down through a proxy that fails 20 % of the API calls.

Throttling, HTTP 500/503 and dropped connections must all be absorbed by the collection's retries, and a call
whose answer was lost after AWS applied it (the "after" phase) must not leave a second VPC, subnet, group or
revision behind: the test counts every resource in moto directly, without the proxy.
"""

from __future__ import annotations

import json
import typing as t
import urllib.request

import pytest

from fault_proxy import AFTER, BEFORE, KINDS, FaultProxy, is_mutating
from harness import INTEGRATION, ROOT, PlaybookRun, run_playbook, secret

PLAYBOOK = INTEGRATION / "playbooks" / "fault_stack.yml"
RATE = 0.2
PREFIX = "agno-fi"

pytestmark = pytest.mark.aws

# What the stack holds once built: (description, count found in moto, count expected).
Census = t.List[t.Tuple[str, int, int]]


def clients(aws_env: t.Dict[str, str]) -> t.Callable[[str], t.Any]:
    """boto3 clients that talk to moto itself, never through the proxy."""
    import boto3  # pylint: disable=import-outside-toplevel
    session = boto3.session.Session(aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"],
                                    aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")
    return lambda service: session.client(service, endpoint_url=aws_env["AWS_ENDPOINT_URL"])


def network_census(ec2: t.Any) -> Census:
    """Every non-default EC2 object in the account: EC2 names are tags, so a retried create would add a twin."""
    vpcs = [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"] for vpc in vpcs] or ["vpc-none"]}]
    groups = [group for group in ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"] if group["GroupName"] != "default"]
    tables = [table for table in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"]
              if not any(item.get("Main") for item in table.get("Associations", []))]
    routes = [route for table in tables for route in table["Routes"] if route.get("GatewayId", "local") != "local"]
    associations = [item for table in tables for item in table.get("Associations", []) if item.get("SubnetId")]
    return [
        ("VPCs", len(vpcs), 1),
        ("subnets", len(ec2.describe_subnets(Filters=in_vpc)["Subnets"]), 2),
        ("internet gateways", len(ec2.describe_internet_gateways()["InternetGateways"]), 1),
        ("route tables besides the main one", len(tables), 1),
        ("routes to the gateway", len(routes), 1),
        ("subnet associations", len(associations), 2),
        ("security groups besides the default one", len(groups), 2),
        ("ingress rules", sum(len(group["IpPermissions"]) for group in groups), 3),
    ]


def service_census(client: t.Callable[[str], t.Any]) -> Census:
    """Every other resource of the stack, counted over the whole (freshly reset) account."""
    role_policies = client("iam").list_attached_role_policies(RoleName=PREFIX + "-execution")["AttachedPolicies"] \
        if any(role["RoleName"] == PREFIX + "-execution" for role in client("iam").list_roles()["Roles"]) else []
    return [
        ("DB subnet groups", len(client("rds").describe_db_subnet_groups()["DBSubnetGroups"]), 1),
        ("DB instances", len(client("rds").describe_db_instances()["DBInstances"]), 1),
        ("S3 buckets", len(client("s3").list_buckets()["Buckets"]), 1),
        ("secrets", len(client("secretsmanager").list_secrets()["SecretList"]), 1),
        ("log groups", len(client("logs").describe_log_groups(logGroupNamePrefix="/ecs/" + PREFIX)["logGroups"]), 1),
        ("IAM roles", sum(role["RoleName"].startswith(PREFIX) for role in client("iam").list_roles()["Roles"]), 1),
        ("policies attached to the role", len(role_policies), 1),
        ("active ECS clusters", active_clusters(client("ecs")), 1),
        ("ECR repositories", len(client("ecr").describe_repositories()["repositories"]), 1),
        ("active task definition revisions", len(client("ecs").list_task_definitions(status="ACTIVE")["taskDefinitionArns"]), 1),
        ("target groups", len(client("elbv2").describe_target_groups()["TargetGroups"]), 1),
        ("load balancers", len(client("elbv2").describe_load_balancers()["LoadBalancers"]), 1),
    ]


def active_clusters(ecs: t.Any) -> int:
    """Deleted clusters stay listed (INACTIVE) for a while, in AWS as in moto."""
    arns = ecs.list_clusters()["clusterArns"]
    return sum(cluster["status"] == "ACTIVE" for cluster in ecs.describe_clusters(clusters=arns)["clusters"]) if arns else 0


def census(aws_env: t.Dict[str, str]) -> Census:
    client = clients(aws_env)
    return network_census(client("ec2")) + service_census(client)


def run_stack(proxy: FaultProxy, aws_env: t.Dict[str, str], state: str) -> PlaybookRun:
    return run_playbook(PLAYBOOK, extra_vars={"stack_state": state}, env=dict(aws_env, AWS_ENDPOINT_URL=proxy.url))


def report(name: str, figures: t.Dict[str, t.Any]) -> None:
    """Figures for the reliability report: printed (pytest -s) and kept under .build/."""
    path = ROOT / ".build" / ("fault-injection-%s.json" % name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True))
    print("%s: %s" % (name, json.dumps({key: figures[key] for key in ("calls", "faults", "by_kind", "by_phase", "lost_answers")})))


def assert_faults_were_meaningful(figures: t.Dict[str, t.Any], phases: t.Sequence[str]) -> None:
    assert figures["calls"] >= 100, figures
    assert figures["faults"] >= 0.1 * figures["calls"], figures
    assert set(figures["by_kind"]) == set(KINDS), figures
    for phase in phases:
        assert figures["by_phase"].get(phase, 0) >= 5, figures
    faulted_creates = [label for label in figures["faults_by_action"] if ":Create" in label or ":Register" in label]
    assert faulted_creates, figures


def lost_answers(figures: t.Dict[str, t.Any]) -> t.List[str]:
    """The mutating actions at least one of whose answers was lost after moto applied the call."""
    return sorted(label for label, faults in figures["faults_by_action"].items()
                  if is_mutating(label.split(":", 1)[1]) and any(key.endswith("/" + AFTER) for key in faults))


def build_through(proxy: FaultProxy, aws_env: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    """Build under faults, count every resource in moto itself, then rerun without faults: nothing may change."""
    built = run_stack(proxy, aws_env, "present")
    assert built.rc == 0, built.tail(60)
    assert built.recap["changed"] == 17, built.tail(60)
    found = census(aws_env)
    assert [item for item in found if item[1] != item[2]] == [], found
    figures = dict(proxy.counts(), census=found)

    proxy.set_rate(0)
    rerun = run_stack(proxy, aws_env, "present")
    assert rerun.rc == 0, rerun.tail(60)
    assert rerun.recap["changed"] == 0, rerun.tail(60)
    return figures


def tear_down_through(proxy: FaultProxy, aws_env: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    """Tear down under faults: every task reports its deletion and nothing is left in moto."""
    proxy.reset_counts()
    torn_down = run_stack(proxy, aws_env, "absent")
    assert torn_down.rc == 0, torn_down.tail(60)
    assert torn_down.recap["changed"] == 16, torn_down.tail(60)
    left = census(aws_env)
    assert [item for item in left if item[1] != 0] == [], left
    figures = proxy.counts()
    with urllib.request.urlopen(proxy.url + "/__faults__", timeout=10) as answer:  # the same figures over HTTP
        assert json.load(answer) == json.loads(json.dumps(figures))
    return figures


@pytest.mark.parametrize("phases, lose_first", [((BEFORE,), False), ((BEFORE, AFTER), True)], ids=["refused", "answer-lost"])
def test_stack_survives_faults_without_duplicates(aws_env: t.Dict[str, str], phases: t.Tuple[str, ...], lose_first: bool) -> None:
    with FaultProxy(aws_env["AWS_ENDPOINT_URL"], rate=RATE, seed=20260 + len(phases), phases=phases,
                    lose_first_answers=lose_first) as proxy:
        built = build_through(proxy, aws_env)
        proxy.set_rate(RATE, lose_first_answers=lose_first)
        torn_down = tear_down_through(proxy, aws_env)

    built["lost_answers"], torn_down["lost_answers"] = lost_answers(built), lost_answers(torn_down)
    report("build-" + "-".join(phases), built)
    report("teardown-" + "-".join(phases), torn_down)
    assert_faults_were_meaningful(built, phases)
    assert torn_down["faults"] >= 10, torn_down
    if lose_first:
        # Every create of the stack met a lost answer, and so did every delete of the teardown.
        assert {"ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateSecurityGroup", "ecs:RegisterTaskDefinition",
                "rds:CreateDBInstance", "elasticloadbalancing:CreateLoadBalancer"} <= set(built["lost_answers"]), built
        assert {"ec2:DeleteVpc", "rds:DeleteDBInstance", "ecs:DeregisterTaskDefinition"} <= set(torn_down["lost_answers"])


def test_prd_environment_up_through_faults(aws_env: t.Dict[str, str]) -> None:
    """`up` of the example prd environment with 20 % of its calls faulted (answers lost too), then a clean rerun."""
    from test_interrupted import EXPECTED_PRD, PRD, aws_counts  # pylint: disable=import-outside-toplevel
    env = dict(aws_env, AGNO_DB_PASSWORD=secret("faulted-pw-7a2b"))
    with FaultProxy(aws_env["AWS_ENDPOINT_URL"], rate=RATE, seed=4242, phases=(BEFORE, AFTER), lose_first_answers=True) as proxy:
        built = run_playbook("agno.infra.up", inventory=PRD, env=dict(env, AWS_ENDPOINT_URL=proxy.url))
        assert built.rc == 0, built.tail(60)
        figures = dict(proxy.counts())
        proxy.set_rate(0)
        rerun = run_playbook("agno.infra.up", inventory=PRD, env=dict(env, AWS_ENDPOINT_URL=proxy.url))
        assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail(60)
    assert aws_counts(env) == EXPECTED_PRD
    figures["lost_answers"] = lost_answers(figures)
    report("prd-up", figures)
    assert figures["faults"] >= 0.1 * figures["calls"] and len(figures["lost_answers"]) >= 10, figures
