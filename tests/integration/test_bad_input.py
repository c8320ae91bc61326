"""A corpus of bad input across modules, roles and the environment schema: each case fails before any change,
with one sentence that names the field or the cause, and no Python traceback, even with -vvv.

All cases of a provider run as tasks of one playbook (one ansible-playbook process, ignore_errors), their
results are read back from a JSON file, and the provider's state is compared before and after.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import typing as t

import pytest
import yaml

from harness import run_playbook, secret

DB_PASSWORD = secret("pw-12345678")
ENV_PASSWORD = secret("a-good-password-1")

BIG = "x" * 64
# (case id, module, arguments, what the message must name)
AWS_CASES: t.List[t.Tuple[str, str, t.Dict[str, t.Any], str]] = [
    ("vpc-invalid-cidr", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.300/16"}, "10.0.0.300/16"),
    ("vpc-wrong-type", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.0/16", "enable_dns_support": "maybe"}, "enable_dns_support"),
    ("vpc-unknown-option", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.0/16", "colour": "red"}, "colour"),
    ("vpc-unknown-region", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.0/16", "region": "mars-1"}, "Unknown AWS region 'mars-1'"),
    ("vpc-unreachable-endpoint", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.0/16", "endpoint_url": "http://127.0.0.1:9",
                                             "max_attempts": 1}, "Cannot reach the AWS endpoint"),
    ("subnet-invalid-cidr", "aws_subnet", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "cidr_block": "10.98.1.0/33"},
     "10.98.1.0/33"),
    ("subnet-outside-vpc", "aws_subnet", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "cidr_block": "192.168.0.0/24"},
     "192.168.0.0/24"),
    ("subnet-overlapping", "aws_subnet", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "cidr_block": "10.98.1.128/25",
                                          "availability_zone": "us-east-1a"}, "10.98.1.128/25"),
    ("sg-port-out-of-range", "aws_security_group", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "description": "x",
                                                    "ingress": [{"port": 70000, "cidr": "0.0.0.0/0"}]}, "70000"),
    ("sg-invalid-cidr", "aws_security_group", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "description": "x",
                                               "ingress": [{"port": 443, "cidr": "0.0.0.0/99"}]}, "0.0.0.0/99"),
    ("sg-unknown-source-group", "aws_security_group", {"name": "agno-bad", "vpc_id": "{{ base.outputs.vpc.id }}", "description": "x",
                                                       "ingress": [{"port": 443, "source_security_group": "no-such-group"}]}, "no-such-group"),
    ("db-unknown-engine", "aws_db_instance", {"identifier": "agno-bad", "engine": "postgress", "instance_class": "db.t4g.micro"},
     "Unknown engine 'postgress'"),
    ("db-no-password", "aws_db_instance", {"identifier": "agno-bad", "engine": "postgres", "instance_class": "db.t4g.micro",
                                           "master_username": "app"}, "no password"),
    ("db-storage-wrong-type", "aws_db_instance", {"identifier": "agno-bad", "engine": "postgres", "instance_class": "db.t4g.micro",
                                                  "allocated_storage": "twenty"}, "allocated_storage"),
    ("db-two-passwords", "aws_db_instance", {"identifier": "agno-bad", "engine": "postgres", "instance_class": "db.t4g.micro",
                                             "master_user_password": DB_PASSWORD, "manage_master_user_password": True},
     "master_user_password"),
    ("cluster-capacity", "aws_db_cluster", {"identifier": "agno-bad", "engine": "aurora-postgresql", "master_username": "app",
                                            "master_user_password": DB_PASSWORD,
                                            "serverless_v2_scaling": {"min_capacity": 8, "max_capacity": 2}}, "min_capacity"),
    ("bucket-invalid-name", "aws_s3_bucket", {"name": "Agno_Bad"}, "Agno_Bad"),
    ("bucket-name-too-long", "aws_s3_bucket", {"name": BIG}, BIG),
    ("target-group-name-too-long", "aws_target_group", {"name": "agno-bad-target-group-name-too-long", "port": 80,
                                                        "vpc_id": "{{ base.outputs.vpc.id }}"}, "agno-bad-target-group-name-too-long"),
    ("target-group-port-zero", "aws_target_group", {"name": "agno-bad", "port": 0, "vpc_id": "{{ base.outputs.vpc.id }}"},
     "parameter Port, value: 0"),
    ("ecr-invalid-name", "aws_ecr_repository", {"name": "Agno Bad"}, "Agno Bad"),
    ("fargate-size", "aws_ecs_task_definition", {"family": "agno-bad", "cpu": 256, "memory": 4096,
                                                 "containers": [{"name": "app", "image": "x"}]}, "4096"),
    ("secrets-without-execution-role", "aws_ecs_task_definition", {
        "family": "agno-bad", "cpu": 256, "memory": 512,
        "containers": [{"name": "app", "image": "x", "secrets": {"TOKEN": "arn:aws:secretsmanager:us-east-1:1:secret:t"}}]},
     "execution_role_arn"),
    ("service-negative-count", "aws_ecs_service", {"name": "agno-bad", "cluster": "agno-bad", "task_definition": "agno-bad",
                                                   "desired_count": -1}, "desired_count"),
    ("log-retention", "aws_log_group", {"name": "/agno/bad", "retention_days": 10}, "retention_days"),
    ("secret-two-values", "aws_secret", {"name": "agno/bad", "secret_string": "a", "secret_json": {"a": 1}}, "secret_string"),
    ("role-invalid-path", "aws_iam_role", {"name": "agno-bad", "path": "no-slash", "assume_role_policy": {"Version": "2012-10-17"}},
     "path"),
    ("policy-invalid-json", "aws_iam_policy", {"name": "agno-bad", "policy": "{not json"}, "policy"),
    ("listener-https-without-certificate", "aws_listener", {"load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:1:lb/app/x/y",
                                                            "port": 443, "protocol": "HTTPS", "target_group_arn": "arn:x"},
     "certificate"),
    ("certificate-invalid-domain", "aws_acm_certificate", {"domain_name": "bad_domain.example.com"}, "bad_domain.example.com"),
    ("cache-invalid-name", "aws_elasticache", {"name": "Agno_Cache", "node_type": "cache.t4g.micro"}, "Agno_Cache"),
    ("scaling-min-above-max", "aws_autoscaling", {"cluster": "agno-bad", "service": "api", "min_capacity": 5, "max_capacity": 2,
                                                  "target_cpu": 50}, "max_capacity"),
    ("stack-missing-template", "aws_cloudformation_stack", {"name": "agno-bad", "template_file": "/nonexistent/template.yml"},
     "/nonexistent/template.yml"),
]
MISSING_CREDENTIALS = ("vpc-missing-credentials", "aws_vpc", {"name": "agno-bad", "cidr_block": "10.0.0.0/16"}, "No AWS credentials")

DOCKER_CASES: t.List[t.Tuple[str, str, t.Dict[str, t.Any], str]] = [
    ("container-port-out-of-range", "docker_container", {"name": "agno-bad", "image": "agno-infra/debian:bookworm",
                                                         "ports": ["70000:80"]}, "70000"),
    ("container-image-not-found", "docker_container", {"name": "agno-bad", "image": "agno-bad/nothing:1"}, "agno-bad/nothing:1"),
    ("container-daemon-unreachable", "docker_container", {"name": "agno-bad", "image": "x", "docker_host": "unix:///nonexistent.sock"},
     "Cannot reach the Docker daemon"),
    ("container-secret-env-not-a-string", "docker_container", {"name": "agno-bad", "image": "agno-infra/debian:bookworm",
                                                               "command": ["sleep", "60"], "secret_env": {"TOKEN": {"nested": 1}}},
     "secret_env.TOKEN"),
    ("container-unknown-option", "docker_container", {"name": "agno-bad", "image": "agno-infra/debian:bookworm", "privileged": True},
     "privileged"),
    ("network-invalid-subnet", "docker_network", {"name": "agno-bad", "ipam": [{"subnet": "10.0.0.0/99"}]}, "10.0.0.0/99"),
    ("volume-wrong-type", "docker_volume", {"name": "agno-bad", "labels": "not-a-dict"}, "labels"),
    ("image-missing-context", "docker_image", {"name": "agno-bad/app", "source": "build", "build": {"path": "/nonexistent/context"}},
     "/nonexistent/context"),
]

GOOD_ENV = {"name": "agno-bad-env", "target": "docker", "postgres": {"enabled": True}, "redis": {"enabled": True},
            "apps": [{"name": "api", "kind": "fastapi", "image": "agno-infra/debian:bookworm", "port": 8000}]}
ENV_CASES: t.List[t.Tuple[str, t.Dict[str, t.Any], str]] = [
    ("env-wrong-type", {"apps": [dict(GOOD_ENV["apps"][0], port="eighty")]}, "agno_env.apps[0].port"),
    ("env-port-out-of-range", {"apps": [dict(GOOD_ENV["apps"][0], port=70000)]}, "agno_env.apps[0].port"),
    ("env-unknown-app-kind", {"apps": [dict(GOOD_ENV["apps"][0], kind="rails")]}, "agno_env.apps[0].kind"),
    ("env-missing-required", {"apps": [{"kind": "fastapi", "image": "x"}]}, "agno_env.apps[0]: 'name' is a required property"),
    ("env-invalid-name", {"name": "Bad_Name"}, "agno_env.name"),
    ("env-unknown-key", {"colour": "red"}, "'colour' was unexpected"),
    ("env-duplicate-apps", {"apps": [GOOD_ENV["apps"][0], GOOD_ENV["apps"][0]]}, "agno_env.apps[1].name"),
    ("env-undefined-secret", {"apps": [dict(GOOD_ENV["apps"][0], secret_env={"KEY": "nope"})]}, "agno_env.apps[0].secret_env.KEY"),
    ("env-unknown-dependency", {"apps": [dict(GOOD_ENV["apps"][0], depends_on=["ghost"])]}, "agno_env.apps[0].depends_on"),
    ("env-public-host-ip", {"docker": {"host_ip": "0.0.0.0"}}, "agno_env.docker.host_ip"),
    ("env-aws-build-without-registry", {"target": "aws", "aws": {"ecr": False}, "apps": [{"name": "api", "kind": "fastapi", "source": "/"}]},
     "agno_env.apps[0].source: an image built on aws is pushed to ECR or to aws.registry"),
    ("env-aws-short-password", {"target": "aws"}, "agno_env.postgres.password_secret"),
    ("env-nested-setting", {"apps": [dict(GOOD_ENV["apps"][0], env={"OPTIONS": {"debug": True}})]}, "agno_env.apps[0].env.OPTIONS"),
    # Overlaps: one path, one port of the host, one name for each part.
    ("env-aws-same-path", {"target": "aws", "apps": [dict(GOOD_ENV["apps"][0], path="/api/*"),
                                                     dict(GOOD_ENV["apps"][0], name="admin", path="/api/*")]},
     "agno_env.apps[1].path: app admin would get no request: app api's path /api/* comes first"),
    ("env-same-host-port", {"apps": [GOOD_ENV["apps"][0], dict(GOOD_ENV["apps"][0], name="admin")]},
     "agno_env.apps[1].host_port: app api and app admin both publish port 8000 of host_ip"),
    ("env-app-named-like-a-service", {"apps": [dict(GOOD_ENV["apps"][0], name="redis")]}, "agno_env.apps[0].name: 'redis' is taken by"),
    # Values Docker and AWS define, which would otherwise fail half-way through a parallel converge.
    ("env-variable-name-with-space", {"apps": [dict(GOOD_ENV["apps"][0], env={"LOG LEVEL": "info"})]},
     "agno_env.apps[0].env: 'LOG LEVEL' does not match"),
    ("env-missing-source", {"apps": [{"name": "api", "kind": "fastapi", "source": "/nonexistent/agno-api"}]},
     "agno_env.apps[0].source: /nonexistent/agno-api is not a directory on this host"),
    ("env-aws-missing-source", {"target": "aws", "apps": [dict(GOOD_ENV["apps"][0], source="/nonexistent/agno-api")]},
     "agno_env.apps[0].source: /nonexistent/agno-api is not a directory on this host"),
    ("env-invalid-image", {"apps": [dict(GOOD_ENV["apps"][0], image="Agno/API:1")]}, "agno_env.apps[0].image: 'Agno/API:1' is not an image"),
    ("env-aws-zone-of-another-region", {"target": "aws", "aws": {"availability_zones": ["eu-west-1a", "eu-west-1b"]}},
     "agno_env.aws.availability_zones[0]: eu-west-1a is not a zone of region us-east-1"),
    ("env-aws-unknown-instance-class", {"target": "aws", "aws": {"postgres": {"instance_class": "db.t4g.mirco"}}},
     "agno_env.aws.postgres.instance_class: 'db.t4g.mirco' is not an RDS instance class"),
    ("env-aws-unknown-node-type", {"target": "aws", "aws": {"redis": {"node_type": "cache.t4g.huge"}}},
     "agno_env.aws.redis.node_type: 'cache.t4g.huge' is not an ElastiCache node type"),
]
# A selection that picks nothing (a misspelt app name) is refused rather than leaving everything untouched.
SELECTION_CASES: t.List[t.Tuple[str, str, t.Dict[str, t.Any], str]] = [
    ("env-limit-picks-nothing", "environment", {"spec": GOOD_ENV, "secrets": {"postgres_password": ENV_PASSWORD}, "limit": ["apii"]},
     "limit (agno_limit in the playbooks) has 'apii', which picks no resource of environment agno-bad-env"),
    ("env-restart-picks-nothing", "environment", {"spec": GOOD_ENV, "secrets": {"postgres_password": ENV_PASSWORD}, "recreate": ["uii"]},
     "recreate (agno_restart in the playbooks) has 'uii'"),
    # The converge audits first: a secret in a plain environment value blocks it before any change.
    ("env-audit-blocks-plain-secret", "environment", {"spec": dict(GOOD_ENV, apps=[dict(GOOD_ENV["apps"][0], env={"API_TOKEN": "tok-123"})]),
                                                      "secrets": {"postgres_password": ENV_PASSWORD}},
     "The security audit found 1 finding(s) at or above high severity: AGNO-SEC-001 api"),
    ("resources-limit-picks-nothing", "resources", {"resources": [{"id": "net", "type": "docker_network", "params": {"name": "agno-bad-net"}}],
                                                    "limit": ["nett"]}, "limit has 'nett', which picks no resource of the list"),
]
ROLE_CASES: t.List[t.Tuple[str, str, t.Dict[str, t.Any], str]] = [
    ("role-fastapi-wrong-type", "agno.infra.fastapi", {"fastapi_app": "api", "fastapi_environment": GOOD_ENV}, "fastapi_app"),
    ("role-postgres-bad-state", "agno.infra.postgres", {"postgres_environment": GOOD_ENV, "postgres_state": "gone"}, "postgres_state"),
    ("role-network-missing-name", "agno.infra.aws_network", {"aws_network_cidr": "10.0.0.0/16"}, "aws_network_name"),
]


def case_task(case: str, module: str, args: t.Dict[str, t.Any], environment: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
    task: t.Dict[str, t.Any] = {"name": case, "agno.infra." + module: args, "register": "result", "ignore_errors": True}
    if environment:
        task["environment"] = environment
    return task


def collect(case: str) -> t.Dict[str, t.Any]:
    """Append the case's result to the list written at the end."""
    return {"name": "keep " + case, "ansible.builtin.set_fact": {"outcomes": "{{ outcomes + [{'case': '%s', 'result': result}] }}" % case}}


