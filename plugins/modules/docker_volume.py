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
  - Docker cannot change a volume in place. Because a volume holds data, a difference in driver, options or
    labels fails the task unless O(recreate=true).
  - A volume used by containers is never removed or recreated; the task names those containers.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the volume.
    type: str
    required: true
  state:
    description:
      - Whether the volume should exist. C(absent) deletes its data; volumes in use are refused.
    type: str
    choices: [present, absent]
    default: present
  driver:
    description: Volume driver, such as C(local). Not compared when unset.
    type: str
  driver_options:
    description: Options of the driver (for the C(local) driver, C(type), C(device) and C(o)).
    type: dict
  labels:
    description: Labels of the volume.
    type: dict
  recreate:
    description:
      - Remove and create the volume when its settings differ. Its data is lost.
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

- name: Remove it, and its data
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

from ansible_collections.agno.infra.plugins.module_utils.docker_client import DockerProvider
from ansible_collections.agno.infra.plugins.module_utils.docker_volume import ARGUMENT_SPEC, VolumeResource
from ansible_collections.agno.infra.plugins.module_utils.runner import run_module


def main() -> None:
    run_module(VolumeResource, DockerProvider(), ARGUMENT_SPEC)


if __name__ == "__main__":
    main()
