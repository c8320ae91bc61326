# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFormation stack as a lifecycle resource: created with CreateStack, updated through a change set.

The template, parameters and tags are compared with the stack's own before anything is sent, so a rerun
makes read calls only; a change set is created only when they differ.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing as t
import urllib.parse
import uuid

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, error_code, error_message
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import (
    TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, merged_tags, tags_to_dict)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    DELETE, REPLACE, Constraint, Pattern, Refusal, ResourceError)
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec

# CloudFormation refuses a TemplateBody larger than this; bigger templates go through template_url.
MAX_BODY_BYTES = 51200
# What CloudFormation shows instead of the value of a NoEcho parameter.
NO_ECHO = "****"
# Stacks in these states were never created (failed and rolled back, or a change set never executed): only deletable.
UNUSABLE = ("ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS")
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
VIRTUAL_HOSTED = re.compile(r"^(?P<bucket>.+)\.s3[.-]")
MAX_REASONS = 5


def normalise_template(body: t.Any) -> t.Any:
    """A template as CloudFormation gives it back: JSON as a dict, YAML as text without trailing blanks."""
    if isinstance(body, dict):
        return json.loads(json.dumps(body))
    text = str(body)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return parsed
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def parameter_value(value: t.Any) -> str:
    """A task's parameter value as the string CloudFormation stores."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(parameter_value(item) for item in value)
    return str(value)


def parameters_differ(current: t.Optional[t.Dict[str, str]], desired: t.Dict[str, str],
                      params: t.Optional[t.Dict[str, t.Any]] = None) -> bool:
    """Whether any parameter the task sets differs; NoEcho values cannot be read back and count as equal."""
    current = current or {}
    return any(current.get(key) not in (value, NO_ECHO) for key, value in desired.items())


def s3_location(url: str) -> t.Tuple[str, str]:
    """Bucket and key of an S3 object URL, virtual-hosted or path style."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path).lstrip("/")
    hosted = VIRTUAL_HOSTED.match(parts.hostname or "")
    if hosted:
        bucket, key = hosted.group("bucket"), path
    else:
        bucket, _sep, key = path.partition("/")
    if not parts.scheme.startswith("http") or not bucket or not key:
        raise ResourceError("template_url %r is not the URL of an S3 object: give one such as "
                            "https://BUCKET.s3.REGION.amazonaws.com/KEY." % url)
    return bucket, key


