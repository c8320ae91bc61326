"""The logs module: since parsing, line formatting, ordering and limits, CloudWatch windows, through fakes of both providers."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, ClientError
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._environment import logs, operation
from ansible_collections.agno.infra.plugins.module_utils._k8s import client, ownership
from ansible_collections.agno.infra.plugins.module_utils._environment.logs import Entry
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.modules import environment_logs as module
from ansible_collections.agno.infra.tests.unit.support import module_run

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z
DEV = {"name": "agent-app-logs", "target": "docker", "postgres": {"enabled": True},
       "apps": [{"name": "api", "kind": "fastapi", "source": "/src/api", "port": 8000},
                {"name": "worker", "kind": "celery", "source": "/src/api", "module": "worker", "beat": True}]}
PRD = dict(DEV, target="aws")
TASK = "0f3c9a5e2b7d4c1f8a6e3d2c1b0a9f8e"


# ---- pure functions --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, seconds", [("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400), (" 5m ", 300)])
def test_a_duration_is_that_long_before_now(value: str, seconds: int) -> None:
    assert logs.parse_since(value, NOW) == NOW - seconds


@pytest.mark.parametrize("value", ["2027-01-15T07:00:00Z", "2027-01-15T07:00:00+00:00", "2027-01-15T08:00:00+01:00",
                                   "2027-01-15T07:00:00"])
def test_an_iso_time_is_that_time_utc_without_an_offset(value: str) -> None:
    assert logs.parse_since(value, NOW) == NOW - 3600


def test_no_since_is_none_and_a_bad_one_fails_with_one_sentence() -> None:
    assert logs.parse_since(None, NOW) is None and logs.parse_since("", NOW) is None
    with pytest.raises(ResourceError) as error:
        logs.parse_since("yesterday", NOW)
    assert error.value.msg == ("agno_since (since) 'yesterday' is neither a duration nor a time: give a number of seconds, "
                               "minutes, hours or days such as 30s, 10m, 2h or 1d, or an ISO 8601 time such as 2026-01-31T12:00:00Z.")
    with pytest.raises(ResourceError):
        logs.parse_since("10 minutes", NOW)


def test_lines_must_be_from_1_to_10000() -> None:
    assert logs.check_lines(1) == 1 and logs.check_lines(10000) == 10000
    with pytest.raises(ResourceError, match=r"^agno_lines \(lines\) is 0: give a number of lines from 1 to 10000\.$"):
        logs.check_lines(0)


def test_a_line_is_its_source_then_its_text() -> None:
    assert Entry(1, "api " + TASK, "INFO: GET /health 200").line() == "api %s | INFO: GET /health 200" % TASK
    assert logs.stream_source("api/api/" + TASK) == "api " + TASK
    assert logs.stream_source("api-beat/api/" + TASK) == "api-beat " + TASK
    assert logs.stream_source("other-stream") == "other-stream"


def test_newest_keeps_the_last_lines_by_time_oldest_first_and_stable() -> None:
    entries = [Entry(3, "a", "three"), Entry(1, "a", "one"), Entry(2, "b", "two-1"), Entry(2, "b", "two-2")]
    assert [entry.text for entry in logs.newest(entries, 3)] == ["two-1", "two-2", "three"]
    assert [entry.text for entry in logs.newest(entries, 10)] == ["one", "two-1", "two-2", "three"]


def test_newest_holds_the_newest_of_entries_in_any_order() -> None:
    entries = [Entry(5, "a", "five"), Entry(1, "a", "one"), Entry(4, "b", "four"), Entry(4, "b", "four-bis"), Entry(2, "b", "two")]
    assert [entry.text for entry in logs.newest(entries, 3)] == ["four", "four-bis", "five"]
    assert [entry.text for entry in logs.newest(entries, 9)] == ["one", "two", "four", "four-bis", "five"]


def test_grep_is_a_plain_case_sensitive_substring() -> None:
    entries = [Entry(1, "a", "GET /health 200"), Entry(2, "a", "get /health"), Entry(3, "a", "POST /notes [x]")]
    assert [entry.text for entry in logs.matching(entries, "GET /health")] == ["GET /health 200"]
    assert [entry.text for entry in logs.matching(entries, "[x]")] == ["POST /notes [x]"]
    assert logs.matching(entries, None) == entries


def test_the_filter_pattern_is_one_quoted_term_unless_the_text_has_a_quote() -> None:
    assert logs.filter_pattern("GET /health") == '"GET /health"'
    assert logs.filter_pattern('say "hi"') is None and logs.filter_pattern(None) is None


def test_a_multi_line_event_is_one_entry_per_line() -> None:
    assert [entry.text for entry in logs.split_lines(5, "api x", "Traceback:\n  File x\r\nValueError\n")] == [
        "Traceback:", "  File x", "ValueError"]


def test_docker_times_sort_by_their_nanoseconds() -> None:
    assert logs.docker_time("2027-01-15T08:00:00.000000001Z") == int(NOW) * 10 ** 9 + 1
    assert logs.docker_time("2027-01-15T08:00:00.5Z") > logs.docker_time("2027-01-15T08:00:00.49999Z")
    assert logs.docker_time("2027-01-15T09:00:00+01:00") == int(NOW) * 10 ** 9
    assert logs.docker_time("garbage") == 0


def test_without_since_cloudwatch_is_searched_backwards_in_growing_windows() -> None:
    now_ms = int(NOW * 1000)
    hour, day, week = now_ms - 3600000, now_ms - 86400000, now_ms - 7 * 86400000
    assert logs.windows(NOW, None) == [(hour, None), (day, hour - 1), (week, day - 1), (None, week - 1)]
    assert logs.windows(NOW, NOW - 600) == [(now_ms - 600000, None)]


def test_containers_and_log_groups_follow_the_blueprints_names() -> None:
    env = logs.schema.validated(DEV, None)
    assert [logs.containers(env, app) for app in env.apps] == [["agent-app-logs-api"], ["agent-app-logs-worker", "agent-app-logs-worker-beat"]]
    assert logs.log_group(env, env.apps[0]) == "/ecs/agent-app-logs/api"


# ---- the module on docker ------------------------------------------------------------------------------------------
class FakeDocker:
    """Answers logs() like the APIClient with timestamps, and records the options of each call."""

    def __init__(self, outputs: t.Dict[str, str]) -> None:
        self.outputs = outputs
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def logs(self, name: str, **options: t.Any) -> bytes:
        self.calls.append((name, options))
        if name not in self.outputs:
            raise SDK.NotFound("No such container: " + name)
        lines = self.outputs[name].splitlines(keepends=True)
        tail = options["tail"]
        return "".join(lines if tail == "all" else lines[-tail:]).encode()


DOCKER_LOGS = {
    "agent-app-logs-api": "2027-01-15T07:59:01.000000000Z GET /health 200\n2027-01-15T07:59:03.000000000Z POST /notes 201\n"
                          "2027-01-15T07:59:05.000000000Z GET /health 200\n",
    "agent-app-logs-worker": "2027-01-15T07:59:02.000000000Z celery ready\r\n",
    "agent-app-logs-worker-beat": "2027-01-15T07:59:04.000000000Z beat: Starting...\n",
}


def run_docker(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, outputs: t.Dict[str, str],
               **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any], FakeDocker]:
    fake = FakeDocker(outputs)
    monkeypatch.setattr(DOCKER, "connect", lambda params: fake)
    code, result = module_run(module.main, dict({"spec": DEV}, **args), capsys)
    return code, result, fake


def test_docker_lines_of_every_app_are_merged_by_time_newest_last(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result, fake = run_docker(capsys, monkeypatch, DOCKER_LOGS)
    assert (code, result["changed"]) == (0, False)
    assert result["lines"] == ["api | GET /health 200", "worker | celery ready", "api | POST /notes 201",
                               "worker-beat | beat: Starting...", "api | GET /health 200"]
    assert result["summary"] == "Log lines (at most 100 per app), oldest first: api 3, worker 2."
    assert [(name, options["tail"], options["timestamps"]) for name, options in fake.calls] == [
        ("agent-app-logs-api", 100, True), ("agent-app-logs-worker", 100, True), ("agent-app-logs-worker-beat", 100, True)]


def test_docker_lines_limit_per_app_and_grep_reads_the_whole_log(capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _code, result, _fake = run_docker(capsys, monkeypatch, DOCKER_LOGS, apps=["api"], lines=2)
    assert result["lines"] == ["api | POST /notes 201", "api | GET /health 200"]
    _code, result, fake = run_docker(capsys, monkeypatch, DOCKER_LOGS, apps=["api"], lines=1, grep="GET /health",
                                     since="2027-01-15T07:59:00Z")
    assert result["lines"] == ["api | GET /health 200"]
    assert fake.calls == [("agent-app-logs-api", {"stdout": True, "stderr": True, "timestamps": True, "tail": "all", "since": NOW - 60})]
    assert result["summary"] == "Log lines (at most 1 per app, since 2027-01-15T07:59:00Z, holding 'GET /health'), oldest first: api 1."


def test_a_missing_container_fails_with_one_sentence(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result, _fake = run_docker(capsys, monkeypatch, {}, apps=["api"])
    assert code == 1 and result["msg"] == ("Environment agent-app-logs has no container agent-app-logs-api on the Docker host "
                                           "unix:///var/run/docker.sock: bring it up with agno.infra.up, or choose other apps with agno_app.")


def test_bad_options_fail_before_any_call(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result, fake = run_docker(capsys, monkeypatch, DOCKER_LOGS, apps=["nope"])
    assert code == 1 and result["msg"] == "Environment agent-app-logs has no app nope: agno_app takes api, worker."
    code, result, fake = run_docker(capsys, monkeypatch, DOCKER_LOGS, since="soon")
    assert code == 1 and result["msg"].startswith("agno_since (since) 'soon' is neither") and fake.calls == []


def test_secret_values_in_lines_are_masked(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    leaky = {"agent-app-logs-api": "2027-01-15T07:59:01.000000000Z url postgresql://app:p%40ss%2Fw0rd@postgres/app pw p@ss/w0rd\n"}
    _code, result, _fake = run_docker(capsys, monkeypatch, leaky, apps=["api"], secrets={"postgres_password": "p@ss/w0rd"})
    assert "p@ss/w0rd" not in result["lines"][0] and "p%40ss%2Fw0rd" not in result["lines"][0]


# ---- the module on aws ---------------------------------------------------------------------------------------------
class FakeLogs:
    """FilterLogEvents over one group's events, two events a page, recording each request."""

    def __init__(self, groups: t.Dict[str, t.List[t.Dict[str, t.Any]]]) -> None:
        self.groups = groups
        self.requests: t.List[t.Dict[str, t.Any]] = []

    def filter_log_events(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.requests.append(request)
        if request["logGroupName"] not in self.groups:
            raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "The specified log group does not exist."}},
                              "FilterLogEvents")
        found = [event for event in self.groups[request["logGroupName"]]
                 if request.get("startTime", 0) <= event["timestamp"] <= request.get("endTime", 10 ** 15)]
        start = int(request.get("nextToken") or 0)
        page = {"events": found[start:start + 2]}
        if start + 2 < len(found):
            page["nextToken"] = str(start + 2)
        return page


