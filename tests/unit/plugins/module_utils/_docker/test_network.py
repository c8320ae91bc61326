"""docker_network through the engine: IPAM compared on the keys the task sets, replacement with containers moved over,
and the refusal to disconnect containers without force."""

from __future__ import annotations

import typing as t

import pytest
from docker.errors import NotFound

from ansible_collections.agno.infra.plugins.module_utils._docker import network
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.support import task_resource


class Networks:
    """The daemon's network calls. Docker finds a network by name or by a prefix of its id, and fills in what the
    request left out (a gateway, a subnet)."""

    def __init__(self) -> None:
        self.networks: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.containers: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.calls: t.List[str] = []

    def inspect_network(self, ref: str) -> t.Dict[str, t.Any]:
        for network_id, info in self.networks.items():
            if ref in (info["Name"], network_id) or network_id.startswith(ref):
                return info
        raise NotFound("network %s not found" % ref)

    def create_network(self, name: str, driver: t.Optional[str], options: t.Optional[t.Dict[str, str]], ipam: t.Any,
                       internal: bool, labels: t.Optional[t.Dict[str, str]], attachable: t.Optional[bool],
                       check_duplicate: bool) -> t.Dict[str, str]:
        self.calls.append("create_network")
        pools = [dict(pool, Gateway=pool.get("Gateway") or pool["Subnet"].replace("0/", "1/").split("/")[0])
                 for pool in (ipam or {}).get("Config") or [{"Subnet": "172.18.0.0/16"}]]
        network_id = "%064x" % (len(self.calls) * 0xc0ffee)
        self.networks[network_id] = {"Name": name, "Id": network_id, "Driver": driver or "bridge", "Internal": internal,
                                     "Attachable": bool(attachable), "Labels": labels or {}, "Options": options or {},
                                     "IPAM": {"Driver": "default", "Config": pools}, "Containers": {}}
        return {"Id": network_id, "Warning": ""}

    def remove_network(self, net_id: str) -> None:
        self.calls.append("remove_network")
        assert not self.networks[net_id]["Containers"], "Docker refuses: network has active endpoints"
        del self.networks[net_id]

    def run(self, name: str, network_name: str, aliases: t.List[str]) -> None:
        """A container attached to a network, with the aliases Docker adds by itself (its short id and name)."""
        container_id = "%064x" % (len(self.containers) + 1)
        self.containers[name] = {"Id": container_id, "Name": "/" + name, "NetworkSettings": {"Networks": {}}}
        self.connect_container_to_network(name, self.inspect_network(network_name)["Id"], aliases + [container_id[:12], name])
        self.calls.clear()

    def inspect_container(self, container: str) -> t.Dict[str, t.Any]:
        """A container by name or id."""
        return next(item for name, item in self.containers.items() if container in (name, item["Id"]))

    def connect_container_to_network(self, container: str, net_id: str, aliases: t.Optional[t.List[str]] = None) -> None:
        self.calls.append("connect_container_to_network")
        info, found = self.inspect_container(container), self.inspect_network(net_id)
        found["Containers"][info["Id"]] = {"Name": info["Name"].lstrip("/")}
        info["NetworkSettings"]["Networks"][found["Name"]] = {"Aliases": aliases, "NetworkID": net_id}

    def disconnect_container_from_network(self, container: str, net_id: str, force: bool) -> None:
        self.calls.append("disconnect_container_from_network")
        info, found = self.inspect_container(container), self.inspect_network(net_id)
        del found["Containers"][info["Id"]]
        del info["NetworkSettings"]["Networks"][found["Name"]]


def resource(docker: Networks, **options: t.Any) -> network.NetworkResource:
    return task_resource(network.NetworkResource, docker, **dict({"name": "app"}, **options))


def test_create_then_rerun_compares_ipam_on_the_keys_set_and_labels_as_strings() -> None:
    docker = Networks()
    created = converge(resource(docker, labels={"replicas": 2}, ipam=[{"subnet": "10.10.0.0/24"}]))
    assert created.action == "create" and docker.calls == ["create_network"]
    assert created.state["ipam"] == [{"subnet": "10.10.0.0/24", "gateway": "10.10.0.1"}]
    assert (created.state["driver"], created.state["labels"], created.state["containers"]) == ("bridge", {"replicas": "2"}, [])
    again = converge(resource(docker, labels={"replicas": "2"}, ipam=[{"subnet": "10.10.0.0/24"}]))
    assert again.changed is False and docker.calls == ["create_network"]
    assert converge(resource(docker, ipam=[{"subnet": "10.10.0.0/24", "gateway": "10.10.0.254"}]), check_mode=True).action == "replace"


