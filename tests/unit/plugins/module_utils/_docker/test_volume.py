"""docker_volume: option checks, the refusals that protect data, and the missing-driver sentence."""

from __future__ import annotations

import typing as t

import pytest
from docker.errors import NotFound

from ansible_collections.agno.infra.plugins.module_utils._docker import volume
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


class FakeDocker:
    """Volumes by name, with the containers that use them."""

    def __init__(self) -> None:
        self.volumes: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.users: t.List[str] = []
        self.calls: t.List[str] = []

    def inspect_volume(self, name: str) -> t.Dict[str, t.Any]:
        if name not in self.volumes:
            raise NotFound("no such volume")
        return self.volumes[name]

    def create_volume(self, name: str, driver: str, driver_opts: t.Any, labels: t.Any) -> None:
        self.calls.append("create_volume")
        if driver != "local":
            raise NotFound('create %s: error looking up volume plugin %s: plugin "%s" not found' % (name, driver, driver))
        self.volumes[name] = {"Name": name, "Driver": driver, "Options": driver_opts, "Labels": labels,
                              "Mountpoint": "/var/lib/docker/volumes/%s/_data" % name}

    def remove_volume(self, name: str) -> None:
        self.calls.append("remove_volume")
        del self.volumes[name]

    def containers(self, **_kwargs: t.Any) -> t.List[t.Dict[str, t.Any]]:
        return [{"Names": ["/" + name]} for name in self.users]


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    base = {"name": "agno-it-data", "state": "present", "driver": "local", "driver_options": None, "labels": None,
            "recreate": False, "force": False, "docker_host": "unix:///var/run/docker.sock"}
    return dict(base, **overrides)


def test_unknown_local_options() -> None:
    assert volume.unknown_local_options("local", {"type": "tmpfs", "device": "tmpfs", "o": "size=1m"}) == []
    assert volume.unknown_local_options("local", {"size": "1G", "foo": "1", "bar": "2"}) == ["bar", "foo"]
    assert volume.unknown_local_options("rexray", {"foo": "1"}) == []


def test_missing_driver() -> None:
    assert volume.missing_driver('create x: error looking up volume plugin nope: plugin "nope" not found')
    assert not volume.missing_driver('create x: invalid option: "foo"')


def test_rerun_is_unchanged_and_labels_are_compared_as_strings() -> None:
    docker = FakeDocker()
    assert converge(volume.VolumeResource(docker, params(labels={"replicas": 2}))).action == "create"
    again = converge(volume.VolumeResource(docker, params(labels={"replicas": "2"})))
    assert not again.changed and docker.calls == ["create_volume"]


def test_a_difference_is_refused_without_recreate_even_in_check_mode() -> None:
    docker = FakeDocker()
    converge(volume.VolumeResource(docker, params(labels={"a": "1"})))
    with pytest.raises(ResourceError) as error:
        converge(volume.VolumeResource(docker, params(labels={"a": "2"})), check_mode=True)
    assert error.value.msg == (
        "Docker volume agno-it-data differs in labels, which Docker cannot change in place, and a volume holds data: "
        "set recreate: true to remove it and create it anew (its data is lost), or keep its current settings.")


def test_recreate_replaces_an_unused_volume_but_not_one_in_use() -> None:
    docker = FakeDocker()
    converge(volume.VolumeResource(docker, params(labels={"a": "1"})))
    outcome = converge(volume.VolumeResource(docker, params(labels={"a": "2"}, recreate=True)))
    assert (outcome.action, outcome.changes, docker.volumes["agno-it-data"]["Labels"]) == ("replace", ["labels"], {"a": "2"})
    docker.users = ["web", "backup"]
    with pytest.raises(ResourceError) as error:
        converge(volume.VolumeResource(docker, params(labels={"a": "3"}, recreate=True)))
    assert error.value.msg == ("Docker volume agno-it-data cannot be recreated while containers use it (backup, web): "
                               "remove those containers first.")
    with pytest.raises(ResourceError) as error:
        converge(volume.VolumeResource(docker, params(state="absent", force=True)), present=False)
    assert "cannot be removed while containers use it (backup, web)" in error.value.msg


def test_removal_needs_force_even_in_check_mode() -> None:
    docker = FakeDocker()
    converge(volume.VolumeResource(docker, params()))
    for check_mode in (True, False):
        with pytest.raises(ResourceError, match="holds data and is not removed without force: true"):
            converge(volume.VolumeResource(docker, params(state="absent")), present=False, check_mode=check_mode)
    assert converge(volume.VolumeResource(docker, params(state="absent", force=True)), present=False).action == "delete"
    assert "agno-it-data" not in docker.volumes


def test_unknown_local_options_fail_before_any_call() -> None:
    docker = FakeDocker()
    with pytest.raises(ResourceError) as error:
        converge(volume.VolumeResource(docker, params(driver_options={"foo": "1"})))
    assert error.value.msg == ("Docker volume agno-it-data has driver_options the local driver does not know (foo): use "
                               "only device, o, size, type, or set driver to the plugin that takes them.")
    assert docker.calls == []


def test_a_missing_driver_is_explained() -> None:
    with pytest.raises(ResourceError) as error:
        converge(volume.VolumeResource(FakeDocker(), params(driver="nope")))
    assert error.value.msg == (
        "Docker volume agno-it-data cannot be created: the Docker host at unix:///var/run/docker.sock has no volume "
        "driver nope; install the plugin that provides it (docker plugin install), or use driver: local.")
