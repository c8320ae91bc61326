"""One pass of the environment module: the selection every step reads, the plans in order, the steps' results."""

from __future__ import annotations

import pathlib
import typing as t
import urllib.parse

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import model, run, selection
from ansible_collections.agno.infra.plugins.module_utils._engine import plan
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome, ResourceError

SECRETS = {"postgres_password": "a-good-password-1", "redis_auth_token": "a-good-redis-token-1", "openai": "sk"}


def params(raw: t.Dict[str, t.Any], **overrides: t.Any) -> t.Dict[str, t.Any]:
    """The module's parameters: its defaults, the environment and the overrides."""
    values = {name: option.get("default") for name, option in run.ARGUMENT_SPEC.items()}
    values.update(spec=raw, secrets=SECRETS, region="us-east-1")
    values.update(overrides)
    return values


def docker_env(tmp_path: pathlib.Path) -> t.Dict[str, t.Any]:
    (tmp_path / "api").mkdir(exist_ok=True)
    (tmp_path / "api" / "main.py").write_text("app = None\n")
    return {"name": "agent-app", "target": "docker", "docker": {"build_dir": str(tmp_path / "build")},
            "postgres": {"enabled": True}, "redis": {"enabled": True},
            "apps": [{"name": "api", "kind": "fastapi", "source": str(tmp_path / "api"), "secret_env": {"KEY": "openai"}},
                     {"name": "worker", "kind": "celery", "source": str(tmp_path / "api"), "uses": ["redis"]}]}


AWS_ENV = {"name": "agent-app-prd", "target": "aws", "postgres": {"enabled": True},
           "apps": [{"name": "api", "kind": "fastapi", "image": "api:1", "path": "/api/*"},
                    {"name": "ui", "kind": "streamlit", "image": "ui:1"}]}


def test_without_a_limit_everything_converges_and_every_image_is_built(tmp_path: pathlib.Path) -> None:
    prepared = run.prepare(params(docker_env(tmp_path)))
    assert prepared.selection == selection.Selection(None, builds={"postgres", "redis", "api", "worker"})
    assert sorted(path.name for path in (tmp_path / "build" / "agent-app").iterdir()) == ["api", "postgres", "redis", "worker"]


def test_a_limit_selects_what_converges_whose_secrets_are_needed_and_what_is_built(tmp_path: pathlib.Path) -> None:
    prepared = run.prepare(params(docker_env(tmp_path), limit=["network", "worker"], secrets={}))
    assert prepared.selection.converge == {"network", "worker-image", "worker"}
    assert prepared.selection.parts == {"worker"} and prepared.selection.builds == {"worker"}
    assert [path.name for path in (tmp_path / "build" / "agent-app").iterdir()] == ["worker"]
    with pytest.raises(ResourceError) as raised:
        run.prepare(params(docker_env(tmp_path), limit=["api"], secrets={}))
    assert raised.value.details["errors"] == [
        "agno_env.apps[0].secret_env.KEY: secret 'openai' is not in the secrets option",
        "agno_env.postgres.password_secret: secret 'postgres_password' is not in the secrets option"]


def test_the_way_down_builds_nothing_and_keeps_data(tmp_path: pathlib.Path) -> None:
    prepared = run.prepare(params(docker_env(tmp_path), state="absent"))
    assert prepared.selection.builds == set() and prepared.selection.converge == set()
    assert prepared.selection.remove == {"network", "postgres", "redis", "api", "worker"}
    assert not (tmp_path / "build").exists()
    [down] = run.planned(prepared, params(docker_env(tmp_path), state="absent"), check_mode=True)
    assert not down.present and down.plan.ids == prepared.selection.remove


def test_a_restart_removes_the_containers_first_and_reports_only_their_creation(tmp_path: pathlib.Path) -> None:
    values = params(docker_env(tmp_path), recreate=["api"])
    remove, up = run.planned(run.prepare(values), values, check_mode=True)
    assert (remove.present, remove.reported, remove.plan.ids) == (False, False, {"api"})
    assert (up.present, up.reported, up.plan.ids) == (True, True, None)


