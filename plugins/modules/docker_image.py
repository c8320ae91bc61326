#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_image
short_description: Build, pull, push or remove Docker images
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
  - With O(push=true), the image is tagged O(repository):O(tag) on the Docker host and that tag is pushed, after the
    build, pull or check of a local image. The push is skipped when the registry's tag already names a manifest that
    the Docker host recorded for this image when it pushed it (the image's C(RepoDigests)). So a rerun pushes nothing,
    a rebuilt image (which has none yet) pushes its new digest, and so does a tag that another image took meanwhile.
  - The registry is read with C(HEAD /v2/REPO/manifests/TAG) and the task's credentials (Basic auth, or the Bearer
    token flow when the registry asks for it), over plain HTTP for C(127.0.0.1) and C(localhost) registries and
    HTTPS for any other. The credentials go to the Docker daemon with the push call only; the module never runs
    C(docker login) nor writes a Docker configuration file.
  - Credentials never appear in results, diffs or errors. Wrong credentials, a registry that is down and a push
    the registry refuses each fail the task with one sentence, before any build when the registry can tell.
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
  push:
    description:
      - Push the image's tag to O(repository) after the build, pull or local check; skipped when the registry already
        holds this image under that tag. It requires O(repository).
      - Ignored with O(state=absent), which removes only O(name):O(tag), not the O(repository) tag.
    type: bool
    default: false
  repository:
    description:
      - The repository to push to, with the registry's host, such as C(127.0.0.1:5000/agent/api) or
        C(123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api), without a tag; the pushed tag is O(tag), or with
        O(content_tag=true) one made of the build hash.
      - Required when O(push=true).
    type: str
  content_tag:
    description:
      - With O(push=true), push the tag C(build-) followed by the first 16 hex digits of the image's build hash (the
        hash of everything that shapes the build, see RV(image.build_hash)) instead of O(tag). A registry tag then
        names what was built and never moves to another image; a changed context pushes a new tag.
      - A registry that has the tag holds this build, whoever pushed it. Nothing is pushed then, and a Docker host
        without the image (a fresh CI runner) does not build it either (RV(image.id) is then null).
      - Requires O(source=build). The local image keeps O(name):O(tag).
    type: bool
    default: false
  previous_tag:
    description:
      - When a rebuild or a new pull replaces the image, keep the replaced one under O(name):O(previous_tag) (a later
        replacement removes the image that tag held, unless containers use it). M(agno.infra.environment) sets
        C(previous) on each app's image, from which the playbook M(agno.infra.rollback) brings it back.
      - O(state=absent) removes O(name):O(previous_tag) too.
    type: str
  registry_auth:
    description:
      - Credentials for O(repository)'s registry; without them it is read and pushed to anonymously.
      - Either O(registry_auth.username) and O(registry_auth.password), or O(registry_auth.ecr=true).
    type: dict
    suboptions:
      username:
        description: User name for the registry.
        type: str
      password:
        description: Password or token for the registry. Never logged or returned.
        type: str
      ecr:
        description:
          - Log in to Amazon ECR with C(GetAuthorizationToken), using the AWS connection options of this task
            (O(region), O(endpoint_url), the credentials or O(profile), O(assume_role_arn)); the token's password is
            used as user C(AWS) for this task only.
          - The AWS options are only used for this login; botocore is then needed.
        type: bool
        default: false
extends_documentation_fragment: [agno.infra.docker, agno.infra.aws, agno.infra.attributes]
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

- name: Build the API image and push it to a registry with a user and password; skipped when the registry has it
  agno.infra.docker_image:
    name: agent-app/api
    tag: "1.4"
    build:
      path: /srv/agent-app/api
    push: true
    repository: 127.0.0.1:5000/agent-app/api
    registry_auth:
      username: deploy
      password: "{{ registry_password }}"

- name: Push a local image to Amazon ECR, logged in with the task's AWS credentials
  agno.infra.docker_image:
    name: agent-app/api
    tag: "1.4"
    source: local
    push: true
    repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/agent-app/api
    registry_auth:
      ecr: true
    region: us-east-1

- name: Remove the image
  agno.infra.docker_image:
    name: agent-app/api
    state: absent
"""

RETURN = r"""
changes:
  description:
    - What differed. C(build_hash) when the build inputs changed, C(id) when a new image is built or pulled.
    - With O(push=true), C(digest) when the image is to be pushed, and C(pushed) when the registry's tag did not
      name this image.
  returned: always
  type: list
  elements: str
action:
  description:
    - What the task did, or would do in check mode (create and update both build or pull; with O(push=true) they
      push, and an update may only push). Check mode gives the action the run would take.
  returned: always
  type: str
  sample: update
image:
  description:
    - The image after the task, as the Docker host has it; empty when it is absent.
  returned: always
  type: dict
  sample:
    id: sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
    name: agent-app/api:latest
    tags: [agent-app/api:latest]
    labels: {}
    build_hash: 5d41402abc4b2a76b9719d911017c592
    size: 187654321
    created: "2024-05-01T10:00:00.000000000Z"
    pushed: 127.0.0.1:5000/agent-app/api:latest
    digest: sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b
  contains:
    id:
      description:
        - Image id; in check mode a placeholder when the image would be built or pulled.
        - Null when, with O(content_tag=true), the image is only in the registry.
      type: str
    name:
      description: The reference C(name:tag) the task manages.
      type: str
    tags:
      description: Every tag of the image.
      type: list
      elements: str
    labels:
      description: Labels, without this collection's own.
      type: dict
    size:
      description: Size in bytes.
      type: int
    created:
      description: When it was built.
      type: str
    build_hash:
      description: Hash of the build inputs recorded on the image (null for images not built by this module).
      type: str
    pushed:
      description:
        - The O(repository):O(tag) reference (with O(content_tag=true), the tag of the build hash) under which the
          registry holds this image; null when it does not.
        - The diff and check mode show the reference that would be pushed.
      returned: when O(push=true)
      type: str
    digest:
      description:
        - Digest of the manifest that the registry's tag names (after a push, the pushed one); null when the registry
          has no such tag.
        - In check mode and in the diff, a placeholder when the image would be pushed.
      returned: when O(push=true)
      type: str
"""

from ansible_collections.agno.infra.plugins.module_utils._docker.image import ImageResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ImageResource)


if __name__ == "__main__":
    main()
