# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ELBv2 resources share: names, tags by ARN, and attributes as string maps."""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, chunks, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Constraint, ResourceError

ELB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
# The most ARNs DescribeTags takes in one call.
TAGS_PER_CALL = 20


@dataclasses.dataclass(frozen=True)
class ElbName(Constraint):
    """A name ELBv2 takes for a ``kind`` ("Target group"): 1 to 32 letters, digits and hyphens, not internal-..."""

    kind: str

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        if not isinstance(value, str) or (ELB_NAME.match(value) and not value.lower().startswith("internal-")):
            return None
        return ("%s name %r is invalid: use 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen nor "
                "starting with internal-." % (self.kind, value))


def check_name(name: str, kind: str) -> None:
    """The name check again on the resolved name (a plan checks constraints before references resolve)."""
    problem = ElbName(kind).problem("name", name)
    if problem:
        raise ResourceError(problem)


def attribute_map(attributes: t.List[t.Dict[str, str]]) -> t.Dict[str, str]:
    return {item["Key"]: item["Value"] for item in attributes}


def attribute_list(attributes: t.Dict[str, str]) -> t.List[t.Dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(attributes.items())]


def flag(value: bool) -> str:
    return "true" if value else "false"


class ElbResource(AwsResource):
    """An ELBv2 object found by name, with tags managed through its ARN."""

    tag_calls = tagging.ELB

    def describe_by_name(self, operation: str, result_key: str, not_found_code: str) -> t.Optional[t.Dict[str, t.Any]]:
        """The one object of this name that the describe operation returns, or None."""
        found = self.describe_by_names(operation, result_key, not_found_code, [self.name])
        return found[0] if found else None

    def describe_by_names(self, operation: str, result_key: str, not_found_code: str,
                          names: t.List[str]) -> t.Optional[t.List[t.Dict[str, t.Any]]]:
        """The objects of these names that the describe operation returns, or None when one of them does not exist:
        ELB then answers for none."""
        try:
            return t.cast(t.List[t.Dict[str, t.Any]], getattr(self.client("elbv2"), operation)(Names=names)[result_key])
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, not_found_code):
                return None
            raise

    def read_tags(self, arn: str) -> t.Dict[str, str]:
        return self.tags_of([arn]).get(arn, {})

    def tags_of(self, arns: t.List[str]) -> t.Dict[str, t.Dict[str, str]]:
        """The tags of ELB objects by ARN, in as few calls as DescribeTags allows (none for no ARN)."""
        elb = self.client("elbv2")
        return {item["ResourceArn"]: tags_to_dict(item["Tags"]) for chunk in chunks(arns, TAGS_PER_CALL)
                for item in elb.describe_tags(ResourceArns=chunk)["TagDescriptions"]}
