# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security group as a lifecycle resource. Rules are compared as sets; only the differences are authorized or revoked."""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.ec2 import (
    NAMED_ARGUMENT_SPEC, Ec2Resource, ec2_tags, parse_cidr, tag_specifications)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import (
    REFERENCE_TEXT, Constraint, Pattern, Refusal, ResourceError, as_set, purge, subset)

RULE_OPTIONS: t.Dict[str, t.Any] = {
    "protocol": {"type": "str", "default": "tcp"},
    "port": {"type": "int"},
    "from_port": {"type": "int"},
    "to_port": {"type": "int"},
    "cidr": {"type": "str"},
    "source_security_group": {"type": "str"},
    "description": {"type": "str"},
}
PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp", "all": "-1", "-1": "-1"}
# The characters EC2 takes in a VPC security group's name and descriptions.
TEXT = r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]"
TEXT_WANTED = "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
DESCRIPTION = Pattern(TEXT + "{0,255}", "at most 255 " + TEXT_WANTED)

# A rule: (protocol, from_port, to_port, "cidr:..." or "sg:...", description)
Rule = t.Tuple[str, t.Optional[int], t.Optional[int], str, t.Optional[str]]


def port_range(spec: t.Dict[str, t.Any], where: str, protocol: str) -> t.Tuple[t.Optional[int], t.Optional[int]]:
    if protocol == "-1":
        return None, None
    if spec.get("port") is not None and (spec.get("from_port") is not None or spec.get("to_port") is not None):
        raise ResourceError("%s sets port and from_port/to_port: use port for one port, or from_port and to_port for a range." % where)
    low = spec["port"] if spec.get("port") is not None else spec.get("from_port")
    high = spec["port"] if spec.get("port") is not None else spec.get("to_port", low)
    if low is None or high is None:
        raise ResourceError("%s has no port: set port, or from_port and to_port (protocol all needs none)." % where)
    lowest = -1 if protocol == "icmp" else 0
    for value in (low, high):
        if not lowest <= value <= 65535:
            raise ResourceError("%s has port %d, outside %d-65535." % (where, value, lowest))
    if low > high:
        raise ResourceError("%s has from_port %d above to_port %d." % (where, low, high))
    return low, high


def normalise_rule(spec: t.Dict[str, t.Any], where: str, group_ids: t.Callable[[str], str]) -> Rule:
    protocol = PROTOCOLS.get(str(spec.get("protocol") or "tcp").lower())
    if protocol is None:
        raise ResourceError("%s has protocol %r: use tcp, udp, icmp or all." % (where, spec.get("protocol")))
    low, high = port_range(spec, where, protocol)
    if bool(spec.get("cidr")) == bool(spec.get("source_security_group")):
        raise ResourceError("%s needs exactly one of cidr and source_security_group." % where)
    peer = "cidr:%s" % parse_cidr(spec["cidr"], where + " cidr") if spec.get("cidr") else \
        "sg:%s" % group_ids(spec["source_security_group"])
    return protocol, low, high, peer, spec.get("description") or None


@dataclasses.dataclass(frozen=True)
class RuleShape(Constraint):
    """A rule EC2 takes: a known protocol, ports in range, one peer, a valid CIDR (a source group is looked up later)."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        # A rule with a value that refers to another item of a plan is checked once that resolves (a source group is
        # a name or an id here either way).
        if not isinstance(value, dict) or any(REFERENCE_TEXT.search(str(item)) for key, item in value.items()
                                              if key != "source_security_group"):
            return None
        try:
            normalise_rule(value, option, str)
        except ResourceError as error:
            return error.msg
        return None


def rules_from_permissions(permissions: t.List[t.Dict[str, t.Any]]) -> t.List[Rule]:
    """EC2's IpPermissions flattened into one rule per peer."""
    rules: t.List[Rule] = []
    for permission in permissions:
        protocol = PROTOCOLS.get(str(permission.get("IpProtocol")), str(permission.get("IpProtocol")))
        low = permission.get("FromPort") if protocol != "-1" else None
        high = permission.get("ToPort") if protocol != "-1" else None
        for item in permission.get("IpRanges") or []:
            rules.append((protocol, low, high, "cidr:%s" % item["CidrIp"], item.get("Description") or None))
        for item in permission.get("UserIdGroupPairs") or []:
            rules.append((protocol, low, high, "sg:%s" % item["GroupId"], item.get("Description") or None))
    return sorted(rules, key=str)