def role_case(case: str, role: str, variables: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    return {"name": case, "block": [{"name": "include " + role, "ansible.builtin.include_role": {"name": role}, "vars": variables}],
            "rescue": [{"name": "keep the failure", "ansible.builtin.set_fact": {"result": "{{ ansible_failed_result }}"}}]}


def playbook(tmp_path: pathlib.Path, setup: t.List[t.Dict[str, t.Any]], tasks: t.List[t.Dict[str, t.Any]]) -> pathlib.Path:
    out = tmp_path / "outcomes.json"
    body = list(setup) + [{"name": "start", "ansible.builtin.set_fact": {"outcomes": []}}] + tasks
    body.append({"name": "write the outcomes", "ansible.builtin.copy": {"content": "{{ outcomes | to_json }}", "dest": str(out)}})
    path = tmp_path / "cases.yml"
    path.write_text(yaml.safe_dump([{"name": "bad input", "hosts": "localhost", "gather_facts": False, "tasks": body}], sort_keys=False))
    return path


def check_outcomes(run_output: str, outcomes_file: pathlib.Path, expected: t.Dict[str, str]) -> None:
    assert "Traceback (most recent call last)" not in run_output
    outcomes = {item["case"]: item["result"] for item in json.loads(outcomes_file.read_text())}
    assert sorted(outcomes) == sorted(expected)
    problems = []
    for case, needle in expected.items():
        result = outcomes[case]
        message = str(result.get("msg", ""))
        # Role argument checks are Ansible's own: "Validation of arguments failed:" and the problem on the next line.
        one_sentence = "\n" not in message.replace("Validation of arguments failed:\n", "").strip()
        if not result.get("failed") or result.get("changed") or needle not in message or not one_sentence:
            problems.append("%s: failed=%s changed=%s msg=%r" % (case, result.get("failed"), result.get("changed"), message[:300]))
    assert problems == [], "\n".join(problems)


def aws_state(env: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    import boto3  # pylint: disable=import-outside-toplevel

    def client(service: str) -> t.Any:
        return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    ec2 = client("ec2")
    return {
        "vpcs": sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]),
        "subnets": sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
        "groups": sorted(g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]),
        "dbs": [d["DBInstanceIdentifier"] for d in client("rds").describe_db_instances()["DBInstances"]],
        "clusters": [d["DBClusterIdentifier"] for d in client("rds").describe_db_clusters()["DBClusters"]],
        "buckets": [b["Name"] for b in client("s3").list_buckets()["Buckets"]],
        "repositories": [r["repositoryName"] for r in client("ecr").describe_repositories()["repositories"]],
        "task definitions": client("ecs").list_task_definitions()["taskDefinitionArns"],
        "log groups": [g["logGroupName"] for g in client("logs").describe_log_groups()["logGroups"]],
        "secrets": [s["Name"] for s in client("secretsmanager").list_secrets()["SecretList"]],
        "roles": [r["RoleName"] for r in client("iam").list_roles()["Roles"]],
        "policies": [p["PolicyName"] for p in client("iam").list_policies(Scope="Local")["Policies"]],
        "target groups": [g["TargetGroupName"] for g in client("elbv2").describe_target_groups()["TargetGroups"]],
        "certificates": client("acm").list_certificates()["CertificateSummaryList"],
        "caches": client("elasticache").describe_replication_groups()["ReplicationGroups"],
        "stacks": client("cloudformation").list_stacks()["StackSummaries"],
    }