def test_an_unused_network_is_replaced_to_change_a_fixed_field() -> None:
    docker = Networks()
    converge(resource(docker))
    docker.calls.clear()
    outcome = converge(resource(docker, internal=True))
    assert (outcome.action, outcome.changes, outcome.state["internal"]) == ("replace", ["internal"], True)
    assert docker.calls == ["remove_network", "create_network"]


def test_attached_containers_block_a_replacement_unless_forced_then_they_are_moved_over_with_their_aliases() -> None:
    docker = Networks()
    converge(resource(docker))
    docker.run("api", "app", ["backend"])
    docker.run("worker", "app", [])
    with pytest.raises(ResourceError) as raised:
        converge(resource(docker, internal=True), check_mode=True)
    assert raised.value.msg == ("Docker network app cannot be recreated to change internal while containers are attached (api, "
                                "worker): remove those containers first, or set force: true to disconnect and reconnect them.")
    outcome = converge(resource(docker, internal=True, force=True))
    assert outcome.state["containers"] == ["api", "worker"]
    assert docker.calls == ["disconnect_container_from_network"] * 2 + ["remove_network", "create_network"] + \
        ["connect_container_to_network"] * 2
    assert docker.containers["api"]["NetworkSettings"]["Networks"]["app"]["Aliases"] == ["backend"]
    assert docker.containers["worker"]["NetworkSettings"]["Networks"]["app"]["Aliases"] is None


def test_a_network_in_use_is_removed_only_with_force() -> None:
    docker = Networks()
    converge(resource(docker))
    docker.run("api", "app", [])
    with pytest.raises(ResourceError) as raised:
        converge(resource(docker, state="absent"), present=False)
    assert raised.value.msg == ("Docker network app cannot be removed while containers are attached (api): remove those "
                                "containers first, or set force: true to disconnect them.")
    assert converge(resource(docker, state="absent", force=True), present=False).action == "delete"
    assert docker.calls == ["disconnect_container_from_network", "remove_network"] and docker.networks == {}


def test_a_name_that_is_a_prefix_of_another_networks_id_is_not_that_network() -> None:
    docker = Networks()
    other = converge(resource(docker, name="backend")).state["id"]
    assert resource(docker, name=other[:12]).read() is None


INSPECTED = {"Id": "n1", "Name": "app", "Driver": "bridge", "Labels": {}, "Options": {},
             "IPAM": {"Config": [{"Subnet": "10.9.0.0/24", "Gateway": "10.9.0.1"}]},
             "Containers": {"c1": {"Name": "web"}}}


class OneAttachedNetwork:
    """A daemon whose network app has container web attached."""

    def __init__(self) -> None:
        self.calls: t.List[str] = []

    def inspect_network(self, name: str) -> t.Dict[str, t.Any]:
        return INSPECTED


def attached(**params: t.Any) -> network.NetworkResource:
    return network.NetworkResource(OneAttachedNetwork(), dict({"name": "app", "force": False}, **params))


def test_ipam_pools_match_on_the_keys_the_task_sets() -> None:
    assert converge(attached(ipam=[{"subnet": "10.9.0.0/24"}])).action == "none"


def test_attached_containers_block_a_removal_or_a_recreation_without_force() -> None:
    with pytest.raises(ResourceError) as error:
        converge(attached(), present=False, check_mode=True)
    assert error.value.msg == ("Docker network app cannot be removed while containers are attached (web): remove those "
                               "containers first, or set force: true to disconnect them.")
    with pytest.raises(ResourceError) as error:
        converge(attached(internal=True), check_mode=True)
    assert error.value.msg == ("Docker network app cannot be recreated to change internal while containers are attached "
                               "(web): remove those containers first, or set force: true to disconnect and reconnect them.")
    assert converge(attached(force=True), present=False, check_mode=True).action == "delete"
