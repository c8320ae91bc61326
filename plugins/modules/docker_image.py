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
  - Builds an image from a context directory, pulls it from a registry, or requires that it exists locally.
  - A build is skipped when nothing that shapes it changed. The module hashes the files Docker would send (it
    honours C(.dockerignore)) with their paths and modes, the Dockerfile, the build args, target and labels, and
    records the hash on the image as the label C(io.agno.infra.build_hash). Any change of these rebuilds the image;
    a change of an ignored file does not.
  - Builds use the classic builder of the Docker Engine API; base images are not pulled unless O(build.pull=true).
    A failed build fails the task with the failing step and its last lines of output.
  - After a rebuild the previous image is removed when no container and no other tag uses it.
  - In check mode and in the diff, an image that would be built or pulled shows a placeholder instead of its id.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description:
      - Repository name of the image, such as C(agent-app/api).
      - May carry the tag, as in C(agent-app/api:1.2); O(tag) must then be left unset or be the same.
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
      - C(build) builds from O(build.path).
      - C(pull) pulls the image when it is missing.
      - C(local) only requires the image to exist and fails the task when it does not.
      - Defaults to C(build) when O(build) is set, else C(local).
    type: str
    choices: [build, pull, local]
  build:
    description: How to build the image. Required when O(source=build).
    type: dict
    suboptions:
      path:
        description: The build context, a directory on the Docker host.
        type: path
        required: true
      dockerfile:
        description: Path of the Dockerfile, relative to O(build.path).
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
        description: Network mode of the build's RUN steps, such as C(host) or C(none).
        type: str
      pull:
        description: Pull newer versions of the base images before building.
        type: bool
        default: false
      nocache:
        description: Build every step anew instead of reusing the build cache (only when a build happens).
        type: bool
        default: false
  force:
    description:
      - With O(state=present), build or pull again even when nothing changed (reports changed). Ignored for
        O(source=local).
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

- name: Build one stage of a multi-stage Dockerfile kept in a subdirectory of the context
  agno.infra.docker_image:
    name: agent-app/worker:1.4
    build:
      path: /srv/agent-app
      dockerfile: docker/worker.Dockerfile
      target: runtime
      labels:
        team: agents

- name: Pull an image when it is missing
  agno.infra.docker_image:
    name: registry.example.com/tools/migrate
    tag: "2.0"
    source: pull

- name: Require an image that another process built or loaded
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
  description: What differed. C(build_hash) when the build inputs changed, C(id) when a new image is built or pulled.
  returned: always
  type: list
  elements: str
image:
  description: The image after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: Image id (a placeholder in check mode when the image would be built or pulled).
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

from ansible_collections.agno.infra.plugins.module_utils._docker.image import ImageResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ImageResource)


if __name__ == "__main__":
    main()
