#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_listener
short_description: Manage application load balancer listeners and their rules
version_added: 0.1.0
description:
  - Creates, updates or deletes the listener of a load balancer on one port. Its default action forwards to a
    target group, redirects HTTP to HTTPS, or answers with a fixed response.
  - HTTPS listeners need a certificate and use a TLS 1.2+ policy (C(ELBSecurityPolicy-TLS13-1-2-2021-06)) unless
    told otherwise.
  - Path and host rules are compared by priority. Only the rules that differ are created, modified or deleted.
author:
  - agno.infra contributors (@agno-agi)
options:
  load_balancer_arn:
    description: ARN of the load balancer.
    type: str
    required: true
  port:
    description: Port the listener listens on (1 to 65535); with the load balancer, it identifies the listener.
    type: int
    required: true
  state:
    description: Whether the listener should exist.
    type: str
    choices: [present, absent]
    default: present
  protocol:
    description: Protocol of the listener.
    type: str
    choices: [HTTP, HTTPS]
    default: HTTP
  certificate_arn:
    description: ACM certificate for HTTPS.
    type: str
  ssl_policy:
    description: TLS policy for HTTPS; C(ELBSecurityPolicy-TLS13-1-2-2021-06) when unset.
    type: str
  target_group_arn:
    description: Default action - forward to this target group.
    type: str
  redirect_to_https:
    description: Default action - redirect to HTTPS on port 443 (HTTP 301).
    type: bool
    default: false
  fixed_response:
    description: Default action - answer with a fixed response.
    type: dict
    suboptions:
      status_code:
        description: HTTP status code, a 2XX, 4XX or 5XX one.
        type: str
        default: "404"
      content_type:
        description: Content type, one of C(text/plain), C(text/css), C(text/html), C(application/javascript) and
          C(application/json).
        type: str
        default: text/plain
      message_body:
        description: Body, at most 1024 characters.
        type: str
  rules:
    description: Rules that forward by path or host, by priority. Not managed when unset.
    type: list
    elements: dict
    suboptions:
      priority:
        description: Priority (1 to 50000); identifies the rule.
        type: int
        required: true
      path_patterns:
        description: Path patterns, such as C(/api/*).
        type: list
        elements: str
      host_headers:
        description: Host names, such as C(api.example.com).
        type: list
        elements: str
      target_group_arn:
        description: Target group that receives the matching requests.
        type: str
        required: true
  purge_rules:
    description: Delete rules the task does not list.
    type: bool
    default: true
extends_documentation_fragment:
  - agno.infra.aws
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: HTTPS listener, API under /api, UI by default
  agno.infra.aws_listener:
    load_balancer_arn: "{{ alb.load_balancer.arn }}"
    port: 443
    protocol: HTTPS
    certificate_arn: "{{ certificate_arn }}"
    target_group_arn: "{{ ui_tg.target_group.arn }}"
    rules:
      - {priority: 10, path_patterns: ["/api/*"], target_group_arn: "{{ api_tg.target_group.arn }}"}

- name: HTTP redirected to HTTPS
  agno.infra.aws_listener:
    load_balancer_arn: "{{ alb.load_balancer.arn }}"
    port: 80
    redirect_to_https: true
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
listener:
  description: The listener after the task; empty when it is absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN.
      type: str
    port:
      description: Port.
      type: int
    protocol:
      description: Protocol.
      type: str
    certificate_arn:
      description: Default certificate.
      type: str
    ssl_policy:
      description: TLS policy.
      type: str
    default_action:
      description: Default action, in ELBv2's terms.
      type: dict
    rules:
      description: Rules by priority (returned when the task manages them).
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.listener import ListenerResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ListenerResource)


if __name__ == "__main__":
    main()
