"""Interrupted runs: ansible-playbook killed at several points of `up` (AWS and Docker); a rerun converges to the
same end state with exactly one of every resource, and `down` leaves nothing behind. And the Docker engine
restarted under a running `up`: the failure says so in one sentence, and the rerun converges."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time
import typing as t

import pytest

from harness import ROOT, PlaybookRun, ansible_env, keep_output, playbook_command, ready_images, run_playbook, secret

PRD = ready_images()
DEV = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
KILL_AFTER_AWS = (1.5, 2.5, 3.5, 4.5)
DEV_VARS = {"agno_env_name": "agent-app-int", "agno_api_port": "28200", "agno_ui_port": "28700"}


def descendants(pid: int) -> t.List[int]:
    """Every process below pid. Ansible's workers start sessions of their own, so the process group misses them
    and their modules: killed by group, a module would run on, orphaned, next to the rerun."""
    children: t.Dict[int, t.List[int]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid: int) -> None:
    """Stop the whole tree first (no process can start another or be re-parented meanwhile), then kill it."""
    tree = [pid] + descendants(pid)
    for signal_number in (signal.SIGSTOP, signal.SIGKILL):
        for member in tree:
            try:
                os.kill(member, signal_number)
            except ProcessLookupError:
                pass


def killed_after(seconds: float, playbook: str, inventory: t.Any, env: t.Dict[str, str], extra: t.Dict[str, str]) -> t.Optional[int]:
    """Start ansible-playbook and SIGKILL it and all its processes (workers, modules) after `seconds`, as a crash or
    a cancelled job whose container goes away would; None when it finished first."""
    command = playbook_command(playbook, extra_vars=extra, inventory=inventory)
    process = subprocess.Popen(command, env=ansible_env(env), cwd=str(ROOT), stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        kill_tree(process.pid)
        process.wait()
        return None


def aws_counts(env: t.Dict[str, str]) -> t.Dict[str, int]:
    """Everything the prd environment can leave in the account, counted directly."""
    import boto3  # pylint: disable=import-outside-toplevel

    def client(service: str) -> t.Any:
        return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    ec2, ecs = client("ec2"), client("ecs")
    clusters = ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"] if ecs.list_clusters()["clusterArns"] else []
    active = [cluster["clusterName"] for cluster in clusters if cluster["status"] == "ACTIVE"]
    return {
        "vpcs": len([vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]]),
        "subnets": len([s for s in ec2.describe_subnets()["Subnets"] if not s.get("DefaultForAz")]),
        "security groups": len([g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"]),
        "route tables": len([r for r in ec2.describe_route_tables()["RouteTables"] if not any(a.get("Main") for a in r["Associations"])]),
        "internet gateways": len(ec2.describe_internet_gateways()["InternetGateways"]),
        "nat gateways": len([n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] not in ("deleted", "deleting")]),
        "elastic ips": len(ec2.describe_addresses()["Addresses"]),
        "db instances": len(client("rds").describe_db_instances()["DBInstances"]),
        "cache groups": len([g for g in client("elasticache").describe_replication_groups()["ReplicationGroups"] if g["Status"] != "deleting"]),
        "secrets": len([s for s in client("secretsmanager").list_secrets()["SecretList"] if not s.get("DeletedDate")]),
        "buckets": len(client("s3").list_buckets()["Buckets"]),
        "repositories": len(client("ecr").describe_repositories()["repositories"]),
        "log groups": len(client("logs").describe_log_groups()["logGroups"]),
        "roles": len(client("iam").list_roles()["Roles"]),
        "load balancers": len(client("elbv2").describe_load_balancers()["LoadBalancers"]),
        "target groups": len(client("elbv2").describe_target_groups()["TargetGroups"]),
        "clusters": len(active),
        "services": sum(len(ecs.list_services(cluster=name)["serviceArns"]) for name in active),
    }


EXPECTED_PRD = {"vpcs": 1, "subnets": 4, "security groups": 4, "route tables": 2, "internet gateways": 1, "nat gateways": 1,
                "elastic ips": 1, "db instances": 1, "cache groups": 1, "secrets": 3, "buckets": 1, "repositories": 3,
                "log groups": 3, "roles": 2, "load balancers": 1, "target groups": 2, "clusters": 1, "services": 3}


@pytest.mark.aws
def test_prd_up_killed_at_several_points_converges_without_duplicates(aws_env: t.Dict[str, str]) -> None:
    env = dict(aws_env, AGNO_DB_PASSWORD=secret("interrupted-pw-4c1d"))
    finished_early = [seconds for seconds in KILL_AFTER_AWS if killed_after(seconds, "agno.infra.up", PRD, env, {}) is not None]
    assert len(finished_early) < len(KILL_AFTER_AWS), "no run was interrupted"
    up = run_playbook("agno.infra.up", inventory=PRD, env=env)
    assert up.rc == 0, up.tail()
    assert aws_counts(env) == EXPECTED_PRD
    rerun = run_playbook("agno.infra.up", inventory=PRD, env=env)
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail()
    # A teardown killed half-way is finished by the next one.
    killed_after(2.0, "agno.infra.down", PRD, env, {"delete_data": "true"})
    down = run_playbook("agno.infra.down", inventory=PRD, env=env, extra_vars={"delete_data": "true"})
    assert down.rc == 0, down.tail()
    assert set(aws_counts(env).values()) == {0}


@pytest.mark.aws
def test_two_prd_ups_at_once_make_one_of_everything(aws_env: t.Dict[str, str]) -> None:
    """The second run waits for the first one's lock, then finds everything made: no twin VPC, no 'already exists'."""
    env = ansible_env(dict(aws_env, AGNO_DB_PASSWORD=secret("concurrent-pw-9b3e")))
    runs = [subprocess.Popen(playbook_command("agno.infra.up", inventory=PRD), env=env, cwd=str(ROOT),  # pylint: disable=consider-using-with
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _twice in range(2)]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    done = [PlaybookRun(run.returncode, output) for run, output in zip(runs, outputs)]
    for run in done:
        keep_output("agno.infra.up", run.output)
    assert [run.rc for run in done] == [0, 0], "\n".join(run.tail(40) for run in done)
    assert sorted(run.recap["changed"] for run in done) == [0, 1]
    assert aws_counts(aws_env) == EXPECTED_PRD


def dev_containers() -> t.List[str]:
    command = ["docker", "ps", "-a", "--format", "{{.Names}}", "--filter", "label=io.agno.env=" + DEV_VARS["agno_env_name"]]
    return sorted(subprocess.run(command, capture_output=True, text=True, check=True).stdout.split())


def dev_volumes() -> t.List[str]:
    names = subprocess.run(["docker", "volume", "ls", "--format", "{{.Name}}"], capture_output=True, text=True, check=True).stdout.split()
    return sorted(name for name in names if name.startswith(DEV_VARS["agno_env_name"] + "-"))


def restart_dockerd() -> None:
    """Stop the engine (as systemctl restart docker would) and start it again."""
    subprocess.run(["pkill", "-x", "dockerd"], check=False)
    deadline = time.monotonic() + 30
    while subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True, check=False).returncode == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    subprocess.run([str(ROOT / "scripts" / "ensure-docker.sh")], check=True)


