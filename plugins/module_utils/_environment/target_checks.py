# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each target needs of an environment beyond its JSON Schema (schema.py): values its engine or cloud defines, and
combinations it cannot serve. Each problem reads "PATH: problem; the fix", as the schema's errors do."""

from __future__ import annotations

import fnmatch
import ipaddress
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import jobs, model, values
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment

IAM_NAME_LENGTH = 64


def docker_errors(env: Environment) -> t.List[t.Optional[str]]:
    """What the docker target needs beyond the schema: a base image reference, ports to publish, each published once."""
    errors = [values.image_problem("agno_env.docker.base_image", env.docker["base_image"])]
    for index, app in enumerate(env.apps):
        if app["host_port"] and not app["port"]:
            errors.append("agno_env.apps[%d].host_port: app %s serves no port to publish: remove host_port or give port" % (index, app["name"]))
    owners: t.Dict[int, str] = {}
    for path, owner, port in published_ports(env):
        if port in owners:
            errors.append("%s: %s and %s both publish port %d of host_ip: give each its own host_port (an app's is its port unless "
                          "given)" % (path, owners[port], owner, port))
        owners.setdefault(port, owner)
    return errors


def published_ports(env: Environment) -> t.List[t.Tuple[str, str, int]]:
    """(path, owner, port) of each port of the Docker host the environment publishes."""
    ports = [("agno_env.%s.host_port" % service, service, settings["host_port"])
             for service, settings in env.services.items() if settings.get("host_port")]
    return ports + [("agno_env.apps[%d].host_port" % index, "app " + app["name"], app["host_port"])
                    for index, app in enumerate(env.apps) if app["port"] and app["host_port"]]


def route_errors(env: Environment) -> t.List[str]:
    """Web apps that would get no request on aws: the load balancer's rules follow the apps' order, and an earlier path
    that matches every request of a later one takes them all (the app without a path is last, as if its path were /*)."""
    web = [(index, app) for index, app in enumerate(env.apps) if app["port"]]
    routes = [(index, app, app["path"]) for index, app in web if app.get("path")]
    routes += [(index, app, "/*") for index, app in web if not app.get("path")][:1]
    errors = []
    for position, (index, app, pattern) in enumerate(routes):
        # The later pattern taken literally and matched by an earlier one: the earlier's wildcards cover the later's.
        first = next((other for _index, other, earlier in routes[:position] if fnmatch.fnmatchcase(pattern, earlier)), None)
        if first and app.get("path"):
            errors.append("agno_env.apps[%d].path: app %s would get no request: app %s's path %s comes first and matches every "
                          "request for %s; list %s first or give it another path"
                          % (index, app["name"], first["name"], first["path"], pattern, app["name"]))
        elif first:
            errors.append("agno_env.apps[%d]: app %s would get no request: app %s's path %s matches every request, leaving none "
                          "for the app without a path; give %s a narrower path"
                          % (index, app["name"], first["name"], first["path"], first["name"]))
    return errors


def aws_errors(env: Environment) -> t.List[t.Optional[str]]:
    """What the aws target needs beyond the schema: somewhere to push the images it builds, one default route, scaling
    above replicas, a usable VPC block, paths and target group names that do not clash, values AWS defines."""
    errors: t.List[t.Optional[str]] = []
    builds = model.image_owners(env)
    for index, app in enumerate(env.apps):
        if app["name"] in builds and not env.aws["ecr"] and not env.aws["registry"]:
            errors.append("agno_env.apps[%d].source: an image built on aws is pushed to ECR or to aws.registry: set aws.ecr to "
                          "true or aws.registry, or give the app an image" % index)
        role = model.task_role_name(env, app["name"])
        if app["exec"] and len(role) > IAM_NAME_LENGTH:
            errors.append("agno_env.apps[%d].exec: the app's task role %s would have %d characters, IAM allows %d: shorten the "
                          "environment's or the app's name" % (index, role, len(role), IAM_NAME_LENGTH))
    unrouted = [app["name"] for app in env.web_apps() if not app.get("path")]
    if len(unrouted) > 1:
        errors.append("agno_env.apps: %s have no path; on aws one app takes the requests no path matches, give the "
                      "others a path such as /api/*" % ", ".join(unrouted))
    return (errors + scaling_errors(env) + registry_errors(env) + vpc_errors(env.aws["vpc_cidr"]) + route_errors(env)
            + target_group_errors(env) + values.aws_problems(env))


