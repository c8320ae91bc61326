"""The environment schema and the docker blueprint: what a user's agno_env turns into."""

from __future__ import annotations

import pathlib
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import blueprint_docker, model, run, selection
from ansible_collections.agno.infra.plugins.module_utils._environment import schema as environment_schema
from ansible_collections.agno.infra.plugins.module_utils._engine import plan
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES


def raw_env(tmp_path: pathlib.Path, **overrides: t.Any) -> t.Dict[str, t.Any]:
    source = tmp_path / "api"
    source.mkdir(exist_ok=True)
    (source / "main.py").write_text("app = None\n")
    (source / "requirements.txt").write_text("fastapi\n")
    value: t.Dict[str, t.Any] = {
        "name": "agent-app", "target": "docker",
        "docker": {"build_dir": str(tmp_path / "build")},
        "postgres": {"enabled": True, "pgvector": True}, "redis": {"enabled": True},
        "apps": [
            {"name": "api", "kind": "fastapi", "source": str(source), "port": 8000, "host_port": 18000,
             "secret_env": {"OPENAI_API_KEY": "openai"}},
            {"name": "worker", "kind": "celery", "source": str(source), "beat": True, "uses": ["redis"]},
        ],
    }
    value.update(overrides)
    return value


SECRETS = {"postgres_password": "pw", "openai": "sk"}


def resources(raw: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
    return blueprint_docker.DockerBlueprint(model.environment(raw)).resources()


def parts(raw: t.Dict[str, t.Any], limit: t.Optional[t.List[str]]) -> t.Optional[t.Set[str]]:
    """The parts a run with this limit converges, whose secrets it needs."""
    env = model.environment(raw)
    params = {"limit": limit, "recreate": None, "state": "present", "delete_data": False}
    return selection.select(env, run.render(env), params).parts


def test_a_valid_environment_has_no_errors(tmp_path: pathlib.Path) -> None:
    assert environment_schema.validated(raw_env(tmp_path), SECRETS).name == "agent-app"  # no error raised


@pytest.mark.parametrize("change, expected", [
    ({"target": "gcp"}, "agno_env.target: 'gcp' is not one of"),
    ({"apps": [{"name": "api", "kind": "fastapi", "port": 70000, "source": "x"}]}, "agno_env.apps[0].port: 70000 is greater than"),
    ({"apps": [{"name": "Bad_Name", "kind": "fastapi", "source": "x"}]}, "agno_env.apps[0].name: 'Bad_Name' does not match"),
    ({"apps": [{"name": "api", "kind": "fastapi", "source": "x", "colour": "red"}]}, "agno_env.apps[0]: Additional properties"),
    ({"apps": [{"name": "api", "kind": "fastapi"}]}, "agno_env.apps[0]: set source"),
    ({"apps": [{"name": "api", "kind": "fastapi", "source": "x", "secret_env": {"K": "missing"}}]},
     "agno_env.apps[0].secret_env.K: secret 'missing' is not in the secrets option"),
    ({"docker": {"host_ip": "0.0.0.0"}}, "agno_env.docker.host_ip: 0.0.0.0 publishes"),
    ({"docker": {"host_ip": "not-an-ip"}}, "agno_env.docker.host_ip: 'not-an-ip' is not a 'ipv4'"),
    # Overlaps: a port of the host published twice (an app's host port is its port unless given), names taken by other parts.
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "a:1"}, {"name": "admin", "kind": "fastapi", "image": "b:1"}]},
     "agno_env.apps[1].host_port: app api and app admin both publish port 8000 of host_ip"),
    ({"postgres": {"host_port": 18000}, "apps": [{"name": "api", "kind": "fastapi", "image": "a:1", "host_port": 18000}]},
     "agno_env.apps[0].host_port: postgres and app api both publish port 18000 of host_ip"),
    ({"apps": [{"name": "worker", "kind": "celery", "image": "w:1", "host_port": 19000}]},
     "agno_env.apps[0].host_port: app worker serves no port to publish"),
    ({"apps": [{"name": "redis", "kind": "fastapi", "image": "a:1"}]}, "agno_env.apps[0].name: 'redis' is taken by the redis service"),
    ({"apps": [{"name": "data", "kind": "fastapi", "image": "a:1"}]}, "agno_env.apps[0].name: 'data' is taken by a group of resources"),
    ({"apps": [{"name": "postgres-data", "kind": "fastapi", "image": "a:1"}]},
     "agno_env.apps[0].name: 'postgres-data' is taken by the volume of postgres"),
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "a:1"}, {"name": "api-image", "kind": "fastapi", "image": "b:1", "port": 8001}]},
     "agno_env.apps[1].name: 'api-image' is taken by the image of app api"),
    ({"apps": [{"name": "worker", "kind": "celery", "image": "w:1", "beat": True}, {"name": "worker-beat", "kind": "celery", "image": "w:1"}]},
     "agno_env.apps[1].name: 'worker-beat' is taken by the beat scheduler of app worker"),
    # Values Docker defines: variable names, image references.
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "a:1", "env": {"MY KEY": "x"}}]}, "agno_env.apps[0].env: 'MY KEY' does not match"),
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "a:1", "secret_env": {"1KEY": "openai"}}]},
     "agno_env.apps[0].secret_env: '1KEY' does not match"),
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "a:1", "env": {"OPTIONS": {"debug": True}}}]},
     "agno_env.apps[0].env.OPTIONS: {'debug': True} is not of type 'string', 'number', 'boolean'"),
    ({"apps": [{"name": "api", "kind": "fastapi", "image": "Agno/API:1"}]}, "agno_env.apps[0].image: 'Agno/API:1' is not an image reference"),
    ({"docker": {"base_image": "debian:bookworm slim"}}, "agno_env.docker.base_image: 'debian:bookworm slim' is not an image reference"),
])
def test_errors_give_the_path_and_the_problem(tmp_path: pathlib.Path, change: t.Dict[str, t.Any], expected: str) -> None:
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(raw_env(tmp_path, **change), SECRETS)
    errors = raised.value.details["errors"]
    assert any(error.startswith(expected) for error in errors), errors