def event(seconds_ago: float, stream: str, message: str) -> t.Dict[str, t.Any]:
    return {"timestamp": int((NOW - seconds_ago) * 1000), "logStreamName": stream, "message": message}


API_EVENTS = [event(7200, "api/api/" + TASK, "old"), event(300, "api/api/" + TASK, "GET /health 200"),
              event(200, "api/api/b2", "Traceback:\n  ValueError\n"), event(100, "api/api/" + TASK, "GET /notes 200")]


def run_aws(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, groups: t.Dict[str, t.List[t.Dict[str, t.Any]]],
            **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any], FakeLogs]:
    fake = FakeLogs(groups)
    monkeypatch.setattr(AWS, "connect", lambda params: lambda service: fake)
    monkeypatch.setattr(logs.time, "time", lambda: NOW)
    code, result = module_run(module.main, dict({"spec": PRD, "region": "us-east-1"}, **args), capsys)
    return code, result, fake


def test_aws_lines_carry_the_task_id_and_search_the_newest_window_first(capsys: pytest.CaptureFixture[str],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, result, fake = run_aws(capsys, monkeypatch, {"/ecs/agent-app-logs/api": API_EVENTS}, apps=["api"], lines=3)
    assert (code, result["changed"]) == (0, False)
    assert result["lines"] == ["api b2 | Traceback:", "api b2 |   ValueError", "api %s | GET /notes 200" % TASK]
    # The last hour held enough lines: older windows are not read.
    assert [request.get("startTime") for request in fake.requests] == [int((NOW - 3600) * 1000)] * 2


def test_aws_reads_older_windows_until_it_has_enough_lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _code, result, fake = run_aws(capsys, monkeypatch, {"/ecs/agent-app-logs/api": API_EVENTS}, apps=["api"])
    assert [line.split(" | ")[1] for line in result["lines"]] == ["old", "GET /health 200", "Traceback:", "  ValueError", "GET /notes 200"]
    assert len({(request.get("startTime"), request.get("endTime")) for request in fake.requests}) == 4


def test_aws_since_and_grep_go_to_filter_log_events(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _code, result, fake = run_aws(capsys, monkeypatch, {"/ecs/agent-app-logs/api": API_EVENTS}, apps=["api"], since="4m", grep="GET")
    assert result["lines"] == ["api %s | GET /notes 200" % TASK]
    assert fake.requests == [{"logGroupName": "/ecs/agent-app-logs/api", "startTime": int((NOW - 240) * 1000), "filterPattern": '"GET"'}]


def test_a_missing_log_group_fails_with_one_sentence(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, result, _fake = run_aws(capsys, monkeypatch, {}, apps=["worker"])
    assert code == 1 and result["msg"] == ("Environment agent-app-logs has no log group /ecs/agent-app-logs/worker in us-east-1: "
                                           "bring it up with agno.infra.up, or choose other apps with agno_app.")


def test_another_aws_error_is_the_providers_sentence(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Denied(FakeLogs):
        def filter_log_events(self, **request: t.Any) -> t.Dict[str, t.Any]:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "FilterLogEvents")

    monkeypatch.setattr(AWS, "connect", lambda params: lambda service: Denied({}))
    code, result = module_run(module.main, {"spec": PRD, "region": "us-east-1", "apps": ["api"], "since": "1h"}, capsys)
    assert code == 1 and result["msg"] == ("AWS denied FilterLogEvents for log group /ecs/agent-app-logs/api (no): grant the "
                                           "caller's IAM identity permission for FilterLogEvents.")


def test_check_mode_reads_the_same_lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _code, result, _fake = run_docker(capsys, monkeypatch, DOCKER_LOGS, apps=["api"], _ansible_check_mode=True)
    assert result["changed"] is False and len(result["lines"]) == 3


# ---- kubernetes --------------------------------------------------------------------------------------------------------
class PodLogs(client.KubeClient):
    """Answers a pod's log from `logs` by pod name; records each log query."""

    def __init__(self, logs_by_pod: t.Dict[str, bytes]) -> None:
        super().__init__(None)
        self.logs_by_pod = logs_by_pod
        self.queries: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def raw(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
            content_type: str = "application/json", timeout: float = 60) -> bytes:
        pod = path.split("/")[-2]
        self.queries.append((pod, dict(query or {})))
        return self.logs_by_pod[pod]


def pod(name: str, app: str) -> t.Dict[str, t.Any]:
    return {"metadata": {"name": name, "labels": {ownership.APP_LABEL: app}}, "spec": {"containers": [{"name": "app"}]}}


def test_kubernetes_lines_come_from_each_pod_of_the_app_with_the_pod_as_source() -> None:
    env = operation.environment({"spec": dict(DEV, target="kubernetes", kubernetes={"namespace": "shop", "registry": "registry.local:5000"})})
    kube = PodLogs({"api-1": b"2027-01-15T07:59:58.000000001Z GET /health\n2027-01-15T07:59:59Z GET /notes\n",
                    "api-2": b"2027-01-15T07:59:58.5Z POST /notes\n"})
    pods = [pod("api-1", "api"), pod("worker-1", "worker"), pod("api-2", "api")]
    params = {"lines": 2, "grep": None}
    found = logs.k8s_app_entries(kube, env, env.apps[0], pods, params, NOW, NOW - 60)
    assert [entry.line() for entry in found] == ["api-2 | POST /notes", "api-1 | GET /notes"]
    assert kube.queries == [(name, {"container": "app", "timestamps": "true", "tailLines": 2, "sinceSeconds": 60}) for name in ("api-1", "api-2")]
    with pytest.raises(ResourceError) as raised:
        logs.k8s_app_entries(kube, env, env.apps[0], [pods[1]], params, NOW, None)
    assert raised.value.msg == ("Environment agent-app-logs has no pod of app api in namespace shop: bring it up with agno.infra.up, "
                                "or choose other apps with agno_app.")
