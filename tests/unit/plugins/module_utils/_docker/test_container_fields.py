"""Normalisation of docker_container options and of `docker inspect` output."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._docker import container_fields as spec
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError


@pytest.mark.parametrize("given, expected", [
    ("8000", "0.0.0.0::8000/tcp"),
    ("8080:80", "0.0.0.0:8080:80/tcp"),
    ("127.0.0.1:8000:8000", "127.0.0.1:8000:8000/tcp"),
    ("127.0.0.1::53/udp", "127.0.0.1::53/udp"),
    ("[::1]:8080:80", "::1:8080:80/tcp"),
])
def test_ports_are_canonical(given: str, expected: str) -> None:
    assert spec.desired_ports([given]) == [expected]


def test_ports_read_back_equal_what_was_asked() -> None:
    bindings = spec.port_bindings(spec.desired_ports(["127.0.0.1:8000:8000", "9000/udp"]))
    inspected = {key: [{"HostIp": host[0], "HostPort": host[1] if len(host) > 1 else ""} for host in hosts]
                 for key, hosts in bindings.items()}
    assert spec.current_ports(inspected) == spec.desired_ports(["127.0.0.1:8000:8000", "9000/udp"])


@pytest.mark.parametrize("bad, message", [
    ("70000:80", "outside 1-65535"),
    ("80:http", "is not [IP:][HOST:]CONTAINER"),
    ("1.2.3.4:80:80/icmp", "is not [IP:][HOST:]CONTAINER"),
])
def test_bad_ports_say_what_is_wrong(bad: str, message: str) -> None:
    with pytest.raises(ResourceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        spec.desired_ports([bad])


def test_volumes_default_to_read_write_and_lose_trailing_slashes() -> None:
    assert spec.desired_volumes(["data:/data/", "/srv/app:/app:ro"]) == ["/srv/app:/app:ro", "data:/data:rw"]
    assert spec.current_volumes(["data:/data", "/srv/app:/app:ro,rprivate"]) == ["/srv/app:/app:ro", "data:/data:rw"]


@pytest.mark.parametrize("bad", ["data", "data:relative", "./src:/app", "data:/x:rx"])
def test_bad_volumes_are_refused(bad: str) -> None:
    with pytest.raises(ResourceError):
        spec.desired_volumes([bad])


@pytest.mark.parametrize("given, nanoseconds", [
    ("30s", 30 * 10 ** 9), ("1m30s", 90 * 10 ** 9), ("500ms", 5 * 10 ** 8), ("5", 5 * 10 ** 9), (2, 2 * 10 ** 9),
])
def test_durations(given: object, nanoseconds: int) -> None:
    assert spec.parse_duration(given, "interval") == nanoseconds


def test_bad_duration_names_the_field() -> None:
    with pytest.raises(ResourceError, match="healthcheck.timeout is '3 seconds'"):
        spec.parse_duration("3 seconds", "timeout")


@pytest.mark.parametrize("given, size", [("512m", 512 * 1024 ** 2), ("1g", 1024 ** 3), ("64MB", 64 * 1024 ** 2),
                                         (1000, 1000), ("1024", 1024)])
def test_memory_sizes(given: object, size: int) -> None:
    assert spec.parse_memory(given) == size


def test_healthcheck_test_forms() -> None:
    assert spec.healthcheck_test("curl -f localhost") == ["CMD-SHELL", "curl -f localhost"]
    assert spec.healthcheck_test(["curl", "-f", "localhost"]) == ["CMD", "curl", "-f", "localhost"]
    assert spec.healthcheck_test(["NONE"]) == ["NONE"]


def test_healthcheck_compares_only_the_keys_set() -> None:
    wanted = spec.desired_healthcheck({"test": "true", "interval": "1s", "timeout": None, "retries": None,
                                       "start_period": None})
    docker_view = {"Test": ["CMD-SHELL", "true"], "Interval": 10 ** 9, "Timeout": 30 * 10 ** 9}
    assert spec.current_healthcheck(docker_view, wanted) == wanted


def test_env_keeps_own_entries_and_the_ones_the_task_names() -> None:
    env = spec.env_list_to_dict(["PATH=/usr/bin", "MODE=base", "APP=1", "EMPTY"])
    image = {"PATH": "/usr/bin", "MODE": "base"}
    assert spec.own_entries(env, image, ["MODE"]) == {"MODE": "base", "APP": "1", "EMPTY": ""}


def test_env_values_are_strings_as_docker_stores_them() -> None:
    assert spec.string_map({"DEBUG": False, "PORT": 8000, "NAME": "x"}) == {"DEBUG": "false", "PORT": "8000", "NAME": "x"}


def test_network_changes_reconnect_only_what_differs() -> None:
    current = [{"name": "a", "aliases": ["api"]}, {"name": "bridge", "aliases": []}]
    desired = spec.desired_networks([{"name": "a", "aliases": ["api", "web"]}, {"name": "b"}])
    disconnect, connect = spec.network_changes(current, desired)
    assert disconnect == ["a", "bridge"]
    assert connect == [{"name": "a", "aliases": ["api", "web"]}, {"name": "b", "aliases": []}]


def test_image_references_get_an_explicit_tag() -> None:
    assert spec.image_reference("redis") == "redis:latest"
    assert spec.image_reference("localhost:5000/app") == "localhost:5000/app:latest"
    assert spec.image_reference("app:1.2") == "app:1.2"
    assert spec.image_reference("app@sha256:abc") == "app@sha256:abc"


def test_restart_policy_retries_only_for_on_failure() -> None:
    assert spec.restart_policy("always", 3) == {"Name": "always", "MaximumRetryCount": 0}
    assert spec.restart_policy("on-failure", 3) == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert spec.current_restart_policy({"Name": ""}) == "no"
