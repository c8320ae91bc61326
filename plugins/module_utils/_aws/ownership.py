# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find the AWS resources of an environment by their ownership tags, in as few calls as possible.

One Resource Groups Tagging API read finds most of them. The kinds it may miss (IAM is global; moto_server lists
no IAM role, ECR repository or RDS subnet group there) are listed by their own service, and only those whose names
start with the environment's (as every name the blueprint gives does) and that no item of the environment has have
their tags read.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsClients, arn_kind
from ansible_collections.agno.infra.plugins.module_utils._aws.scheduler_schedule import owner
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found

ENV_TAG, ID_TAG, APP_TAG = "agno:env", "agno:id", "agno:app"
# Where a listener found through its load balancer says its port (listeners take no tags of their own here).
PORT_TAG = "agno:port"
SCALING_KIND = "application-autoscaling:ecs-service"

#: What a leftover of each type may use (live in, route to, read): it is removed before those, which are kept with it.
USES: t.Dict[str, t.Tuple[str, ...]] = {
    "aws_autoscaling": ("aws_ecs_service",),
    "aws_ecs_service": ("aws_ecs_cluster", "aws_ecs_task_definition", "aws_target_group", "aws_security_group"),
    "aws_ecs_task_definition": ("aws_iam_role", "aws_log_group", "aws_secret", "aws_ecr_repository"),
    "aws_listener": ("aws_load_balancer", "aws_target_group"),
    "aws_load_balancer": ("aws_target_group", "aws_security_group"),
    "aws_db_instance": ("aws_db_cluster", "aws_db_subnet_group", "aws_security_group", "aws_secret"),
    "aws_db_cluster": ("aws_db_subnet_group", "aws_security_group"),
    "aws_elasticache": ("aws_security_group",),
    "aws_scheduler_schedule": ("aws_ecs_cluster", "aws_ecs_task_definition", "aws_iam_role", "aws_security_group"),
}

#: A listing of one kind: (its type, list its ARNs by name, read the tags of one ARN).
Listing = t.Tuple[str, t.Callable[[AwsClients, str], t.Dict[str, str]], t.Callable[[AwsClients, str], t.Dict[str, str]]]


def tagged_resources(clients: AwsClients, env_name: str) -> t.List[Found]:
    """Every resource the tagging read finds tagged as the environment's."""
    return [Found(arn_kind(arn)[0], arn, tags) for arn, tags in sorted(tagged(clients, env_name))]


def listed_resources(clients: AwsClients, env_name: str, found: t.List[Found],
                     known_names: t.Dict[str, t.Set[str]]) -> t.List[Found]:
    """What the tagging read may have missed, and the scaling of the services it found. A listed resource whose name an
    item of its type has (`known_names`, by type) is that item, no leftover: its tags are not read."""
    seen = {entry.name for entry in found}
    listed: t.List[Found] = []
    for type_name, list_arns, read_tags in LISTINGS:
        for name, arn in sorted(list_arns(clients, env_name).items()):
            tags = {} if arn in seen or name in known_names.get(type_name, ()) else read_tags(clients, arn)
            if tags.get(ENV_TAG) == env_name:
                listed.append(Found(arn_kind(arn)[0], arn, tags))
    return listed + service_scaling(clients, found)


def scaling_id(service_id: str) -> str:
    """The id of the scaling of the ECS service with this id ("service-api" -> "scaling-api")."""
    return "scaling-" + service_id.split("-", 1)[-1]


def service_scaling(clients: AwsClients, resources: t.List[Found]) -> t.List[Found]:
    """The scalable targets of the environment's services, with their service's tags (Application Auto Scaling takes
    none here) and the id of their scaling; one call, only when the environment has services."""
    services = {arn_kind(entry.name)[1]: entry.tags for entry in resources if entry.kind == "ecs:service"}
    if not services:
        return []
    pages = clients("application-autoscaling").get_paginator("describe_scalable_targets").paginate(ServiceNamespace="ecs")
    scaled: t.List[Found] = []
    for target in [target["ResourceId"] for page in pages for target in page["ScalableTargets"]]:
        tags = services.get(target.split("/", 1)[-1])
        if tags is not None:
            scaled.append(Found(SCALING_KIND, target, dict(tags, **{ID_TAG: scaling_id(tags.get(ID_TAG, ""))})))
    return scaled


