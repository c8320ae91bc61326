"""agno.infra.logs and agno.infra.run on both targets: a small dev environment's api on the real Docker engine, and CloudWatch Logs events
put straight into moto (the playbook needs nothing of the environment but its log group)."""

from __future__ import annotations

import datetime
import json
import pathlib
import signal
import subprocess
import time
import typing as t
import urllib.request

import pytest
import yaml

from harness import ROOT, PlaybookRun, ansible_env, keep_output, playbook_command, run_playbook, secret, shown_lines

UNKNOWN = "Environment %s has no app web: agno_app takes api."


def write_inventory(directory: pathlib.Path, env: t.Dict[str, t.Any], secrets: t.Dict[str, str]) -> pathlib.Path:
    path = directory / ("%s.yml" % env["name"])
    inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}, "vars": {"agno_env": env, "agno_secrets": secrets}}}
    path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return path


RUN_LINES_TASK = "TASK [Show the command's output]"


def logged(run: PlaybookRun) -> t.List[str]:
    return shown_lines(run, "TASK [Show the log lines, newest last]")


def logs(inventory: pathlib.Path, env: t.Optional[t.Dict[str, str]] = None, **extra: str) -> PlaybookRun:
    # As JSON, so that a value may hold spaces (agno_grep). -vvv: the session-wide secret scan covers the module's
    # arguments and result too.
    return run_playbook("agno.infra.logs", "-vvv", "-e", json.dumps(extra), inventory=inventory, env=env, timeout=300)


# ---- docker ----------------------------------------------------------------------------------------------------------
DEV_NAME = "agent-app-logs"
API = "http://127.0.0.1:28700"
DEV_PASSWORD = secret("logs-it-password-7c41e9")
DEV_ENV = {"name": DEV_NAME, "target": "docker",
           # As the example dev inventory: trusted inside the images too, needed behind a TLS-intercepting proxy.
           "docker": {"host_ip": "127.0.0.1", "extra_ca_certificates": ["/usr/local/share/ca-certificates"]},
           "postgres": {"enabled": True, "pgvector": True, "database": "app", "user": "app"},
           "apps": [{"name": "api", "kind": "fastapi", "source": str(ROOT / "examples" / "agent-app" / "api"), "module": "main:app",
                     "port": 8000, "host_port": 28700}]}


