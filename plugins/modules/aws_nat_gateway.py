#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_nat_gateway
short_description: Manage NAT gateways, with the Elastic IP they need
version_added: 0.1.0
description:
  - Creates, updates or deletes a NAT gateway identified by its C(Name) tag, and manages its tags.
  - A public gateway without O(allocation_id) gets an Elastic IP allocated by the module and tagged as its own; the
    module releases that address when it deletes the gateway. An address given in O(allocation_id) is never released.
  - Creation sends a client token, so a retried request never creates a second gateway.
  - The subnet, connectivity type and Elastic IP of a gateway cannot change. A task that asks for other values fails
    instead of replacing the gateway that routes point at.
  - Two live gateways with the same Name tag make the task fail, naming both ids.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Value of the gateway's C(Name) tag, which identifies it.
    type: str
    required: true
  state:
    description:
      - Whether the gateway should exist.
      - On deletion the module waits until the gateway is gone when O(wait=true), and always when it must release the
        Elastic IP it allocated (AWS frees the address only then).
    type: str
    choices: [present, absent]
    default: present
  subnet_id:
    description: Id of the subnet the gateway lives in (a public subnet for a public gateway). Required with O(state=present).
    type: str
  connectivity_type:
    description: C(public) gateways reach the internet through an Elastic IP; C(private) ones only other networks.
    type: str
    choices: [public, private]
    default: public
  allocation_id:
    description:
      - Allocation id of an existing Elastic IP for a public gateway. When unset, the module allocates one.
      - Not compared when unset.
    type: str
  wait:
    description: Wait until the gateway is available (or, with O(state=absent), deleted).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: NAT gateway in the first public subnet, with an Elastic IP of its own
  agno.infra.aws_nat_gateway:
    name: agent-app-prd-a
    subnet_id: "{{ public_a.subnet.id }}"
  register: nat

- name: NAT gateway with an Elastic IP allocated elsewhere (kept when the gateway is deleted)
  agno.infra.aws_nat_gateway:
    name: agent-app-prd-b
    subnet_id: "{{ public_b.subnet.id }}"
    allocation_id: eipalloc-0a1b2c3d4e5f
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
nat_gateway:
  description: The gateway after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Gateway id.
      type: str
      sample: nat-0a1b2c3d4e5f
    name:
      description: Name tag.
      type: str
    subnet_id:
      description: Subnet id.
      type: str
    vpc_id:
      description: VPC id.
      type: str
    connectivity_type:
      description: public or private.
      type: str
    allocation_id:
      description: Allocation id of its Elastic IP; null for a private gateway.
      type: str
    public_ip:
      description: Its public address; null for a private gateway.
      type: str
    private_ip:
      description: Its address in the subnet.
      type: str
    state:
      description: pending, available, deleting, deleted or failed.
      type: str
    tags:
      description: Tags, Name included.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.nat_gateway import NatGatewayResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(NatGatewayResource)


if __name__ == "__main__":
    main()
