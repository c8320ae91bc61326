"""The docker blueprint beyond what test_environment covers: how each app kind starts and is probed, ready images,
the services an app connects to, and what gets staged."""

from __future__ import annotations

import os
import pathlib
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import model
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


def blueprint(tmp_path: pathlib.Path, apps: t.List[t.Dict[str, t.Any]], **overrides: t.Any) -> DockerBlueprint:
    raw = dict({"name": "shop", "target": "docker", "docker": {"build_dir": str(tmp_path / "build")}, "apps": apps}, **overrides)
    return DockerBlueprint(model.environment(raw))


def rendered(tmp_path: pathlib.Path, apps: t.List[t.Dict[str, t.Any]], **overrides: t.Any) -> t.Dict[str, t.Dict[str, t.Any]]:
    """The items of an environment by id."""
    return {item["id"]: item for item in blueprint(tmp_path, apps, **overrides).resources()}


@pytest.fixture()
def source(tmp_path: pathlib.Path) -> str:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("app = None\n")
    return str(tmp_path / "src")


def test_each_kind_starts_with_its_defaults_and_a_probe_of_its_health_path(tmp_path: pathlib.Path, source: str) -> None:
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source},
                                {"name": "ui", "kind": "streamlit", "source": source, "port": 8502},
                                {"name": "admin", "kind": "django", "source": source, "module": "shop.wsgi"}])
    assert items["api"]["params"]["command"] == ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
    assert items["ui"]["params"]["command"][:5] == ["streamlit", "run", "app.py", "--server.port", "8502"]
    assert items["admin"]["params"]["command"] == ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]
    probe = items["ui"]["params"]["healthcheck"]
    assert probe["test"][:2] == ["python", "-c"] and "8502, timeout=3" in probe["test"][2] and "'/_stcore/health'" in probe["test"][2]
    assert items["api"]["params"]["ports"] == ["127.0.0.1:8000:8000"]
    assert items["api"]["params"]["env"]["UI_URL"] == "http://ui:8502"


def test_a_celery_worker_is_probed_by_ping_and_its_beat_runs_beside_it_unprobed(tmp_path: pathlib.Path, source: str) -> None:
    items = rendered(tmp_path, [{"name": "worker", "kind": "celery", "source": source, "module": "shop.tasks", "beat": True}])
    worker, beat = items["worker"]["params"], items["worker-beat"]["params"]
    assert worker["command"] == ["celery", "-A", "shop.tasks", "worker", "--loglevel", "INFO", "--concurrency", "2"]
    assert worker["healthcheck"]["test"] == "celery -A shop.tasks inspect ping --timeout 5 -d celery@$HOSTNAME"
    assert beat["command"][:4] == ["celery", "-A", "shop.tasks", "beat"] and "healthcheck" not in beat
    assert worker["ports"] == [] and beat["image"] == worker["image"] == "shop/worker:latest"
    assert items["worker-beat"]["app"] == "worker"


def test_an_app_with_a_ready_image_needs_it_locally_and_nothing_is_built(tmp_path: pathlib.Path) -> None:
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "image": "registry.local:5000/shop/api:1.4", "command": ["serve"]}])
    assert items["api-image"]["params"] == {"name": "registry.local:5000/shop/api", "tag": "1.4", "source": "local"}
    assert items["api"]["params"]["image"] == "registry.local:5000/shop/api:1.4"
    assert items["api"]["params"]["command"] == ["serve"]
    assert not (tmp_path / "build").exists()


