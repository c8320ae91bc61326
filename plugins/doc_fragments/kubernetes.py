# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every Kubernetes module."""

    # The environment module takes DOCUMENTATION only: its validate_certs is the Docker daemon's, a cluster's TLS is its
    # kubeconfig's. The modules of one cluster add VALIDATE.
    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path of the kubeconfig file (or several, separated by colons) that names the cluster and the credentials.
      - Falls back to the E(K8S_AUTH_KUBECONFIG) environment variable (AWX's Kubernetes credential), then
        E(KUBECONFIG), then C(~/.kube/config); without any, a task running in a pod uses the pod's service account.
    type: path
  context:
    description:
      - The kubeconfig's context to use; its current context when unset.
      - Falls back to the E(K8S_AUTH_CONTEXT) environment variable.
    type: str
  host:
    description:
      - URL of the API server, over the kubeconfig's when both are given.
      - Falls back to the E(K8S_AUTH_HOST) environment variable.
    type: str
  api_key:
    description:
      - Bearer token sent to the API server, over the kubeconfig's.
      - Falls back to the E(K8S_AUTH_API_KEY) environment variable.
    type: str
  ca_cert:
    description:
      - CA certificate that signed the API server's certificate, over the kubeconfig's.
      - Falls back to the E(K8S_AUTH_SSL_CA_CERT) environment variable.
    type: path
    aliases: [ssl_ca_cert]
requirements:
  - kubernetes (the official Python client) >= 35.0, < 36
notes:
  - The first request waits at most 5 seconds, so an API server that does not answer fails the task at once.
  - Throttling (HTTP 429), HTTP 5xx and lost answers are retried with backoff, from a fresh read.
  - API errors fail the task with one sentence that names the object and quotes the API server's message.
"""

    VALIDATE = r"""
options:
  validate_certs:
    description:
      - Whether to verify the API server's certificate; the kubeconfig says when unset (verified unless it says
        C(insecure-skip-tls-verify)).
      - Falls back to the E(K8S_AUTH_VERIFY_SSL) environment variable.
    type: bool
    aliases: [verify_ssl]
"""
