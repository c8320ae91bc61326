# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible glue around the lifecycle engine: one function runs any resource module."""

from __future__ import annotations

import traceback
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome, Resource, ResourceError, converge, transient_check


class Provider(t.Protocol):
    """What a provider (docker, aws) offers the runner."""

    #: pip package that holds the SDK, for the missing-library message.
    library: str
    #: Traceback text of the failed SDK import, or None when it imported.
    import_error: t.Optional[str]
    #: Connection options shared by the provider's modules.
    argument_spec: t.Dict[str, t.Any]

    def connect(self, params: t.Dict[str, t.Any]) -> t.Any:
        ...

    def explain(self, error: BaseException, resource: Resource) -> t.Optional[ResourceError]:
        ...


def wait_argument_spec(wait_default: bool, timeout_default: int = 300) -> t.Dict[str, t.Any]:
    return {
        "wait": {"type": "bool", "default": wait_default},
        "wait_timeout": {"type": "int", "default": timeout_default},
    }


def outcome_result(outcome: Outcome, result_key: str, with_diff: bool) -> t.Dict[str, t.Any]:
    result: t.Dict[str, t.Any] = {
        "changed": outcome.changed,
        "action": outcome.action,
        "changes": outcome.changes,
        result_key: outcome.state or {},
    }
    if with_diff:
        result["diff"] = outcome.diff
    return result


def unexpected_error_message(error: BaseException, resource: Resource) -> str:
    return (
        "Unexpected %s while managing %s %s: %s. This is a bug in agno.infra; please report it "
        "with the output of -vvv." % (type(error).__name__, resource.kind, resource.name, error)
    )


def run_module(resource_class: t.Type[Resource]) -> None:
    """Build the AnsibleModule from the type's declarations, converge the resource and exit with its result."""
    provider: Provider = resource_class.provider
    module = AnsibleModule(
        argument_spec=dict(provider.argument_spec, **resource_class.argument_spec),
        supports_check_mode=True,
        **resource_class.validation,
    )
    module.no_log_values.update(resource_class.secret_values(module.params))
    if provider.import_error:
        module.fail_json(msg=missing_required_lib(provider.library), exception=provider.import_error)
    problems = resource_class.problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))

    resource = resource_class(None, module.params)
    try:
        resource.client = provider.connect(module.params)
        outcome = converge(
            resource,
            present=resource_class.present(module.params),
            check_mode=module.check_mode,
            wait=bool(module.params.get("wait")),
            wait_timeout=module.params.get("wait_timeout") or 0,
            is_transient=transient_check(provider),
        )
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    except Exception as error:  # pylint: disable=broad-except
        explained = provider.explain(error, resource)
        if explained is None:
            module.fail_json(msg=unexpected_error_message(error, resource), exception=traceback.format_exc())
        module.fail_json(msg=explained.msg, **explained.details)
    module.exit_json(**outcome_result(outcome, resource_class.result_key, module._diff))
