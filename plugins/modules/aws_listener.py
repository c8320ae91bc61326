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
    description: ARN of the application load balancer.
    type: str
    required: true
  port:
    description: Port the listener listens on (1 to 65535); with the load balancer, it identifies the listener.
    type: int
    required: true
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
extends_documentation_fragment: [agno.infra.aws, agno.infra.attributes]
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
changes:
  description: Settings that differed.
  returned: always
  type: list
  elements: str
action:
  description: What the task did, or would do in check mode.
  returned: always
  type: str
  sample: create
listener:
  description:
    - The listener after the task; empty when it is absent. C(port), C(protocol), C(certificate_arn) (the default
      certificate) and C(ssl_policy) hold the listener's values.
  returned: always
  type: dict
  sample:
    arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/agent-app-prd/0a1b2c3d4e5f6a7b/1a2b3c4d5e6f7a8b
    port: 443
    protocol: HTTPS
    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789
    ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06
    default_action: {Type: forward, TargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/ui/1a2b"}
    rules:
      "10":
        conditions: [{Field: path-pattern, Values: ["/api/*"]}]
        target_group_arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/2b3c
        arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/agent-app-prd/0a1b/1a2b/3c4d
  contains:
    default_action:
      description: The default action in ELBv2's terms (C(Type) and its target group or configuration).
      type: dict
    arn:
      description: Listener ARN.
      type: str
    rules:
      description: Rules by priority, each with C(conditions), C(target_group_arn) and C(arn), when the task manages rules.
      type: dict
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.listener import ListenerResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(ListenerResource)


if __name__ == "__main__":
    main()
