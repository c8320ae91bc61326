# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker volume as a lifecycle resource. A volume holds data: it is never recreated or removed by surprise."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker.client import SDK, DockerResource, api_error_text, inspect_or_none, user_labels
from ansible_collections.agno.infra.plugins.module_utils._docker.network import string_map
from ansible_collections.agno.infra.plugins.module_utils._docker.ownership import labels_differ
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, REPLACE, Refusal, ResourceError


#: Options the built-in local driver accepts (it mounts ``device`` with ``type`` and the mount options ``o``).
LOCAL_DRIVER_OPTIONS = ("device", "o", "size", "type")


def unknown_local_options(driver: str, options: t.Dict[str, str]) -> t.List[str]:
    """driver_options keys the local driver would refuse; other drivers validate their own."""
    return sorted(key for key in options if key not in LOCAL_DRIVER_OPTIONS) if driver == "local" else []


def missing_driver(error_text: str) -> bool:
    """Docker's answer when no plugin provides the requested volume driver."""
    return "plugin" in error_text and "not found" in error_text


class VolumeResource(DockerResource):
    module_name = "docker_volume"
    owned_kind = "volume"
    argument_spec: t.Dict[str, t.Any] = {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "driver": {"type": "str", "default": "local"},
        "driver_options": {"type": "dict"},
        "labels": {"type": "dict"},
        "recreate": {"type": "bool", "default": False},
        "force": {"type": "bool", "default": False},
    }
    kind = "docker volume"
    result_key = "volume"
    # Docker has no volume update: any difference means a new volume, which the refusals guard.
    replace_fields = ("driver", "driver_options", "labels")
    compare = {"labels": labels_differ}
    refusals = (
        Refusal("Docker volume {name} holds data and is not removed without force: true (its data is lost); back it "
                "up first if it matters.", actions=(DELETE,), unless=("force", True)),
        Refusal("Docker volume {name} differs in {changes}, which Docker cannot change in place, and a volume holds "
                "data: set recreate: true to remove it and create it anew (its data is lost), or keep its current "
                "settings.", unless=("recreate", True)),
        Refusal("Docker volume {name} cannot be {verb} while containers use it ({blockers}): remove those containers "
                "first.", actions=(DELETE, REPLACE), blockers=lambda resource, current: resource.users()),
    )

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return True

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {"driver": self.params["driver"]}
        for field in ("driver_options", "labels"):
            if self.params.get(field) is not None:
                wanted[field] = string_map(self.params[field])
        unknown = unknown_local_options(wanted["driver"], wanted.get("driver_options") or {})
        if unknown:
            raise ResourceError(
                "Docker volume %s has driver_options the local driver does not know (%s): use only %s, or set driver "
                "to the plugin that takes them." % (self.name, ", ".join(unknown), ", ".join(LOCAL_DRIVER_OPTIONS)))
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

    def users(self) -> t.List[str]:
        containers = self.client.containers(all=True, filters={"volume": self.name})
        return sorted(name.lstrip("/") for container in containers for name in container.get("Names", [])[:1])

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        try:
            self.client.create_volume(name=self.name, driver=desired["driver"],
                                      driver_opts=desired.get("driver_options"), labels=desired.get("labels"))
        except SDK.APIError as error:
            if not missing_driver(api_error_text(error)):
                raise
            raise ResourceError("Docker volume %s cannot be created: the Docker host at %s has no volume driver %s; "
                                "install the plugin that provides it (docker plugin install), or use driver: local."
                                % (self.name, self.params.get("docker_host"), desired["driver"]))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        raise AssertionError("every volume field is a replace field")  # pragma: no cover

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client.remove_volume(self.name)
