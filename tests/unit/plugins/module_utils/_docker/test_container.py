"""docker_container: converges against an in-memory daemon (what is inherited from the image is no difference, what
changes in place and what recreates), readiness failures that quote the evidence, and a removal that an interrupted
run left in progress is waited for, not fought."""

from __future__ import annotations

import json
import typing as t

import docker
import pytest
from docker.errors import APIError, NotFound
from docker.types import Healthcheck

from ansible_collections.agno.infra.plugins.module_utils._docker import container
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError, converge
from ansible_collections.agno.infra.tests.unit.support import task_resource


def conflict(explanation: str) -> APIError:
    """The error the SDK raises for an HTTP 409 answer of the daemon."""
    response = type("Response", (), {"status_code": 409, "reason": "Conflict", "url": "http+docker://localhost/containers/c0ffee"})()
    return APIError("409 Client Error", response=t.cast(t.Any, response), explanation=explanation)


class RemovingDocker:
    """A container the daemon is removing: it answers 'removing' a few times, then no longer knows it."""

    def __init__(self, inspections_left: int) -> None:
        self.inspections_left = inspections_left
        self.calls: t.List[str] = []

    def inspect_container(self, ref: str) -> t.Dict[str, t.Any]:
        self.calls.append("inspect_container")
        if self.inspections_left <= 0:
            raise NotFound("No such container: %s" % ref)
        self.inspections_left -= 1
        return {"Id": "c0ffee", "State": {"Status": "removing"}}

    def remove_container(self, ref: str, force: bool) -> None:
        self.calls.append("remove_container")
        raise conflict("removal of container %s is already in progress" % ref)


def resource(client: RemovingDocker, clock: t.Optional[Clock] = None) -> container.ContainerResource:
    made = container.ContainerResource(client, {"name": "app-api", "stop_timeout": 10})
    made.clock = clock or made.clock
    return made


def test_a_container_being_removed_reads_as_gone_once_the_daemon_is_done(clock: Clock) -> None:
    client = RemovingDocker(inspections_left=2)
    assert resource(client, clock).read() is None
    assert client.calls == ["inspect_container"] * 3


def test_deleting_a_container_already_being_removed_waits_for_that_removal(clock: Clock) -> None:
    client = RemovingDocker(inspections_left=1)
    resource(client, clock).delete({"id": "c0ffee", "running": False})
    assert client.calls == ["remove_container", "inspect_container", "inspect_container"]


def test_other_conflicts_are_not_swallowed() -> None:
    assert not container.removal_in_progress(conflict('the container name "/app-api" is already in use'))
    assert container.removal_in_progress(ResourceError("already in progress")) is False


def test_a_removal_that_never_ends_says_what_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "REMOVAL_TIMEOUT", 0)
    with pytest.raises(ResourceError) as raised:
        resource(RemovingDocker(inspections_left=5)).read()
    assert raised.value.msg.startswith("Docker has been removing container app-api for over 0 s: check the engine")


