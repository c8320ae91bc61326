#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image
short_description: Build, pull or remove Docker images
version_added: 0.1.0
description:
  - Builds an image from a context directory, pulls it from a registry, or checks that it exists locally.
  - A build is skipped when nothing that shapes it changed. The module hashes the files Docker would send (it
    honours C(.dockerignore)), their modes, the Dockerfile name, the build args, target and labels, and records the
    hash on the image as the label C(io.agno.infra.build_hash). Any change of these rebuilds the image.
  - Builds use the classic builder of the Docker Engine API; base images are not pulled unless O(build.pull=true).
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Repository name of the image, such as C(agent-app/api).
    type: str
    required: true
  tag:
    description: Tag of the image.
    type: str
    default: latest
  state:
    description: Whether the image should exist. An image used by containers is not removed unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  source:
    description:
      - C(build) builds from O(build.path); C(pull) pulls the image when it is missing; C(local) only requires it to exist.
      - Defaults to C(build) when O(build) is set, else C(local).
    type: str
    choices: [build, pull, local]
  build:
    description: How to build the image.
    type: dict
    suboptions:
      path:
        description: The build context, a directory on the Docker host.
        type: path
        required: true
      dockerfile:
        description: Path of the Dockerfile inside the context.
        type: str
        default: Dockerfile
      args:
        description: Build arguments (C(ARG) values).
        type: dict
        default: {}
      target:
        description: Stage of a multi-stage Dockerfile to build.
        type: str
      labels:
        description: Labels set on the image.
        type: dict
        default: {}
      network:
        description: Network mode of the build's RUN steps.
        type: str
      pull:
        description: Pull newer versions of the base images before building.
        type: bool
        default: false
  force:
    description:
      - With O(state=present), rebuild or pull again even when nothing changed (reports changed).
      - With O(state=absent), remove the image even when containers use it.
    type: bool
    default: false
extends_documentation_fragment:
  - agno.infra.docker
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Build the API image; skipped when its sources did not change
  agno.infra.docker_image:
    name: agent-app/api
    tag: latest
    build:
      path: /srv/agent-app/api
      args:
        PYTHON_VERSION: "3.11"

- name: Require an image that another process built
  agno.infra.docker_image:
    name: agent-app/ui
    source: local

- name: Remove the image
  agno.infra.docker_image:
    name: agent-app/api
    state: absent
"""

RETURN = r"""
action:
  description: What the task did, or would do in check mode (create and update both build or pull).
  returned: always
  type: str
  sample: update
changes:
  description: What differed (C(build_hash) when the build inputs changed).
  returned: always
  type: list
  elements: str
image:
  description: The image after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Image id.
      type: str
    name:
      description: Reference C(name:tag).
      type: str
    tags:
      description: All tags of the image.
      type: list
      elements: str
    labels:
      description: Labels, without this collection's own.
      type: dict
    build_hash:
      description: Hash of the build inputs recorded on the image (null for images not built by this module).
      type: str
    size:
      description: Size in bytes.
      type: int
    created:
      description: Creation time.
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils.docker_client import DockerProvider
from ansible_collections.agno.infra.plugins.module_utils.docker_image import ARGUMENT_SPEC, REQUIRED_IF, ImageResource
from ansible_collections.agno.infra.plugins.module_utils.runner import run_module


def main() -> None:
    run_module(ImageResource, DockerProvider(), ARGUMENT_SPEC, required_if=REQUIRED_IF)


if __name__ == "__main__":
    main()
