"""docker_network: IPAM compared on the keys the task sets, and the refusal to disconnect containers without force."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._docker import network
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge

INSPECTED = {"Id": "n1", "Name": "app", "Driver": "bridge", "Labels": {}, "Options": {},
             "IPAM": {"Config": [{"Subnet": "10.9.0.0/24", "Gateway": "10.9.0.1"}]},
             "Containers": {"c1": {"Name": "web"}}}


class FakeDocker:
    def __init__(self) -> None:
        self.calls: t.List[str] = []

    def inspect_network(self, name: str) -> t.Dict[str, t.Any]:
        return INSPECTED


def resource(**params: t.Any) -> network.NetworkResource:
    return network.NetworkResource(FakeDocker(), dict({"name": "app", "force": False}, **params))


def test_ipam_pools_match_on_the_keys_the_task_sets() -> None:
    assert converge(resource(ipam=[{"subnet": "10.9.0.0/24"}])).action == "none"


def test_attached_containers_block_a_removal_or_a_recreation_without_force() -> None:
    with pytest.raises(ResourceError) as error:
        converge(resource(), present=False, check_mode=True)
    assert error.value.msg == ("Docker network app cannot be removed while containers are attached (web): remove those "
                               "containers first, or set force: true to disconnect them.")
    with pytest.raises(ResourceError) as error:
        converge(resource(internal=True), check_mode=True)
    assert error.value.msg == ("Docker network app cannot be recreated to change internal while containers are attached "
                               "(web): remove those containers first, or set force: true to disconnect and reconnect them.")
    assert converge(resource(force=True), present=False, check_mode=True).action == "delete"
