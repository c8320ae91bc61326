#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resources
short_description: Converge many Docker and AWS resources in one task, in dependency order
version_added: 0.1.0
description:
  - Converges a list of resources of any type this collection manages, with the same code and the same
    parameters as the single modules (M(agno.infra.docker_container), M(agno.infra.aws_log_group), ...).
  - Ansible starts one Python process per task. An environment of 20 to 40 resources converged by one task costs
    one process instead of dozens, and independent resources converge in parallel.
  - A parameter may refer to the state of another resource as C(${ID.FIELD}) (for example C(${vpc.id})). The
    reference makes the dependency implicit and is resolved once that resource has converged. A string that is
    one reference takes the referenced value with its type; references inside a longer string are interpolated.
  - Secrets go in O(secrets) and are referenced as C(${secrets.NAME}), so that Ansible never logs or shows them.
  - With O(state=absent), resources are removed in reverse dependency order, dependants first.
  - Check mode reports what each resource would do. A resource that refers to one that would be created is
    reported as created too, without being read.
author:
  - agno.infra contributors (@agno-agi)
options:
  resources:
    description: The resources, in any order; dependencies decide the order of work.
    type: list
    elements: dict
    required: true
    suboptions:
      id:
        description: Unique key of the resource in this list (letters, digits, C(-), C(_)), used in references and results.
        type: str
        required: true
      type:
        description: Resource type, the name of its single module without the collection (for example C(docker_network)).
        type: str
        required: true
      params:
        description: Parameters of the resource, as for its single module; connection options come from this task.
        type: dict
        default: {}
      depends_on:
        description: Ids of resources that must converge first, in addition to those the parameters refer to.
        type: list
        elements: str
        default: []
      refresh_on:
        description:
          - Ids of resources whose change (create, update or replace) must reach this one, which converges after them.
          - When one of them changes (or would, in check mode), the type's refresh options are set on this resource, so
            C(aws_ecs_service) starts a new deployment and C(aws_db_instance) and C(aws_db_cluster) are sent the password
            (C(update_password=always)). Refused before any change for a type that cannot be refreshed.
        type: list
        elements: str
        default: []
      group:
        description: Free-form group name (for example C(network), C(db), C(app)) that O(limit) can select.
        type: str
  secrets:
    description:
      - Secret values that parameters refer to as C(${secrets.NAME}). Never logged, returned or shown in diffs.
    type: dict
    default: {}
  state:
    description:
      - C(present) converges every resource to its parameters (a resource's own C(state) parameter still applies).
      - C(absent) removes every resource, dependants first; the single modules' safety rules (final snapshots,
        volumes in use, attached containers) still apply.
    type: str
    choices: [present, absent]
    default: present
  limit:
    description:
      - Converge only the resources whose id, type or group is in this list. What they depend on is only read, so that
        references to it still resolve; the others are neither read nor changed.
      - An entry that selects no resource fails the task before any change.
    type: list
    elements: str
  parallel:
    description: Resources converged at the same time, at most.
    type: int
    default: 4
extends_documentation_fragment:
  - agno.infra.docker
  - agno.infra.aws
  - agno.infra.attributes
notes:
  - Connection options of both providers are accepted; a provider is contacted only when a resource of its type is
    in the list.
"""

EXAMPLES = r"""
- name: Network, database and API in one task
  agno.infra.resources:
    secrets:
      db_password: "{{ vault_db_password }}"
    resources:
      - id: network
        type: docker_network
        group: network
        params:
          name: agent-app
      - id: db
        type: docker_container
        group: db
        params:
          name: agent-app-db
          image: agent-app/postgres:15
          secret_env:
            POSTGRES_PASSWORD: "${secrets.db_password}"
          networks:
            - name: "${network.name}"
              aliases: [db]
      - id: api
        type: docker_container
        group: app
        depends_on: [db]
        params:
          name: agent-app-api
          image: agent-app/api:latest
          secret_env:
            DATABASE_URL: "postgresql://app:${secrets.db_password}@db:5432/app"
          networks:
            - name: "${network.name}"
  register: env

- name: Recreate only the app containers' group
  agno.infra.resources:
    resources: "{{ environment_resources }}"
    limit: [app]

- name: Tear everything down, dependants first
  agno.infra.resources:
    resources: "{{ environment_resources }}"
    state: absent
"""

RETURN = r"""
results:
  description: One entry per resource, in the order of O(resources); with O(state=absent) in the reverse order, as the deletes go.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the resource.
      type: str
    type:
      description: Resource type.
      type: str
    status:
      description: C(ok), C(failed), or C(skipped) when a dependency did not succeed.
      type: str
    changed:
      description: Whether the resource changed (or would change in check mode).
      type: bool
    action:
      description: What was done (none, create, update, replace or delete).
      type: str
    changes:
      description: Fields that differed.
      type: list
      elements: str
    replace_reason:
      description: For a replacement, the changed fields that force it (comma-separated).
      type: str
      returned: for a replacement
    state:
      description: State of the resource after the task, as its single module returns it.
      type: dict
    msg:
      description: Why the resource failed or was skipped.
      type: str
summary:
  description:
    - "One line counting the resources, as C(Plan: 2 to add, 3 to change, 1 to replace, 4 to destroy.) in check mode, or
      C(Apply: 2 added, 3 changed, 1 replaced, 4 destroyed.) after the changes."
  returned: always
  type: str
  sample: "Apply: 0 added, 1 changed, 0 replaced, 0 destroyed."
outputs:
  description: State of each resource by id, for use in later tasks (for example C(env.outputs.api.id)).
  returned: always
  type: dict
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Plan, parse_items, unmatched_selectors
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.plugins.module_utils._engine.report import finish

ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    DOCKER_ARGUMENT_SPEC,
    **AWS_ARGUMENT_SPEC,
    resources={
        "type": "list", "elements": "dict", "required": True,
        "options": {
            "id": {"type": "str", "required": True},
            "type": {"type": "str", "required": True},
            "params": {"type": "dict", "default": {}},
            "depends_on": {"type": "list", "elements": "str", "default": []},
            "refresh_on": {"type": "list", "elements": "str", "default": []},
            "group": {"type": "str"},
        },
    },
    secrets={"type": "dict", "default": {}, "no_log": True},
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    limit={"type": "list", "elements": "str"},
    parallel={"type": "int", "default": 4},
)


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    connection = {key: module.params[key] for key in dict(DOCKER_ARGUMENT_SPEC, **AWS_ARGUMENT_SPEC)}
    try:
        items = parse_items(module.params["resources"], RESOURCE_TYPES)
    except ResourceError as error:
        module.fail_json(msg=error.msg)
    unknown = unmatched_selectors(items, module.params["limit"])
    if unknown:
        module.fail_json(msg="limit has %s, which picks no resource of the list: give resource ids, types or groups."
                             % ", ".join(repr(entry) for entry in unknown))
    plan = Plan(items, RESOURCE_TYPES, connection, module.check_mode, module.params["parallel"],
                limit=module.params["limit"], secrets=module.params["secrets"])
    try:
        results = plan.up() if module.params["state"] == "present" else plan.down()
    except ResourceError as error:  # a provider that cannot be reached stops the whole run with one sentence
        module.fail_json(msg=error.msg)
    module.no_log_values.update(plan.no_log_values)
    finish(module, results)


if __name__ == "__main__":
    main()