def balancer_listeners(clients: AwsClients, resources: t.List[Found], ids: t.Dict[int, str]) -> t.List[Found]:
    """The listeners of the environment's load balancers on the ports in `ids` (the id the environment gives the
    listener on each), with their load balancer's tags, their id and their port: one call per load balancer. Listeners
    on other ports are not the environment's."""
    listeners: t.List[Found] = []
    for balancer in [entry for entry in resources if entry.kind == "elasticloadbalancing:loadbalancer"] if ids else []:
        for listener in clients("elbv2").describe_listeners(LoadBalancerArn=balancer.name)["Listeners"]:
            if listener["Port"] in ids:
                tags = dict(balancer.tags, **{ID_TAG: ids[listener["Port"]], PORT_TAG: str(listener["Port"])})
                listeners.append(Found(arn_kind(listener["ListenerArn"])[0], listener["ListenerArn"], tags))
    return listeners


def tagged(clients: AwsClients, env_name: str) -> t.Iterator[t.Tuple[str, t.Dict[str, str]]]:
    pages = clients("resourcegroupstaggingapi").get_paginator("get_resources").paginate(
        TagFilters=[{"Key": ENV_TAG, "Values": [env_name]}])
    for page in pages:
        for mapping in page.get("ResourceTagMappingList") or []:
            yield mapping["ResourceARN"], tags_to_dict(mapping.get("Tags"))


def role_arns(clients: AwsClients, env_name: str) -> t.Dict[str, str]:
    pages = clients("iam").get_paginator("list_roles").paginate()
    return {role["RoleName"]: role["Arn"] for page in pages for role in page["Roles"] if role["RoleName"].startswith(env_name + "-")}


def role_tags(clients: AwsClients, arn: str) -> t.Dict[str, str]:
    return tags_to_dict(clients("iam").list_role_tags(RoleName=arn.rsplit("/", 1)[-1]).get("Tags"))


def repository_arns(clients: AwsClients, env_name: str) -> t.Dict[str, str]:
    pages = clients("ecr").get_paginator("describe_repositories").paginate()
    return {repository["repositoryName"]: repository["repositoryArn"] for page in pages for repository in page["repositories"]
            if repository["repositoryName"].startswith(env_name + "/")}


def repository_tags(clients: AwsClients, arn: str) -> t.Dict[str, str]:
    return tags_to_dict(clients("ecr").list_tags_for_resource(resourceArn=arn).get("tags"))


def subnet_group_arns(clients: AwsClients, env_name: str) -> t.Dict[str, str]:
    pages = clients("rds").get_paginator("describe_db_subnet_groups").paginate()
    return {group["DBSubnetGroupName"]: group["DBSubnetGroupArn"] for page in pages for group in page["DBSubnetGroups"]
            if group["DBSubnetGroupName"].startswith(env_name)}


def subnet_group_tags(clients: AwsClients, arn: str) -> t.Dict[str, str]:
    return tags_to_dict(clients("rds").list_tags_for_resource(ResourceName=arn).get("TagList"))


def schedule_arns(clients: AwsClients, env_name: str) -> t.Dict[str, str]:
    """The schedules of the default group named as the environment's jobs' (schedules take no tags, and the tagging read
    does not find them; a job's task definition, which it does find, brings this listing)."""
    pages = clients("scheduler").get_paginator("list_schedules").paginate(GroupName="default", NamePrefix=env_name + "-job-")
    return {schedule["Name"]: schedule["Arn"] for page in pages for schedule in page["Schedules"]}


def schedule_tags(clients: AwsClients, arn: str) -> t.Dict[str, str]:
    """What owns a schedule, from the mark at the end of its description, as tags would say it."""
    group, name = arn_kind(arn)[1].split("/", 1)
    return owner(clients("scheduler").get_schedule(Name=name, GroupName=group).get("Description") or "")


LISTINGS: t.Tuple[Listing, ...] = (("aws_iam_role", role_arns, role_tags), ("aws_ecr_repository", repository_arns, repository_tags),
                                   ("aws_db_subnet_group", subnet_group_arns, subnet_group_tags),
                                   ("aws_scheduler_schedule", schedule_arns, schedule_tags))