@dataclasses.dataclass(frozen=True)
class S3ObjectUrl(Constraint):
    """The URL of an S3 object, virtual-hosted or path style."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        try:
            s3_location(str(value))
        except ResourceError as error:
            return error.msg
        return None


def is_busy(status: str) -> bool:
    return status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS"


def has_failed(status: str) -> bool:
    return status.endswith("_FAILED") or status.endswith("ROLLBACK_COMPLETE")


def failure_reasons(events: t.List[t.Dict[str, t.Any]], stack_name: str) -> t.List[str]:
    """The failure reasons of the latest operation, oldest (usually the cause) first.

    ``events`` come newest first, as DescribeStackEvents gives them; the operation starts at the stack's
    own "User Initiated" event.
    """
    reasons: t.List[str] = []
    for event in events:
        status, reason = event.get("ResourceStatus", ""), event.get("ResourceStatusReason")
        if status.endswith("_FAILED") and reason:
            line = "%s (%s): %s" % (event.get("LogicalResourceId"), event.get("ResourceType"), reason)
            if line not in reasons:
                reasons.append(line)
        if event.get("LogicalResourceId") == stack_name and reason == "User Initiated":
            break
    return list(reversed(reasons))[:MAX_REASONS]


class StackResource(AwsResource):
    kind = "CloudFormation stack"
    result_key = "stack"
    # A stack whose creation failed can only be deleted, then created again.
    replace_fields = ("created",)
    compare = {"parameters": parameters_differ}
    refusals = (Refusal("CloudFormation stack {name} has termination protection: set termination_protection: false in the "
                        "task to delete it.", actions=(DELETE, REPLACE), unless=("termination_protection", False),
                        blockers=lambda resource, current: current.get("termination_protection")),)
    constraints = {
        "name": Pattern("[A-Za-z][A-Za-z0-9-]{0,127}", "1 to 128 letters, digits and hyphens, starting with a letter"),
        "template_url": S3ObjectUrl(),
    }
    # Deleting a stack deletes its resources, one by one.
    deletes_slowly = True
    poll_interval = 5.0
    #: The id of the stack delete() removed, which gone() follows (a deleted stack is found only by its id).
    deleting: t.Optional[str] = None

    module_name = "aws_cloudformation_stack"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "template": {"type": "raw"},
            "template_file": {"type": "path"},
            "template_url": {"type": "str"},
            "parameters": {"type": "dict"},
            "capabilities": {"type": "list", "elements": "str", "default": [],
                             "choices": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]},
            "termination_protection": {"type": "bool"},
            "on_create_failure": {"type": "str", "choices": ["DO_NOTHING", "ROLLBACK", "DELETE"]},
        },
        **TAGS_ARGUMENT_SPEC,
        **wait_argument_spec(True, 1800),
    )
    validation: t.Dict[str, t.Any] = {"mutually_exclusive": [("template", "template_file", "template_url")]}

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        self._template_text: t.Optional[str] = None

    # ---- the task's wishes ----------------------------------------------------------------
    @property
    def manages_template(self) -> bool:
        return any(self.params.get(field) is not None for field in ("template", "template_file", "template_url"))

    def template_text(self) -> str:
        """The template the task gives, as text (read once: from the task, the file, or the S3 URL)."""
        if self._template_text is None:
            self._template_text = self.load_template()
        return self._template_text

    def load_template(self) -> str:
        params = self.params
        if params.get("template_url"):
            bucket, key = s3_location(params["template_url"])
            return str(self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8"))
        if params.get("template_file"):
            try:
                with open(params["template_file"], encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as error:
                raise ResourceError("Cannot read template_file %s (%s): give the path of a template on the host that "
                                    "runs the module." % (params["template_file"], error.strerror))
        else:
            template = params["template"]
            text = json.dumps(template) if isinstance(template, dict) else str(template)
        if len(text.encode("utf-8")) > MAX_BODY_BYTES:
            raise ResourceError("The template of CloudFormation stack %s is larger than %d bytes: upload it to S3 and "
                                "give template_url instead." % (self.name, MAX_BODY_BYTES))
        return text

    def template_request(self) -> t.Dict[str, t.Any]:
        if self.params.get("template_url"):
            return {"TemplateURL": self.params["template_url"]}
        return {"TemplateBody": self.template_text()}

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {"created": True}
        if self.manages_template:
            wanted["template"] = normalise_template(self.template_text())
        if params.get("parameters") is not None:
            wanted["parameters"] = {str(key): parameter_value(value) for key, value in params["parameters"].items()}
        if params.get("termination_protection") is not None:
            wanted["termination_protection"] = params["termination_protection"]
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    # ---- reading ----------------------------------------------------------------------------
    def describe(self, stack_id: t.Optional[str] = None) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            stacks = self.client("cloudformation").describe_stacks(StackName=stack_id or self.name)["Stacks"]
        except Exception as error:  # pylint: disable=broad-except
            # CloudFormation has no NotFound code: a missing stack is a ValidationError saying so.
            if error_code(error) == "ValidationError" and "does not exist" in error_message(error):
                return None
            raise
        return stacks[0] if stacks else None

    def read(self, stack_id: t.Optional[str] = None) -> t.Optional[t.Dict[str, t.Any]]:
        stack = self.describe(stack_id)
        if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
            return None
        state = self.stack_state(stack)
        # The template and the resources cost a call each: read them only when they matter.
        if self.params["state"] == "present":
            state["resources"] = self.read_resources(stack["StackId"])
            if self.manages_template:
                body = self.client("cloudformation").get_template(StackName=stack["StackId"], TemplateStage="Original")
                state["template"] = normalise_template(body["TemplateBody"])
        return state

    @staticmethod
    def stack_state(stack: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {
            "name": stack["StackName"],
            "stack_id": stack["StackId"],
            "status": stack["StackStatus"],
            "status_reason": stack.get("StackStatusReason"),
            "description": stack.get("Description"),
            "created": stack["StackStatus"] not in UNUSABLE,
            "parameters": {item["ParameterKey"]: item.get("ParameterValue", "") for item in stack.get("Parameters") or []},
            "outputs": {item["OutputKey"]: item.get("OutputValue", "") for item in stack.get("Outputs") or []},
            "termination_protection": bool(stack.get("EnableTerminationProtection")),
            "tags": tags_to_dict(stack.get("Tags")),
        }

    def read_resources(self, stack_id: str) -> t.List[t.Dict[str, t.Any]]:
        pages = self.client("cloudformation").get_paginator("list_stack_resources").paginate(StackName=stack_id)
        return sorted(({"logical_id": item["LogicalResourceId"], "physical_id": item.get("PhysicalResourceId"),
                        "type": item["ResourceType"], "status": item["ResourceStatus"]}
                       for page in pages for item in page["StackResourceSummaries"]), key=lambda item: item["logical_id"])

    def public(self, state: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        # The template can be large and the task has it already; the diff still shows it.
        return {key: value for key, value in state.items() if key != "template"}

    # ---- changing ---------------------------------------------------------------------------
    def create(self, desired: t.Dict[str, t.Any]) -> None:
        if not self.manages_template:
            raise ResourceError("CloudFormation stack %s does not exist and no template is given: set template, "
                                "template_file or template_url." % self.name)
        request: t.Dict[str, t.Any] = dict(
            self.template_request(), StackName=self.name, Capabilities=self.params["capabilities"],
            Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in sorted((desired.get("parameters") or {}).items())],
            Tags=dict_to_tags(desired.get("tags") or {}),
        )
        if desired.get("termination_protection") is not None:
            request["EnableTerminationProtection"] = desired["termination_protection"]
        if self.params.get("on_create_failure"):
            request["OnFailure"] = self.params["on_create_failure"]
        self.client("cloudformation").create_stack(**request)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        if "termination_protection" in changes:
            self.client("cloudformation").update_termination_protection(
                StackName=self.name, EnableTerminationProtection=changes["termination_protection"])
        if set(changes) & {"template", "parameters", "tags"}:
            self.apply_change_set(current, desired)

    def change_set_request(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """CreateChangeSet arguments: what the task manages, the stack's previous values for the rest."""
        request: t.Dict[str, t.Any] = {
            "StackName": self.name, "ChangeSetType": "UPDATE", "Capabilities": self.params["capabilities"],
            "ChangeSetName": "agno-infra-%s" % uuid.uuid4().hex[:16],
        }
        request.update(self.template_request() if self.manages_template else {"UsePreviousTemplate": True})
        if "parameters" in desired:
            # Parameters the task leaves out take the template's default, as with any CloudFormation update.
            request["Parameters"] = [{"ParameterKey": key, "ParameterValue": value} for key, value in sorted(desired["parameters"].items())]
        else:
            request["Parameters"] = [{"ParameterKey": key, "UsePreviousValue": True} for key in sorted(current["parameters"])]
        if "tags" in desired:
            request["Tags"] = dict_to_tags(merged_tags(current.get("tags"), desired["tags"], self.params["purge_tags"]))
        return request

    def apply_change_set(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any]) -> None:
        """Create a change set, wait until CloudFormation has computed it, then execute it unless it is empty."""
        cloudformation = self.client("cloudformation")
        request = self.change_set_request(current, desired)
        try:
            change_set_id = cloudformation.create_change_set(**request)["Id"]
        except Exception as error:  # pylint: disable=broad-except
            if error_code(error) == "ValidationError" and any(text in error_message(error) for text in NO_CHANGES):
                return
            raise
        change_set = self.wait_change_set(change_set_id)
        if change_set["Status"] == "FAILED":
            cloudformation.delete_change_set(ChangeSetName=change_set_id, StackName=self.name)
            reason = change_set.get("StatusReason") or "no reason given"
            if any(text in reason for text in NO_CHANGES):
                return
            raise ResourceError("CloudFormation could not create a change set for stack %s (%s): fix the template or "
                                "parameters." % (self.name, reason.rstrip(".")))
        cloudformation.execute_change_set(ChangeSetName=change_set_id, StackName=self.name)

    def wait_change_set(self, change_set_id: str) -> t.Dict[str, t.Any]:
        cloudformation = self.client("cloudformation")

        def check() -> t.Tuple[bool, t.Any]:
            answer = cloudformation.describe_change_set(ChangeSetName=change_set_id, StackName=self.name)
            return answer["Status"] in ("CREATE_COMPLETE", "FAILED"), answer

        return t.cast(t.Dict[str, t.Any], self.poll(
            check, self.wait_timeout, interval=2.0,
            describe=lambda: "The change set for CloudFormation stack %s was not ready after %d seconds: raise "
                             "wait_timeout." % (self.name, self.wait_timeout)))

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        stack = self.wait_settled(state["stack_id"], timeout)
        if stack is not None and has_failed(stack["StackStatus"]):
            raise self.failure(stack)
        return t.cast(t.Dict[str, t.Any], self.read(state["stack_id"]))

    def wait_settled(self, stack_id: str, timeout: float) -> t.Optional[t.Dict[str, t.Any]]:
        """The stack once no operation runs on it any more (None once it is deleted)."""

        def check() -> t.Tuple[bool, t.Any]:
            stack = self.describe(stack_id)
            return stack is None or not is_busy(stack["StackStatus"]), stack

        return t.cast(t.Optional[t.Dict[str, t.Any]], self.poll(
            check, timeout,
            describe=lambda: "CloudFormation stack %s was still busy after %d seconds: raise wait_timeout, or follow it "
                             "in the CloudFormation console." % (self.name, timeout)))

    def failure(self, stack: t.Dict[str, t.Any]) -> ResourceError:
        pages = self.client("cloudformation").get_paginator("describe_stack_events").paginate(
            StackName=stack["StackId"], PaginationConfig={"MaxItems": 100})
        events = [event for page in pages for event in page["StackEvents"]]
        reasons = failure_reasons(events, self.name) or [stack.get("StackStatusReason") or "no reason given"]
        return ResourceError("CloudFormation stack %s ended in %s: %s. Fix the template or parameters and run again."
                             % (self.name, stack["StackStatus"], "; ".join(reason.rstrip(".") for reason in reasons)),
                             reasons=reasons)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        cloudformation = self.client("cloudformation")
        if current.get("termination_protection"):
            # The refusal let this through only because the task set termination_protection: false.
            cloudformation.update_termination_protection(StackName=self.name, EnableTerminationProtection=False)
        cloudformation.delete_stack(StackName=current["stack_id"])
        self.deleting = current["stack_id"]

    def gone(self) -> bool:
        """Whether the deletion has finished; one that failed ends the wait with CloudFormation's reasons."""
        stack = self.describe(self.deleting)
        if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
            return True
        if is_busy(stack["StackStatus"]):
            return False
        raise self.failure(stack)
