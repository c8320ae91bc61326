# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker network as a lifecycle resource."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker.client import DockerResource, inspect_or_none, user_labels
from ansible_collections.agno.infra.plugins.module_utils._docker.ownership import labels_differ
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, REPLACE, Refusal


IPAM_KEYS = (("subnet", "Subnet"), ("gateway", "Gateway"), ("ip_range", "IPRange"))


def string_map(value: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, str]:
    return {str(key): str(item) for key, item in (value or {}).items()}


def normalise_ipam(entries: t.Iterable[t.Dict[str, t.Any]], source: int) -> t.List[t.Dict[str, str]]:
    """IPAM pools as dicts of the keys that are set, sorted by subnet; source 0 reads our names, 1 Docker's."""
    pools = [{names[0]: entry[names[source]] for names in IPAM_KEYS if entry.get(names[source])} for entry in entries]
    return sorted(pools, key=lambda pool: pool.get("subnet", ""))


def ipam_matches(current: t.List[t.Dict[str, str]], desired: t.List[t.Dict[str, str]]) -> bool:
    """Each desired pool must match its current pool on the keys the task set (Docker fills in the rest)."""
    return len(current) == len(desired) and all(
        all(have.get(key) == value for key, value in want.items()) for have, want in zip(current, desired)
    )


def ipam_differs(current: t.Optional[t.List[t.Dict[str, str]]], desired: t.List[t.Dict[str, str]],
                 params: t.Dict[str, t.Any]) -> bool:
    return not ipam_matches(current or [], desired)


class NetworkResource(DockerResource):
    module_name = "docker_network"
    owned_kind = "network"
    argument_spec: t.Dict[str, t.Any] = {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "driver": {"type": "str"},
        "internal": {"type": "bool"},
        "attachable": {"type": "bool"},
        "labels": {"type": "dict"},
        "driver_options": {"type": "dict"},
        "ipam": {
            "type": "list",
            "elements": "dict",
            "options": {
                "subnet": {"type": "str", "required": True},
                "gateway": {"type": "str"},
                "ip_range": {"type": "str"},
            },
        },
        "force": {"type": "bool", "default": False},
    }
    kind = "docker network"
    result_key = "network"
    replace_fields = ("driver", "internal", "attachable", "labels", "driver_options", "ipam")
    compare = {"ipam": ipam_differs, "labels": labels_differ}
    refusals = (Refusal({
        DELETE: "Docker network {name} cannot be removed while containers are attached ({blockers}): remove those "
                "containers first, or set force: true to disconnect them.",
        REPLACE: "Docker network {name} cannot be recreated to change {changes} while containers are attached "
                 "({blockers}): remove those containers first, or set force: true to disconnect and reconnect them.",
    }, actions=(DELETE, REPLACE), unless=("force", True), blockers=lambda resource, current: current.get("containers")),)

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {}
        for field in ("driver", "internal", "attachable"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if params.get("labels") is not None:
            wanted["labels"] = string_map(params["labels"])
        if params.get("driver_options") is not None:
            wanted["driver_options"] = string_map(params["driver_options"])
        if params.get("ipam") is not None:
            wanted["ipam"] = normalise_ipam(params["ipam"], 0)
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        info = inspect_or_none(self.client.inspect_network, self.name)
        if info is None or info.get("Name") != self.name:
            return None
        return {
            "id": info["Id"],
            "name": info["Name"],
            "driver": info.get("Driver"),
            "internal": bool(info.get("Internal")),
            "attachable": bool(info.get("Attachable")),
            "labels": user_labels(info.get("Labels")),
            "driver_options": string_map(info.get("Options")),
            "ipam": normalise_ipam((info.get("IPAM") or {}).get("Config") or [], 1),
            "containers": sorted(item.get("Name", key) for key, item in (info.get("Containers") or {}).items()),
        }

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.client.create_network(
            self.name,
            driver=desired.get("driver"),
            options=desired.get("driver_options"),
            ipam=self._ipam_config(desired.get("ipam")),
            internal=bool(desired.get("internal")),
            labels=desired.get("labels"),
            attachable=desired.get("attachable"),
            check_duplicate=True,
        )

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise AssertionError("every network field is a replace field")  # pragma: no cover

    def replace(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any]) -> None:
        endpoints = self._endpoints(current)
        self.delete(current)
        self.create(desired)
        for container_id, aliases in endpoints:
            self.client.connect_container_to_network(container_id, self.name, aliases=aliases or None)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        for container_id, _aliases in self._endpoints(current):
            self.client.disconnect_container_from_network(container_id, current["id"], force=True)
        self.client.remove_network(current["id"])

    def _endpoints(self, current: t.Dict[str, t.Any]) -> t.List[t.Tuple[str, t.List[str]]]:
        """Attached containers with the aliases they were given on this network."""
        endpoints = []
        for container in current["containers"]:
            info = self.client.inspect_container(container)
            settings = info["NetworkSettings"]["Networks"].get(self.name) or {}
            short_id = info["Id"][:12]
            aliases = [alias for alias in settings.get("Aliases") or [] if alias not in (short_id, container)]
            endpoints.append((info["Id"], aliases))
        return endpoints

    @staticmethod
    def _ipam_config(pools: t.Optional[t.List[t.Dict[str, str]]]) -> t.Any:
        if not pools:
            return None
        from docker.types import IPAMConfig, IPAMPool  # imported here: only creation needs them
        return IPAMConfig(pool_configs=[
            IPAMPool(subnet=pool.get("subnet"), gateway=pool.get("gateway"), iprange=pool.get("ip_range"))
            for pool in pools
        ])
