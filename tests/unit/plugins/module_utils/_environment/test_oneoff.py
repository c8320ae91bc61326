"""The run module: the command's words, the throwaway container and the RunTask request, waiting, timeouts and cleanup,
through fakes of both providers."""

from __future__ import annotations

import functools
import signal
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._docker.container import SECRET_KEYS_LABEL
from ansible_collections.agno.infra.plugins.module_utils._environment import oneoff
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.modules import environment_run as module
from ansible_collections.agno.infra.tests.unit.fake_ecs import SERVICE, TASK_ARN, FakeECS
from ansible_collections.agno.infra.tests.unit.support import FakeClock, module_run

DEV = {"name": "agent-app-run", "target": "docker", "postgres": {"enabled": True},
       "apps": [{"name": "api", "kind": "fastapi", "source": "/src/api", "port": 8000},
                {"name": "worker", "kind": "celery", "source": "/src/api", "module": "worker"}]}
PRD = dict(DEV, target="aws")


# ---- the options -----------------------------------------------------------------------------------------------------
def test_a_command_is_a_list_of_words_or_a_string_split_as_a_shell_would() -> None:
    assert oneoff.argv(["python", "-m", "app.migrate"]) == ["python", "-m", "app.migrate"]
    assert oneoff.argv(["sleep", 5]) == ["sleep", "5"]
    assert oneoff.argv("python -c 'print(1 + 1)'") == ["python", "-c", "print(1 + 1)"]


@pytest.mark.parametrize("command, sentence", [
    ([], r"^agno_command \(command\) is empty: give the command to run"),
    ("", r"^agno_command \(command\) is empty"),
    ("echo 'open", r"^agno_command \(command\) cannot be split into words \(No closing quotation\): give it as a list"),
    ({"cmd": "x"}, r"^agno_command \(command\) is a dict: give a list of words"),
    (["echo", True], r"^agno_command \(command\) is a list: give a list of words"),
])
def test_a_bad_command_fails_with_one_sentence(command: t.Any, sentence: str) -> None:
    with pytest.raises(ResourceError, match=sentence):
        oneoff.argv(command)


def test_the_timeout_is_from_1_second_to_a_day() -> None:
    assert oneoff.check_timeout(1) == 1 and oneoff.check_timeout(86400) == 86400
    with pytest.raises(ResourceError, match=r"^agno_run_timeout \(run_timeout\) is 0: give the seconds to wait for the command, "
                                            r"from 1 to 86400\.$"):
        oneoff.check_timeout(0)


def test_output_keeps_its_last_lines_without_carriage_returns() -> None:
    assert oneoff.output_lines("") == []
    assert oneoff.output_lines("a\r\nb\n\n") == ["a", "b"]
    assert oneoff.output_lines("\n".join(str(number) for number in range(10005))) == [str(number) for number in range(5, 10005)]


# ---- docker ----------------------------------------------------------------------------------------------------------
APP_INFO = {
    "Image": "sha256:0123",
    "Config": {"Entrypoint": ["/entrypoint.sh"], "User": "1000:1000", "WorkingDir": "/app",
               "Env": ["PORT=8000", "DATABASE_URL=postgresql://app:p%40ss@postgres/app", "POSTGRES_PASSWORD=p@ss", "EMPTY="],
               "Labels": {SECRET_KEYS_LABEL: "DATABASE_URL,POSTGRES_PASSWORD,EMPTY", "agno.env": "agent-app-run"}},
    "HostConfig": {"Binds": ["/src/api:/app:ro"], "Tmpfs": {"/tmp": ""}, "ReadonlyRootfs": True, "Memory": 536870912,
                   "NanoCpus": 0, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"], "NetworkMode": "agent-app-run",
                   "PortBindings": {"8000/tcp": [{"HostPort": "8000"}]}, "RestartPolicy": {"Name": "unless-stopped"}},
    "NetworkSettings": {"Networks": {"agent-app-run-data": {"Aliases": ["api"]}, "agent-app-run": {"Aliases": ["api"]}}},
}


def test_the_throwaway_runs_as_the_app_runs_but_takes_none_of_its_traffic() -> None:
    made = oneoff.throwaway(APP_INFO, ["python", "-V"], "agent-app-run-api-run-1a2b3c4d", "agent-app-run", "api")
    assert made.create == {
        "image": "sha256:0123", "name": "agent-app-run-api-run-1a2b3c4d", "command": ["python", "-V"], "entrypoint": ["/entrypoint.sh"],
        "environment": APP_INFO["Config"]["Env"], "user": "1000:1000", "working_dir": "/app", "healthcheck": {"test": ["NONE"]},
        "labels": {"io.agno.env": "agent-app-run", "io.agno.run": "api"}, "use_config_proxy": False}
    # No published port, restart policy or network alias; the first network at create, the others connected after.
    assert made.host == {"binds": ["/src/api:/app:ro"], "tmpfs": {"/tmp": ""}, "read_only": True, "mem_limit": 536870912,
                         "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"], "network_mode": "agent-app-run"}
    assert made.networks == ["agent-app-run", "agent-app-run-data"]