def permission(rule: Rule) -> t.Dict[str, t.Any]:
    """One rule as an IpPermissions entry."""
    protocol, low, high, peer, description = rule
    entry: t.Dict[str, t.Any] = {"IpProtocol": protocol}
    if protocol != "-1":
        entry.update(FromPort=low, ToPort=high)
    kind, _sep, value = peer.partition(":")
    item = {"CidrIp": value} if kind == "cidr" else {"GroupId": value}
    if description:
        item["Description"] = description
    entry["IpRanges" if kind == "cidr" else "UserIdGroupPairs"] = [item]
    return entry


def rule_view(rule: Rule) -> t.Dict[str, t.Any]:
    protocol, low, high, peer, description = rule
    kind, _sep, value = peer.partition(":")
    view: t.Dict[str, t.Any] = {"protocol": "all" if protocol == "-1" else protocol, "from_port": low, "to_port": high,
                                "cidr" if kind == "cidr" else "source_security_group": value}
    if description:
        view["description"] = description
    return view


def rule_key(view: t.Dict[str, t.Any]) -> Rule:
    """A rule view back as a comparable rule (the inverse of rule_view)."""
    peer = "cidr:%s" % view["cidr"] if view.get("cidr") else "sg:%s" % view["source_security_group"]
    protocol = "-1" if view["protocol"] == "all" else view["protocol"]
    return protocol, view.get("from_port"), view.get("to_port"), peer, view.get("description") or None


def rule_views(rules: t.Iterable[Rule]) -> t.List[t.Dict[str, t.Any]]:
    """Rules as the user writes them, in a stable order, so state, results and diffs are readable."""
    return [rule_view(rule) for rule in sorted(set(rules), key=str)]


def own_rules(views: t.List[t.Dict[str, t.Any]], name: str, group_id: str) -> t.Set[Rule]:
    """The task's rules as comparable rules; one naming the group itself as its source (before it existed) gets its id."""
    return {rule[:3] + ("sg:%s" % group_id,) + rule[4:] if rule[3] == "sg:" + name else rule for rule in map(rule_key, views)}


# Rule views are sorted and unique: with purge_rules they must be the task's, else include the task's.
RULES_COMPARE = purge("purge_rules", as_set, subset)


