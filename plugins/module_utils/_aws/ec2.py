# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the EC2 network resources share: lookup by Name tag, EC2 tags, CIDR checks, and the base class."""

from __future__ import annotations

import ipaddress
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Parses, Refusal, ResourceError

NAMED_ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    },
    **TAGS_ARGUMENT_SPEC,
)


def parse_cidr(value: str, field: str) -> ipaddress.IPv4Network:
    """An IPv4 network in canonical form, or one sentence on what is wrong with it."""
    try:
        network = ipaddress.ip_network(str(value), strict=True)
    except ValueError as error:
        raise ResourceError("%s %r is not a valid IPv4 CIDR block (%s): write it as a network address and prefix, "
                            "for example 10.0.0.0/16." % (field, value, error))
    if not isinstance(network, ipaddress.IPv4Network):
        raise ResourceError("%s %r is IPv6; this option takes an IPv4 CIDR block such as 10.0.0.0/16." % (field, value))
    return network


def prefix_in_range(network: ipaddress.IPv4Network, field: str, low: int = 16, high: int = 28) -> None:
    if not low <= network.prefixlen <= high:
        raise ResourceError("%s %s has a /%d prefix; AWS allows /%d to /%d." % (field, network, network.prefixlen, low, high))


def cidr_block(value: str, field: str) -> ipaddress.IPv4Network:
    """A VPC's or subnet's block: a valid IPv4 network whose prefix AWS allows."""
    network = parse_cidr(value, field)
    prefix_in_range(network, field)
    return network


#: The constraint on a VPC's or subnet's cidr_block, checked before any call.
CIDR_BLOCK = Parses(cidr_block)


def fixed_id(consequence: str) -> Refusal:
    """The refusal to replace a network object: a replacement breaks everything that points at the old id."""
    return Refusal("{kind} {name} ({id}) has {values}, which cannot change, and %s: keep the current value, or delete "
                   "the {kind} first." % consequence)


def require_vpc(ec2: t.Any, vpc_id: str, user: str) -> t.Dict[str, t.Any]:
    """The VPC ``user`` (e.g. "subnet app-a") points at; checked before creating, to fail before anything changed."""
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"]
    if not vpcs:
        raise ResourceError("VPC %s of %s does not exist: create it first (agno.infra.aws_vpc) and pass its id." % (vpc_id, user))
    return t.cast(t.Dict[str, t.Any], vpcs[0])


def tag_specifications(resource_type: str, tags: t.Dict[str, str]) -> t.List[t.Dict[str, t.Any]]:
    return [{"ResourceType": resource_type, "Tags": dict_to_tags(tags)}]


class Ec2Resource(AwsResource):
    """An EC2 object known by its Name tag (EC2 names are tags, not identifiers)."""

    #: describe_* method, its result key, the id key, the Name-tag filter scope (e.g. vpc-id) and the resource type
    describe_call = ""
    result_list = ""
    id_key = ""
    #: describe_nat_gateways alone spells its filter argument "Filter"
    filter_arg = "Filters"
    scope_filter: t.Optional[t.Tuple[str, str]] = None
    live_states: t.Optional[t.Tuple[str, t.List[str]]] = None
    tag_calls = tagging.EC2
    #: The options that say which object an item is (see plan.reads_many): its name, and its scope if it has one.
    locator: t.Tuple[str, ...] = ("name",)
    #: The filter that finds objects by name (a Name tag, but a security group has a real name).
    name_filter = "tag:Name"

    def all_tags(self) -> t.Dict[str, str]:
        """The tags to set: the task's, plus Name."""
        return dict(desired_tags(self.params) or {}, Name=self.name)

    def desired_tag_field(self) -> t.Dict[str, t.Any]:
        tags = desired_tags(self.params)
        return {} if tags is None else {"tags": dict(tags, Name=self.name)}

    def name_of(self, item: t.Dict[str, t.Any]) -> t.Optional[str]:
        return ec2_tags(item).get("Name")

    def scope(self) -> t.Optional[str]:
        return self.params.get(self.scope_filter[1]) if self.scope_filter else None

    def describe(self, names: t.List[str]) -> t.List[t.Dict[str, t.Any]]:
        """The objects of the given names in this object's scope, in one call."""
        filters = [{"Name": self.name_filter, "Values": names}]
        if self.scope_filter and self.scope():
            filters.append({"Name": self.scope_filter[0], "Values": [self.scope()]})
        if self.live_states:
            filters.append({"Name": self.live_states[0], "Values": self.live_states[1]})
        answer = getattr(self.client("ec2"), self.describe_call)(**{self.filter_arg: filters})
        return t.cast(t.List[t.Dict[str, t.Any]], answer[self.result_list])

    @classmethod
    def read_batch(cls, resources: t.List[Ec2Resource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many objects of this type: one describe per scope for all their names."""
        found: t.Dict[t.Optional[str], t.List[t.Dict[str, t.Any]]] = {}
        for resource in resources:
            if resource.scope() not in found:
                names = sorted({other.name for other in resources if other.scope() == resource.scope()})
                found[resource.scope()] = resource.describe(names)
        return [resource.state_from(found[resource.scope()]) for resource in resources]

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        return self.state_from(self.describe([self.name]))

    def state_from(self, found: t.List[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        """The state of this object among those a describe found, or None when it is not one of them."""
        item = self.pick(found)
        return None if item is None else self.state_of(item)

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """The state of the object a describe returned."""
        raise NotImplementedError

    def pick(self, found: t.List[t.Dict[str, t.Any]]) -> t.Optional[t.Dict[str, t.Any]]:
        """The one object with this name among those found, or None; two are an error the user must resolve."""
        # Checked again here because not every implementation of the API honours tag filters (moto's NAT gateways).
        found = [item for item in found if self.name_of(item) == self.name]
        if len(found) > 1:
            raise ResourceError("%d %ss are named %s (%s): EC2 names are tags and must be unique for agno.infra to "
                                "manage them; rename or delete the extra ones." % (
                                    len(found), self.kind, self.name, ", ".join(item[self.id_key] for item in found)))
        return found[0] if found else None

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        """Until the object's State is available (VPCs and subnets start as pending)."""
        if state.get("state") in (None, "available"):
            return state

        def ready() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.read()
            return bool(latest and latest.get("state") == "available"), latest

        return t.cast(t.Dict[str, t.Any], self.poll(ready, timeout, lambda: "%s %s is not available after %d s; raise wait_timeout."
                                                    % (self.kind, self.name, timeout)))


def ec2_tags(item: t.Dict[str, t.Any]) -> t.Dict[str, str]:
    return tags_to_dict(item.get("Tags"))