def scaling_errors(env: Environment) -> t.List[t.Optional[str]]:
    """Autoscaling whose most replicas are fewer than the fewest it keeps (aws and kubernetes)."""
    units = "tasks" if env.target == "aws" else "pods"
    return ["agno_env.apps[%d].autoscaling.max_replicas: %d is below replicas (%d), the fewest %s the scaler keeps: raise "
            "max_replicas or lower replicas" % (index, app["autoscaling"]["max_replicas"], app["replicas"], units)
            for index, app in enumerate(env.apps) if app.get("autoscaling") and app["autoscaling"]["max_replicas"] < app["replicas"]]


def kubernetes_errors(env: Environment) -> t.List[t.Optional[str]]:
    """What the kubernetes target needs beyond the schema: numeric non-root users, sizes and schedules it can write, a
    registry for the images it builds, paths that do not clash, images it can pull."""
    kube = env.kubernetes
    errors: t.List[t.Optional[str]] = []
    for index, app in enumerate(env.apps):
        where = "agno_env.apps[%d]" % index
        if not str(app["user"]).isdigit() or int(app["user"]) == 0:
            errors.append("%s.user: %r is not a user id above 0: the restricted Pod Security profile runs a pod as a numeric "
                          "non-root uid, such as 10001" % (where, app["user"]))
        if not values.MEMORY.match(str(app["memory"])):
            errors.append("%s.memory: %r is not a size: give MiB or GiB such as 512m or 2g" % (where, app["memory"]))
        if app.get("source") and not app.get("image") and not kube["registry"]:
            errors.append("%s.source: an image built for kubernetes is pushed to kubernetes.registry, which is not set: set it, "
                          "or give the app an image" % where)
    errors += [values.registry_problem("agno_env.kubernetes.registry", kube["registry"])]
    errors += [values.image_problem("agno_env.kubernetes.%s.image" % service, kube[service]["image"])
               for service in env.services if not model.external(env, service)]
    errors += ["agno_env.jobs[%d].schedule: %s has no cron form for a CronJob: give five cron fields, or a rate that divides an "
               "hour or a day" % (index, job["schedule"]) for index, job in enumerate(env.jobs) if jobs.cron_schedule(job["schedule"]) is None]
    return errors + scaling_errors(env) + route_errors(env)


TARGET_ERRORS: t.Dict[str, t.Callable[[Environment], t.List[t.Optional[str]]]] = {
    "docker": docker_errors, "aws": aws_errors, "kubernetes": kubernetes_errors}


def registry_errors(env: Environment) -> t.List[str]:
    """A login to aws.registry needs both its parts, and a registry to log in to."""
    auth = env.aws["registry_auth"]
    if not auth:
        return []
    if not env.aws["registry"]:
        return ["agno_env.aws.registry_auth: it logs in to aws.registry, which is not set (ECR needs no login): set "
                "aws.registry or remove registry_auth"]
    if not (auth.get("username") and auth.get("password_secret")):
        return ["agno_env.aws.registry_auth: give both username and password_secret, or neither (an anonymous registry)"]
    return []


def vpc_errors(cidr: str) -> t.List[str]:
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError:
        return ["agno_env.aws.vpc_cidr: %r is not a CIDR block such as 10.0.0.0/16" % cidr]
    if network.version != 4 or not 16 <= network.prefixlen <= 24:
        return ["agno_env.aws.vpc_cidr: %s must be an IPv4 block from /16 to /24" % cidr]
    return []


def target_group_errors(env: Environment) -> t.List[str]:
    """Target group names (ENVIRONMENT-APP cut to 32 characters) that two web apps share or that AWS refuses."""
    errors = []
    owners: t.Dict[str, str] = {}
    for index, app in [(index, app) for index, app in enumerate(env.apps) if app["port"]]:
        name = model.target_group_name(env, app)
        if name in owners or name.endswith("-"):
            clash = "as app %s's" % owners[name] if name in owners else "which AWS refuses as it ends with a hyphen"
            errors.append("agno_env.apps[%d].name: the target group of app %s would be named %s (ENVIRONMENT-APP cut to 32 "
                          "characters), %s: shorten the app's name" % (index, app["name"], name, clash))
        owners.setdefault(name, app["name"])
    return errors