# ---- who uses a group: what its replacement would break ------------------------------------------------------
def pages(client: t.Any, operation: str, key: str, **request: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
    for page in client.get_paginator(operation).paginate(**request):
        yield from page.get(key) or []


def rule_users(ec2: t.Any, group_id: str) -> t.List[str]:
    """Other groups whose inbound or outbound rules name this one as their peer."""
    found: t.Dict[str, str] = {}
    for name in ("ip-permission.group-id", "egress.ip-permission.group-id"):
        found.update((item["GroupId"], item["GroupName"]) for item in pages(
            ec2, "describe_security_groups", "SecurityGroups", Filters=[{"Name": name, "Values": [group_id]}]) if item["GroupId"] != group_id)
    return ["security group %s (%s)" % (name, found_id) for found_id, name in sorted(found.items(), key=lambda item: item[::-1])]


def interface_users(ec2: t.Any, group_id: str) -> t.List[str]:
    """Network interfaces in the group: instances', and those RDS, ElastiCache, load balancers and ECS tasks place in it."""
    users = []
    for interface in pages(ec2, "describe_network_interfaces", "NetworkInterfaces", Filters=[{"Name": "group-id", "Values": [group_id]}]):
        instance = (interface.get("Attachment") or {}).get("InstanceId")
        users.append("instance %s" % instance if instance else "network interface %s (%s)" % (
            interface["NetworkInterfaceId"], interface.get("Description") or interface.get("InterfaceType") or "no description"))
    return users


# Services that name their groups themselves: AWS gives them network interfaces, emulators often do not, and an ECS
# service without running tasks has none. (client, operation, result key, label, name key, groups of one item)
SERVICES: t.Tuple[t.Tuple[str, str, str, str, str, t.Callable[[t.Dict[str, t.Any]], t.List[str]]], ...] = (
    ("rds", "describe_db_instances", "DBInstances", "RDS DB instance", "DBInstanceIdentifier",
     lambda item: [group["VpcSecurityGroupId"] for group in item.get("VpcSecurityGroups") or []]),
    ("rds", "describe_db_clusters", "DBClusters", "RDS DB cluster", "DBClusterIdentifier",
     lambda item: [group["VpcSecurityGroupId"] for group in item.get("VpcSecurityGroups") or []]),
    ("elasticache", "describe_cache_clusters", "CacheClusters", "ElastiCache cluster", "CacheClusterId",
     lambda item: [group["SecurityGroupId"] for group in item.get("SecurityGroups") or []]),
    ("elbv2", "describe_load_balancers", "LoadBalancers", "load balancer", "LoadBalancerName",
     lambda item: list(item.get("SecurityGroups") or [])),
)


def service_users(clients: t.Callable[[str], t.Any], group_id: str) -> t.List[str]:
    users = ["%s %s" % (label, item[name]) for service, operation, key, label, name, groups in SERVICES
             for item in pages(clients(service), operation, key) if group_id in groups(item)]
    return users + ecs_service_users(clients("ecs"), group_id)


def ecs_service_users(ecs: t.Any, group_id: str) -> t.List[str]:
    users = []
    for cluster in pages(ecs, "list_clusters", "clusterArns"):
        arns = list(pages(ecs, "list_services", "serviceArns", cluster=cluster))
        for start in range(0, len(arns), 10):  # DescribeServices takes ten at a time
            for service in ecs.describe_services(cluster=cluster, services=arns[start:start + 10]).get("services") or []:
                network = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
                if group_id in (network.get("securityGroups") or []) and service.get("status") != "INACTIVE":
                    users.append("ECS service %s/%s" % (cluster.rsplit("/", 1)[-1], service["serviceName"]))
    return users


def group_users(resource: t.Any, current: t.Dict[str, t.Any]) -> t.List[str]:
    """Everything that points at the group: DeleteSecurityGroup fails on these (or leaves them pointing at nothing)."""
    ec2 = resource.client("ec2")
    return rule_users(ec2, current["id"]) + interface_users(ec2, current["id"]) + service_users(resource.client, current["id"])


IN_USE = Refusal("{kind} {name} ({id}) has {wants}, which EC2 cannot change, and is in use by {blockers}: keep the current "
                 "description, or change the name to create a new group beside it, move its users to it, then remove this one.",
                 blockers=group_users)


class SecurityGroupResource(Ec2Resource):
    kind = "security group"
    result_key = "security_group"
    describe_call, result_list, id_key = "describe_security_groups", "SecurityGroups", "GroupId"
    scope_filter = ("vpc-id", "vpc_id")
    locator = ("name", "vpc_id")
    # A security group has a real name; look it up by group-name within the VPC.
    name_filter = "group-name"
    replace_fields = ("description",)
    refusals = (IN_USE,)

    module_name = "aws_security_group"
    owned_kind = "ec2:security-group"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """Known by its Name tag within its VPC (vpc_id: the environment gives its own)."""
        return {"name": tags.get("Name") or arn_kind(found)[1]}
    argument_spec: t.Dict[str, t.Any] = dict(
        NAMED_ARGUMENT_SPEC,
        vpc_id={"type": "str", "required": True},
        description={"type": "str"},
        ingress={"type": "list", "elements": "dict", "options": RULE_OPTIONS},
        egress={"type": "list", "elements": "dict", "options": RULE_OPTIONS},
        purge_rules={"type": "bool", "default": True},
    )
    constraints = {
        "name": Pattern(r"(?!sg-)%s{1,255}" % TEXT, "1 to 255 %s, not starting with sg-" % TEXT_WANTED),
        "description": DESCRIPTION,
        "ingress": RuleShape(),
        "egress": RuleShape(),
        "ingress.description": DESCRIPTION,
        "egress.description": DESCRIPTION,
    }
    compare = {"ingress": RULES_COMPARE, "egress": RULES_COMPARE}

    def name_of(self, item: t.Dict[str, t.Any]) -> t.Optional[str]:
        return t.cast(t.Optional[str], item.get("GroupName"))

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {}
        if self.params.get("description") is not None:
            wanted["description"] = self.params["description"]
        cache: t.Dict[str, str] = {}
        for direction in ("ingress", "egress"):
            if self.params.get(direction) is not None:
                wanted[direction] = rule_views(normalise_rule(spec, "%s[%d]" % (direction, index), lambda ref: self.group_id(ref, cache))
                                               for index, spec in enumerate(self.params[direction]))
        wanted.update(self.desired_tag_field())
        return wanted

    def group_id(self, reference: str, cache: t.Dict[str, str]) -> str:
        """A source group given by id, or by name within the VPC (one lookup per name)."""
        if reference.startswith("sg-"):
            return reference
        if reference not in cache:
            found = self.client("ec2").describe_security_groups(Filters=[
                {"Name": "group-name", "Values": [reference]}, {"Name": "vpc-id", "Values": [self.params["vpc_id"]]}])
            if not found["SecurityGroups"] and reference == self.name:
                return reference  # this group, not created yet: own_rules gives it its id once it exists
            if not found["SecurityGroups"]:
                raise ResourceError("source_security_group %s is not a security group of VPC %s: create it first or "
                                    "give its id." % (reference, self.params["vpc_id"]))
            cache[reference] = found["SecurityGroups"][0]["GroupId"]
        return cache[reference]

    def state_of(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return {
            "id": found["GroupId"],
            "name": found["GroupName"],
            "vpc_id": found.get("VpcId"),
            "description": found.get("Description"),
            "ingress": rule_views(rules_from_permissions(found.get("IpPermissions") or [])),
            "egress": rule_views(rules_from_permissions(found.get("IpPermissionsEgress") or [])),
            "tags": ec2_tags(found),
        }

    def create(self, desired: t.Dict[str, t.Any]) -> t.Optional[t.Dict[str, t.Any]]:
        self.client("ec2").create_security_group(
            GroupName=self.name, VpcId=self.params["vpc_id"],
            Description=desired.get("description") or "Managed by agno.infra: %s" % self.name,
            TagSpecifications=tag_specifications("security-group", self.all_tags()))
        # Read, not built: EC2 gives a new group its default egress rule.
        return self.complete(t.cast(t.Dict[str, t.Any], self.read()), desired, ("ingress", "egress"))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        ec2 = self.client("ec2")
        for direction, authorize, revoke in (("ingress", ec2.authorize_security_group_ingress, ec2.revoke_security_group_ingress),
                                             ("egress", ec2.authorize_security_group_egress, ec2.revoke_security_group_egress)):
            if direction not in changes:
                continue
            have, want = set(map(rule_key, current[direction])), own_rules(changes[direction], self.name, current["id"])
            added = sorted(want - have, key=str)
            removed = sorted(have - want, key=str) if self.params["purge_rules"] else []
            if removed:
                revoke(GroupId=current["id"], IpPermissions=[permission(rule) for rule in removed])
            if added:
                authorize(GroupId=current["id"], IpPermissions=[permission(rule) for rule in added])
        self.update_tags(current["id"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("ec2").delete_security_group(GroupId=current["id"])