def test_the_app_containers_secret_values_are_those_its_label_names() -> None:
    assert oneoff.secret_values(APP_INFO) == ["postgresql://app:p%40ss@postgres/app", "p@ss"]
    assert oneoff.secret_values({"Config": {"Env": ["A=b"]}}) == []


class FakeDocker:
    """The APIClient calls of a run: records each, answers wait() with an exit code or a read timeout."""

    def __init__(self, status: t.Optional[int] = 0, output: bytes = b"Python 3.11.2\n", missing: bool = False) -> None:
        self.status, self.output, self.missing = status, output, missing
        self.calls: t.List[t.Tuple[str, t.Any]] = []

    def inspect_container(self, name: str) -> t.Dict[str, t.Any]:
        self.calls.append(("inspect", name))
        if self.missing:
            raise SDK.NotFound("No such container: " + name)
        return APP_INFO

    def create_host_config(self, **options: t.Any) -> t.Dict[str, t.Any]:
        return dict(options)

    def create_container(self, **options: t.Any) -> None:
        self.calls.append(("create", options))

    def connect_container_to_network(self, name: str, network: str) -> None:
        self.calls.append(("connect", network))

    def start(self, name: str) -> None:
        self.calls.append(("start", name))

    def wait(self, name: str, timeout: int) -> t.Dict[str, t.Any]:
        self.calls.append(("wait", timeout))
        if self.status is None:
            raise SDK.ConnectionError("UnixHTTPConnectionPool(host='localhost', port=None): Read timed out. (read timeout=%d)" % timeout)
        return {"StatusCode": self.status}

    def logs(self, name: str, **options: t.Any) -> bytes:
        self.calls.append(("logs", name))
        return self.output

    def kill(self, name: str) -> None:
        self.calls.append(("kill", name))

    def remove_container(self, name: str, force: bool) -> None:
        self.calls.append(("remove", name))


