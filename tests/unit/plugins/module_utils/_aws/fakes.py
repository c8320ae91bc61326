"""In-memory stand-ins for the AWS provider's clients: answers in AWS's shapes, every call logged by its API name."""

from __future__ import annotations

import itertools
import typing as t

from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
REGION = "us-east-1"
# Calls that change nothing; every other call is a write.
READS = ("describe_", "list_", "get_", "head_", "wait_")


def tag_list(tags: t.Dict[str, str], key: str = "Key", value: str = "Value") -> t.List[t.Dict[str, str]]:
    return [{key: name, value: tags[name]} for name in sorted(tags)]


def tag_map(tags: t.Optional[t.List[t.Dict[str, str]]], key: str = "Key", value: str = "Value") -> t.Dict[str, str]:
    return {tag[key]: tag[value] for tag in tags or []}


def client_error(code: str, operation: str, message: str = "", status: int = 400) -> ClientError:
    """The error botocore raises for an AWS error answer."""
    return ClientError({"Error": {"Code": code, "Message": message or code},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


class FakeAws:
    """The provider's clients callable: ``clients("ec2")`` gives the in-memory service, and each call is logged."""

    def __init__(self, **services: t.Any) -> None:
        self.services = services
        self.region = REGION
        self.calls: t.List[str] = []

    def __call__(self, service: str) -> "Logged":
        return Logged(self, self.services[service.replace("-", "_")])

    def writes(self) -> t.List[str]:
        """The calls so far that change something."""
        return [call for call in self.calls if not call.startswith(READS)]

    def clear(self) -> None:
        self.calls.clear()


class Logged:
    """One service's client: its operations are the backend's methods, paginators and waiters go through them too."""

    def __init__(self, aws: FakeAws, backend: t.Any) -> None:
        self.aws = aws
        self.backend = backend

    def get_paginator(self, operation: str) -> "Pages":
        return Pages(self, operation)

    def get_waiter(self, name: str) -> "Waiter":
        return Waiter(self, name)

    def __getattr__(self, operation: str) -> t.Callable[..., t.Any]:
        method = getattr(self.backend, operation)

        def call(**kwargs: t.Any) -> t.Any:
            self.aws.calls.append(operation)
            return method(**kwargs)

        return call


class Pages:
    """A paginator whose one page is the backend's answer to the operation."""

    def __init__(self, client: Logged, operation: str) -> None:
        self.client = client
        self.operation = operation

    def paginate(self, **kwargs: t.Any) -> t.List[t.Any]:
        return [getattr(self.client, self.operation)(**kwargs)]


class Waiter:
    """A waiter that asks the backend's wait_<name> to bring the object to the state waited for."""

    def __init__(self, client: Logged, name: str) -> None:
        self.client = client
        self.name = name

    def wait(self, **kwargs: t.Any) -> None:
        getattr(self.client, "wait_" + self.name)(**kwargs)


# EC2 filter names and the field each one reads.
FILTER_FIELDS = {"vpc-id": "VpcId", "state": "State", "group-name": "GroupName"}


def filter_values(item: t.Dict[str, t.Any], name: str) -> t.List[t.Any]:
    """The values of one object that an EC2 filter compares."""
    if name.startswith("tag:"):
        return [tag["Value"] for tag in item.get("Tags") or [] if tag["Key"] == name[4:]]
    if name == "association.subnet-id":
        return [association.get("SubnetId") for association in item.get("Associations") or []]
    if name in ("ip-permission.group-id", "egress.ip-permission.group-id"):
        key = "IpPermissionsEgress" if name.startswith("egress") else "IpPermissions"
        return [pair["GroupId"] for entry in item.get(key) or [] for pair in entry.get("UserIdGroupPairs") or []]
    if name == "group-id":
        return [group["GroupId"] for group in item.get("Groups") or []]
    return [item.get(FILTER_FIELDS[name])]


def matches(item: t.Dict[str, t.Any], filters: t.List[t.Dict[str, t.Any]]) -> bool:
    return all(set(filter_values(item, entry["Name"])) & set(entry["Values"]) for entry in filters)


class FakeEc2:
    """EC2 objects by id, each with its tags; describe calls filter them as EC2 does."""

    def __init__(self) -> None:
        self.objects: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.numbers = itertools.count(1)

    def add(self, prefix: str, id_key: str, item: t.Dict[str, t.Any], tags: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
        """Store a new object under a fresh id such as vpc-00000001 and return it."""
        object_id = "%s-%08x" % (prefix, next(self.numbers))
        self.objects[object_id] = dict(item, **{id_key: object_id, "Tags": tag_list(tags or {})})
        return self.objects[object_id]

    def vpc(self, cidr: str = "10.0.0.0/16") -> str:
        """A VPC that exists already; its id."""
        return str(self.add("vpc", "VpcId", {"CidrBlock": cidr, "State": "available", "CidrBlockAssociationSet": [
            {"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}]}, {"Name": "net"})["VpcId"])

    def tagged(self, specifications: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, str]:
        """The tags of a create call's TagSpecifications."""
        return tag_map(specifications[0]["Tags"])

    def select(self, prefix: str, filters: t.Optional[t.List[t.Dict[str, t.Any]]] = None,
               ids: t.Optional[t.List[str]] = None) -> t.List[t.Dict[str, t.Any]]:
        return [dict(item) for object_id, item in self.objects.items()
                if object_id.startswith(prefix + "-") and matches(item, filters or []) and (ids is None or object_id in ids)]

    def describe_vpcs(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Vpcs": self.select("vpc", Filters)}

    def describe_subnets(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"Subnets": self.select("subnet", Filters)}

    def describe_internet_gateways(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"InternetGateways": self.select("igw", Filters)}

    def describe_route_tables(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"RouteTables": self.select("rtb", Filters)}

    def describe_security_groups(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"SecurityGroups": self.select("sg", Filters)}

    def create_tags(self, Resources: t.List[str], Tags: t.List[t.Dict[str, str]]) -> None:  # pylint: disable=invalid-name
        for object_id in Resources:
            self.objects[object_id]["Tags"] = tag_list(dict(self.tags_of(object_id), **tag_map(Tags)))

    def delete_tags(self, Resources: t.List[str], Tags: t.List[t.Dict[str, str]]) -> None:  # pylint: disable=invalid-name
        removed = {tag["Key"] for tag in Tags}
        for object_id in Resources:
            self.objects[object_id]["Tags"] = [tag for tag in self.objects[object_id]["Tags"] if tag["Key"] not in removed]

    def tags_of(self, object_id: str) -> t.Dict[str, str]:
        return tag_map(self.objects[object_id]["Tags"])


class FakeElb:
    """What every ELBv2 object shares: tags by ARN."""

    def __init__(self) -> None:
        self.tags: t.Dict[str, t.Dict[str, str]] = {}

    def describe_tags(self, ResourceArns: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"TagDescriptions": [{"ResourceArn": arn, "Tags": tag_list(self.tags[arn])} for arn in ResourceArns]}

    def add_tags(self, ResourceArns: t.List[str], Tags: t.List[t.Dict[str, str]]) -> None:  # pylint: disable=invalid-name
        self.tags[ResourceArns[0]].update(tag_map(Tags))

    def remove_tags(self, ResourceArns: t.List[str], TagKeys: t.List[str]) -> None:  # pylint: disable=invalid-name
        self.tags[ResourceArns[0]] = {key: value for key, value in self.tags[ResourceArns[0]].items() if key not in TagKeys}


class FakeRds:
    """What every RDS object shares: tags by ARN."""

    def __init__(self) -> None:
        self.tags: t.Dict[str, t.Dict[str, str]] = {}

    def list_tags_for_resource(self, ResourceName: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"TagList": tag_list(self.tags[ResourceName])}

    def add_tags_to_resource(self, ResourceName: str, Tags: t.List[t.Dict[str, str]]) -> None:  # pylint: disable=invalid-name
        self.tags[ResourceName].update(tag_map(Tags))

    def remove_tags_from_resource(self, ResourceName: str, TagKeys: t.List[str]) -> None:  # pylint: disable=invalid-name
        self.tags[ResourceName] = {key: value for key, value in self.tags[ResourceName].items() if key not in TagKeys}
