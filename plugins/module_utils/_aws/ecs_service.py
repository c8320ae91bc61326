# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS service as a lifecycle resource: private by default, circuit breaker with rollback, waits for a steady state.

When a deployment does not settle, the failure quotes the service's latest events and the stopped
tasks' reasons, which is what a user needs to see.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.checks import NOT_A_PORT, Worded
from ansible_collections.agno.infra.plugins.module_utils._aws.client import arn_kind, chunks, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, lower_case
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs import ECS_NAME, EcsResource, ecs_tags
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range, ResourceError, unreported
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec

EVENTS_QUOTED = 5
# The most services DescribeServices takes in one call.
SERVICES_PER_CALL = 10
STOPPED_TASKS_READ = 10
# Settings ECS keeps in the service's deploymentConfiguration.
DEPLOYMENT_FIELDS = ("deployment_circuit_breaker", "maximum_percent", "minimum_healthy_percent")
CONSTRAINTS = {
    "name": ECS_NAME,
    "desired_count": Range(0),
    "deployment_configuration.minimum_healthy_percent": Range(0, 100),
    "deployment_configuration.maximum_percent": Range(100),
    "load_balancers.container_port": NOT_A_PORT,
    "health_check_grace_period_seconds": Worded("{option} is {value}: use 0 to 2147483647 seconds.", (Range(0, 2147483647),)),
}


def steady(service: t.Dict[str, t.Any]) -> bool:
    """One PRIMARY deployment left, running all desired tasks, its rollout COMPLETED when ECS reports rollouts."""
    deployments = service.get("deployments") or []
    if len(deployments) != 1 or deployments[0].get("status") != "PRIMARY":
        return False
    if deployments[0].get("rolloutState", "COMPLETED") != "COMPLETED":
        return False
    return bool(service.get("runningCount") == service.get("desiredCount"))


def rollout_failed(service: t.Dict[str, t.Any]) -> bool:
    """The circuit breaker gave up on the primary deployment: waiting longer will not help."""
    return any(item.get("status") == "PRIMARY" and item.get("rolloutState") == "FAILED" for item in service.get("deployments") or [])


def stop_reason(task: t.Dict[str, t.Any]) -> str:
    """Why one task stopped, with its containers' own reasons (an image that cannot be pulled, say)."""
    details = ["%s: %s" % (item.get("name"), item["reason"]) for item in task.get("containers") or [] if item.get("reason")]
    reason = task.get("stoppedReason") or "stopped"
    return "%s (%s)" % (reason, ", ".join(details)) if details else reason


def unsettled_message(name: str, timeout: float, service: t.Dict[str, t.Any], stopped_reasons: t.List[str]) -> str:
    """Why a service did not settle: its latest events and the reasons its tasks stopped."""
    events = [event.get("message", "").rstrip(".") for event in (service.get("events") or [])[:EVENTS_QUOTED]]
    primary = next((item for item in service.get("deployments") or [] if item.get("status") == "PRIMARY"), {})
    text = "ECS service %s did not reach a steady state within %d s (running %s of %s, %d deployments, rollout %s)" % (
        name, timeout, service.get("runningCount", "?"), service.get("desiredCount", "?"), len(service.get("deployments") or []),
        primary.get("rolloutState", "unknown"))
    if stopped_reasons:
        text += "; stopped tasks: %s" % "; ".join(sorted(set(stopped_reasons)))
    if events:
        text += "; latest events: %s" % " | ".join(events)
    if not (events or stopped_reasons):
        return text + "; ECS reported no events and no stopped tasks yet: check the service in the ECS console, or raise wait_timeout."
    return text + ". Fix the cause above (image, health check, secrets, network), then run again."


