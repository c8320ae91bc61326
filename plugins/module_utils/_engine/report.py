# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task that converges many resources returns: the resources and environment modules share it."""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import CREATE, DELETE, REPLACE, UPDATE
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import ItemResult, failure_message

ACTIONS = (CREATE, UPDATE, REPLACE, DELETE)
PLANNED = "Plan: %d to add, %d to change, %d to replace, %d to destroy."
APPLIED = "Apply: %d added, %d changed, %d replaced, %d destroyed."


def outputs(results: t.List[ItemResult]) -> t.Dict[str, t.Dict[str, t.Any]]:
    """The state of each resource by id."""
    return {item.id: (item.outcome.state or {}) for item in results if item.outcome is not None}


def summary(results: t.List[ItemResult], check_mode: bool) -> str:
    """One line counting the resources created, changed, replaced and deleted: predicted in check mode, else done."""
    actions = [item.outcome.action for item in results if item.outcome is not None]
    return (PLANNED if check_mode else APPLIED) % tuple(actions.count(action) for action in ACTIONS)


def finish(module: AnsibleModule, results: t.List[ItemResult], **extra: t.Any) -> None:
    """End the task with the results (and extra keys); it fails when a resource failed."""
    result: t.Dict[str, t.Any] = dict({
        "changed": any(item.outcome is not None and item.outcome.changed for item in results),
        "results": [item.as_dict() for item in results],
        "outputs": outputs(results),
        "summary": summary(results, module.check_mode),
    }, **extra)
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = [item.outcome.diff for item in results if item.outcome is not None and item.outcome.changed]
    failed = failure_message(results)
    if failed:
        module.fail_json(msg=failed, **result)
    module.exit_json(**result)
