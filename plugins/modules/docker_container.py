#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_container
short_description: Manage Docker containers
version_added: 0.1.0
description:
  - Creates, recreates, starts, stops or removes a Docker container, then waits until it runs (or is healthy
    when it has a healthcheck).
  - Only the options the task sets are compared. Env entries and labels that come unchanged from the image are
    ignored, so a rerun with the same task reports no change.
  - Docker changes the restart policy, the attached networks and the running state of a container in place.
    Any other difference, including a new image id behind the same tag, recreates the container.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Name of the container.
    type: str
    required: true
  state:
    description:
      - C(started) creates the container if needed and keeps it running.
      - C(stopped) creates the container if needed and keeps it stopped.
      - C(absent) stops and removes it. Anonymous volumes are kept; named volumes are never removed.
    type: str
    choices: [started, stopped, absent]
    default: started
  image:
    description:
      - Image reference, such as C(agent-app/api:1.2) or C(redis). A reference without a tag means C(:latest).
      - Required unless O(state=absent).
    type: str
  pull:
    description:
      - Pull the image when it is not on the Docker host. With C(false), a missing image fails the task.
      - An image that is present is never pulled again; build or pull new versions with M(agno.infra.docker_image).
    type: bool
    default: true
  command:
    description:
      - Command to run, as a list of arguments or as a string split like a shell would split it.
    type: raw
  entrypoint:
    description:
      - Entrypoint, as a list of arguments or as a string split like a shell would split it.
    type: raw
  env:
    description:
      - Environment variables. Values are turned into strings; YAML booleans become C(true) or C(false).
      - Variables the task does not name, and that the image sets to the same value, are ignored when comparing.
    type: dict
  secret_env:
    description:
      - Environment variables holding secrets, such as passwords and API keys.
      - Their values are never returned, logged or shown in diffs; a diff only says which keys changed.
      - The key names are recorded on the container in the label C(io.agno.infra.secret_env_keys) so that
        later runs can compare the values without exposing them.
    type: dict
  labels:
    description:
      - Labels of the container. Labels inherited unchanged from the image are ignored when comparing.
    type: dict
  ports:
    description:
      - Published ports as C([IP:][HOST:]CONTAINER[/tcp|udp|sctp]), for example C(127.0.0.1:8000:8000).
      - Without an IP the port is published on all addresses; without a host port Docker picks one.
    type: list
    elements: str
  volumes:
    description:
      - Mounts as C(SOURCE:DEST[:ro|rw]). A SOURCE starting with C(/) is a bind mount, any other a named volume.
    type: list
    elements: str
  tmpfs:
    description:
      - tmpfs mounts as C(PATH[:OPTIONS]), for example C(/tmp:size=64m). Useful with O(read_only=true).
    type: list
    elements: str
  networks:
    description:
      - Networks to attach the container to, with their aliases. When set, the container is attached to exactly
        these networks (and not to the default bridge). Changes are made in place.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the network.
        type: str
        required: true
      aliases:
        description: DNS names of the container on this network.
        type: list
        elements: str
  restart_policy:
    description: Restart policy, changed in place.
    type: str
    choices: ["no", always, on-failure, unless-stopped]
  restart_retries:
    description: Restart attempts for O(restart_policy=on-failure).
    type: int
  healthcheck:
    description:
      - Health check. Durations are seconds or values such as C(30s), C(1m30s) or C(500ms).
      - Only the keys given are compared; Docker fills in the others.
    type: dict
    suboptions:
      test:
        description:
          - A string runs in a shell (C(CMD-SHELL)); a list runs directly (C(CMD) is added when missing).
          - C([NONE]) disables a healthcheck inherited from the image.
        type: raw
        required: true
      interval:
        description: Time between two checks.
        type: str
      timeout:
        description: Time after which one check counts as failed.
        type: str
      retries:
        description: Consecutive failures that make the container unhealthy.
        type: int
      start_period:
        description: Start-up time during which failures do not count.
        type: str
  user:
    description: User (name or UID[:GID]) the process runs as. Prefer a non-root user.
    type: str
  working_dir:
    description: Working directory of the process.
    type: str
  memory:
    description: Memory limit in bytes or as a size such as C(512m) or C(2g).
    type: str
  cpus:
    description: CPU limit, in CPUs (for example C(0.5)).
    type: float
  read_only:
    description: Mount the container's root filesystem read-only.
    type: bool
  stop_timeout:
    description: Seconds to wait for the process to stop before it is killed, when stopping or recreating.
    type: int
    default: 10
  wait:
    description:
      - Wait until the container is healthy when it has a healthcheck (its own or its image's); without one, until it
        has been running for a second after the task started it, so that a command that fails at once fails the task.
      - A container that exits, or is not ready in time, fails the task with its last health check output and log lines.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for O(wait).
    type: int
    default: 120
extends_documentation_fragment: [agno.infra.docker, agno.infra.attributes]
notes:
  - Recreating a container keeps its named volumes and bind mounts, so data stored there survives.
"""

EXAMPLES = r"""
- name: API container, healthy before the task returns
  agno.infra.docker_container:
    name: agent-app-api
    image: agent-app/api:latest
    command: [uvicorn, api.main:app, --host, 0.0.0.0, --port, "8000"]
    env:
      RUNTIME_ENV: dev
    secret_env:
      DATABASE_URL: "postgresql://app:{{ db_password }}@agent-app-db:5432/app"
    ports:
      - 127.0.0.1:8000:8000
    networks:
      - name: agent-app
        aliases: [api]
    user: "1000:1000"
    read_only: true
    tmpfs: [/tmp]
    restart_policy: unless-stopped
    healthcheck:
      test: "curl -fsS http://127.0.0.1:8000/health"
      interval: 5s
      retries: 5

- name: Postgres with its data on a named volume
  agno.infra.docker_container:
    name: agent-app-db
    image: agent-app/postgres:15
    secret_env:
      POSTGRES_PASSWORD: "{{ db_password }}"
    volumes:
      - agent-app-pgdata:/var/lib/postgresql/data
    networks:
      - name: agent-app
        aliases: [db]
    memory: 1g
    cpus: 1.0

- name: Remove the container
  agno.infra.docker_container:
    name: agent-app-api
    state: absent
"""

RETURN = r"""
changes:
  description: Options that differed.
  returned: always
  type: list
  elements: str
  sample: [env]
action:
  description: What the task did, or would do in check mode (none, create, update, replace or delete).
  returned: always
  type: str
  sample: replace
container:
  description:
    - The container after the task; empty when it is absent. Secret env values are never included. C(name), C(command)
      and C(entrypoint) (as lists), C(restart_policy), C(restart_retries), C(user), C(working_dir) and C(read_only) hold
      the container's values of those options.
  returned: always
  type: dict
  sample:
    id: 9c1f0e2d3b4a5968778695a4b3c2d1e0f9e8d7c6b5a4938271605f4e3d2c1b0a
    name: agent-app-api
    image: agent-app/api:latest
    image_id: sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
    command: [uvicorn, api.main:app, --host, 0.0.0.0, --port, "8000"]
    entrypoint: null
    env: {RUNTIME_ENV: dev}
    secret_env_keys: [DATABASE_URL]
    labels: {}
    ports: [127.0.0.1:8000:8000/tcp]
    volumes: []
    tmpfs: {/tmp: ""}
    networks: [{name: agent-app, aliases: [api]}]
    restart_policy: unless-stopped
    restart_retries: 0
    healthcheck: {Test: [CMD-SHELL, "curl -fsS http://127.0.0.1:8000/health"], Interval: 5000000000, Retries: 5}
    user: "1000:1000"
    working_dir: /app
    memory: 0
    cpus: 0.0
    read_only: true
    running: true
    status: running
    health: {state: healthy}
    exit_code: 0
  contains:
    id:
      description: Container id.
      type: str
    image:
      description: Image reference the container was created from.
      type: str
    image_id:
      description: Id of that image; a new id behind the same reference recreates the container.
      type: str
    secret_env_keys:
      description: Names of the variables set through O(secret_env).
      type: list
      elements: str
    labels:
      description: Labels not inherited unchanged from the image.
      type: dict
    ports:
      description: Published ports as C(IP:HOST:CONTAINER/PROTO).
      type: list
      elements: str
    volumes:
      description: Mounts as C(SOURCE:DEST:MODE).
      type: list
      elements: str
    tmpfs:
      description: tmpfs mounts, path to options.
      type: dict
    networks:
      description: Attached networks with the aliases given to the container.
      type: list
      elements: dict
    healthcheck:
      description: Healthcheck in Docker's terms (durations in nanoseconds).
      type: dict
    memory:
      description: Memory limit in bytes (0 means none).
      type: int
    cpus:
      description: CPU limit (0 means none).
      type: float
    running:
      description: Whether the container runs.
      type: bool
    status:
      description: Docker's status (created, running, exited, ...).
      type: str
    health:
      description: C(state) is the healthcheck's verdict (C(starting), C(healthy), C(unhealthy)), or the container's status
        (C(running), C(exited)) when it has no healthcheck.
      type: dict
    exit_code:
      description: Last exit code.
      type: int
    env:
      description: Environment variables set on the container and not inherited unchanged from the image, without secrets.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._docker.container import ContainerResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ContainerResource)


if __name__ == "__main__":
    main()