class ServiceResource(EcsResource):
    kind = "ECS service"
    result_key = "service"
    # UpdateService has no launchType; every other setting here changes in place.
    replace_fields = ("launch_type",)
    constraints = CONSTRAINTS
    # Some emulators report no deploymentConfiguration at all; ECS always does. Nothing to compare then.
    # ECS reports the grace period of every service behind a load balancer (0 when unset), and a grace period
    # is refused without one: an unreported value only comes from emulators that drop it on creation.
    compare = {field: unreported() for field in DEPLOYMENT_FIELDS + ("health_check_grace_period_seconds",)}
    # ECS refuses a new service under a name that is still draining: a replacement waits until the old one is gone.
    deletes_slowly = True
    poll_interval = 5.0
    # Running tasks keep what they read at start (secrets): a refresh starts new ones.
    refresh = {"force_new_deployment": True}

    module_name = "aws_ecs_service"
    owned_kind = "ecs:service"

    @classmethod
    def adopt(cls, found: str, tags: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        """service/CLUSTER/NAME (the long ARN format, the only one since 2021)."""
        cluster, _slash, name = arn_kind(found)[1].rpartition("/")
        return {"name": name, "cluster": cluster}
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "name": {"type": "str", "required": True},
            "cluster": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "task_definition": {"type": "str"},
            "desired_count": {"type": "int", "default": 1},
            "desired_count_on_create_only": {"type": "bool", "default": False},
            "launch_type": {"type": "str", "default": "FARGATE", "choices": ["FARGATE", "EC2", "EXTERNAL"]},
            "platform_version": {"type": "str"},
            "subnets": {"type": "list", "elements": "str"},
            "security_groups": {"type": "list", "elements": "str"},
            "assign_public_ip": {"type": "bool", "default": False},
            "load_balancers": {"type": "list", "elements": "dict", "options": {
                "target_group_arn": {"type": "str", "required": True},
                "container_name": {"type": "str", "required": True},
                "container_port": {"type": "int", "required": True},
            }},
            "deployment_circuit_breaker": {"type": "dict", "options": {
                "enable": {"type": "bool", "default": True},
                "rollback": {"type": "bool", "default": True},
            }},
            "deployment_configuration": {"type": "dict", "options": {
                "maximum_percent": {"type": "int"},
                "minimum_healthy_percent": {"type": "int"},
            }},
            "health_check_grace_period_seconds": {"type": "int"},
            "enable_execute_command": {"type": "bool", "default": False},
            "force_new_deployment": {"type": "bool", "default": False},
            "propagate_tags": {"type": "str", "choices": ["TASK_DEFINITION", "SERVICE", "NONE"]},
        },
        **TAGS_ARGUMENT_SPEC,
        **wait_argument_spec(True, 600),
    )
    validation: t.Dict[str, t.Any] = {"required_if": [("state", "present", ["task_definition"])]}
    locator = ("name", "cluster")

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        breaker = params.get("deployment_circuit_breaker") or {"enable": True, "rollback": True}
        deployment = params.get("deployment_configuration") or {}
        wanted: t.Dict[str, t.Any] = {
            "task_definition": self.task_definition_arn(params["task_definition"]),
            "launch_type": params["launch_type"],
            "deployment_circuit_breaker": {"enable": breaker["enable"], "rollback": breaker["rollback"]},
            "enable_execute_command": params["enable_execute_command"],
        }
        # Under auto scaling the scaler owns the count once the service exists: it is set at creation only.
        if not params["desired_count_on_create_only"]:
            wanted["desired_count"] = params["desired_count"]
        if params.get("subnets") is not None:
            wanted["network"] = {"subnets": sorted(set(params["subnets"])),
                                 "security_groups": sorted(set(params.get("security_groups") or [])),
                                 "assign_public_ip": params["assign_public_ip"]}
        if params.get("load_balancers") is not None:
            wanted["load_balancers"] = sorted(({key: item[key] for key in ("target_group_arn", "container_name", "container_port")}
                                               for item in params["load_balancers"]), key=load_balancer_key)
        for field in ("maximum_percent", "minimum_healthy_percent"):
            if deployment.get(field) is not None:
                wanted[field] = deployment[field]
        for field in ("platform_version", "health_check_grace_period_seconds", "propagate_tags"):
            if params.get(field) is not None:
                wanted[field] = params[field]
        if params["force_new_deployment"]:
            wanted["force_new_deployment"] = True  # never part of the read state: always a change
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = tags
        return wanted

    def task_definition_arn(self, reference: str) -> str:
        """An ARN for a family, family:revision or ARN, so that equal references compare equal."""
        if reference.startswith("arn:"):
            return reference
        try:
            found = self.client("ecs").describe_task_definition(taskDefinition=reference)["taskDefinition"]
        except Exception as error:  # pylint: disable=broad-except
            if is_not_found(error, "ClientException", "InvalidParameterException"):
                found = {}
            else:
                raise
        if found.get("status") != "ACTIVE":
            raise ResourceError("ECS service %s: task definition %s has no active revision; register it first "
                                "(agno.infra.aws_ecs_task_definition) or fix task_definition." % (self.name, reference))
        return str(found["taskDefinitionArn"])

    @classmethod
    def read_batch(cls, resources: t.List[ServiceResource]) -> t.List[t.Optional[t.Dict[str, t.Any]]]:
        """The states of many services: one describe per cluster and ten services."""
        found: t.Dict[t.Tuple[str, str], t.Dict[str, t.Any]] = {}
        for cluster in sorted({resource.params["cluster"] for resource in resources}):
            names = sorted({resource.name for resource in resources if resource.params["cluster"] == cluster})
            for chunk in chunks(names, SERVICES_PER_CALL):
                found.update(((cluster, key), service) for service in resources[0].live(cluster, chunk)
                             for key in (service["serviceName"], service["serviceArn"]))
        keys = [(resource.params["cluster"], resource.name) for resource in resources]
        return [cls.state(found[key]) if key in found else None for key in keys]

    def live(self, cluster: str, names: t.List[str]) -> t.List[t.Dict[str, t.Any]]:
        """The services of these names in the cluster that are not deleted (ECS remembers INACTIVE ones for a while)."""
        found = self.client("ecs").describe_services(cluster=cluster, services=names, include=["TAGS"])
        return [item for item in found.get("services") or [] if item.get("status") != "INACTIVE"]

    def describe(self) -> t.Optional[t.Dict[str, t.Any]]:
        services = self.live(self.params["cluster"], [self.name])
        return services[0] if services else None

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        found = self.describe()
        return self.state(found) if found else None

    @staticmethod
    def state(found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        network = ((found.get("networkConfiguration") or {}).get("awsvpcConfiguration")) or {}
        deployment = found.get("deploymentConfiguration")
        breaker = (deployment or {}).get("deploymentCircuitBreaker") or {}
        return {
            "name": found["serviceName"],
            "arn": found["serviceArn"],
            "cluster_arn": found.get("clusterArn"),
            "status": found.get("status"),
            "task_definition": found.get("taskDefinition"),
            "desired_count": found.get("desiredCount"),
            "running_count": found.get("runningCount"),
            # What status shows: the same figures, in the health form every type that has one reports.
            "health": {"running": found.get("runningCount"), "desired": found.get("desiredCount")},
            "launch_type": found.get("launchType"),
            "platform_version": found.get("platformVersion"),
            "network": {"subnets": sorted(network.get("subnets") or []),
                        "security_groups": sorted(network.get("securityGroups") or []),
                        "assign_public_ip": network.get("assignPublicIp") == "ENABLED"},
            "load_balancers": sorted(({"target_group_arn": item.get("targetGroupArn"), "container_name": item.get("containerName"),
                                       "container_port": item.get("containerPort")} for item in found.get("loadBalancers") or []),
                                     key=load_balancer_key),
            "deployment_circuit_breaker": {"enable": bool(breaker.get("enable")), "rollback": bool(breaker.get("rollback"))}
            if deployment is not None else None,
            "maximum_percent": (deployment or {}).get("maximumPercent"),
            "minimum_healthy_percent": (deployment or {}).get("minimumHealthyPercent"),
            "health_check_grace_period_seconds": found.get("healthCheckGracePeriodSeconds"),
            "enable_execute_command": bool(found.get("enableExecuteCommand")),
            "propagate_tags": found.get("propagateTags"),
            "steady": steady(found),
            "tags": ecs_tags(found.get("tags")),
        }

    @staticmethod
    def request(desired: t.Dict[str, t.Any], fields: t.Iterable[str]) -> t.Dict[str, t.Any]:
        """CreateService / UpdateService arguments for the given fields."""
        request: t.Dict[str, t.Any] = {}
        fields = set(fields)
        simple = (("task_definition", "taskDefinition"), ("desired_count", "desiredCount"), ("platform_version", "platformVersion"),
                  ("health_check_grace_period_seconds", "healthCheckGracePeriodSeconds"),
                  ("enable_execute_command", "enableExecuteCommand"), ("propagate_tags", "propagateTags"))
        for field, key in simple:
            if field in fields and desired.get(field) is not None:
                request[key] = desired[field]
        if "network" in fields and desired.get("network"):
            network = desired["network"]
            request["networkConfiguration"] = {"awsvpcConfiguration": {
                "subnets": network["subnets"], "securityGroups": network["security_groups"],
                "assignPublicIp": "ENABLED" if network["assign_public_ip"] else "DISABLED"}}
        if "load_balancers" in fields and desired.get("load_balancers") is not None:
            request["loadBalancers"] = [{"targetGroupArn": item["target_group_arn"], "containerName": item["container_name"],
                                         "containerPort": item["container_port"]} for item in desired["load_balancers"]]
        if fields & set(DEPLOYMENT_FIELDS):
            deployment: t.Dict[str, t.Any] = {"deploymentCircuitBreaker": desired["deployment_circuit_breaker"]}
            for field, key in (("maximum_percent", "maximumPercent"), ("minimum_healthy_percent", "minimumHealthyPercent")):
                if desired.get(field) is not None:
                    deployment[key] = desired[field]
            request["deploymentConfiguration"] = deployment
        return request

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        if desired["launch_type"] == "FARGATE" and not desired.get("network"):
            raise ResourceError("ECS service %s: a Fargate service needs subnets (and security_groups) for its tasks; set "
                                "subnets." % self.name)
        request = self.request(desired, desired)
        request.update(cluster=self.params["cluster"], serviceName=self.name, launchType=desired["launch_type"],
                       desiredCount=self.params["desired_count"])
        if desired.get("tags"):
            request["tags"] = lower_case(desired["tags"])
        return self.state(self.client("ecs").create_service(**request)["service"])

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> None:
        request = self.request(desired, changes)
        if "force_new_deployment" in changes:
            request["forceNewDeployment"] = True
        if request:
            request.update(cluster=self.params["cluster"], service=self.name)
            self.client("ecs").update_service(**request)
        self.update_tags(current["arn"], current, changes)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        """Scale to zero so that tasks stop gracefully, then delete: the service drains until it is INACTIVE."""
        ecs = self.client("ecs")
        if current.get("desired_count"):
            ecs.update_service(cluster=self.params["cluster"], service=self.name, desiredCount=0)
        ecs.delete_service(cluster=self.params["cluster"], service=self.name)

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("steady"):
            return state
        latest: t.List[t.Dict[str, t.Any]] = [{}]

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest[0] = self.describe() or {}
            if rollout_failed(latest[0]):
                raise ResourceError(unsettled_message(self.name, timeout, latest[0], self.stopped_reasons()))
            return steady(latest[0]), self.state(latest[0]) if latest[0] else None

        def late() -> str:
            return unsettled_message(self.name, timeout, latest[0], self.stopped_reasons())

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, late, interval=10))

    def stopped_reasons(self) -> t.List[str]:
        """Why the service's recently stopped tasks stopped (ECS keeps stopped tasks for about an hour)."""
        ecs = self.client("ecs")
        cluster = self.params["cluster"]
        arns = ecs.list_tasks(cluster=cluster, serviceName=self.name, desiredStatus="STOPPED").get("taskArns") or []
        if not arns:
            return []
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:STOPPED_TASKS_READ]).get("tasks") or []
        return [stop_reason(task) for task in tasks]


def load_balancer_key(item: t.Dict[str, t.Any]) -> t.Tuple[str, str, int]:
    return (item.get("target_group_arn") or "", item.get("container_name") or "", item.get("container_port") or 0)