def test_docker_blueprint_is_a_valid_plan_in_dependency_order(tmp_path: pathlib.Path) -> None:
    items = resources(raw_env(tmp_path))
    ordered = [item.id for item in plan.topological_order(plan.parse_items(items, RESOURCE_TYPES))]
    assert ordered.index("network") < ordered.index("postgres") < ordered.index("api")
    assert ordered.index("postgres-data") < ordered.index("postgres")
    assert ordered.index("api-image") < ordered.index("api")
    assert {"worker", "worker-beat"} <= set(ordered)


def test_apps_get_connection_settings_with_passwords_as_secrets(tmp_path: pathlib.Path) -> None:
    items = {item["id"]: item for item in resources(raw_env(tmp_path))}
    api = items["api"]["params"]
    assert api["env"]["REDIS_URL"] == "redis://redis:6379/0"
    assert api["env"]["DB_HOST"] == "postgres"
    assert "pw" not in repr(api["env"])
    assert api["secret_env"]["DATABASE_URL"] == "postgresql://app:${secrets.postgres_password-in-url}@postgres:5432/app"
    assert api["secret_env"]["OPENAI_API_KEY"] == "${secrets.openai}"
    assert api["ports"] == ["127.0.0.1:18000:8000"]
    assert api["user"] == "10001" and api["read_only"] is True
    assert items["worker"]["params"]["secret_env"] == {}
    assert "DATABASE_URL" not in items["worker"]["params"]["env"]
    assert items["postgres"]["params"]["ports"] == []
    assert items["postgres"]["params"]["env"]["PGVECTOR"] == "1"


def test_app_context_adds_a_dockerfile_and_the_extra_cas(tmp_path: pathlib.Path) -> None:
    ca = tmp_path / "corp.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    value = raw_env(tmp_path, docker={"build_dir": str(tmp_path / "build"), "extra_ca_certificates": [str(ca)]})
    docker = blueprint_docker.DockerBlueprint(model.environment(value))
    items = {item["id"]: item for item in docker.resources()}
    context = pathlib.Path(items["api-image"]["params"]["build"]["path"])
    assert not context.exists()  # staged after the selection, for the images the run builds
    docker.stage({"api"})
    assert (context / "main.py").exists()
    assert (context / ".agno-ca" / "corp.crt").exists()
    dockerfile = (context / "Dockerfile").read_text()
    assert "USER 10001" in dockerfile and "update-ca-certificates" in dockerfile


def test_down_keeps_data_and_images_unless_asked(tmp_path: pathlib.Path) -> None:
    items = run.render(model.environment(raw_env(tmp_path)))
    removed = selection.removable(items, None, delete_data=False)
    assert "postgres-data" not in removed and "api-image" not in removed and "postgres" in removed
    assert "postgres-data" in selection.removable(items, None, delete_data=True)
    assert selection.removable(items, ["app"], delete_data=False) == {"api", "worker", "worker-beat"}
    # Removing the postgres and api containers selects neither the volume nor the image that postgres and api own.
    teardown = plan.Plan(items, RESOURCE_TYPES, {}, False, 1, ids=removed)
    selected = {item.id for item in teardown.items if teardown.selected(item)}
    assert selected == removed and not {"postgres-data", "postgres-image", "api-image"} & selected


def test_relative_paths_are_taken_from_the_base_dir(tmp_path: pathlib.Path) -> None:
    value = {"name": "x", "target": "docker", "docker": {"extra_ca_certificates": ["certs/corp.crt", "/etc/ca.crt"], "build_dir": "build"},
             "apps": [{"name": "api", "kind": "fastapi", "source": "./api"}, {"name": "ui", "kind": "streamlit", "source": "/srv/ui"}]}
    resolved = model.absolute_paths(value, str(tmp_path))
    assert [app["source"] for app in resolved["apps"]] == [str(tmp_path / "api"), "/srv/ui"]
    assert resolved["docker"] == {"extra_ca_certificates": [str(tmp_path / "certs" / "corp.crt"), "/etc/ca.crt"],
                                  "build_dir": str(tmp_path / "build")}
    assert value["apps"][0]["source"] == "./api"  # the task's own environment is left alone
    assert model.absolute_paths(value, None) is value