@pytest.mark.docker
def test_dev_up_killed_and_engine_restarted_converges() -> None:
    try:
        for seconds in (4.0, 12.0):
            killed_after(seconds, "agno.infra.up", DEV, {}, DEV_VARS)
        up = run_playbook("agno.infra.up", inventory=DEV, extra_vars=DEV_VARS, timeout=1800)
        assert up.rc == 0, up.tail()
        containers = dev_containers()
        assert containers == sorted("%s-%s" % (DEV_VARS["agno_env_name"], name) for name in ("api", "postgres", "redis", "ui", "worker"))
        assert dev_volumes() == ["agent-app-int-postgres-data", "agent-app-int-redis-data"]

        # The engine goes away under a running `up` (a recreate, so there is work in flight).
        command = playbook_command("agno.infra.restart", extra_vars=DEV_VARS, inventory=DEV)
        process = subprocess.Popen(command, env=ansible_env(), cwd=str(ROOT), stdout=subprocess.PIPE,  # pylint: disable=consider-using-with
                                   stderr=subprocess.STDOUT, text=True)
        time.sleep(3)
        restart_dockerd()
        output, _ignored = process.communicate(timeout=600)
        if process.returncode != 0:
            assert "Traceback" not in output
            assert "Docker" in output and ("daemon" in output or "engine" in output), output[-3000:]
        again = run_playbook("agno.infra.up", inventory=DEV, extra_vars=DEV_VARS, timeout=1800)
        assert again.rc == 0, again.tail()
        assert dev_containers() == containers
    finally:
        run_playbook("agno.infra.down", inventory=DEV, extra_vars=dict(DEV_VARS, delete_data="true"), timeout=900)
    assert dev_containers() == [] and dev_volumes() == []