def test_an_app_connects_to_the_services_it_uses_only(tmp_path: pathlib.Path, source: str) -> None:
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source, "uses": ["redis"]}],
                     postgres={"enabled": True, "host_port": 15432}, redis={"enabled": True})
    api = items["api"]
    assert "DB_HOST" not in api["params"]["env"] and api["params"]["secret_env"] == {}
    assert api["params"]["env"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert api["depends_on"] == ["redis", "api-image"]
    assert items["postgres"]["params"]["ports"] == ["127.0.0.1:15432:5432"]


def test_rendering_writes_nothing_and_staging_needs_the_sources(tmp_path: pathlib.Path) -> None:
    apps = [{"name": "api", "kind": "fastapi", "source": str(tmp_path / "nowhere")}]
    items = rendered(tmp_path, apps, postgres={"enabled": True})
    assert items["api-image"]["params"]["build"]["path"] == str(tmp_path / "build" / "shop" / "api")
    assert not (tmp_path / "build").exists()
    blueprint(tmp_path, apps, postgres={"enabled": True}).stage({"postgres"})
    assert [path.name for path in (tmp_path / "build" / "shop").iterdir()] == ["postgres"]
    with pytest.raises(ResourceError) as raised:
        blueprint(tmp_path, apps).stage({"api", "worker"})
    assert raised.value.msg == ("App api has source %s, which is not a directory on the Docker host: point agno_env.apps[].source "
                                "at the app's code." % (tmp_path / "nowhere"))


def test_staging_again_leaves_unchanged_generated_files_alone(tmp_path: pathlib.Path) -> None:
    blueprint(tmp_path, [], postgres={"enabled": True}).stage({"postgres"})
    dockerfile = tmp_path / "build" / "shop" / "postgres" / "Dockerfile"
    os.utime(dockerfile, (1, 1))
    blueprint(tmp_path, [], postgres={"enabled": True}).stage({"postgres"})
    assert dockerfile.stat().st_mtime == 1
    rebased = blueprint(tmp_path, [], postgres={"enabled": True}, docker={"build_dir": str(tmp_path / "build"), "base_image": "debian:13"})
    rebased.stage({"postgres"})
    assert dockerfile.read_text().startswith("FROM debian:13\n")


def test_containers_networks_and_volumes_carry_their_environment_id_and_component(tmp_path: pathlib.Path, source: str) -> None:
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source}], postgres={"enabled": True})
    labels = {item_id: item["params"]["labels"] for item_id, item in items.items() if "labels" in item["params"]}
    assert set(labels) == {"network", "postgres-data", "postgres", "api"}
    assert all(value["agno.env"] == "shop" and value["agno.id"] == item_id for item_id, value in labels.items())
    assert (labels["api"]["agno.app"], labels["postgres-data"]["agno.app"], "agno.app" in labels["network"]) == ("api", "postgres", False)


def reloading(tmp_path: pathlib.Path, apps: t.List[t.Dict[str, t.Any]]) -> DockerBlueprint:
    return blueprint(tmp_path, apps, docker={"build_dir": str(tmp_path / "build"), "reload": True})


def test_without_reload_nothing_is_mounted_and_the_kinds_commands_do_not_reload(tmp_path: pathlib.Path, source: str) -> None:
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source}])
    assert "volumes" not in items["api"]["params"] and "--reload" not in items["api"]["params"]["command"]


def test_with_reload_each_kind_runs_its_mounted_source_read_only_and_reloads_it(tmp_path: pathlib.Path, source: str) -> None:
    apps = [{"name": "api", "kind": "fastapi", "source": source},
            {"name": "ui", "kind": "streamlit", "source": source},
            {"name": "admin", "kind": "django", "source": source, "module": "shop.wsgi"},
            {"name": "worker", "kind": "celery", "source": source, "module": "shop.tasks", "beat": True}]
    items = {item["id"]: item["params"] for item in reloading(tmp_path, apps).resources()}
    for name in ("api", "ui", "admin", "worker", "worker-beat"):
        assert items[name]["volumes"] == ["%s:/app:ro" % source] and items[name]["read_only"] is True, name
        assert items[name]["user"] == "10001"
    assert items["api"]["command"][-3:] == ["--reload", "--reload-dir", "/app"]
    assert items["ui"]["command"][-4:] == ["--server.runOnSave", "true", "--server.fileWatcherType", "poll"]
    assert items["admin"]["command"] == ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000", "--reload"]
    assert items["worker"]["command"] == ["watchfiles", "--target-type", "command", "--filter", "python",
                                          "celery -A shop.tasks worker --loglevel INFO --concurrency 2", "/app"]
    assert items["worker-beat"]["command"][5].startswith("celery -A shop.tasks beat ")
    # The health probe is the one of the app, not of the watcher.
    assert items["worker"]["healthcheck"]["test"].startswith("celery -A shop.tasks inspect ping")