def test_a_restart_on_aws_redeploys_the_selected_services() -> None:
    values = params(AWS_ENV, recreate=["api"])
    prepared = run.prepare(values)
    [up] = run.planned(prepared, values, check_mode=True)
    assert up.plan.ids == prepared.selection.redeploy == {"service-api"}
    forced = {item.id: item.params.get("force_new_deployment") for item in up.plan.items if item.type == "aws_ecs_service"}
    assert forced == {"service-api": True, "service-ui": None}


def test_removing_an_app_on_aws_reroutes_first_and_lifts_deletion_protection() -> None:
    values = params(AWS_ENV, state="absent", limit=["api"])
    reroute, down = run.planned(run.prepare(values), values, check_mode=True)
    assert reroute.present and reroute.plan.ids == {"listener-http"}
    listener = next(item for item in reroute.plan.items if item.id == "listener-http")
    assert listener.params["target_group_arn"] == "${tg-ui.arn}" and listener.params["rules"] == []
    assert not down.present and "tg-api" in down.plan.ids and "listener-http" not in down.plan.ids
    whole = run.planned(run.prepare(params(AWS_ENV, state="absent")), params(AWS_ENV, state="absent"), check_mode=True)
    assert next(item for item in whole[0].plan.items if item.id == "postgres").params["deletion_protection"] is False


class Recorded:
    """A plan that returns given results and records that it ran."""

    def __init__(self, results: t.List[plan.ItemResult], ran: t.List[str], name: str) -> None:
        self.results, self.ran, self.name = results, ran, name

    def up(self) -> t.List[plan.ItemResult]:
        self.ran.append(self.name)
        return self.results

    down = up


def ok(item_id: str) -> plan.ItemResult:
    return plan.ItemResult(item_id, "docker_container", plan.OK, Outcome(True, "create", [], {}, {}))


def test_steps_run_in_order_until_one_fails_and_unreported_ones_are_left_out() -> None:
    ran: t.List[str] = []

    def step(name: str, results: t.List[plan.ItemResult], reported: bool = True) -> run.Step:
        return run.Step(t.cast(plan.Plan, Recorded(results, ran, name)), present=True, reported=reported)

    failed = plan.ItemResult("api", "docker_container", plan.FAILED, msg="broken")
    assert run.steps_results([step("remove", [ok("api")], reported=False), step("up", [ok("db"), ok("api")])]) == [ok("db"), ok("api")]
    assert run.steps_results([step("first", [ok("a")]), step("second", [failed]), step("third", [ok("c")])]) == [ok("a"), failed]
    assert run.steps_results([step("remove", [failed], reported=False), step("up", [ok("api")])]) == [failed]
    assert ran == ["remove", "up", "first", "second", "remove"]


def test_endpoints_are_published_ports_or_load_balancer_paths(tmp_path: pathlib.Path) -> None:
    assert run.endpoints(model.environment(docker_env(tmp_path)), {}) == {"api": "http://127.0.0.1:8000"}
    aws = model.environment(AWS_ENV, "us-east-1")
    assert run.endpoints(aws, {"alb": {"dns_name": "lb.example"}}) == {"api": "http://lb.example/api", "ui": "http://lb.example"}
    assert run.endpoints(aws, {}) == {}


class Reported(Exception):
    pass


class Module:
    """What report reads of the module, and what it ends with."""

    def __init__(self, state: str, check_mode: bool) -> None:
        self.params, self.check_mode, self._diff = {"state": state}, check_mode, False

    def exit_json(self, **result: t.Any) -> None:
        raise Reported(result)


def reported(state: str, check_mode: bool, results: t.List[plan.ItemResult], tmp_path: pathlib.Path) -> t.Dict[str, t.Any]:
    with pytest.raises(Reported) as raised:
        run.report(t.cast(t.Any, Module(state, check_mode)), model.environment(docker_env(tmp_path)), results, [], {})
    return t.cast(t.Dict[str, t.Any], raised.value.args[0])


