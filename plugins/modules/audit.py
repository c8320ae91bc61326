#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: audit
short_description: Check an environment's desired state against cloud security rules, before anything is created
version_added: 0.1.0
description:
  - Renders an environment (O(spec), as M(agno.infra.environment) takes it) or reads a list of resources (O(resources),
    as M(agno.infra.resources) takes it) and checks every resource against the rules below. It makes no API call and
    changes nothing.
  - Each finding has a rule id, a severity, the resource, what is wrong, why it matters and the fix.
  - The task fails when a finding at or above O(fail_on) is not waived. A waiver names a rule (C(AGNO-DB-003)) or a rule
    on one resource (C(AGNO-DB-003:postgres)), in O(waivers) or in the environment's C(waivers) list.
  - "Rules: AGNO-DB-001 database publicly accessible; AGNO-DB-002 storage not encrypted; AGNO-DB-003 production database
    without deletion protection; AGNO-DB-004 production database without backups; AGNO-NET-001 ingress from 0.0.0.0/0
    beyond 80/443 on a load balancer; AGNO-ECS-001 tasks with a public IP; AGNO-LB-001 HTTP listener without a
    redirect when a certificate exists; AGNO-SEC-001 secret in a plain environment value; AGNO-CTR-001 container
    running as root; AGNO-S3-001 S3 public access not blocked; AGNO-LOG-001 log group without retention; AGNO-IAM-001
    IAM policy allowing every action; AGNO-CTR-002 port published on every host interface; AGNO-K8S-001 pod outside
    the restricted Pod Security profile; AGNO-K8S-002 container without CPU and memory limits; AGNO-K8S-003 pod
    mounting a host path; AGNO-K8S-004 image without a pinned tag; AGNO-K8S-005 namespace without a NetworkPolicy;
    AGNO-K8S-006 Ingress without TLS (high in production). The README's rule table
    gives each one's severity, explanation and fix."
  - M(agno.infra.up) runs this module first and stops on high findings.
author:
  - agno.infra contributors (@agno-agi)
options:
  spec:
    description: The environment (agno_env). Mutually exclusive with O(resources).
    type: dict
  resources:
    description: Resource items (C(id), C(type), C(params)) to check instead of an environment.
    type: list
    elements: dict
  secrets:
    description: Secret values by name; a plain environment value equal to one of them is a finding. Never returned.
    type: dict
    default: {}
  region:
    description: Region the aws target is rendered for (zone names and ARNs only; nothing is called).
    type: str
    default: us-east-1
  production:
    description:
      - Apply the production rules at high severity (deletion protection, backups, public task IPs).
      - Defaults to true for the aws target, and for the kubernetes target when a part of the environment's name is
        C(prd), C(prod) or C(production); false otherwise.
    type: bool
  waivers:
    description: Rule ids, or C(RULE:resource) pairs, to accept; added to the environment's own C(waivers).
    type: list
    elements: str
    default: []
  fail_on:
    description: Lowest severity of an unwaived finding that fails the task; C(never) only reports.
    type: str
    choices: [high, medium, low, never]
    default: high
attributes:
  check_mode:
    support: full
    description: The module only reads its input, so check mode runs it as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
  idempotent:
    support: full
    description: It never changes anything.
"""

EXAMPLES = r"""
- name: Check the prd environment before bringing it up
  agno.infra.audit:
    spec: "{{ agno_env }}"
    secrets: "{{ agno_secrets }}"

- name: Report every finding without failing
  agno.infra.audit:
    spec: "{{ agno_env }}"
    fail_on: never
  register: audit

- name: Accept one rule on one resource
  agno.infra.audit:
    spec: "{{ agno_env }}"
    waivers: ["AGNO-LOG-001:logs-api"]
"""

RETURN = r"""
findings:
  description: Every finding, waived ones included.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Rule id.
      type: str
      sample: AGNO-NET-001
    severity:
      description: high, medium or low.
      type: str
    resource:
      description: Id of the resource item.
      type: str
    title:
      description: The rule, in a few words.
      type: str
    detail:
      description: What is wrong with this resource.
      type: str
    explanation:
      description: Why it matters.
      type: str
    fix:
      description: How to fix it.
      type: str
    waived:
      description: Whether a waiver accepts it.
      type: bool
counts:
  description: Number of unwaived findings by severity.
  returned: always
  type: dict
  sample: {high: 0, medium: 1, low: 0}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._environment.audit_module import ARGUMENT_SPEC, run


def main() -> None:
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, mutually_exclusive=[("spec", "resources")],
                      required_one_of=[("spec", "resources")]))


if __name__ == "__main__":
    main()