@pytest.mark.aws
def test_aws_bad_input(tmp_path: pathlib.Path, aws_env: t.Dict[str, str]) -> None:
    setup = [{"name": "a VPC and a subnet the cases refer to", "register": "base", "agno.infra.resources": {"resources": [
        {"id": "vpc", "type": "aws_vpc", "params": {"name": "agno-bad-base", "cidr_block": "10.98.0.0/16"}},
        {"id": "a", "type": "aws_subnet", "params": {"name": "agno-bad-base-a", "vpc_id": "${vpc.id}", "cidr_block": "10.98.1.0/24",
                                                     "availability_zone": "us-east-1a"}}]}}]
    tasks = []
    for case, module, args, _needle in AWS_CASES:
        tasks += [case_task(case, module, args), collect(case)]
    case, module, args, _needle = MISSING_CREDENTIALS
    no_credentials = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                      "AWS_CONFIG_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true"}
    tasks += [case_task(case, module, args, no_credentials), collect(case)]
    prepared = run_playbook(playbook(tmp_path, setup, []), env=aws_env)
    assert prepared.rc == 0, prepared.tail()
    before = aws_state(aws_env)
    run = run_playbook(playbook(tmp_path, setup, tasks), "-vvv", env=aws_env, timeout=900)
    assert run.rc == 0, run.tail()
    assert aws_state(aws_env) == before
    check_outcomes(run.output, tmp_path / "outcomes.json", {case: needle for case, _m, _a, needle in AWS_CASES + [MISSING_CREDENTIALS]})


