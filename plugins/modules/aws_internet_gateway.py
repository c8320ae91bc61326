#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_internet_gateway
short_description: Manage internet gateways and their VPC attachment
version_added: 0.1.0
description:
  - Creates, updates or deletes an internet gateway identified by its C(Name) tag, attaches it to a VPC or detaches it,
    and manages its tags.
  - Deleting a gateway detaches it first.
  - Two gateways with the same Name tag make the task fail, naming both ids.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Value of the gateway's C(Name) tag, which identifies it.
    type: str
    required: true
  state:
    description: Whether the gateway should exist.
    type: str
    choices: [present, absent]
    default: present
  vpc_id:
    description:
      - Id of the VPC the gateway is attached to; a gateway attached elsewhere is moved to it.
      - An empty string detaches the gateway. When unset, the attachment is left alone.
    type: str
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Internet access for the public subnets
  agno.infra.aws_internet_gateway:
    name: agent-app-prd
    vpc_id: "{{ vpc.vpc.id }}"
  register: igw

- name: Detach the gateway but keep it
  agno.infra.aws_internet_gateway:
    name: agent-app-prd
    vpc_id: ""
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
internet_gateway:
  description: The gateway after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Gateway id.
      type: str
      sample: igw-0a1b2c3d4e5f
    name:
      description: Name tag.
      type: str
    vpc_id:
      description: Id of the VPC it is attached to, or null when detached.
      type: str
    tags:
      description: Tags, Name included.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.internet_gateway import InternetGatewayResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(InternetGatewayResource)


if __name__ == "__main__":
    main()
