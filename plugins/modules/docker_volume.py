#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_volume
short_description: Manage Docker volumes
version_added: 0.1.0
description:
  - Creates or removes a Docker volume with its driver, driver options and labels.
  - Docker cannot change a volume in place. Because a volume holds data, a difference in driver, driver options or
    labels fails the task unless O(recreate=true), which removes the volume and creates it anew, losing its data.
  - A volume used by containers (running or stopped) is never removed or recreated; the task names those containers.
  - O(state=absent) removes a volume only with O(force=true), since its data goes with it.
  - Removing a volume with O(state=absent) deletes the data it holds, without a copy. That is the explicit choice of
    the task; back the data up first when it matters.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the volume.
    type: str
    required: true
  state:
    description:
      - Whether the volume should exist. C(absent) deletes the volume and its data; volumes in use are refused.
    type: str
    choices: [present, absent]
    default: present
  driver:
    description: Volume driver. Another driver than C(local) must be installed as a Docker plugin on the host.
    type: str
    default: local
  driver_options:
    description:
      - Options of the driver. The C(local) driver takes C(type), C(device), C(o) (mount options) and C(size); other
        keys are refused before anything is created.
      - Not compared when unset.
    type: dict
  labels:
    description: Labels of the volume. Not compared when unset.
    type: dict
  recreate:
    description:
      - Remove the volume and create it anew when its driver, driver options or labels differ.
      - B(The data in the volume is lost.) Without it such a difference fails the task.
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), remove the volume. B(Its data is lost.) Without it the removal fails the task.
    type: bool
    default: false
extends_documentation_fragment:
  - agno.infra.docker
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Data volume for Postgres
  agno.infra.docker_volume:
    name: agent-app-pgdata
    labels:
      app: agent-app

- name: A volume on a tmpfs, recreated (empty) when its options change
  agno.infra.docker_volume:
    name: agent-app-cache
    driver_options:
      type: tmpfs
      device: tmpfs
      o: size=64m
    recreate: true

- name: Remove the Postgres volume and its data
  agno.infra.docker_volume:
    name: agent-app-pgdata
    state: absent
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
volume:
  description: The volume after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the volume.
      type: str
    driver:
      description: Driver.
      type: str
      sample: local
    driver_options:
      description: Driver options.
      type: dict
    labels:
      description: Labels.
      type: dict
    mountpoint:
      description: Where the data lives on the Docker host.
      type: str
    scope:
      description: C(local) or C(global).
      type: str
    created:
      description: Creation time.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._docker.volume import VolumeResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(VolumeResource)


if __name__ == "__main__":
    main()