def test_postgres_and_redis_names_select_all_their_resources(tmp_path: pathlib.Path) -> None:
    items = run.render(model.environment(raw_env(tmp_path)))
    assert sorted(item.id for item in items if plan.selected(item, ["postgres"])) == ["postgres", "postgres-data", "postgres-image"]
    assert sorted(item.id for item in items if plan.selected(item, ["redis"])) == ["redis", "redis-data", "redis-image"]


def test_a_selection_that_picks_nothing_is_refused_before_any_change(tmp_path: pathlib.Path) -> None:
    items = run.render(model.environment(raw_env(tmp_path)))
    assert plan.unmatched_selectors(items, ["api", "network", "docker_volume", "db", "postgres", "apii"]) == ["apii"]
    with pytest.raises(ResourceError) as raised:
        selection.check_selectors("agent-app", items, {"limit": ["api"], "recreate": ["wroker"]})
    assert raised.value.msg == (
        "recreate (agno_restart in the playbooks) has 'wroker', which picks no resource of environment agent-app: give app names "
        "(api, postgres, redis, worker), resource ids, types or groups (app, data, db, image, network).")


def test_an_app_takes_the_place_of_its_namesake_or_joins_the_list() -> None:
    value = {"name": "x", "target": "aws", "apps": [{"name": "api", "image": "a:1"}, {"name": "ui", "image": "u:1"}]}
    assert run.with_app(value, {"name": "api", "image": "a:2"})["apps"] == [{"name": "api", "image": "a:2"}, {"name": "ui", "image": "u:1"}]
    assert [app["name"] for app in run.with_app(value, {"name": "worker"})["apps"]] == ["api", "ui", "worker"]
    assert run.with_app(value, None) is value and value["apps"][0]["image"] == "a:1"


def test_a_run_needs_only_the_secrets_of_the_parts_it_converges(tmp_path: pathlib.Path) -> None:
    value = raw_env(tmp_path)
    env = model.environment(value)
    # The Postgres role (limit network + postgres) needs the password, not the API's key.
    postgres = parts(value, ["network", "postgres"])
    assert postgres == {"postgres"}
    assert environment_schema.secret_errors(env, {"postgres_password": "pw"}, postgres) == []
    assert environment_schema.secret_errors(env, {}, parts(value, ["redis"])) == []
    # An app needs its own secrets, and the password when it connects to Postgres (every enabled service, without uses).
    assert environment_schema.secret_errors(env, {"postgres_password": "pw"}, parts(value, ["api"])) == [
        "agno_env.apps[0].secret_env.OPENAI_API_KEY: secret 'openai' is not in the secrets option"]
    assert environment_schema.secret_errors(env, {"openai": "sk"}, {"api"}) == [
        "agno_env.postgres.password_secret: secret 'postgres_password' is not in the secrets option"]
    assert environment_schema.secret_errors(env, {}, parts(value, ["worker"])) == []
    # Without a limit, every part.
    assert parts(value, None) is None
    assert len(environment_schema.secret_errors(env, {}, None)) == 2


def test_every_problem_is_reported_together_each_naming_its_key(tmp_path: pathlib.Path) -> None:
    apps = [{"name": "api", "kind": "fastapi", "image": "API:1"}, {"name": "redis", "kind": "celery", "image": "r:1"},
            {"name": "ui", "kind": "streamlit", "source": str(tmp_path / "nowhere"), "host_port": 8000}]
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(raw_env(tmp_path, apps=apps), SECRETS, sources=True)
    assert [error.split(":")[0] for error in raised.value.details["errors"]] == [
        "agno_env.apps[0].image", "agno_env.apps[1].name", "agno_env.apps[2].host_port", "agno_env.apps[2].source"]
    assert raised.value.msg.startswith("The environment (agno_env) is invalid: agno_env.apps[0].image: 'API:1' is not an image reference")


def test_a_source_must_be_a_directory_of_the_host_for_the_apps_a_run_converges(tmp_path: pathlib.Path) -> None:
    value = raw_env(tmp_path)
    value["apps"].append({"name": "ui", "kind": "streamlit", "source": str(tmp_path / "ui"), "port": 8501})
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(value, SECRETS, sources=True)
    assert raised.value.details["errors"] == [
        "agno_env.apps[2].source: %s is not a directory on this host: point it at the app's code (a relative path is taken from the "
        "inventory's directory)" % (tmp_path / "ui")]
    env = environment_schema.validated(value, SECRETS)  # the audit module renders without the sources
    assert environment_schema.source_errors(env, {"api", "worker"}) == []
    assert len(environment_schema.source_errors(env, {"ui"})) == 1