def test_with_reload_an_own_command_gets_the_mount_but_no_flags(tmp_path: pathlib.Path, source: str) -> None:
    command = ["uvicorn", "main:app", "--port", "8000", "--host", "0.0.0.0"]
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source, "command": command}],
                     docker={"build_dir": str(tmp_path / "build"), "reload": True})
    assert items["api"]["params"]["command"] == command and items["api"]["params"]["volumes"] == ["%s:/app:ro" % source]


def test_with_reload_an_own_dockerfile_or_a_ready_image_runs_as_built(tmp_path: pathlib.Path, source: str) -> None:
    (pathlib.Path(source) / "Dockerfile").write_text("FROM scratch\n")
    items = rendered(tmp_path, [{"name": "api", "kind": "fastapi", "source": source},
                                {"name": "ui", "kind": "streamlit", "image": "shop/ui:1"}],
                     docker={"build_dir": str(tmp_path / "build"), "reload": True})
    for name in ("api", "ui"):
        assert "volumes" not in items[name]["params"] and "--server.runOnSave" not in items[name]["params"]["command"]
    assert "--reload" not in items["api"]["params"]["command"]
    reloading(tmp_path, [{"name": "api", "kind": "fastapi", "source": source}]).stage({"api"})
    assert (tmp_path / "build" / "shop" / "api" / "main.py").exists()  # its Dockerfile may need any file of the source


def test_with_reload_the_context_holds_what_shapes_the_image_and_no_code(tmp_path: pathlib.Path, source: str) -> None:
    (pathlib.Path(source) / "requirements.txt").write_text("fastapi==0.115.12\n")
    apps = [{"name": "api", "kind": "fastapi", "source": source}, {"name": "worker", "kind": "celery", "source": source}]
    reloading(tmp_path, apps).stage({"api", "worker"})
    api, worker = tmp_path / "build" / "shop" / "api", tmp_path / "build" / "shop" / "worker"
    assert sorted(path.name for path in api.iterdir()) == [".agno-ca", "Dockerfile", "requirements.txt"]
    assert (api / "requirements.txt").read_text() == "fastapi==0.115.12\n"
    assert "watchfiles" not in (api / "Dockerfile").read_text()
    assert "-r requirements.txt watchfiles==1.0.5\n" in (worker / "Dockerfile").read_text()
    # A code edit leaves the context as it was: the image's build hash, hence the image and the container, stay.
    before = {path.name: path.read_bytes() for path in api.iterdir() if path.is_file()}
    (pathlib.Path(source) / "main.py").write_text("app = 'edited'\n")
    reloading(tmp_path, apps).stage({"api"})
    assert {path.name: path.read_bytes() for path in api.iterdir() if path.is_file()} == before
    # Without reload the code is in the image again.
    blueprint(tmp_path, apps).stage({"api", "worker"})
    assert (api / "main.py").exists() and "watchfiles" not in (worker / "Dockerfile").read_text()


def test_with_reload_a_source_without_requirements_gets_an_empty_one(tmp_path: pathlib.Path, source: str) -> None:
    reloading(tmp_path, [{"name": "api", "kind": "fastapi", "source": source}]).stage({"api"})
    assert (tmp_path / "build" / "shop" / "api" / "requirements.txt").read_text() == ""


def test_a_job_is_a_scheduler_container_in_its_apps_image_with_its_settings_on_no_port() -> None:
    raw = {"name": "agent-app-jobs", "target": "docker", "postgres": {"enabled": True},
           "apps": [{"name": "api", "kind": "fastapi", "image": "agent-app/api:1", "secret_env": {"OPENAI_API_KEY": "openai"}}],
           "jobs": [{"name": "report", "app": "api", "command": ["python", "-c", "print('report')"], "schedule": "* * * * *"}]}
    found = {item["id"]: item for item in DockerBlueprint(model.environment(raw)).resources()}
    job, api = found["job-report"]["params"], found["api"]["params"]
    assert job["name"] == "agent-app-jobs-job-report" and job["image"] == api["image"] and job["ports"] == []
    assert job["command"][:2] == ["python3", "-c"] and job["command"][3:] == ["report", "* * * * *", "python", "-c", "print('report')"]
    assert (job["env"], job["secret_env"], job["user"], job["read_only"]) == (api["env"], api["secret_env"], api["user"], True)
    assert "healthcheck" not in job and found["job-report"]["app"] == "api"
