# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a rollback (the environment module's rollback option) converges, read before any change.

Docker: each chosen app's containers run the image its last rebuild replaced, which the app's image keeps under the tag
``previous`` (docker_image's previous_tag). AWS: each chosen app's ECS services run the task definition revision before
the one they run, the highest ACTIVE revision of the family below it. Kubernetes: each chosen app's Deployments run the
images of the ReplicaSet before the one they run (the highest revision below theirs). Only these options change; the
next up brings back what agno_env says, and its plan says so.
"""

from __future__ import annotations

import copy
import typing as t

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import PREVIOUS_TAG
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import Subject, kube_error, provider_error
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, ClientError, BotoCoreError
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES, KubeClient
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import selector
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item, selected

#: The type of the items a rollback changes, by target.
ROLLED_BACK_TYPES = {"docker": "docker_container", "aws": "aws_ecs_service", "kubernetes": "k8s_object"}
#: The revision a Deployment runs, and the one each of its ReplicaSets holds.
REVISION = "deployment.kubernetes.io/revision"
ROLLING_BACK = "Rolling back"
#: DescribeServices takes at most this many services a call.
SERVICES_PER_CALL = 10
Overrides = t.Dict[str, t.Dict[str, t.Any]]


def workload(item: Item) -> bool:
    """Whether an app's item is one that runs its image: a container or service, or on kubernetes a Deployment."""
    return item.type != "k8s_object" or item.params["definition"].get("kind") == "Deployment"


def rolled_back(env: Environment, items: t.List[Item], entries: t.List[str]) -> t.List[Item]:
    """The containers (docker), ECS services (aws) or Deployments (kubernetes) of the apps the entries select."""
    kind = ROLLED_BACK_TYPES[env.target]
    return [item for item in items if item.type == kind and item.group == "app" and workload(item) and selected(item, entries)]


def previous_image(reference: str) -> str:
    """The reference of the image a rebuild replaced: the same repository, tagged previous."""
    return "%s:%s" % (reference.rpartition(":")[0] or reference, PREVIOUS_TAG)


def docker_overrides(client: t.Any, env: Environment, items: t.List[Item]) -> Overrides:
    """The previous image of each container's app; every app without one is an error, all of them in one."""
    ready = {app["name"]: app["image"] for app in env.apps if app.get("image")}
    overrides: Overrides = {}
    errors = []
    for item in items:
        if item.app in ready:
            errors.append("App %s runs the ready image %s, which has no previous build: set apps[].image in agno_env to "
                          "the image to run." % (item.app, ready[item.app]))
            continue
        image = previous_image(item.params["image"])
        try:
            client.inspect_image(image)
        except SDK.NotFound:
            errors.append("App %s has no previous image %s on the Docker host: an up keeps the image a rebuild replaces, "
                          "so there is none before the app's source first changes." % (item.app, image))
            continue
        overrides[item.id] = {"image": image}
    if errors:
        raise ResourceError(" ".join(sorted(set(errors))))
    return overrides


def revision_of(arn: str) -> t.Tuple[str, int]:
    """Family and revision of a task definition ARN (``...:task-definition/FAMILY:REVISION``)."""
    family, _sep, revision = arn.rsplit("/", 1)[-1].rpartition(":")
    return family, int(revision)


def active_revisions(ecs: t.Any, family: str) -> t.Dict[int, str]:
    """The family's ACTIVE revisions and their ARNs (the prefix a family is listed by matches longer families too)."""
    found: t.Dict[int, str] = {}
    for page in ecs.get_paginator("list_task_definitions").paginate(familyPrefix=family, status="ACTIVE"):
        for arn in page.get("taskDefinitionArns") or []:
            name, revision = revision_of(arn)
            if name == family:
                found[revision] = arn
    return found


def services(ecs: t.Any, cluster: str, names: t.List[str]) -> t.Dict[str, t.Dict[str, t.Any]]:
    """The cluster's ACTIVE services of these names, by name, in as few calls as DescribeServices allows."""
    found: t.Dict[str, t.Dict[str, t.Any]] = {}
    for start in range(0, len(names), SERVICES_PER_CALL):
        for service in ecs.describe_services(cluster=cluster, services=names[start:start + SERVICES_PER_CALL]).get("services") or []:
            if service.get("status") == "ACTIVE":
                found[service["serviceName"]] = service
    return found


def aws_overrides(ecs: t.Any, env: Environment, items: t.List[Item]) -> Overrides:
    """The revision before the running one for each service; every service without one is an error, all in one."""
    running = services(ecs, env.name, [item.params["name"] for item in items])
    overrides: Overrides = {}
    errors = []
    for item in items:
        name = item.params["name"]
        if name not in running:
            errors.append("Environment %s has no service %s: bring it up with agno.infra.up first." % (env.name, name))
            continue
        family, revision = revision_of(running[name]["taskDefinition"])
        active = active_revisions(ecs, family)
        earlier = [number for number in active if number < revision]
        if not earlier:
            errors.append("Service %s runs revision %d of task definition %s, and the family has no active revision before "
                          "it to roll back to." % (name, revision, family))
            continue
        overrides[item.id] = {"task_definition": active[max(earlier)]}
    if errors:
        raise ResourceError(" ".join(errors))
    return overrides


def revision(obj: t.Dict[str, t.Any]) -> int:
    return int(((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION) or 0)


def with_images(definition: t.Dict[str, t.Any], images: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    """The Deployment's definition with its containers' images those of another revision, by container name."""
    rolled = copy.deepcopy(definition)
    for container in rolled["spec"]["template"]["spec"]["containers"]:
        container["image"] = images.get(container["name"], container["image"])
    return rolled


def k8s_overrides(kube: KubeClient, env: Environment, items: t.List[Item]) -> Overrides:
    """The images of the ReplicaSet before the one each Deployment runs; every Deployment without one is an error, all
    in one. One list call finds the namespace's ReplicaSets of the environment (they carry its labels)."""
    namespace = env.kubernetes["namespace"]
    sets = kube.listed(kube.kind("apps/v1", "ReplicaSet"), namespace, selector(env.name))
    overrides: Overrides = {}
    errors = []
    for item in items:
        definition = item.params["definition"]
        name = definition["metadata"]["name"]
        live = kube.get(kube.kind("apps/v1", "Deployment"), name, namespace)
        if live is None:
            errors.append("Environment %s has no Deployment %s in namespace %s: bring it up with agno.infra.up first." % (env.name, name, namespace))
            continue
        owned = [entry for entry in sets if live["metadata"]["uid"] in [ref.get("uid") for ref in entry["metadata"].get("ownerReferences") or []]]
        earlier = [entry for entry in owned if revision(entry) < revision(live)]
        if not earlier:
            errors.append("Deployment %s runs revision %d and has no ReplicaSet of an earlier one to roll back to (it keeps the "
                          "last 5)." % (name, revision(live)))
            continue
        containers = max(earlier, key=revision)["spec"]["template"]["spec"]["containers"]
        overrides[item.id] = {"definition": with_images(definition, {entry["name"]: entry["image"] for entry in containers})}
    if errors:
        raise ResourceError(" ".join(errors))
    return overrides


def overrides(env: Environment, items: t.List[Item], connection: t.Dict[str, t.Any]) -> Overrides:
    """The options that roll each of the items back, by item id."""
    if env.target == "docker":
        if DOCKER.import_error:
            raise ResourceError(missing_required_lib("docker"))
        try:
            return docker_overrides(DOCKER.connect(connection), env, items)
        except (SDK.DockerException, SDK.ConnectionError, SDK.ReadTimeout) as error:
            raise provider_error(DOCKER, error, Subject("environment", env.name, connection), ROLLING_BACK)
    if env.target == "kubernetes":
        if KUBERNETES.import_error:
            raise ResourceError(missing_required_lib("kubernetes"))
        try:
            return k8s_overrides(KUBERNETES.connect(connection), env, items)
        except Exception as error:  # pylint: disable=broad-except
            raise kube_error(error, Subject("namespace", env.kubernetes["namespace"], connection))
    if AWS.import_error:
        raise ResourceError(missing_required_lib("botocore"))
    try:
        return aws_overrides(AWS.connect(connection)("ecs"), env, items)
    except (ClientError, BotoCoreError) as error:
        raise provider_error(AWS, error, Subject("environment", env.name, connection), ROLLING_BACK)
