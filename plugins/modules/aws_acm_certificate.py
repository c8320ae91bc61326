#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_acm_certificate
short_description: Request ACM certificates with DNS validation
version_added: 0.1.0
description:
  - Requests, tags or deletes a public ACM certificate validated through DNS, and returns the DNS records that
    validate it.
  - A certificate is found by O(domain_name) among the certificates that are pending validation or issued, narrowed
    by a C(Name) tag when O(name) is set; O(certificate_arn) addresses one directly. When several match, the task
    fails and asks for O(name) or O(certificate_arn) instead of guessing.
  - Each request carries an idempotency token, so a request retried after a lost answer gives back the same
    certificate rather than a second one.
  - ACM cannot change the names a certificate covers or its key algorithm. A difference requests a new certificate
    and deletes the old one, which is refused while a load balancer uses it.
  - Domain names are checked before any call.
author:
  - agno.infra contributors (@agno-agi)
options:
  domain_name:
    description: Fully qualified domain name of the certificate, such as C(app.example.com) or C(*.example.com).
    type: str
    required: true
  subject_alternative_names:
    description: Further names the certificate covers, compared as a set (case does not matter).
    type: list
    elements: str
    default: []
    aliases: [sans]
  name:
    description:
      - Value of the C(Name) tag that tells certificates for the same domain apart; set on request.
    type: str
  certificate_arn:
    description: ARN of the certificate to manage, instead of finding it by domain name and O(name).
    type: str
  key_algorithm:
    description: Algorithm of the certificate's key pair.
    type: str
    choices: [RSA_2048, EC_prime256v1, EC_secp384r1]
    default: RSA_2048
  state:
    description: Whether the certificate should exist.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait until the certificate is issued. ACM issues it once the validation records exist in the domain's DNS zone.
      - When it is not issued in time, the failure lists the records to create.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
notes:
  - Create the records of RV(certificate.validation_records) in the domain's DNS zone (Route 53 or elsewhere); ACM then
    issues the certificate and renews it as long as they stay.
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.aws.tags
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Certificate for the app's domain
  agno.infra.aws_acm_certificate:
    domain_name: app.example.com
    subject_alternative_names: [www.app.example.com]
    name: agent-app-prd
    tags: {app: agent-app}
  register: cert

- name: Show the DNS records that validate it
  ansible.builtin.debug:
    msg: "{{ cert.certificate.validation_records }}"

- name: Wait until ACM has issued it (after the records were created)
  agno.infra.aws_acm_certificate:
    domain_name: app.example.com
    subject_alternative_names: [www.app.example.com]
    name: agent-app-prd
    wait: true
    wait_timeout: 1800
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
certificate:
  description: The certificate after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN, to give to an HTTPS listener.
      type: str
    domain_name:
      description: Domain name.
      type: str
    subject_alternative_names:
      description: Further names, sorted, without the domain name.
      type: list
      elements: str
    key_algorithm:
      description: Key algorithm.
      type: str
    status:
      description: ACM status, such as PENDING_VALIDATION or ISSUED.
      type: str
    validation_records:
      description: DNS records that validate the certificate, one per record name.
      type: list
      elements: dict
      contains:
        name:
          description: Record name.
          type: str
        type:
          description: Record type (CNAME).
          type: str
        value:
          description: Record value.
          type: str
        domain_name:
          description: The name this record validates.
          type: str
        status:
          description: Validation status of that name.
          type: str
    in_use_by:
      description: ARNs of the resources (load balancers) using the certificate.
      type: list
      elements: str
    not_after:
      description: End of validity, when issued.
      type: str
    tags:
      description: Tags (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.acm_certificate import CertificateResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(CertificateResource)


if __name__ == "__main__":
    main()
