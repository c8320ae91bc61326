#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: k8s_object
short_description: Manage any Kubernetes object with server-side apply
version_added: 0.1.0
description:
  - Applies a Kubernetes object server-side, as the field manager C(agno-infra), or deletes it.
  - Compares only the fields the definition sets. When the live object already holds them as written, and owns no
    field the definition no longer sets, the task reads once and writes nothing. Otherwise the API server answers a
    dry-run apply (C(dryRun=All)) with the object as the apply would leave it (the server's defaults, admission and
    spelling of values, "0.1" cpu is "100m"); that is compared with the live one, and the task applies only when they
    differ.
  - Check mode and C(--diff) use the same dry-run, so the plan is what the apply does; the diff shows the definition's
    fields only, one entry per leaf (C(spec.template.spec.containers[web].image)), plus C(owned), the fields the
    collection's applies own. A field the definition drops is released by the apply, and removed from the object when
    no other manager holds it.
  - A field held by another field manager fails the task with one sentence that names the fields and the manager,
    unless O(force_conflicts=true) takes them over.
  - The values of a Secret's C(data) and C(stringData) never appear in the result, the diff, errors or the logged
    arguments.
author:
  - agno.infra contributors (@agno-agi)
options:
  definition:
    description:
      - The object, as in a manifest. O(api_version), O(kind), O(name) and O(namespace) fill in what it lacks.
      - Its C(status) is ignored.
    type: dict
  api_version:
    description: The object's C(apiVersion) when the definition has none.
    type: str
    default: v1
    aliases: [apiVersion]
  kind:
    description: The object's kind when the definition has none (with O(state=absent), no definition is needed).
    type: str
  name:
    description: The object's name when the definition's metadata has none.
    type: str
  namespace:
    description: The object's namespace when the definition's metadata has none; ignored for cluster-wide kinds.
    type: str
  force_conflicts:
    description: Take over the fields another field manager holds, instead of failing.
    type: bool
    default: false
  restart:
    description:
      - Roll the pods of a Deployment, StatefulSet or DaemonSet, as C(kubectl rollout restart) does, after the
        definition is applied; the task then always reports a change (an update, also in check mode).
      - The pod template's annotation C(kubectl.kubernetes.io/restartedAt) is set to the current time by a field
        manager of its own, C(agno-infra-restart), so that the next apply of the definition neither owns nor removes
        it (which would roll the pods once more). When the definition changes the pod template, its rollout is the
        restart, and the pods are not rolled twice.
      - Another kind fails the task before any change.
    type: bool
    default: false
  wait:
    description:
      - Wait until the object is ready, by kind. A Deployment has rolled out (the controller saw the newest
        generation; every replica is updated and available, none of an old revision is left); a StatefulSet's
        replicas are ready and updated; a DaemonSet's pods are updated and available on every node; a Job has
        completed; a Pod is Ready. Other kinds are ready once the API server has them.
      - With O(state=absent), wait until the object is gone (its dependents are deleted first).
      - On timeout, or when the object cannot become ready (a failed Job, a Deployment past its progress deadline),
        the failure quotes the object's newest events and, for a workload, its first unready pod's state and last
        log lines.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 300
  state:
    description:
      - C(absent) deletes the object with propagation C(Foreground), so that its dependents (a Deployment's pods) go
        before it.
extends_documentation_fragment: [agno.infra.kubernetes, agno.infra.kubernetes.validate, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: A namespace for the app
  agno.infra.k8s_object:
    definition:
      apiVersion: v1
      kind: Namespace
      metadata:
        name: agent-app

- name: The API's token, which its pods read
  agno.infra.k8s_object:
    definition:
      apiVersion: v1
      kind: Secret
      metadata: {name: api-token, namespace: agent-app}
      stringData:
        token: "{{ api_token }}"
  register: token

- name: The API, rolled out before the task returns; its pods rolled when the token has a new value
  agno.infra.k8s_object:
    wait: true
    restart: "{{ token is changed }}"
    definition:
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        namespace: agent-app
      spec:
        replicas: 2
        selector:
          matchLabels: {app: api}
        template:
          metadata:
            labels: {app: api}
          spec:
            containers:
              - name: api
                image: registry.example.com/agent-app/api:1.4.2
                env:
                  - name: API_TOKEN
                    valueFrom:
                      secretKeyRef: {name: api-token, key: token}

# An apply owns what its definition holds: a definition without a field the last one had releases it (and the API
# server removes it when no other manager has it), so each task gives the whole definition it manages.
- name: Take over a setting another tool wrote into the app's config map
  agno.infra.k8s_object:
    force_conflicts: true
    definition:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: agent-app}
      data:
        mode: fast

- name: Remove the API and wait until its pods are gone
  agno.infra.k8s_object:
    state: absent
    api_version: apps/v1
    kind: Deployment
    name: api
    namespace: agent-app
    wait: true
"""

RETURN = r"""
changes:
  description: The compared fields that differed, as paths (C(spec.replicas)), and C(owned) when the fields the
    collection owns change.
  returned: always
  type: list
  elements: str
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: update
object:
  description:
    - The object as the API server has it after the task (in check mode, as the dry-run says the apply would leave
      it), without C(metadata.managedFields); a Secret's values masked. Empty when it is absent.
  returned: always
  type: dict
  sample:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: agent-app, generation: 2}
    spec: {replicas: 2}
    status: {availableReplicas: 2}
"""

from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module
from ansible_collections.agno.infra.plugins.module_utils._k8s.object import ObjectResource


def main() -> None:
    run_module(ObjectResource)


if __name__ == "__main__":
    main()