@pytest.fixture(scope="module")
def dev_inventory(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[pathlib.Path]:
    inventory = write_inventory(tmp_path_factory.mktemp("logs-dev"), DEV_ENV, {"postgres_password": DEV_PASSWORD})
    try:
        yield inventory
    finally:
        run_playbook("agno.infra.down", inventory=inventory, extra_vars={"agno_delete_data": "true"}, timeout=600)


def get(path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(API + path, timeout=10):  # noqa: S310 - the test's loopback URL
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@pytest.mark.docker
def test_docker_logs_show_the_api_request_filter_and_limit(dev_inventory: pathlib.Path) -> None:
    up = run_playbook("agno.infra.up", inventory=dev_inventory, timeout=1800)
    assert up.rc == 0, up.failures() or up.tail()
    get("/health")
    get("/notes")

    started = time.monotonic()
    shown = logs(dev_inventory, agno_app="api")
    print("agno.infra.logs on docker: %.1f s" % (time.monotonic() - started))
    assert shown.rc == 0 and shown.recap["changed"] == 0, shown.tail()
    lines = logged(shown)
    assert all(line.startswith("api | ") for line in lines) and 0 < len(lines) <= 100, lines
    assert any('"GET /notes HTTP/1.1" 200' in line for line in lines), lines
    # Newest last: the request came after the server started.
    assert max(i for i, line in enumerate(lines) if "GET /notes" in line) > min(i for i, line in enumerate(lines) if "Uvicorn running" in line)

    grepped = logged(logs(dev_inventory, agno_app="api", agno_grep="GET /notes"))
    assert grepped and all("GET /notes" in line for line in grepped), grepped
    # The container's health checks keep logging: the newest line is one of the api's, whichever it is by then.
    newest = logged(logs(dev_inventory, agno_lines="1"))
    assert len(newest) == 1 and newest[0].startswith("api | "), newest
    future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = logs(dev_inventory, agno_since=future)
    assert later.rc == 0 and logged(later) == [] and "oldest first: api 0." in later.output

    unknown = logs(dev_inventory, agno_app="web")
    assert unknown.rc != 0 and UNKNOWN % DEV_NAME in unknown.output, unknown.tail()
    bad = logs(dev_inventory, agno_since="yesterday")
    assert bad.rc != 0 and "agno_since (since) 'yesterday' is neither a duration nor a time" in bad.output


def run(inventory: pathlib.Path, command: t.Any, *args: str, **extra: t.Any) -> PlaybookRun:
    return run_playbook("agno.infra.run", "-vvv", "-e", json.dumps(dict(extra, agno_app="api", agno_command=command)), *args,
                        inventory=inventory, timeout=300)


def run_containers() -> t.List[t.Any]:
    import docker  # pylint: disable=import-outside-toplevel
    return list(docker.from_env().containers.list(all=True, filters={"label": "io.agno.run"}))


# The app's own settings: its secret URL (masked in the output), its user, and Postgres on its network.
PROBE = ("import os, socket, urllib.parse; url = os.environ['DATABASE_URL']; print('url', url); parsed = urllib.parse.urlsplit(url); "
         "socket.create_connection((parsed.hostname, parsed.port or 5432), timeout=10).close(); "
         "print('reached', parsed.hostname, 'as uid', os.getuid())")


@pytest.mark.docker
def test_docker_run_is_a_throwaway_with_the_apps_settings_removed_in_every_case(dev_inventory: pathlib.Path) -> None:
    up = run_playbook("agno.infra.up", inventory=dev_inventory, timeout=1800)
    assert up.rc == 0, up.failures() or up.tail()

    started = time.monotonic()
    probed = run(dev_inventory, ["python", "-c", PROBE])
    print("agno.infra.run on docker: %.1f s" % (time.monotonic() - started))
    assert probed.rc == 0, probed.tail()
    lines = shown_lines(probed, RUN_LINES_TASK)
    assert lines[0] == "url ********" and lines[1].startswith("reached postgres as uid ") and lines[1] != "reached postgres as uid 0", lines
    assert "in app api (container agent-app-logs-api-run-" in probed.output and run_containers() == []

    failed = run(dev_inventory, "python -c 'import sys; print(\"no table notes\"); sys.exit(3)'")
    assert failed.rc != 0 and failed.recap["failed"] == 1, failed.tail()
    assert shown_lines(failed, RUN_LINES_TASK) == ["no table notes"]
    assert "The command python -c 'import sys; print(\"no table notes\"); sys.exit(3)' in app api exited with 3" in failed.output
    late = run(dev_inventory, ["sleep", "60"], agno_run_timeout=3)
    assert late.rc != 0 and "The command sleep 60 was still running after 3 s and was stopped" in late.output, late.tail()
    assert run_containers() == []

    # Interrupted (Ctrl-C, a cancelled AWX job): ansible-playbook stops the module, which removes its container.
    command = playbook_command("agno.infra.run", "-e", json.dumps({"agno_app": "api", "agno_command": ["sleep", "300"]}),
                               inventory=dev_inventory)
    with subprocess.Popen(command, env=ansible_env(), cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as running:
        deadline = time.monotonic() + 120
        while not [item for item in run_containers() if item.status == "running"]:
            assert time.monotonic() < deadline and running.poll() is None, "no run container started"
            time.sleep(0.5)
        running.send_signal(signal.SIGINT)
        output = running.communicate(timeout=60)[0]
    keep_output("agno.infra.run", output)
    assert running.returncode != 0 and run_containers() == [], output[-3000:]


# ---- aws (moto) ------------------------------------------------------------------------------------------------------
PRD_NAME = "agent-app-logs-prd"
GROUP = "/ecs/%s/api" % PRD_NAME
TASKS = ("5a1c0e9f3b2d4e6f8a7b9c0d1e2f3a4b", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
PRD_ENV = {"name": PRD_NAME, "target": "aws",
           "apps": [{"name": "api", "kind": "fastapi", "port": 8000,
                     "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/%s/api:1" % PRD_NAME}]}
#: (minutes ago, task, message), oldest first.
EVENTS = [(180, 0, "INFO: Started server process [1]"), (50, 0, 'INFO: 10.0.1.5 - "GET /health HTTP/1.1" 200 OK'),
          (40, 1, "INFO: Started server process [1]"), (35, 0, 'INFO: 10.0.1.5 - "GET /notes HTTP/1.1" 200 OK'),
          (30, 1, 'INFO: 10.0.2.7 - "POST /notes HTTP/1.1" 201 Created'),
          (20, 0, 'INFO: 10.0.1.5 - "GET /health HTTP/1.1" 200 OK'), (10, 1, "ERROR: boom\nTraceback (most recent call last):")]


def put_events(aws_env: t.Dict[str, str]) -> None:
    import botocore.session  # pylint: disable=import-outside-toplevel
    session = botocore.session.Session()
    session.set_credentials(aws_env["AWS_ACCESS_KEY_ID"], aws_env["AWS_SECRET_ACCESS_KEY"])
    client = session.create_client("logs", region_name="us-east-1", endpoint_url=aws_env["AWS_ENDPOINT_URL"])
    client.create_log_group(logGroupName=GROUP)
    now_ms = int(time.time() * 1000)
    for number, task in enumerate(TASKS):
        stream = "api/api/" + task
        client.create_log_stream(logGroupName=GROUP, logStreamName=stream)
        client.put_log_events(logGroupName=GROUP, logStreamName=stream, logEvents=[
            {"timestamp": now_ms - minutes * 60000, "message": message} for minutes, task_number, message in EVENTS if task_number == number])
    # What moto 5.2.5 does with a quoted filter term: a case-sensitive substring match, as CloudWatch's exact phrase.
    found = client.filter_log_events(logGroupName=GROUP, filterPattern='"GET /health"')["events"]
    assert [event["message"] for event in found] == [EVENTS[1][2], EVENTS[5][2]]


def expected(minutes_ago: int = 10 ** 6) -> t.List[str]:
    lines = []
    for minutes, task, message in EVENTS:
        if minutes <= minutes_ago:
            lines += ["api %s | %s" % (TASKS[task], text) for text in message.split("\n")]
    return lines


@pytest.mark.aws
def test_aws_logs_are_the_log_groups_events_with_the_task_id(aws_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    put_events(aws_env)
    inventory = write_inventory(tmp_path, PRD_ENV, {})

    started = time.monotonic()
    shown = logs(inventory, aws_env, agno_app="api")
    print("agno.infra.logs on aws (moto): %.1f s" % (time.monotonic() - started))
    assert shown.rc == 0 and shown.recap["changed"] == 0, shown.tail()
    assert logged(shown) == expected()
    assert "oldest first: api 8." in shown.output

    assert logged(logs(inventory, aws_env, agno_lines="3")) == expected()[-3:]
    assert logged(logs(inventory, aws_env, agno_since="45m")) == expected(45)
    assert logged(logs(inventory, aws_env, agno_since="1h", agno_grep="GET /health")) == expected(60)[:1] + expected(20)[:1]
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert logged(logs(inventory, aws_env, agno_since=since)) == expected(25)
    assert logged(logs(inventory, aws_env, agno_grep="Traceback")) == expected()[-1:]

    unknown = logs(inventory, aws_env, agno_app="web")
    assert unknown.rc != 0 and UNKNOWN % PRD_NAME in unknown.output, unknown.tail()
    other = write_inventory(tmp_path, dict(PRD_ENV, name="agent-app-logs-none"), {})
    missing = logs(other, aws_env)
    assert missing.rc != 0 and ("Environment agent-app-logs-none has no log group /ecs/agent-app-logs-none/api in us-east-1"
                                in missing.output), missing.tail()


# Every minute: what the job runs with (the app's user and settings), then its exit.
JOB = {"name": "ping", "app": "api", "schedule": "* * * * *",
       "command": ["python", "-c", "import os; print('job ran as uid', os.getuid(), 'with a database', 'DATABASE_URL' in os.environ)"]}


def job_containers() -> t.List[str]:
    import docker  # pylint: disable=import-outside-toplevel
    return sorted(container.name for container in docker.from_env().containers.list(all=True, filters={"label": "io.agno.env=%s" % DEV_NAME})
                  if "-job-" in container.name)


@pytest.mark.docker
def test_docker_a_job_every_minute_leaves_its_output_in_the_logs_and_goes_with_the_job(dev_inventory: pathlib.Path) -> None:
    (dev_inventory.parent / "jobs").mkdir(exist_ok=True)
    scheduled = write_inventory(dev_inventory.parent / "jobs", dict(DEV_ENV, jobs=[JOB]), {"postgres_password": DEV_PASSWORD})
    up = run_playbook("agno.infra.up", inventory=scheduled, timeout=1800)
    assert up.rc == 0, up.failures() or up.tail()
    assert job_containers() == ["%s-job-ping" % DEV_NAME]

    deadline, lines = time.monotonic() + 150, []
    while not any("job ping: exited with 0" in line for line in lines):
        assert time.monotonic() < deadline, lines
        time.sleep(10)
        lines = logged(logs(scheduled, agno_app="api", agno_grep="job"))
    ran = [line for line in lines if line.startswith("job-ping | job ran as uid")]
    assert ran and all(line.endswith("with a database True") and "uid 0 " not in line for line in ran), lines

    rerun = run_playbook("agno.infra.up", inventory=scheduled, timeout=900)
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail()
    # Without the job its container goes.
    pruned = run_playbook("agno.infra.up", inventory=dev_inventory, timeout=900)
    assert pruned.rc == 0, pruned.failures() or pruned.tail()
    assert job_containers() == []