def run_docker(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake: FakeDocker,
               **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    monkeypatch.setattr(DOCKER, "connect", lambda params: fake)
    monkeypatch.setattr(oneoff.tokens, "token_hex", lambda size: "1a2b3c4d")
    return module_run(module.main, dict({"spec": DEV, "app": "api", "command": ["python", "-V"]}, **args), capsys)


NAME = "agent-app-run-api-run-1a2b3c4d"


def test_docker_runs_a_throwaway_on_the_apps_networks_and_removes_it(capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker()
    code, result = run_docker(capsys, monkeypatch, fake)
    assert (code, result["changed"], result["rc"], result["lines"]) == (0, True, 0, ["Python 3.11.2"])
    assert result["container"] == NAME
    assert result["summary"] == "python -V in app api (container %s) exited with 0." % NAME
    assert [call for call, _argument in fake.calls] == ["inspect", "create", "connect", "start", "wait", "logs", "remove"]
    assert fake.calls[2] == ("connect", "agent-app-run-data") and fake.calls[4] == ("wait", 600)


def test_a_nonzero_exit_fails_with_its_code_and_output_and_masks_secrets(capsys: pytest.CaptureFixture[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker(status=3, output=b"connecting to postgresql://app:p%40ss@postgres/app\nno table notes\n")
    code, result = run_docker(capsys, monkeypatch, fake, command="python -m app.migrate")
    assert (code, result["rc"]) == (1, 3)
    assert result["msg"] == "The command python -m app.migrate in app api exited with 3: its output is above."
    assert result["lines"] == ["connecting to ********", "no table notes"]
    assert fake.calls[-1] == ("remove", NAME)


def test_at_the_timeout_the_container_is_killed_removed_and_its_output_shown(capsys: pytest.CaptureFixture[str],
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker(status=None, output=b"waiting for the lock\n")
    code, result = run_docker(capsys, monkeypatch, fake, command=["sleep", "100"], run_timeout=5)
    assert code == 1 and "rc" not in result
    assert result["msg"] == ("The command sleep 100 was still running after 5 s and was stopped: raise agno_run_timeout "
                             "(run_timeout), or look for what it waits on in its output.")
    assert result["lines"] == ["waiting for the lock"]
    assert [call for call, _argument in fake.calls][-3:] == ["kill", "logs", "remove"]


def test_an_interruption_removes_the_container(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker()

    def interrupted(name: str, timeout: int) -> t.Dict[str, t.Any]:
        signal.raise_signal(signal.SIGTERM)
        return {"StatusCode": 0}
    monkeypatch.setattr(fake, "wait", interrupted)
    made = oneoff.throwaway(APP_INFO, ["sleep", "100"], NAME, "agent-app-run", "api")
    with pytest.raises(oneoff.Interrupted, match="SIGTERM"):
        oneoff.docker_run(fake, made, ["sleep", "100"], 600)
    assert fake.calls[-1] == ("remove", NAME)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_docker_check_mode_reads_the_app_and_runs_nothing(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker()
    code, result = run_docker(capsys, monkeypatch, fake, _ansible_check_mode=True)
    assert (code, result["changed"], result["lines"]) == (0, True, []) and "rc" not in result
    assert result["summary"] == "Would run python -V in app api (container %s)." % NAME
    assert [call for call, _argument in fake.calls] == ["inspect"]


def test_bad_options_fail_before_any_call(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDocker()
    code, result = run_docker(capsys, monkeypatch, fake, app="nope")
    assert code == 1 and result["msg"] == "Environment agent-app-run has no app nope: agno_app takes api, worker."
    code, result = run_docker(capsys, monkeypatch, fake, app="api,worker")
    assert code == 1 and result["msg"] == "agno_app (app) names 2 apps: a command runs in one app, such as api."
    code, result = run_docker(capsys, monkeypatch, fake, command=[])
    assert code == 1 and result["msg"].startswith("agno_command (command) is empty")
    assert fake.calls == []


def test_a_missing_app_container_says_to_bring_it_up(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result = run_docker(capsys, monkeypatch, FakeDocker(missing=True))
    assert code == 1 and result["msg"] == ("Environment agent-app-run has no container agent-app-run-api on the Docker host "
                                           "unix:///var/run/docker.sock: bring it up with agno.infra.up first.")


# ---- aws -------------------------------------------------------------------------------------------------------------
def run_aws(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake: FakeECS,
            **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    monkeypatch.setattr(AWS, "connect", lambda params: lambda service: fake)
    monkeypatch.setattr(oneoff, "execute", functools.partial(oneoff.execute, clock=FakeClock()))
    return module_run(module.main, dict({"spec": PRD, "region": "us-east-1", "app": "api", "command": ["python", "-m", "app.migrate"]},
                                        **args), capsys)


def names(fake: FakeECS) -> t.List[str]:
    return [call for call, _request in fake.calls]


def test_aws_runs_one_task_waits_for_it_and_reads_its_whole_stream(capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeECS(runs=2)
    code, result = run_aws(capsys, monkeypatch, fake)
    assert (code, result["changed"], result["rc"], result["task_arn"]) == (0, True, 0, TASK_ARN)
    assert result["lines"] == ["Running migrations", "done"]
    assert names(fake) == ["describe_services", "run_task", "describe_tasks", "describe_tasks", "describe_tasks",
                           "get_log_events", "get_log_events", "get_log_events"]
    assert fake.calls[1][1]["overrides"] == {"containerOverrides": [{"name": "api", "command": ["python", "-m", "app.migrate"]}]}


def test_aws_a_nonzero_exit_fails_with_its_code_and_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result = run_aws(capsys, monkeypatch, FakeECS(exit=2, events=["relation notes does not exist"]))
    assert (code, result["rc"], result["lines"]) == (1, 2, ["relation notes does not exist"])
    assert result["msg"] == "The command python -m app.migrate in app api exited with 2: its output is above."


def test_aws_at_the_timeout_the_task_is_stopped_and_its_output_shown(capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeECS(runs=None, events=["waiting for the lock"])
    code, result = run_aws(capsys, monkeypatch, fake, run_timeout=12)
    assert code == 1 and "rc" not in result and result["task_arn"] == TASK_ARN
    assert result["msg"] == ("The command python -m app.migrate was still running after 12 s in task %s and was stopped: raise "
                             "agno_run_timeout (run_timeout), or look for what it waits on in its output." % TASK_ARN)
    assert result["lines"] == ["waiting for the lock"]
    # Every 5 s until past 12 s: at 0, 5, 10 and 15.
    assert names(fake).count("describe_tasks") == 4
    assert fake.calls[-1] == ("stop_task", {"cluster": "agent-app-run", "task": TASK_ARN,
                                            "reason": "agno.infra run: still running after 12 s"})


def test_aws_a_task_that_never_ran_the_command_says_why(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result = run_aws(capsys, monkeypatch, FakeECS(exit=None, events=[]))
    assert code == 1 and result["msg"] == "Task %s stopped before the command ran: Essential container in task exited." % TASK_ARN


def test_aws_check_mode_names_the_task_definition_and_runs_nothing(capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeECS()
    code, result = run_aws(capsys, monkeypatch, fake, _ansible_check_mode=True)
    assert (code, result["task_definition"]) == (0, SERVICE["taskDefinition"]) and "rc" not in result
    assert result["summary"] == "Would run python -m app.migrate in app api (task definition %s)." % SERVICE["taskDefinition"]
    assert names(fake) == ["describe_services"]


def test_aws_an_app_without_a_service_says_to_bring_it_up(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result = run_aws(capsys, monkeypatch, FakeECS(), app="worker")
    assert code == 1 and result["msg"] == ("Environment agent-app-run has no service worker in its ECS cluster in us-east-1: bring it "
                                           "up with agno.infra.up first.")
