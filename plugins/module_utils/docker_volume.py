# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker volume as a lifecycle resource. A volume holds data: it is never recreated or removed by surprise."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils.docker_client import inspect_or_none, user_labels
from ansible_collections.agno.infra.plugins.module_utils.docker_network import string_map
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import DELETE, REPLACE, Resource, ResourceError

ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "driver": {"type": "str"},
    "driver_options": {"type": "dict"},
    "labels": {"type": "dict"},
    "recreate": {"type": "bool", "default": False},
}


class VolumeResource(Resource):
    kind = "docker volume"
    result_key = "volume"
    # Docker has no volume update: any difference means a new volume, which check_allowed guards.
    replace_fields = ("driver", "driver_options", "labels")

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {}
        if self.params.get("driver") is not None:
            wanted["driver"] = self.params["driver"]
        for field in ("driver_options", "labels"):
            if self.params.get(field) is not None:
                wanted[field] = string_map(self.params[field])
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        info = inspect_or_none(self.client.inspect_volume, self.name)
        if info is None:
            return None
        return {
            "name": info["Name"],
            "driver": info.get("Driver"),
            "driver_options": string_map(info.get("Options")),
            "labels": user_labels(info.get("Labels")),
            "mountpoint": info.get("Mountpoint"),
            "scope": info.get("Scope"),
            "created": info.get("CreatedAt"),
        }

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        if action not in (DELETE, REPLACE) or current is None:
            return
        if action == REPLACE and not self.params["recreate"]:
            raise ResourceError(
                "Docker volume %s differs in %s, which Docker cannot change in place, and a volume holds data: set "
                "recreate: true to remove it and create it anew (its data is lost), or keep its current settings."
                % (self.name, ", ".join(sorted(changes))))
        users = self.users()
        if users:
            raise ResourceError("Docker volume %s is used by containers %s: remove those containers first."
                                % (self.name, ", ".join(users)))

    def users(self) -> t.List[str]:
        containers = self.client.containers(all=True, filters={"volume": self.name})
        return sorted(name.lstrip("/") for container in containers for name in container.get("Names", [])[:1])

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        self.client.create_volume(name=self.name, driver=desired.get("driver"),
                                  driver_opts=desired.get("driver_options"), labels=desired.get("labels"))
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise AssertionError("every volume field is a replace field")  # pragma: no cover

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client.remove_volume(self.name)
