"""Security groups: rule normalisation, round trips through EC2's permissions, set comparison, and converges."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as sg
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import FakeAws, FakeEc2
from ansible_collections.agno.infra.tests.unit.support import task_resource


def ids(reference: str) -> str:
    return {"alb": "sg-123"}.get(reference, reference)


def test_equivalent_rules_normalise_to_one() -> None:
    one = sg.normalise_rule({"protocol": "TCP", "port": 443, "cidr": "0.0.0.0/0"}, "r", ids)
    two = sg.normalise_rule({"protocol": "6", "from_port": 443, "to_port": 443, "cidr": "0.0.0.0/0"}, "r", ids)
    assert one == two == ("tcp", 443, 443, "cidr:0.0.0.0/0", None)


def test_all_protocol_has_no_ports_and_groups_resolve() -> None:
    assert sg.normalise_rule({"protocol": "all", "source_security_group": "alb"}, "r", ids) == ("-1", None, None, "sg:sg-123", None)


def test_permissions_round_trip() -> None:
    rules = [("tcp", 8000, 8000, "sg:sg-123", "from alb"), ("-1", None, None, "cidr:10.0.0.0/16", None)]
    assert sg.rules_from_permissions([sg.permission(rule) for rule in rules]) == sorted(rules, key=str)


@pytest.mark.parametrize("spec, message", [
    ({"port": 70000, "cidr": "0.0.0.0/0"}, "outside 0-65535"),
    ({"from_port": 90, "to_port": 80, "cidr": "0.0.0.0/0"}, "above to_port"),
    ({"port": 1, "from_port": 1, "cidr": "0.0.0.0/0"}, "sets port and from_port"),
    ({"port": 22}, "exactly one of cidr"),
    ({"port": 22, "cidr": "0.0.0.0/0", "source_security_group": "alb"}, "exactly one of cidr"),
    ({"port": 22, "protocol": "gre", "cidr": "0.0.0.0/0"}, "protocol 'gre'"),
])
def test_bad_rules_name_the_problem(spec: dict, message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        sg.normalise_rule(spec, "ingress[0]", ids)


def security_group(purge: bool) -> sg.SecurityGroupResource:
    return sg.SecurityGroupResource(None, {"name": "app", "vpc_id": "vpc-1", "purge_rules": purge, "purge_tags": True})


def test_rule_views_round_trip_in_stable_order() -> None:
    rules = [("tcp", 8000, 8000, "sg:sg-123", "from alb"), ("-1", None, None, "cidr:10.0.0.0/16", None)]
    views = sg.rule_views(rules + rules[:1])
    assert views == sg.rule_views(reversed(rules))
    assert views[0] == {"protocol": "all", "from_port": None, "to_port": None, "cidr": "10.0.0.0/16"}
    assert [sg.rule_key(view) for view in views] == sorted(rules, key=str)


def test_rules_compare_as_sets_with_and_without_purge() -> None:
    https = sg.rule_view(("tcp", 443, 443, "cidr:0.0.0.0/0", None))
    ssh = sg.rule_view(("tcp", 22, 22, "cidr:10.0.0.0/16", None))
    assert not security_group(True).differs("ingress", [ssh, https], [https, ssh])
    assert security_group(True).differs("ingress", [ssh, https], [https])
    assert not security_group(False).differs("ingress", [ssh, https], [https])
    assert security_group(False).differs("ingress", [ssh], [https])


def peer(entry: t.Dict[str, t.Any]) -> t.Tuple[t.Any, ...]:
    """What identifies a permission to EC2 (its description does not)."""
    ranges = [item["CidrIp"] for item in entry.get("IpRanges") or []] + [item["GroupId"] for item in entry.get("UserIdGroupPairs") or []]
    return entry["IpProtocol"], entry.get("FromPort"), entry.get("ToPort"), tuple(ranges)


class Groups(FakeEc2):
    """EC2's security group calls; a new group allows all outbound traffic, as in AWS."""

    def create_security_group(self, GroupName: str, VpcId: str, Description: str,  # pylint: disable=invalid-name
                              TagSpecifications: t.List[t.Any]) -> t.Dict[str, t.Any]:
        everywhere = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": []}
        return {"GroupId": self.add("sg", "GroupId", {"GroupName": GroupName, "VpcId": VpcId, "Description": Description,
                                                      "IpPermissions": [], "IpPermissionsEgress": [everywhere]},
                                    self.tagged(TagSpecifications))["GroupId"]}

    def authorize(self, group: str, key: str, permissions: t.List[t.Dict[str, t.Any]]) -> None:
        self.objects[group][key] = self.objects[group][key] + permissions

    def revoke(self, group: str, key: str, permissions: t.List[t.Dict[str, t.Any]]) -> None:
        gone = {peer(entry) for entry in permissions}
        self.objects[group][key] = [entry for entry in self.objects[group][key] if peer(entry) not in gone]

    def authorize_security_group_ingress(self, GroupId: str, IpPermissions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.authorize(GroupId, "IpPermissions", IpPermissions)

    def revoke_security_group_ingress(self, GroupId: str, IpPermissions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.revoke(GroupId, "IpPermissions", IpPermissions)

    def authorize_security_group_egress(self, GroupId: str, IpPermissions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.authorize(GroupId, "IpPermissionsEgress", IpPermissions)

    def revoke_security_group_egress(self, GroupId: str, IpPermissions: t.List[t.Any]) -> None:  # pylint: disable=invalid-name
        self.revoke(GroupId, "IpPermissionsEgress", IpPermissions)

    def delete_security_group(self, GroupId: str) -> None:  # pylint: disable=invalid-name
        del self.objects[GroupId]

    def describe_network_interfaces(self, Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"NetworkInterfaces": self.select("eni", Filters)}


class Answers:
    """A service whose calls give fixed answers (every call not listed answers with nothing)."""

    def __init__(self, **answers: t.Dict[str, t.Any]) -> None:
        self.answers = answers

    def __getattr__(self, operation: str) -> t.Callable[..., t.Dict[str, t.Any]]:
        return lambda **request: self.answers.get(operation, {})


def services(**answers: t.Dict[str, t.Any]) -> t.Dict[str, Answers]:
    """The services that name security groups themselves, answering as given."""
    return {service: Answers(**answers) for service in ("rds", "elasticache", "elbv2", "ecs")}


def group(aws: FakeAws, vpc_id: str, **options: t.Any) -> sg.SecurityGroupResource:
    return task_resource(sg.SecurityGroupResource, aws, **dict({"name": "app", "vpc_id": vpc_id}, **options))


def test_rules_naming_groups_by_name_and_itself_are_created_then_compared_equal() -> None:
    ec2 = Groups()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    alb = converge(group(aws, vpc_id, name="alb")).state["id"]
    ingress = [{"port": 8000, "source_security_group": "alb", "description": "from the load balancer"},
               {"protocol": "all", "source_security_group": "app"}]
    aws.clear()
    created = converge(group(aws, vpc_id, ingress=ingress))
    own = created.state["id"]
    assert aws.writes() == ["create_security_group", "authorize_security_group_ingress"]
    assert created.state["description"] == "Managed by agno.infra: app"
    assert created.state["ingress"] == [
        {"protocol": "all", "from_port": None, "to_port": None, "source_security_group": own},
        {"protocol": "tcp", "from_port": 8000, "to_port": 8000, "source_security_group": alb, "description": "from the load balancer"}]
    assert created.state["egress"] == [{"protocol": "all", "from_port": None, "to_port": None, "cidr": "0.0.0.0/0"}]
    aws.clear()
    assert converge(group(aws, vpc_id, ingress=ingress)).changed is False and aws.writes() == []


def test_only_the_differences_are_revoked_and_authorized_and_purge_rules_false_keeps_the_rest() -> None:
    ec2 = Groups()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    https = {"port": 443, "cidr": "0.0.0.0/0"}
    converge(group(aws, vpc_id, ingress=[https, {"port": 22, "cidr": "10.0.0.0/16"}]))
    aws.clear()
    kept = converge(group(aws, vpc_id, ingress=[{"port": 80, "cidr": "0.0.0.0/0"}], purge_rules=False))
    assert aws.writes() == ["authorize_security_group_ingress"] and len(kept.state["ingress"]) == 3
    aws.clear()
    purged = converge(group(aws, vpc_id, ingress=[https], egress=[]))
    assert purged.changes == ["egress", "ingress"]
    assert sorted(aws.writes()) == ["revoke_security_group_egress", "revoke_security_group_ingress"]
    assert purged.state["ingress"] == [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr": "0.0.0.0/0"}]
    assert purged.state["egress"] == []


def test_an_unknown_source_group_is_named_before_any_call_that_changes_something() -> None:
    ec2 = Groups()
    aws = FakeAws(ec2=ec2)
    vpc_id = ec2.vpc()
    with pytest.raises(ResourceError) as raised:
        converge(group(aws, vpc_id, ingress=[{"port": 5432, "source_security_group": "db"}]))
    assert raised.value.msg == "source_security_group db is not a security group of VPC %s: create it first or give its id." % vpc_id
    assert aws.writes() == []


def test_a_new_description_replaces_the_group_and_absent_deletes_it() -> None:
    ec2 = Groups()
    aws = FakeAws(ec2=ec2, **services())
    vpc_id = ec2.vpc()
    converge(group(aws, vpc_id, description="one"))
    aws.clear()
    replaced = converge(group(aws, vpc_id, description="two"))
    assert (replaced.action, aws.writes()) == ("replace", ["delete_security_group", "create_security_group"])
    aws.clear()
    assert converge(group(aws, vpc_id, state="absent"), present=False).action == "delete"
    assert aws.writes() == ["delete_security_group"] and ec2.select("sg") == []


def test_security_group_constraints_report_every_bad_value_at_once() -> None:
    params = {"name": "sg-web", "description": "café", "ingress": [
        {"port": 70000, "cidr": "0.0.0.0/0"},
        {"port": 22, "source_security_group": "${sg-alb.id}"},
        {"port": 22, "cidr": "${vpc.cidr_block}", "protocol": "gre"},
    ], "egress": [{"protocol": "all", "cidr": "0.0.0.0/99", "description": "to <anywhere>"}]}
    assert sg.SecurityGroupResource.problems(params) == [
        "name is 'sg-web': use 1 to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-.",
        "description is 'café': use at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.",
        "ingress[0] has port 70000, outside 0-65535.",
        "egress[0] cidr '0.0.0.0/99' is not a valid IPv4 CIDR block ('0.0.0.0/99' does not appear to be an IPv4 or IPv6 "
        "network): write it as a network address and prefix, for example 10.0.0.0/16.",
        "egress[0].description is 'to <anywhere>': use at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.",
    ]


def test_a_rule_naming_its_own_group_gets_the_group_id_once_it_exists() -> None:
    views = sg.rule_views([("-1", None, None, "sg:app", None), ("tcp", 443, 443, "cidr:0.0.0.0/0", None)])
    assert sg.own_rules(views, "app", "sg-9") == {("-1", None, None, "sg:sg-9", None), ("tcp", 443, 443, "cidr:0.0.0.0/0", None)}


def in_use() -> t.Tuple[FakeAws, Groups, str, str]:
    """A group "app" with a description, named by group "db"'s rule and holding two network interfaces."""
    ec2 = Groups()
    aws = FakeAws(ec2=ec2, **services())
    vpc_id = ec2.vpc()
    app = converge(group(aws, vpc_id, description="one")).state["id"]
    converge(group(aws, vpc_id, name="db", ingress=[{"port": 5432, "source_security_group": "app"}]))
    ec2.add("eni", "NetworkInterfaceId", {"Groups": [{"GroupId": app}], "Attachment": {"InstanceId": "i-0abc"}})
    ec2.add("eni", "NetworkInterfaceId", {"Groups": [{"GroupId": app}], "Description": "RDSNetworkInterface"})
    aws.clear()
    return aws, ec2, vpc_id, app


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_group_in_use_is_not_replaced_and_the_refusal_names_its_users_and_the_way_out(check_mode: bool) -> None:
    aws, ec2, vpc_id, app = in_use()
    answers = dict(
        describe_db_instances={"DBInstances": [{"DBInstanceIdentifier": "main", "VpcSecurityGroups": [{"VpcSecurityGroupId": app}]}]},
        describe_load_balancers={"LoadBalancers": [{"LoadBalancerName": "web", "SecurityGroups": ["sg-other"]}]},
        list_clusters={"clusterArns": ["arn:aws:ecs:eu-west-1:123456789012:cluster/prd"]},
        list_services={"serviceArns": ["arn:aws:ecs:eu-west-1:123456789012:service/prd/api"]},
        describe_services={"services": [{"serviceName": "api", "status": "ACTIVE",
                                         "networkConfiguration": {"awsvpcConfiguration": {"securityGroups": [app]}}}]})
    for service in ("rds", "elbv2", "ecs"):
        aws.services[service].answers.update(answers)
    db = ec2.select("sg", [{"Name": "group-name", "Values": ["db"]}])[0]["GroupId"]
    with pytest.raises(ResourceError) as refused:
        converge(group(aws, vpc_id, description="two"), check_mode=check_mode)
    enis = sorted(item["NetworkInterfaceId"] for item in ec2.select("eni"))
    assert refused.value.msg == (
        "security group app (%s) has description 'one' (task wants 'two'), which EC2 cannot change, and is in use by "
        "security group db (%s), instance i-0abc, network interface %s (RDSNetworkInterface), RDS DB instance main, ECS "
        "service prd/api: keep the current description, or change the name to create a new group beside it, move its "
        "users to it, then remove this one." % (app, db, enis[1]))
    assert aws.writes() == []


def test_a_group_whose_only_rule_names_itself_is_not_in_use() -> None:
    ec2 = Groups()
    aws = FakeAws(ec2=ec2, **services())
    vpc_id = ec2.vpc()
    converge(group(aws, vpc_id, description="one", ingress=[{"protocol": "all", "source_security_group": "app"}]))
    assert converge(group(aws, vpc_id, description="two", ingress=[{"protocol": "all", "source_security_group": "app"}])).action == "replace"
