#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aws_cloudformation_stack
short_description: Manage CloudFormation stacks, updated through change sets
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudFormation stack from a template given inline, in a file, or at an S3 URL.
  - A new stack is created with CreateStack. An existing one is updated through a change set, which is executed once
    CloudFormation has computed it; an empty change set is deleted again.
  - The template, parameters and tags are first compared with the stack's own, so a rerun sends read calls only and
    creates no change set.
  - JSON templates (and templates given as a dict) are compared as data; YAML templates are compared as text, ignoring
    trailing blanks.
  - In check mode the diff shows the template, parameter and tag differences. No change set is created, because
    creating one is itself a change to the account, so the resources a change would touch are not listed.
  - A stack whose creation failed and was rolled back (or that was left in review by an unexecuted change set) can only
    be deleted; with I(state=present) it is deleted and created again (action C(replace)).
  - When waiting ends in a failed or rolled-back state, the task fails and quotes the failure reasons of the stack events.
author:
  - agno.infra contributors (@agno-agi)
options:
  name:
    description: Stack name, unique in the account and region; 1 to 128 letters, digits and hyphens, starting with a
      letter.
    type: str
    required: true
  state:
    description:
      - Whether the stack should exist. Deleting it deletes the resources it created, unless their DeletionPolicy
        says otherwise.
    type: str
    choices: [present, absent]
    default: present
  template:
    description:
      - The template body, as a dict or as JSON or YAML text, at most 51200 bytes.
      - Mutually exclusive with I(template_file) and I(template_url). One of them is required to create a stack; without
        any, an existing stack keeps its template.
    type: raw
  template_file:
    description: Path of a template file on the host that runs the module (for example the controller with C(delegate_to)).
    type: path
  template_url:
    description:
      - URL of the template in S3. The module reads the object with S3 GetObject to compare it with the stack's template.
    type: str
  parameters:
    description:
      - Values of the template's parameters, by name. Booleans become C(true) or C(false) and lists are joined with commas.
      - Only the parameters given are compared. On an update, parameters not given take the template's default; when
        I(parameters) is not set at all, every parameter keeps its previous value.
      - Values of NoEcho parameters cannot be read back, so a change to one of them alone is not seen. Prefer dynamic
        references (C(resolve:secretsmanager)) for secrets, since given values appear in the diff.
    type: dict
  capabilities:
    description: Capabilities the template needs, for example C(CAPABILITY_NAMED_IAM) for IAM resources with names.
    type: list
    elements: str
    choices: [CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND]
    default: []
  termination_protection:
    description:
      - Whether the stack is protected from deletion. Not managed when unset.
      - A protected stack is deleted only when the task also sets this to C(false).
    type: bool
  on_create_failure:
    description: What CloudFormation does when creating the stack fails. Used only when the stack is created.
    type: str
    choices: [DO_NOTHING, ROLLBACK, DELETE]
  wait:
    description: Wait until the stack is created, updated or deleted, and fail with the stack events' reasons if it failed.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the stack (and for a change set to be computed).
    type: int
    default: 1800
extends_documentation_fragment: [agno.infra.aws, agno.infra.aws.tags, agno.infra.attributes]
"""

EXAMPLES = r"""
- name: Stack of the app's shared resources
  agno.infra.aws_cloudformation_stack:
    name: agent-app-shared
    template_file: "{{ playbook_dir }}/templates/shared.yml"
    parameters:
      Environment: prd
      EnableBackups: true
    capabilities: [CAPABILITY_NAMED_IAM]
    termination_protection: true
    tags:
      app: agent-app
  register: shared

- name: Use an output
  ansible.builtin.debug:
    msg: "{{ shared.stack.outputs.BucketName }}"

- name: Template given inline
  agno.infra.aws_cloudformation_stack:
    name: agent-app-parameter
    template:
      Resources:
        Setting:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: "on"

- name: Delete a protected stack
  agno.infra.aws_cloudformation_stack:
    name: agent-app-shared
    state: absent
    termination_protection: false
"""

RETURN = r"""
changes:
  description: Fields that differed and were changed.
  returned: always
  type: list
  elements: str
  sample: [parameters, template]
action:
  description: What the task did, or would do in check mode (C(replace) recreates a stack whose creation had failed).
  returned: always
  type: str
  sample: update
stack:
  description:
    - The stack after the task, without its template; empty when it is absent. C(name), C(termination_protection) and
      C(tags) hold the stack's values; C(parameters) its parameter values by name, with NoEcho values shown as C(****).
  returned: always
  type: dict
  sample:
    name: agent-app-shared
    stack_id: arn:aws:cloudformation:us-east-1:123456789012:stack/agent-app-shared/0a1b2c3d-4e5f-6789-abcd-ef0123456789
    status: UPDATE_COMPLETE
    status_reason: null
    description: Shared resources of agent-app
    created: true
    parameters: {Environment: prd, EnableBackups: "true"}
    outputs: {BucketName: agent-app-shared-assets}
    termination_protection: true
    tags: {app: agent-app}
    resources:
      - {logical_id: Assets, physical_id: agent-app-shared-assets, type: "AWS::S3::Bucket", status: CREATE_COMPLETE}
  contains:
    stack_id:
      description: ARN of the stack.
      type: str
    status:
      description: CloudFormation status, such as C(CREATE_COMPLETE) or C(UPDATE_ROLLBACK_COMPLETE).
      type: str
    status_reason:
      description: Reason CloudFormation gives for the status, if any.
      type: str
    description:
      description: Description from the template.
      type: str
    outputs:
      description: Output values by name, for later tasks.
      type: dict
    resources:
      description: Resources of the stack, by logical id (returned with I(state=present)).
      type: list
      elements: dict
      contains:
        logical_id:
          description: Its logical id in the template.
          type: str
        physical_id:
          description: Name or id of the real resource.
          type: str
        type:
          description: Resource type.
          type: str
        status:
          description: Status of the resource.
          type: str
    created:
      description: False when the stack's creation failed and was rolled back, so it can only be deleted.
      type: bool
"""

from ansible_collections.agno.infra.plugins.module_utils._aws.cloudformation_stack import StackResource
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import run_module


def main() -> None:
    run_module(StackResource)


if __name__ == "__main__":
    main()
