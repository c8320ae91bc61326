"""Reading many AWS resources of one type at once (read_batch), over in-memory services that record their calls:
the batch answers what one read each would, in fewer calls; and reads that skip a call a no-op does not need."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import db_instance as aws_db_instance
from ansible_collections.agno.infra.plugins.module_utils._aws import ecr_repository as ecr
from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_cluster
from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_service
from ansible_collections.agno.infra.plugins.module_utils._aws import iam_role
from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener
from ansible_collections.agno.infra.plugins.module_utils._aws import log_group
from ansible_collections.agno.infra.plugins.module_utils._aws import s3_bucket
from ansible_collections.agno.infra.plugins.module_utils._aws import secret as aws_secret
from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as sg
from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet
from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as tg
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import not_found

Answer = t.Callable[..., t.Dict[str, t.Any]]


class Service:
    """A botocore client stand-in: each operation answers with its function and is recorded with its arguments."""

    def __init__(self, calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]], **operations: Answer) -> None:
        self.calls = calls
        self.operations = operations

    def __getattr__(self, name: str) -> t.Callable[..., t.Any]:
        if name == "get_paginator":
            return lambda operation: Paginator(getattr(self, operation))

        def call(**kwargs: t.Any) -> t.Dict[str, t.Any]:
            self.calls.append((name, kwargs))
            return self.operations[name](**kwargs)
        return call


class Paginator:
    def __init__(self, operation: t.Callable[..., t.Dict[str, t.Any]]) -> None:
        self.operation = operation

    def paginate(self, **kwargs: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
        yield self.operation(**kwargs)


class Clients:
    """What a plan hands resources as their client: one service per name."""

    def __init__(self, **services: Answer) -> None:
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []
        self.services = {name: Service(self.calls, **operations) for name, operations in services.items()}  # type: ignore[arg-type]

    def __call__(self, name: str) -> Service:
        return self.services[name]

    def names(self) -> t.List[str]:
        return [name for name, _kwargs in self.calls]


def built(kind: t.Any, clients: Clients, **params: t.Any) -> t.Any:
    resource = kind(None, dict({"purge_tags": True}, **params))
    resource.client = clients
    return resource


# ---- EC2: one describe per scope, by name ---------------------------------------------------------
SUBNETS = [{"SubnetId": "subnet-%s" % name, "VpcId": vpc, "CidrBlock": "10.0.%d.0/24" % index, "AvailabilityZone": "us-east-1a",
            "State": "available", "Tags": [{"Key": "Name", "Value": name}]}
           for index, (name, vpc) in enumerate([("a", "vpc-1"), ("b", "vpc-1"), ("a", "vpc-2"), ("stray", "vpc-1")])]


def describe_subnets(Filters: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
    wanted = {item["Name"]: item["Values"] for item in Filters}
    return {"Subnets": [subnet for subnet in SUBNETS if subnet["Tags"][0]["Value"] in wanted["tag:Name"]
                        and subnet["VpcId"] in wanted["vpc-id"]]}


def test_subnets_read_together_with_one_describe_per_vpc() -> None:
    clients = Clients(ec2={"describe_subnets": describe_subnets})
    resources = [built(aws_subnet.SubnetResource, clients, name=name, vpc_id=vpc)
                 for name, vpc in [("a", "vpc-1"), ("b", "vpc-1"), ("a", "vpc-2"), ("gone", "vpc-1")]]
    states = aws_subnet.SubnetResource.read_batch(resources)
    assert [state and state["id"] for state in states] == ["subnet-a", "subnet-b", "subnet-a", None]
    assert clients.calls == [
        ("describe_subnets", {"Filters": [{"Name": "tag:Name", "Values": ["a", "b", "gone"]}, {"Name": "vpc-id", "Values": ["vpc-1"]}]}),
        ("describe_subnets", {"Filters": [{"Name": "tag:Name", "Values": ["a"]}, {"Name": "vpc-id", "Values": ["vpc-2"]}]}),
    ]
    assert states == [resource.read() for resource in resources]


def test_security_groups_are_found_by_their_group_names() -> None:
    groups = [{"GroupId": "sg-%d" % index, "GroupName": name, "VpcId": "vpc-1", "Description": name} for index, name in enumerate(["alb", "app"])]
    clients = Clients(ec2={"describe_security_groups": lambda Filters: {"SecurityGroups": groups}})
    resources = [built(sg.SecurityGroupResource, clients, name=name, vpc_id="vpc-1") for name in ("app", "alb", "db")]
    assert [state and state["id"] for state in sg.SecurityGroupResource.read_batch(resources)] == ["sg-1", "sg-0", None]
    assert clients.calls == [("describe_security_groups", {"Filters": [
        {"Name": "group-name", "Values": ["alb", "app", "db"]}, {"Name": "vpc-id", "Values": ["vpc-1"]}]})]


# ---- ELB target groups: one describe, one DescribeTags, attributes each --------------------------
def target_group(name: str) -> t.Dict[str, t.Any]:
    return {"TargetGroupName": name, "TargetGroupArn": "arn:tg/" + name, "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1",
            "TargetType": "ip"}


def target_groups(names: t.List[str]) -> Clients:
    def describe(Names: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if not set(Names) <= set(names):
            raise not_found("TargetGroupNotFound")
        return {"TargetGroups": [target_group(name) for name in Names]}
    return Clients(elbv2={
        "describe_target_groups": describe,
        "describe_tags": lambda ResourceArns: {"TagDescriptions": [{"ResourceArn": arn, "Tags": [{"Key": "env", "Value": "prd"}]}
                                                                   for arn in ResourceArns]},
        "describe_target_group_attributes": lambda TargetGroupArn: {"Attributes": [{"Key": "stickiness.enabled", "Value": "true"}]},
    })


def test_target_groups_share_one_describe_and_one_tags_call() -> None:
    clients = target_groups(["api", "ui"])
    resources = [built(tg.TargetGroupResource, clients, name=name, tags={"env": "prd"}, stickiness={"enabled": True, "duration": 60})
                 for name in ("api", "ui")]
    states = tg.TargetGroupResource.read_batch(resources)
    assert [state["tags"] for state in states] == [{"env": "prd"}, {"env": "prd"}]
    assert clients.names() == ["describe_target_groups", "describe_tags", "describe_target_group_attributes",
                               "describe_target_group_attributes"]
    assert clients.calls[1] == ("describe_tags", {"ResourceArns": ["arn:tg/api", "arn:tg/ui"]})
    assert states == [resource.read() for resource in resources]


def test_listeners_share_one_describe_per_load_balancer() -> None:
    listeners = {"arn:lb/a": [{"ListenerArn": "arn:l/a80", "Port": 80, "Protocol": "HTTP"},
                              {"ListenerArn": "arn:l/a443", "Port": 443, "Protocol": "HTTPS"}],
                 "arn:lb/b": [{"ListenerArn": "arn:l/b80", "Port": 80, "Protocol": "HTTP"}]}
    clients = Clients(elbv2={"describe_listeners": lambda LoadBalancerArn: {"Listeners": listeners[LoadBalancerArn]},
                             "describe_rules": lambda ListenerArn: {"Rules": []}})
    resources = [built(aws_listener.ListenerResource, clients, load_balancer_arn=balancer, port=port, rules=rules)
                 for balancer, port, rules in (("arn:lb/a", 80, []), ("arn:lb/a", 443, None), ("arn:lb/b", 443, None))]
    states = aws_listener.ListenerResource.read_batch(resources)
    assert [state and state["arn"] for state in states] == ["arn:l/a80", "arn:l/a443", None]
    # Rules are read only for the listener whose task sets them.
    assert clients.names() == ["describe_listeners", "describe_listeners", "describe_rules"]
    assert states == [resource.read() for resource in resources]


def test_a_missing_target_group_makes_each_read_alone() -> None:
    clients = target_groups(["api"])
    resources = [built(tg.TargetGroupResource, clients, name=name) for name in ("api", "new")]
    assert [state and state["arn"] for state in tg.TargetGroupResource.read_batch(resources)] == ["arn:tg/api", None]
    assert clients.names() == ["describe_target_groups"] * 3


# ---- CloudWatch Logs: one listing per folder ------------------------------------------------------
def test_log_groups_are_listed_once_per_folder() -> None:
    groups = [{"logGroupName": name, "logGroupArn": "arn:logs:" + name, "retentionInDays": 30}
              for name in ("/ecs/app/api", "/ecs/app/ui", "/ecs/app/api-old", "top")]

    def describe(logGroupNamePrefix: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"logGroups": [group for group in groups if group["logGroupName"].startswith(logGroupNamePrefix)]}
    clients = Clients(logs={"describe_log_groups": describe, "list_tags_for_resource": lambda resourceArn: {"tags": {}}})
    resources = [built(log_group.LogGroupResource, clients, name=name) for name in ("/ecs/app/api", "/ecs/app/ui", "/ecs/app/worker", "top")]
    states = log_group.LogGroupResource.read_batch(resources)
    assert [state and state["arn"] for state in states] == ["arn:logs:/ecs/app/api", "arn:logs:/ecs/app/ui", None, "arn:logs:top"]
    # A name at the root is read alone: listing the root would list every log group of the account.
    assert clients.calls == [("describe_log_groups", {"logGroupNamePrefix": "/ecs/app/"}),
                             ("describe_log_groups", {"logGroupNamePrefix": "top"})]
    assert log_group.folder("/ecs/app/api") == "/ecs/app/" and log_group.folder("/api") == log_group.folder("api") == ""


# ---- ECR: one describe, each alone when one is missing ---------------------------------------------
def repositories(names: t.List[str]) -> Clients:
    def describe(repositoryNames: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if not set(repositoryNames) <= set(names):
            raise not_found("RepositoryNotFoundException")
        return {"repositories": [{"repositoryName": name, "repositoryArn": "arn:ecr/" + name, "repositoryUri": "uri/" + name}
                                 for name in repositoryNames]}
    return Clients(ecr={"describe_repositories": describe})


def test_repositories_read_together_or_alone() -> None:
    clients = repositories(["app/api", "app/ui"])
    together = [built(ecr.RepositoryResource, clients, name=name) for name in ("app/ui", "app/api")]
    assert [state["uri"] for state in ecr.RepositoryResource.read_batch(together)] == ["uri/app/ui", "uri/app/api"]
    assert clients.names() == ["describe_repositories"]
    clients.calls.clear()
    alone = [built(ecr.RepositoryResource, clients, name=name) for name in ("app/api", "app/new")]
    assert [state and state["uri"] for state in ecr.RepositoryResource.read_batch(alone)] == ["uri/app/api", None]
    assert clients.names() == ["describe_repositories"] * 3


# ---- ECS: services ten a call per cluster, clusters in one call ------------------------------------
def test_services_are_described_ten_a_call_per_cluster_by_name_or_arn() -> None:
    def describe(cluster: str, services: t.List[str], include: t.List[str]) -> t.Dict[str, t.Any]:
        known = [{"serviceName": "svc%d" % index, "serviceArn": "arn:svc/%s/svc%d" % (cluster, index), "status": "ACTIVE"}
                 for index in range(12)] + [{"serviceName": "old", "serviceArn": "arn:old", "status": "INACTIVE"}]
        return {"services": [item for item in known if item["serviceName"] in services or item["serviceArn"] in services]}
    clients = Clients(ecs={"describe_services": describe})
    names = ["svc%d" % index for index in range(11)] + ["old"]
    resources = [built(ecs_service.ServiceResource, clients, name=name, cluster="main") for name in names]
    resources.append(built(ecs_service.ServiceResource, clients, name="arn:svc/other/svc1", cluster="other"))
    states = ecs_service.ServiceResource.read_batch(resources)
    assert [state and state["arn"] for state in states] == ["arn:svc/main/svc%d" % index for index in range(11)] + [None, "arn:svc/other/svc1"]
    assert [(kwargs["cluster"], len(kwargs["services"])) for _name, kwargs in clients.calls] == [("main", 10), ("main", 2), ("other", 1)]


def test_clusters_are_described_in_one_call() -> None:
    known = [{"clusterName": "main", "clusterArn": "arn:cluster/main", "status": "ACTIVE"},
             {"clusterName": "gone", "clusterArn": "arn:cluster/gone", "status": "INACTIVE"}]

    def describe(**request: t.Any) -> t.Dict[str, t.Any]:
        return {"clusters": [item for item in known if {item["clusterName"], item["clusterArn"]} & set(request["clusters"])]}
    clients = Clients(ecs={"describe_clusters": describe})
    resources = [built(ecs_cluster.ClusterResource, clients, name=name) for name in ("main", "gone", "arn:cluster/main")]
    assert [state and state["arn"] for state in ecs_cluster.ClusterResource.read_batch(resources)] == [
        "arn:cluster/main", None, "arn:cluster/main"]
    assert clients.names() == ["describe_clusters"]


# ---- what a no-op does not need ---------------------------------------------------------------------
def secret_service(version: str) -> Clients:
    return Clients(secretsmanager={
        "describe_secret": lambda SecretId: {"ARN": "arn:secret", "Name": SecretId, "VersionIdsToStages": {version: ["AWSCURRENT"]}},
        "get_secret_value": lambda SecretId: {"SecretString": "other value"},
    })


def test_a_secret_written_with_the_same_value_is_not_read_again() -> None:
    ours = secret_service(aws_secret.request_token("app/db", "s3cret"))
    state = built(aws_secret.SecretResource, ours, name="app/db", secret_string="s3cret").read()
    assert state["value"] == "s3cret" and ours.names() == ["describe_secret"]
    # Another version (rotated, or written by someone else): its value is read and compared.
    theirs = secret_service("a-rotated-version")
    assert built(aws_secret.SecretResource, theirs, name="app/db", secret_string="s3cret").read()["value"] == "other value"
    assert theirs.names() == ["describe_secret", "get_secret_value"]


def test_database_tags_come_with_its_description() -> None:
    instance = {"DBInstanceIdentifier": "app", "DBInstanceArn": "arn:db", "TagList": [{"Key": "env", "Value": "prd"}]}
    clients = Clients(rds={"describe_db_instances": lambda DBInstanceIdentifier: {"DBInstances": [instance]},
                           "list_tags_for_resource": lambda ResourceName: {"TagList": []}})
    assert built(aws_db_instance.DbInstanceResource, clients, identifier="app", tags={"env": "prd"}).read()["tags"] == {"env": "prd"}
    assert clients.names() == ["describe_db_instances"]


# ---- IAM roles: one GetAccountAuthorizationDetails for all -----------------------------------------
TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
ROLE = {"RoleName": "App-Task", "Arn": "arn:role/app-task", "RoleId": "AROA1", "Path": "/", "AssumeRolePolicyDocument": TRUST,
        "Tags": [{"Key": "env", "Value": "prd"}]}


def iam_service(truncated: bool = False) -> Clients:
    detail = dict(ROLE, RolePolicyList=[{"PolicyName": "bucket", "PolicyDocument": POLICY}],
                  AttachedManagedPolicies=[{"PolicyName": "ro", "PolicyArn": "arn:policy/ro"}])
    return Clients(iam={
        "get_account_authorization_details": lambda Filter, MaxItems: {"RoleDetailList": [detail], "IsTruncated": truncated},
        "get_role": lambda RoleName: {"Role": dict(ROLE, Description="what the apps may do", MaxSessionDuration=3600)},
        "list_attached_role_policies": lambda RoleName: {"AttachedPolicies": [{"PolicyArn": "arn:policy/ro"}]},
        "list_role_policies": lambda RoleName: {"PolicyNames": ["bucket"]},
        "get_role_policy": lambda RoleName, PolicyName: {"PolicyDocument": POLICY},
    })


def role(clients: Clients, name: str, **params: t.Any) -> t.Any:
    return built(iam_role.RoleResource, clients, name=name, path="/", managed_policy_arns=[], inline_policies={}, **params)


def test_roles_read_together_from_the_accounts_authorization_details_as_one_read_each_would() -> None:
    clients = iam_service()
    states = iam_role.RoleResource.read_batch([role(clients, "app-task"), role(clients, "gone")])
    assert clients.names() == ["get_account_authorization_details"]
    alone = iam_service()
    read = role(alone, "app-task").read()
    assert states == [dict(read, description=None, max_session_duration=None), None]
    assert alone.names() == ["get_role", "list_attached_role_policies", "list_role_policies", "get_role_policy"]


def test_roles_read_alone_in_a_large_account_or_when_the_task_sets_what_the_details_leave_out() -> None:
    large = iam_service(truncated=True)
    iam_role.RoleResource.read_batch([role(large, "app-task")])
    assert large.names() == ["get_account_authorization_details", "get_role", "list_attached_role_policies",
                             "list_role_policies", "get_role_policy"]
    described = iam_service()
    states = iam_role.RoleResource.read_batch([role(described, "app-task", description="what the apps may do")])
    assert states[0]["description"] == "what the apps may do" and "get_role" in described.names()


# ---- secrets: one ListSecrets per ten names ---------------------------------------------------------
def test_secrets_are_listed_together_and_exact_names_picked() -> None:
    def list_secrets(Filters: t.List[t.Dict[str, t.Any]], IncludePlannedDeletion: bool) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        assert IncludePlannedDeletion and Filters == [{"Key": "name", "Values": ["app/db", "app/old", "app/url"]}]
        return {"SecretList": [
            {"ARN": "arn:db", "Name": "app/db", "SecretVersionsToStages": {"v1": ["AWSCURRENT"]}},
            {"ARN": "arn:db-copy", "Name": "app/db-copy"},  # matched by prefix, not asked for
            {"ARN": "arn:old", "Name": "app/old", "DeletedDate": "2026-11-30"}]}
    clients = Clients(secretsmanager={"list_secrets": list_secrets,
                                      "describe_secret": lambda SecretId: {"ARN": SecretId, "Name": "app/byarn"}})
    names = ["app/db", "app/url", "app/old", "arn:aws:secretsmanager:us-east-1:1:secret:app/byarn"]
    resources = [built(aws_secret.SecretResource, clients, name=name) for name in names]
    states = aws_secret.SecretResource.read_batch(resources)
    assert [state and state["arn"] for state in states] == ["arn:db", None, None, names[3]]
    assert states[0]["version_id"] == "v1" and resources[2]._pending_deletion == "arn:old"  # pylint: disable=protected-access
    assert clients.names() == ["list_secrets", "describe_secret"]


# ---- S3: no HeadBucket ------------------------------------------------------------------------------
def test_a_bucket_is_read_without_a_head_request_and_a_missing_one_in_one_call() -> None:
    def encryption(Bucket: str) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if Bucket == "gone":
            raise not_found("NoSuchBucket")
        return {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}
    clients = Clients(s3={"get_bucket_encryption": encryption,
                          "get_public_access_block": lambda Bucket: {"PublicAccessBlockConfiguration": {}},
                          "get_bucket_ownership_controls": lambda Bucket: {"OwnershipControls": {"Rules": []}}})
    assert built(s3_bucket.BucketResource, clients, name="gone").read() is None
    assert built(s3_bucket.BucketResource, clients, name="data").read()["encryption"]["algorithm"] == "AES256"
    assert clients.names() == ["get_bucket_encryption"] * 2 + ["get_public_access_block", "get_bucket_ownership_controls"]
