# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find the Docker objects of an environment by their ownership labels: one filtered list per kind of object."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker.client import DockerClient
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found

ENV_LABEL, ID_LABEL, APP_LABEL = "agno.env", "agno.id", "agno.app"
OWNERSHIP_LABELS = (ENV_LABEL, ID_LABEL, APP_LABEL)

#: What a leftover container uses: it is removed before them, and they are kept with it.
USES: t.Dict[str, t.Tuple[str, ...]] = {"docker_container": ("docker_network", "docker_volume", "docker_image")}


def owned(client: DockerClient, env_name: str) -> t.List[Found]:
    """The containers, networks and volumes labelled as the environment's."""
    filters = {"label": "%s=%s" % (ENV_LABEL, env_name)}
    containers = [Found("container", entry["Names"][0].lstrip("/"), entry.get("Labels") or {})
                  for entry in client.containers(all=True, filters=filters)]
    networks = [Found("network", entry["Name"], entry.get("Labels") or {}) for entry in client.networks(filters=filters)]
    volumes = [Found("volume", entry["Name"], entry.get("Labels") or {})
               for entry in client.volumes(filters=filters).get("Volumes") or []]
    return containers + networks + volumes


def labels_differ(current: t.Optional[t.Dict[str, str]], desired: t.Dict[str, str], params: t.Dict[str, t.Any]) -> bool:
    """Labels differ, apart from ownership labels that an object made before them lacks: Docker cannot add labels to a
    volume or a network, and those labels only serve to find leftovers (an unlabelled volume is never removed anyway)."""
    have = current or {}
    return have != {key: value for key, value in desired.items() if key in have or key not in OWNERSHIP_LABELS}
