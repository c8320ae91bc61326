#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_network
short_description: Manage Docker networks
version_added: 0.1.0
description:
  - Creates, recreates or removes a Docker network so that it matches the task.
  - Only the fields the task sets are compared; a field left unset keeps Docker's default at creation
    and is ignored afterwards.
  - Docker cannot change a network in place, so any difference recreates it. Attached containers
    block that (and removal) unless O(force=true), which disconnects them and, on recreation,
    reconnects them with their aliases.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the network.
    type: str
    required: true
  state:
    description: Whether the network should exist.
    type: str
    choices: [present, absent]
    default: present
  driver:
    description: Network driver, for example C(bridge) or C(overlay). Docker's default is C(bridge).
    type: str
  internal:
    description: Restrict external access to the network (no route out of the host).
    type: bool
  attachable:
    description: Let standalone containers attach to a swarm-scoped network.
    type: bool
  labels:
    description: Labels of the network, compared as a whole when set.
    type: dict
  driver_options:
    description: Driver-specific options, compared as a whole when set.
    type: dict
  ipam:
    description: Address pools of the network. Keys left unset (a gateway, say) are chosen by Docker and not compared.
    type: list
    elements: dict
    suboptions:
      subnet:
        description: Subnet in CIDR notation.
        type: str
        required: true
      gateway:
        description: Gateway address inside O(ipam[].subnet).
        type: str
      ip_range:
        description: Range, inside the subnet, from which container addresses are allocated.
        type: str
  force:
    description: Disconnect attached containers when the network has to be removed or recreated.
    type: bool
    default: false
extends_documentation_fragment:
  - agno.infra.docker
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: An internal network for the app and its database
  agno.infra.docker_network:
    name: agent-app
    internal: true
    labels:
      app: agent-app

- name: A network with a fixed address pool
  agno.infra.docker_network:
    name: agent-app-fixed
    ipam:
      - subnet: 172.30.0.0/24
        gateway: 172.30.0.1

- name: Remove a network, disconnecting anything still attached
  agno.infra.docker_network:
    name: agent-app
    state: absent
    force: true
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
changes:
  description: Fields that differed and were changed (empty on create, delete and no change).
  returned: always
  type: list
  elements: str
  sample: [labels]
network:
  description: The network after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Network id.
      type: str
      sample: 3f0d6b6c1b3a
    name:
      description: Network name.
      type: str
      sample: agent-app
    driver:
      description: Network driver.
      type: str
      sample: bridge
    internal:
      description: Whether the network is internal.
      type: bool
    attachable:
      description: Whether standalone containers can attach.
      type: bool
    labels:
      description: Labels of the network.
      type: dict
    driver_options:
      description: Driver options.
      type: dict
    ipam:
      description: Address pools.
      type: list
      elements: dict
    containers:
      description: Names of the attached containers.
      type: list
      elements: str
"""

from ansible_collections.agno.infra.plugins.module_utils._docker.network import NetworkResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(NetworkResource)


if __name__ == "__main__":
    main()
