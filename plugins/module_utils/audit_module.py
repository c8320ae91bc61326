# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit module: render the environment without touching anything, check it, report and block."""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils import audit, environment_schema
from ansible_collections.agno.infra.plugins.module_utils.environment import invalid_message, render
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import ResourceError

ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "spec": {"type": "dict"},
    "resources": {"type": "list", "elements": "dict"},
    "secrets": {"type": "dict", "default": {}, "no_log": True},
    "region": {"type": "str", "default": "us-east-1"},
    "production": {"type": "bool"},
    "waivers": {"type": "list", "elements": "str", "default": []},
    "fail_on": {"type": "str", "default": "high", "choices": ["high", "medium", "low", "never"]},
}


def items_to_check(module: AnsibleModule) -> t.List[t.Dict[str, t.Any]]:
    params = module.params
    if params["resources"] is not None:
        return list(params["resources"])
    if environment_schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=environment_schema.JSONSCHEMA_IMPORT_ERROR)
    errors = environment_schema.check(params["spec"], params["secrets"])
    if errors:
        module.fail_json(msg=invalid_message(errors), errors=errors)
    try:
        return render(params["spec"], params["region"], stage=False)
    except ResourceError as error:
        module.fail_json(msg=error.msg)
    return []  # unreachable: fail_json exits


def run(module: AnsibleModule) -> None:
    params = module.params
    items = items_to_check(module)
    spec = params["spec"] or {}
    production = params["production"] if params["production"] is not None else spec.get("target") == "aws"
    waivers = list(params["waivers"]) + list(spec.get("waivers") or [])
    findings = audit.audit(items, production, params["secrets"].values())
    reported = [item.as_dict(audit.is_waived(item, waivers)) for item in findings]
    counts = {severity: sum(1 for item in reported if item["severity"] == severity and not item["waived"]) for severity in audit.SEVERITIES}
    blocked = audit.blocking(findings, waivers, params["fail_on"])
    if blocked:
        first = blocked[0]
        message = ("The security audit found %d finding(s) at or above %s severity: %s. Fix them, or waive one by id in "
                   "agno_env.waivers (such as %s:%s)." % (len(blocked), params["fail_on"], audit.summary(blocked), first.rule, first.resource))
        module.fail_json(msg=message, findings=reported, counts=counts)
    module.exit_json(changed=False, findings=reported, counts=counts)
