# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit module: render the environment without touching anything, check it, report and block."""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import audit

from ansible_collections.agno.infra.plugins.module_utils._environment import schema as environment_schema
from ansible_collections.agno.infra.plugins.module_utils._environment.environment import invalid_message, render
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

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
    result = audit.report(items, params["spec"] or {}, params["secrets"].values(), params["fail_on"], params["production"], params["waivers"])
    if result.blocked:
        module.fail_json(msg=result.blocked, findings=result.findings, counts=result.counts)
    module.exit_json(changed=False, findings=result.findings, counts=result.counts)