def docker_objects() -> t.List[str]:
    listing = []
    for command in (["docker", "ps", "-a", "--format", "{{.Names}}"], ["docker", "network", "ls", "--format", "{{.Name}}"],
                    ["docker", "volume", "ls", "--format", "{{.Name}}"], ["docker", "images", "--format", "{{.Repository}}"]):
        listing += [name for name in subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
                    if name.startswith("agno-bad")]
    return sorted(listing)


@pytest.mark.docker
def test_docker_environment_and_role_bad_input(tmp_path: pathlib.Path) -> None:
    tasks = []
    for case, module, args, _needle in DOCKER_CASES + SELECTION_CASES:
        tasks += [case_task(case, module, args), collect(case)]
    for case, change, _needle in ENV_CASES:
        spec = dict(GOOD_ENV, **change)
        secrets = {"postgres_password": "short" if case == "env-aws-short-password" else ENV_PASSWORD}
        # The region an aws environment is rendered for (no AWS call is made: each case fails before any).
        tasks += [case_task(case, "environment", {"spec": spec, "secrets": secrets, "region": "us-east-1"}), collect(case)]
    for case, role, variables, _needle in ROLE_CASES:
        tasks += [role_case(case, role, variables), collect(case)]
    run = run_playbook(playbook(tmp_path, [], tasks), "-vvv", timeout=900)
    assert run.rc == 0, run.tail()
    expected = {case: needle for case, _m, _a, needle in DOCKER_CASES + SELECTION_CASES}
    expected.update({case: needle for case, _c, needle in ENV_CASES})
    expected.update({case: needle for case, _r, _v, needle in ROLE_CASES})
    check_outcomes(run.output, tmp_path / "outcomes.json", expected)
    assert docker_objects() == []


def test_up_with_a_bad_inventory_fails_before_any_change(tmp_path: pathlib.Path) -> None:
    inventory = tmp_path / "bad.yml"
    bad = dict(GOOD_ENV, name="agno-bad-up", apps=[dict(GOOD_ENV["apps"][0], port="eighty")])
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}},
                                                 "vars": {"agno_env": bad, "agno_secrets": {"postgres_password": ENV_PASSWORD}}}}))
    run = run_playbook("agno.infra.up", "-vvv", inventory=inventory)
    assert run.rc != 0 and "Traceback (most recent call last)" not in run.output
    assert "agno_env.apps[0].port: 'eighty' is not of type 'integer'" in run.output
    assert run.recap["changed"] == 0 and run.recap["ok"] == 0


def test_the_corpus_is_large_enough() -> None:
    assert len(AWS_CASES) + 1 + len(DOCKER_CASES) + len(SELECTION_CASES) + len(ENV_CASES) + len(ROLE_CASES) + 1 >= 40
