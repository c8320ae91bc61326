# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit module: render the environment without touching anything, check it, report and block."""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import audit, model, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.run import render
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item

ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "spec": {"type": "dict"},
    "resources": {"type": "list", "elements": "dict"},
    "secrets": {"type": "dict", "default": {}, "no_log": True},
    "region": {"type": "str", "default": "us-east-1"},
    "production": {"type": "bool"},
    "waivers": {"type": "list", "elements": "str", "default": []},
    "fail_on": {"type": "str", "default": "high", "choices": ["high", "medium", "low", "never"]},
}


def as_items(entries: t.List[t.Dict[str, t.Any]]) -> t.List[Item]:
    """A resources list as items. Each rule reads one item's own parameters: its references need not resolve here."""
    return [Item(str(entry.get("id")), str(entry.get("type")), entry.get("params") or {}, set(), entry.get("group"))
            for entry in entries]


def environment(params: t.Dict[str, t.Any]) -> t.Tuple[Environment, t.List[Item]]:
    """The environment of the spec option and its items (every secret it names must be given)."""
    env = schema.validated(params["spec"], params["secrets"], params["region"])
    return env, render(env)


def run(module: AnsibleModule) -> None:
    params = module.params
    production, waivers = params["production"], list(params["waivers"])
    if params["resources"] is not None:
        items = as_items(params["resources"])
    else:
        if schema.JSONSCHEMA_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib("jsonschema"), exception=schema.JSONSCHEMA_IMPORT_ERROR)
        try:
            env, items = environment(params)
        except ResourceError as error:
            module.fail_json(msg=error.msg, **error.details)
        production = model.production(env) if production is None else production
        waivers += env.waivers
    result = audit.report(items, params["secrets"].values(), params["fail_on"], bool(production), waivers)
    if result.blocked:
        module.fail_json(msg=result.blocked, findings=result.findings, counts=result.counts)
    module.exit_json(changed=False, findings=result.findings, counts=result.counts)
