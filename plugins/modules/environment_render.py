#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: environment_render
short_description: Write the Kubernetes manifests of an environment to a folder, for Argo CD or Flux
version_added: 0.1.0
description:
  - Writes the objects that M(agno.infra.environment) would apply to a C(target=kubernetes) environment (O(spec)), one
    YAML file per object, to the folder O(dest), for a GitOps controller (Argo CD, Flux) to apply instead. Each file is
    the object as M(agno.infra.k8s_object) would send it, labels included; a rerun with the same environment writes the
    same bytes, and rewrites no file that has them.
  - The environment is validated and audited as M(agno.infra.environment) does it before any change (O(audit_fail_on)).
    No cluster is read or written.
  - An app built from C(source) is built and pushed to C(spec.kubernetes.registry) first, as on the way up, so that its
    workloads pin the image by digest. In check mode its digest, when the image is still to build, is a placeholder.
  - "File names are C(RANK-KIND-NAME.yaml): the rank (C(00) for the namespace, C(10) for accounts, Secrets, claims and
    policies, C(20) for Services, C(30) for workloads, C(40) for the rest) makes C(kubectl apply -f DEST) create the
    namespace first."
  - A file in O(dest) of an object the environment no longer has (its labels name this environment) is removed; other
    files there are left alone.
  - Used by the playbook M(agno.infra.render).
author:
  - agno.infra contributors (@agno-agi)
requirements:
  - PyYAML (which ansible-core needs, so the controller has it)
  - jsonschema
options:
  spec:
    description: The environment, usually the inventory variable C(agno_env), with C(target=kubernetes).
    type: dict
    required: true
  secrets:
    description:
      - Secret values by name (C(agno_secrets)). Needed only with O(include_secrets), then every secret the environment
        names must be given. Given values are masked in the output and audited for (a value in a plain setting).
    type: dict
    default: {}
  base_dir:
    description: Directory that relative paths in O(spec) are taken from, as for M(agno.infra.environment).
    type: path
  dest:
    description: The folder to write to; made when missing.
    type: path
    required: true
  include_secrets:
    description:
      - Also write the Secrets (the apps' secret settings, the Postgres password) with their values, base64 as in
        C(data), to files readable by their owner only (mode 0600).
      - By default they are not written (and a file of one written before is removed), for a repository that must not
        hold them; the workloads still reference them by C(secretKeyRef), so make them another way (Sealed Secrets,
        the External Secrets Operator, or C(kubectl create secret)), under the same names and keys.
    type: bool
    default: false
  audit_fail_on:
    description: The severity from which an unwaived audit finding stops the render before anything is written, as for M(agno.infra.environment).
    type: str
    choices: [high, medium, low, never]
    default: high
  parallel:
    description: How many images are built and pushed at once.
    type: int
    default: 4
extends_documentation_fragment:
  - agno.infra.docker
attributes:
  check_mode:
    support: full
    description: Reports the files it would write and remove; writes, builds and pushes nothing.
  diff_mode:
    support: full
    description: Returns the before and after text of each file it writes or removes (secret values masked).
  idempotent:
    support: full
    description: A rerun with the same environment writes no file and reports no change.
"""

EXAMPLES = r"""
- name: Write the prd manifests to the GitOps repository's folder
  agno.infra.environment_render:
    spec: "{{ agno_env }}"
    dest: "{{ playbook_dir }}/gitops/agent-app-prd"
  register: manifests

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ manifests.summary }}"
"""

RETURN = r"""
dest:
  description: The folder written to.
  returned: always
  type: str
  sample: /srv/gitops/agent-app-prd
files:
  description: The file of each object, in the order of the environment (its namespace first).
  returned: always
  type: list
  elements: str
  sample: [00-namespace-agent-app-prd.yaml, 10-serviceaccount-api.yaml, 30-deployment-api.yaml]
written:
  description: The files whose content changed (or that are new); in check mode, those that would be written.
  returned: always
  type: list
  elements: str
  sample: [30-deployment-api.yaml]
removed:
  description: The files of objects the environment no longer has; in check mode, those that would be removed.
  returned: always
  type: list
  elements: str
  sample: [30-deployment-ui.yaml]
findings:
  description: The audit's findings, as M(agno.infra.environment) returns them.
  returned: always
  type: list
  elements: dict
summary:
  description: One sentence with the number of manifests, and of files written and removed.
  returned: always
  type: str
  sample: "32 manifests in /srv/gitops/agent-app-prd: 1 written, 0 removed."
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._environment.manifests import ARGUMENT_SPEC, render


def main() -> None:
    render(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == "__main__":
    main()