def test_a_check_on_the_way_up_returns_the_status_table_and_the_drift_sentence(tmp_path: pathlib.Path) -> None:
    in_sync = plan.ItemResult("network", "docker_network", plan.OK, Outcome(False, "none", [], {}, {}))
    checked = reported("present", True, [in_sync, ok("api")], tmp_path)
    assert checked["status_lines"] == ["RESOURCE  TYPE              STATE    HEALTH", "network   docker_network    in sync",
                                       "api       docker_container  missing", "2 resources: 1 in sync, 1 missing.",
                                       "Endpoints:", "  api  http://127.0.0.1:8000"]
    assert checked["status_drift"] == "1 of 2 resources differ from agno_env: api missing."
    # An apply's actions are done, not to do; the way down has no status.
    assert "status_lines" not in reported("present", False, [in_sync], tmp_path)
    assert "status_drift" not in reported("absent", True, [in_sync], tmp_path)


# Accepted by RDS (no /, @, " or space) and by the schema; unusable in a URL unless percent-encoded.
AWKWARD_PASSWORD = "Pa:ss#w%rd?12&x"


@pytest.mark.parametrize("target", ["docker", "aws"])
def test_the_database_url_carries_the_user_and_password_percent_encoded(tmp_path: pathlib.Path, target: str) -> None:
    raw, item_id, field = (docker_env(tmp_path), "api", "secret_env") if target == "docker" else (AWS_ENV, "secret-database-url", None)
    values = params(raw, secrets=dict(SECRETS, postgres_password=AWKWARD_PASSWORD))
    [up] = run.planned(run.prepare(values), values, check_mode=True)
    item = next(item for item in up.plan.items if item.id == item_id)
    template = item.params[field]["DATABASE_URL"] if field else item.params["secret_string"]
    url = urllib.parse.urlsplit(plan.resolve(template, dict(up.plan.states, postgres={"endpoint": "db.example"}), item_id))
    assert (url.username, urllib.parse.unquote(url.password or ""), url.port, url.path) == ("app", AWKWARD_PASSWORD, 5432, "/app")
    assert url.hostname == ("postgres" if target == "docker" else "db.example")


# Accepted by ElastiCache as an AUTH token (printable, no space, /, " or @); unusable in a URL unless percent-encoded.
AWKWARD_TOKEN = "To:k#e%n?12&x+=A!"


def test_the_redis_url_carries_the_auth_token_percent_encoded() -> None:
    values = params(dict(AWS_ENV, redis={"enabled": True}), secrets=dict(SECRETS, redis_auth_token=AWKWARD_TOKEN))
    [up] = run.planned(run.prepare(values), values, check_mode=True)
    item = next(item for item in up.plan.items if item.id == "secret-redis-url")
    url = urllib.parse.urlsplit(plan.resolve(item.params["secret_string"], dict(up.plan.states, redis={"primary_endpoint": "r.example"}),
                                             item.id))
    assert (url.scheme, url.username, urllib.parse.unquote(url.password or ""), url.hostname, url.port, url.path) == (
        "rediss", "", AWKWARD_TOKEN, "r.example", 6379, "/0")


def test_the_way_up_needs_the_sources_of_the_apps_it_converges_and_the_way_down_none(tmp_path: pathlib.Path) -> None:
    raw = docker_env(tmp_path)
    raw["apps"][1]["source"] = str(tmp_path / "gone")
    missing = "agno_env.apps[1].source: %s is not a directory on this host" % (tmp_path / "gone")
    for limit in (None, ["worker"]):
        with pytest.raises(ResourceError) as raised:
            run.prepare(params(raw, limit=limit))
        assert [error for error in raised.value.details["errors"] if error.startswith(missing)], raised.value.details["errors"]
    assert run.prepare(params(raw, limit=["api"])).selection.builds == {"api"}
    assert run.prepare(params(raw, state="absent")).selection.builds == set()