# The SDK builds host, endpoint and network settings without a daemon; these fakes use its real builders.
SDK = docker.APIClient(base_url="unix:///nonexistent.sock", version="1.41")
IMAGE = {"Id": "sha256:" + "1" * 64,
         "Config": {"Env": ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8"], "Cmd": ["python3"], "Labels": {"org.opencontainers.image.title": "app"}}}


class Engine:
    """A Docker daemon's container calls: containers by name or id, images by reference. Started containers with a
    healthcheck are starting until inspected once more, then healthy (or ``exits`` with code 1)."""

    def __init__(self, exits: bool = False) -> None:
        self.images: t.Dict[str, t.Dict[str, t.Any]] = {"agent-app/api:latest": IMAGE}
        self.containers: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.calls: t.List[str] = []
        self.exits = exits

    create_host_config = staticmethod(SDK.create_host_config)
    create_endpoint_config = staticmethod(SDK.create_endpoint_config)
    create_networking_config = staticmethod(SDK.create_networking_config)

    def inspect_image(self, ref: str) -> t.Dict[str, t.Any]:
        found = self.images.get(ref) or next((image for image in self.images.values() if image["Id"] == ref), None)
        if found is None:
            raise NotFound("No such image: %s" % ref)
        return found

    def pull(self, repository: str, tag: str) -> None:
        self.calls.append("pull")
        raise NotFound("pull access denied for %s, repository does not exist or may require 'docker login'" % repository)

    def inspect_container(self, ref: str) -> t.Dict[str, t.Any]:
        found = next((info for info in self.containers.values() if ref in (info["Name"][1:], info["Id"])), None)
        if found is None:
            raise NotFound("No such container: %s" % ref)
        answer = json.loads(json.dumps(found))
        health = found["State"].get("Health")
        if health and health["Status"] == "starting":
            found["State"].update({"Status": "exited", "Running": False, "ExitCode": 1, "Health": None} if self.exits else
                                  {"Health": {"Status": "healthy", "Log": [{"Output": "ok"}]}})
        return answer

    def create_container(self, image: str, name: str, environment: t.Optional[t.Dict[str, str]], labels: t.Dict[str, str],
                         healthcheck: t.Optional[t.Dict[str, t.Any]], host_config: t.Dict[str, t.Any],
                         networking_config: t.Optional[t.Dict[str, t.Any]], **config: t.Any) -> t.Dict[str, str]:
        self.calls.append("create_container")
        image_config = self.images[image]["Config"]
        container_id = "%064x" % (len(self.calls) * 0xc0ffee)
        check = {key: value for key, value in Healthcheck(**healthcheck).items() if value is not None} if healthcheck else None
        self.containers[container_id] = {
            "Id": container_id, "Name": "/" + name, "Image": self.images[image]["Id"],
            "Config": {"Image": image, "Cmd": config.get("command") or image_config["Cmd"], "Entrypoint": config.get("entrypoint"),
                       "Env": image_config["Env"] + ["%s=%s" % item for item in (environment or {}).items()],
                       "Labels": dict(image_config["Labels"], **labels), "Healthcheck": check, "User": config.get("user") or "",
                       "WorkingDir": config.get("working_dir") or ""},
            "HostConfig": host_config, "State": {"Status": "created", "Running": False, "ExitCode": 0},
            "NetworkSettings": {"Networks": {}}}
        for network, endpoint in ((networking_config or {}).get("EndpointsConfig") or {}).items():
            self.attach(container_id, network, endpoint.get("Aliases"))
        return {"Id": container_id, "Warnings": []}

    def attach(self, container_id: str, network: str, aliases: t.Optional[t.List[str]]) -> None:
        """An endpoint with the aliases asked for, and the short id Docker adds by itself."""
        self.containers[container_id]["NetworkSettings"]["Networks"][network] = {"Aliases": (aliases or []) + [container_id[:12]]}

    def connect_container_to_network(self, container_id: str, net_id: str, aliases: t.Optional[t.List[str]] = None) -> None:
        self.calls.append("connect_container_to_network")
        self.attach(container_id, net_id, aliases)

    def disconnect_container_from_network(self, container_id: str, net_id: str) -> None:
        self.calls.append("disconnect_container_from_network")
        del self.containers[container_id]["NetworkSettings"]["Networks"][net_id]

    def start(self, container_id: str) -> None:
        self.calls.append("start")
        found = self.containers[container_id]
        found["State"] = {"Status": "running", "Running": True, "ExitCode": 0,
                          "Health": {"Status": "starting", "Log": []} if found["Config"]["Healthcheck"] else None}

    def stop(self, container_id: str, timeout: int) -> None:
        self.calls.append("stop")
        self.containers[container_id]["State"] = {"Status": "exited", "Running": False, "ExitCode": 0}

    def update_container(self, container_id: str, restart_policy: t.Dict[str, t.Any]) -> None:
        self.calls.append("update_container")
        self.containers[container_id]["HostConfig"]["RestartPolicy"] = restart_policy

    def remove_container(self, container_id: str, force: bool) -> None:
        self.calls.append("remove_container")
        del self.containers[container_id]

    def logs(self, container_id: str, tail: int) -> bytes:
        return b"Traceback (most recent call last):\nKeyError: 'OPENAI_API_KEY'\n"


def api(engine: Engine, **options: t.Any) -> container.ContainerResource:
    return task_resource(container.ContainerResource, engine, **dict({
        "name": "agent-app-api", "image": "agent-app/api", "pull": False, "command": "uvicorn main:app --port 8000",
        "env": {"MODE": "prd", "DEBUG": False}, "secret_env": {"OPENAI_API_KEY": "sk-live-0123"}, "labels": {"io.agno.env": "agent-app"},
        "ports": ["127.0.0.1:18000:8000"], "volumes": ["agent-app-data:/data"], "tmpfs": ["/tmp"], "read_only": True,
        "networks": [{"name": "agent-app", "aliases": ["api"]}, {"name": "monitoring"}], "restart_policy": "unless-stopped",
        "healthcheck": {"test": "curl -fs http://127.0.0.1:8000/health", "interval": "2s", "retries": 30}, "user": "10001",
        "memory": "512m", "cpus": 0.5}, **options))


def test_create_start_and_wait_until_healthy_then_a_rerun_changes_nothing() -> None:
    engine = Engine()
    created = converge(api(engine), wait=True, wait_timeout=120)
    assert created.action == "create"
    assert engine.calls == ["create_container", "connect_container_to_network", "start"]
    state = created.state
    assert (state["running"], state["health"], state["ports"], state["volumes"]) == (
        True, {"state": "healthy"}, ["127.0.0.1:18000:8000/tcp"], ["agent-app-data:/data:rw"])
    assert state["networks"] == [{"name": "agent-app", "aliases": ["api"]}, {"name": "monitoring", "aliases": []}]
    assert state["env"] == {"MODE": "prd", "DEBUG": "false"} and state["secret_env_keys"] == ["OPENAI_API_KEY"]
    assert "secret_env" not in state and "sk-live" not in repr(created)
    assert (state["memory"], state["cpus"], state["user"], state["read_only"]) == (512 * 1024 ** 2, 0.5, "10001", True)
    engine.calls.clear()
    assert converge(api(engine), wait=True).changed is False and engine.calls == []


def test_a_container_without_a_healthcheck_is_ready_once_it_ran_a_second_and_reports_its_status_as_its_health(clock: Clock) -> None:
    resource = api(Engine(), healthcheck=None)
    resource.clock = clock
    created = converge(resource, wait=True, wait_timeout=120)
    assert (created.state["running"], created.state["health"]) == (True, {"state": "running"})
    assert clock.now() >= container.SETTLE_SECONDS


def test_a_container_without_a_healthcheck_that_exits_soon_after_its_start_fails_the_wait(clock: Clock) -> None:
    engine = Engine()
    resource = api(engine, healthcheck=None, restart_policy="no")
    resource.clock = clock
    # Running when the task first looks, exited by its next look: as a command that fails at once under load.
    inspect = engine.inspect_container

    def exited_after_a_while(ref: str) -> t.Dict[str, t.Any]:
        answer = inspect(ref)
        if clock.now() > 0:
            answer["State"].update({"Status": "exited", "Running": False, "ExitCode": 3})
        return answer

    engine.inspect_container = exited_after_a_while  # type: ignore[method-assign]
    with pytest.raises(ResourceError) as raised:
        converge(resource, wait=True, wait_timeout=120)
    assert raised.value.msg.startswith("Docker container agent-app-api stopped with exit code 3, status exited")


def test_restart_policy_networks_and_running_change_in_place() -> None:
    engine = Engine()
    converge(api(engine))
    engine.calls.clear()
    outcome = converge(api(engine, state="stopped", restart_policy="on-failure", restart_retries=3,
                           networks=[{"name": "agent-app", "aliases": ["api", "backend"]}]))
    assert outcome.changes == ["networks", "restart_policy", "restart_retries", "running"]
    assert engine.calls == ["update_container", "disconnect_container_from_network", "disconnect_container_from_network",
                            "connect_container_to_network", "stop"]
    assert outcome.state["networks"] == [{"name": "agent-app", "aliases": ["api", "backend"]}]


def test_a_new_value_or_a_new_image_behind_the_same_tag_recreates_the_container() -> None:
    engine = Engine()
    first = converge(api(engine)).state["id"]
    engine.calls.clear()
    replaced = converge(api(engine, secret_env={"OPENAI_API_KEY": "sk-live-4567"}))
    assert (replaced.action, replaced.changes) == ("replace", ["secret_env"])
    assert replaced.diff["after"]["secret_env"] == {"OPENAI_API_KEY": "******** (changed)"}
    assert engine.calls[:2] == ["stop", "remove_container"] and first not in engine.containers
    engine.images.update({IMAGE["Id"]: IMAGE, "agent-app/api:latest": dict(IMAGE, Id="sha256:" + "2" * 64)})  # the old one stays, untagged
    assert converge(api(engine, secret_env={"OPENAI_API_KEY": "sk-live-4567"})).changes == ["image_id"]


@pytest.mark.parametrize("options, message", [
    ({"env": {"OPENAI_API_KEY": "x"}}, "docker container agent-app-api sets OPENAI_API_KEY in both env and secret_env: keep each "
                                       "key in one of them."),
    ({"env": {"HOSTS": ["a", "b"]}}, "docker container agent-app-api has env.HOSTS set to a list or mapping: an environment value is "
                                     "a string, a number or a boolean."),
    ({"image": "agent-app/ui"}, "Image agent-app/ui:latest is not on the Docker host at unix:///var/run/docker.sock and pull is "
                                "false: build it first (agno.infra.docker_image) or set pull: true."),
])
def test_refusals_come_before_anything_is_created(options: t.Dict[str, t.Any], message: str) -> None:
    engine = Engine()
    with pytest.raises(ResourceError) as raised:
        converge(api(engine, **options))
    assert raised.value.msg == message and engine.containers == {}


def test_a_failed_pull_says_how_to_go_on() -> None:
    engine = Engine()
    with pytest.raises(ResourceError) as raised:
        converge(api(engine, image="agent-app/ui", pull=True))
    assert raised.value.msg == (
        "Image agent-app/ui:latest is not on the Docker host at unix:///var/run/docker.sock and pulling it failed (pull access "
        "denied for agent-app/ui, repository does not exist or may require 'docker login'): build it locally with "
        "agno.infra.docker_image, or check the image name and the registry's reachability and credentials.")


def test_a_container_that_exits_without_a_restart_policy_is_reported_with_its_last_log_lines() -> None:
    with pytest.raises(ResourceError) as raised:
        converge(api(Engine(exits=True), restart_policy="no"), wait=True, wait_timeout=120)
    assert raised.value.msg == (
        "Docker container agent-app-api stopped with exit code 1, status exited; check its command, healthcheck and configuration. "
        "Last log lines: Traceback (most recent call last): | KeyError: 'OPENAI_API_KEY'")


def test_a_container_that_keeps_restarting_is_reported_when_the_wait_ends() -> None:
    with pytest.raises(ResourceError) as raised:
        converge(api(Engine(exits=True)), wait=True, wait_timeout=120)
    assert raised.value.msg.startswith("Docker container agent-app-api was not ready within 120 s, status exited; check its command")
