# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets Manager secret as a lifecycle resource. The value is compared in-process and never returned."""

from __future__ import annotations

import hashlib
import json
import typing as t
import uuid

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.checks import Worded
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, arn_kind, chunks, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Pattern, Range

# Namespace of the deterministic request tokens: a retried write of the same value is one version.
TOKEN_NAMESPACE = uuid.UUID("2f6d8a4e-5c1b-4e7a-9a3d-6b0c1e2f3a4b")
# The most values one ListSecrets filter takes.
NAMES_PER_FILTER = 10


def canonical_json(value: t.Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def request_token(name: str, value: str) -> str:
    """A ClientRequestToken that is the same for the same secret and value (idempotent retries)."""
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return str(uuid.uuid5(TOKEN_NAMESPACE, "%s\0%s" % (name, digest)))


def same_value(current: t.Optional[str], desired: str, as_json: bool) -> bool:
    if current is None:
        return False
    if not as_json:
        return current == desired
    try:
        return canonical_json(json.loads(current)) == desired
    except ValueError:
        return False


def value_differs(current: t.Optional[str], desired: str, params: t.Dict[str, t.Any]) -> bool:
    """The value comparison: a secret_json value is compared as JSON, whatever its key order and spacing."""
    return not same_value(current, desired, params.get("secret_json") is not None)


class SecretResource(AwsResource):
    kind = "secret"
    # The value as well as the name: a read skips fetching the value of a version it wrote, which it knows by the value.
    locator = ("name", "secret_string", "secret_json")
    result_key = "secret"
    secret_fields = ("value",)
    tag_calls = tagging.SECRETS_MANAGER
    compare = {"value": value_differs}
    constraints = {
        "name": Pattern(r"[A-Za-z0-9/_+=.@-]{1,512}", "1 to 512 letters, digits and / _ + = . @ - characters"),
        "recovery_window_days": Worded("{option} is {value}: use 7 to 30 days, or 0 to delete the secret at once without "
                                       "recovery.", (Range(7, 30), Range(0, 0))),
    }

    module_name = "aws_secret"
    owned_kind = "secretsmanager:secret"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """secret:NAME-XXXXXX: Secrets Manager adds six random characters to the name."""
        return {"name": arn_kind(found)[1].rsplit("-", 1)[0]}

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return True
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "description": {"type": "str"},
            "kms_key_id": {"type": "str"},
            "secret_string": {"type": "str", "no_log": True},
            "secret_json": {"type": "dict", "no_log": True},
            "recovery_window_days": {"type": "int", "default": 30},
        },
        **TAGS_ARGUMENT_SPEC,
    )
    validation: t.Dict[str, t.Any] = {"mutually_exclusive": [("secret_string", "secret_json")]}

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        self._pending_deletion: t.Optional[str] = None

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        wanted: t.Dict[str, t.Any] = {}
        for field in ("description", "kms_key_id"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        value = self.desired_value()
        if value is not None:
            wanted["value"] = value
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def desired_value(self) -> t.Optional[str]:
        if self.params.get("secret_json") is not None:
            return canonical_json(self.params["secret_json"])
        return t.cast(t.Optional[str], self.params.get("secret_string"))

    @classmethod
    def read_batch(cls, resources: t.List[SecretResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many secrets from one ListSecrets per ten names (a name filter matches names that start with
        it: the exact ones are picked); a secret given by ARN reads alone."""
        names = sorted({resource.name for resource in resources if not resource.name.startswith("arn:")})
        pages = resources[0].client("secretsmanager").get_paginator("list_secrets")
        listed = {entry["Name"]: entry for chunk in chunks(names, NAMES_PER_FILTER)
                  for page in pages.paginate(Filters=[{"Key": "name", "Values": chunk}], IncludePlannedDeletion=True)
                  for entry in page["SecretList"]}
        return [resource.read() if resource.name.startswith("arn:") else resource.state_of(listed.get(resource.name))
                for resource in resources]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        try:
            found = self.client("secretsmanager").describe_secret(SecretId=self.name)
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ResourceNotFoundException"):
                return None
            raise
        return self.state_of(found)

    def state_of(self, found: t.Optional[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        """The state of a secret as DescribeSecret or ListSecrets describe it (None for none)."""
        if found is None:
            return None
        if found.get("DeletedDate"):
            # Scheduled for deletion: absent for the user, but its name is taken until restored.
            self._pending_deletion = found["ARN"]
            return None
        # DescribeSecret and ListSecrets name the versions' stages differently.
        stages = found.get("VersionIdsToStages") or found.get("SecretVersionsToStages") or {}
        state = {
            "arn": found["ARN"],
            "name": found["Name"],
            "description": found.get("Description"),
            "kms_key_id": found.get("KmsKeyId"),
            "tags": tags_to_dict(found.get("Tags")),
            "version_id": next((version for version, names in stages.items() if "AWSCURRENT" in names), None),
        }
        # The value costs one more call, made only when the task sets one and the current version is not the one this
        # collection wrote with that value (its id is the request token of the value; a version's value never changes).
        wanted = self.desired_value()
        if wanted is not None:
            state["value"] = wanted if state["version_id"] == request_token(self.name, wanted) else \
                self.client("secretsmanager").get_secret_value(SecretId=found["ARN"]).get("SecretString")
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        manager = self.client("secretsmanager")
        if self._pending_deletion:
            # Restored, it is updated like any secret that exists.
            manager.restore_secret(SecretId=self._pending_deletion)
            return self.complete(t.cast(t.Dict[str, t.Any], self.read()), desired)
        request: t.Dict[str, t.Any] = {"Name": self.name, "Tags": dict_to_tags(desired.get("tags") or {})}
        if desired.get("description") is not None:
            request["Description"] = desired["description"]
        if desired.get("kms_key_id"):
            request["KmsKeyId"] = desired["kms_key_id"]
        if desired.get("value") is not None:
            request["SecretString"] = desired["value"]
            request["ClientRequestToken"] = request_token(self.name, desired["value"])
        manager.create_secret(**request)
        return None

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        manager = self.client("secretsmanager")
        settings = {key: changes[field] for field, key in (("description", "Description"), ("kms_key_id", "KmsKeyId"))
                    if field in changes}
        if settings:
            manager.update_secret(SecretId=current["arn"], **settings)
        if "value" in changes:
            manager.put_secret_value(SecretId=current["arn"], SecretString=changes["value"],
                                     ClientRequestToken=request_token(self.name, changes["value"]))
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        window = self.params["recovery_window_days"]
        request: t.Dict[str, t.Any] = {"SecretId": current["arn"]}
        if window == 0:
            request["ForceDeleteWithoutRecovery"] = True
        else:
            request["RecoveryWindowInDays"] = window
        self.client("secretsmanager").delete_secret(**request)
