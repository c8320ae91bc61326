# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every Docker module."""

    DOCUMENTATION = r"""
options:
  docker_host:
    description:
      - Address of the Docker daemon, as C(unix://PATH), C(tcp://HOST:PORT) or C(ssh://USER@HOST).
      - Falls back to the E(DOCKER_HOST) environment variable.
    type: str
    default: unix:///var/run/docker.sock
  api_version:
    description:
      - Docker Engine API version to speak; C(auto) asks the daemon.
      - Falls back to the E(DOCKER_API_VERSION) environment variable.
    type: str
    default: auto
  timeout:
    description:
      - Seconds to wait for one answer from the daemon.
      - Falls back to the E(DOCKER_TIMEOUT) environment variable.
    type: int
    default: 60
  tls:
    description:
      - Connect over TLS without verifying the daemon's certificate (see O(validate_certs)).
      - Falls back to the E(DOCKER_TLS) environment variable.
    type: bool
    default: false
  validate_certs:
    description:
      - Connect over TLS and verify the daemon's certificate against O(ca_path).
      - Falls back to the E(DOCKER_TLS_VERIFY) environment variable.
    type: bool
    default: false
    aliases: [tls_verify]
  ca_path:
    description: CA certificate that signed the daemon's certificate.
    type: path
  client_cert:
    description: Client certificate presented to the daemon.
    type: path
  client_key:
    description: Private key of O(client_cert).
    type: path
requirements:
  - docker (the Docker SDK for Python) >= 5.0
notes:
  - Transient failures (daemon restarting, HTTP 5xx on reads) are retried with backoff.
  - SDK and API errors fail the task with one sentence that says what is wrong and how to fix it.
"""
