# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS tags: the task's options, their comparison, and one sync for every service, each declared by its calls.

Every service tags the same way (set the tags that differ, remove the keys the task dropped when
purge_tags is true) but spells the calls its own way. A ``TagCalls`` says how; a resource names its
service's declaration (``AwsResource.tag_calls``) and calls ``update_tags`` in its ``update``.
"""

from __future__ import annotations

import dataclasses
import typing as t

TAGS_ARGUMENT_SPEC: t.Dict[str, t.Any] = {
    "tags": {"type": "dict", "aliases": ["resource_tags"]},
    "purge_tags": {"type": "bool", "default": True},
}


def tags_to_dict(tags: t.Optional[t.Iterable[t.Dict[str, str]]], key: str = "Key", value: str = "Value") -> t.Dict[str, str]:
    return {item[key]: item.get(value, "") for item in tags or []}


def dict_to_tags(tags: t.Dict[str, str], key: str = "Key", value: str = "Value") -> t.List[t.Dict[str, str]]:
    return [{key: name, value: tags[name]} for name in sorted(tags)]


def desired_tags(params: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, str]]:
    """The task's tags as strings, or None when the task leaves tags alone."""
    if params.get("tags") is None:
        return None
    return {str(key): str(value) for key, value in params["tags"].items()}


def tag_changes(current: t.Dict[str, str], desired: t.Dict[str, str],
                purge: bool) -> t.Tuple[t.Dict[str, str], t.List[str]]:
    """Tags to set and tag keys to remove so that ``current`` becomes ``desired`` (AWS's own aws: keys stay)."""
    to_set = {key: value for key, value in desired.items() if current.get(key) != value}
    to_remove = sorted(key for key in current if purge and key not in desired and not key.startswith("aws:"))
    return to_set, to_remove


def tags_differ(current: t.Optional[t.Dict[str, str]], desired: t.Dict[str, str], params: t.Dict[str, t.Any]) -> bool:
    """The comparison of the tags field (a lifecycle Compare): only what the sync would change counts."""
    to_set, to_remove = tag_changes(current or {}, desired, params.get("purge_tags", True))
    return bool(to_set or to_remove)


def keyed(keys: t.List[str]) -> t.List[t.Dict[str, str]]:
    """Keys to remove as EC2 and ACM take them."""
    return [{"Key": key} for key in keys]


def lower_case(tags: t.Dict[str, str]) -> t.List[t.Dict[str, str]]:
    """Tags as ECS takes them."""
    return dict_to_tags(tags, "key", "value")


@dataclasses.dataclass(frozen=True)
class TagCalls:
    """How one service sets and removes the tags of a resource."""

    #: botocore client name.
    service: str
    #: Methods that set tags and remove tag keys.
    add: str
    remove: str
    #: Argument that names the resource (an id, an ARN, a name), and whether the service wants it in a list.
    target: str
    listed: bool = False
    #: Arguments that hold the tags to set and the keys to remove, and their shapes.
    tags: str = "Tags"
    keys: str = "TagKeys"
    shape: t.Callable[[t.Dict[str, str]], t.Any] = dict_to_tags
    key_shape: t.Callable[[t.List[str]], t.Any] = list
    #: Keys never removed (EC2's Name, which names the object).
    kept: t.Tuple[str, ...] = ()
    #: Arguments every call takes besides the target (SSM's ResourceType).
    scope: t.Tuple[t.Tuple[str, str], ...] = ()

    def sync(self, client: t.Any, target: str, current: t.Dict[str, str], desired: t.Dict[str, str], purge: bool) -> None:
        """Set the tags that differ and remove the ones the task dropped; no call when nothing differs."""
        to_set, to_remove = tag_changes(current, desired, purge)
        to_remove = [key for key in to_remove if key not in self.kept]
        where = dict(self.scope, **{self.target: [target] if self.listed else target})
        if to_set:
            getattr(client, self.add)(**dict(where, **{self.tags: self.shape(to_set)}))
        if to_remove:
            getattr(client, self.remove)(**dict(where, **{self.keys: self.key_shape(to_remove)}))


EC2 = TagCalls("ec2", "create_tags", "delete_tags", "Resources", listed=True, keys="Tags", key_shape=keyed, kept=("Name",))
ELB = TagCalls("elbv2", "add_tags", "remove_tags", "ResourceArns", listed=True)
ECS = TagCalls("ecs", "tag_resource", "untag_resource", "resourceArn", tags="tags", keys="tagKeys", shape=lower_case)
ECR = TagCalls("ecr", "tag_resource", "untag_resource", "resourceArn", tags="tags", keys="tagKeys")
LOGS = TagCalls("logs", "tag_resource", "untag_resource", "resourceArn", tags="tags", keys="tagKeys", shape=dict)
SECRETS_MANAGER = TagCalls("secretsmanager", "tag_resource", "untag_resource", "SecretId")
ACM = TagCalls("acm", "add_tags_to_certificate", "remove_tags_from_certificate", "CertificateArn", keys="Tags", key_shape=keyed)
RDS = TagCalls("rds", "add_tags_to_resource", "remove_tags_from_resource", "ResourceName")
ELASTICACHE = TagCalls("elasticache", "add_tags_to_resource", "remove_tags_from_resource", "ResourceName")
IAM_ROLE = TagCalls("iam", "tag_role", "untag_role", "RoleName")
IAM_POLICY = TagCalls("iam", "tag_policy", "untag_policy", "PolicyArn")
SSM_PARAMETER = TagCalls("ssm", "add_tags_to_resource", "remove_tags_from_resource", "ResourceId", scope=(("ResourceType", "Parameter"),))


def merged_tags(current: t.Optional[t.Dict[str, str]], desired: t.Dict[str, str], purge: bool) -> t.Dict[str, str]:
    """The whole tag set, for services that replace it at once (S3, CloudFormation)."""
    return desired if purge else dict(current or {}, **desired)
