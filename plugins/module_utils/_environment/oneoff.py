# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment_run module: one command in an app's image with the app's settings, waited for; its output and exit code.

Docker: a throwaway container made from the app's own container as it runs (its image, environment with the secrets,
user, working directory, mounts, limits and networks; no published port, no network alias, no health check), removed
afterwards, also when the run times out or is interrupted.
AWS: ECS RunTask of the task definition the app's service runs, with the command overridden, in the service's subnets
and security groups and without a public IP; waited for until STOPPED, then its exit code and its log stream.
Kubernetes: a Job made from the pod template of the app's Deployment (its image, settings with the Secrets by
reference, service account and security context), with the command, no probe and no port; its pod's exit code and
log, and the Job deleted afterwards.

Both read what is deployed rather than render the environment again: the command runs with what the app runs with.
"""

from __future__ import annotations

import dataclasses
import secrets as tokens
import shlex
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import model, operation, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import Subject, chosen_apps, kube_error, provider_error
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, ClientError, BotoCoreError
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task import aws_run, run_task_request
from ansible_collections.agno.infra.plugins.module_utils._docker.container import SECRET_KEYS_LABEL
from ansible_collections.agno.infra.plugins.module_utils._k8s import job as k8s_job
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES, KubeClient
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import ENV_LABEL, MANAGED_BY
from ansible_collections.agno.infra.plugins.module_utils._engine.command import Interrupted, Ran, interruptible, output_lines, quoted
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REAL_TIME, Clock, ResourceError

DEFAULT_TIMEOUT = 600
MAX_TIMEOUT = 86400
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    operation.ARGUMENT_SPEC,
    app={"type": "str", "required": True},
    command={"type": "raw", "required": True},
    run_timeout={"type": "int", "default": DEFAULT_TIMEOUT},
)
RUN_LABEL = "io.agno.run"
STARTED_BY = "agno.infra-run"
RUNNING = "Running the command in"


# ---- the options ---------------------------------------------------------------------------------
def argv(command: t.Any) -> t.List[str]:
    """The command as an argument list: a list as given (numbers as text), a string split as a shell would split it."""
    if isinstance(command, str):
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise ResourceError("agno_command (command) cannot be split into words (%s): give it as a list, such as "
                                "[\"python\", \"-m\", \"app.migrate\"]." % error)
    elif isinstance(command, list) and all(isinstance(word, (str, int, float)) and not isinstance(word, bool) for word in command):
        words = [str(word) for word in command]
    else:
        raise ResourceError("agno_command (command) is a %s: give a list of words, such as [\"python\", \"-m\", \"app.migrate\"], "
                            "or one string." % type(command).__name__)
    if not words:
        raise ResourceError("agno_command (command) is empty: give the command to run, such as [\"python\", \"-m\", \"app.migrate\"].")
    return words


def check_timeout(seconds: int) -> int:
    if not 1 <= seconds <= MAX_TIMEOUT:
        raise ResourceError("agno_run_timeout (run_timeout) is %d: give the seconds to wait for the command, from 1 to %d."
                            % (seconds, MAX_TIMEOUT))
    return seconds


def chosen_app(env: Environment, name: str) -> t.Dict[str, t.Any]:
    """The one app named; an unknown name fails with the names there are, several names with a sentence."""
    apps = chosen_apps(env, [name])
    if len(apps) != 1:
        raise ResourceError("agno_app (app) names %s: a command runs in one app, such as %s." % (
            "no app" if not apps else "%d apps" % len(apps), env.apps[0]["name"] if env.apps else "api"))
    return apps[0]


# ---- docker --------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Throwaway:
    """How the throwaway container is made: create_container's arguments, its host config and its networks."""

    create: t.Dict[str, t.Any]
    host: t.Dict[str, t.Any]
    networks: t.List[str]


def throwaway(info: t.Dict[str, t.Any], command: t.List[str], name: str, env_name: str, app_name: str) -> Throwaway:
    """The throwaway container for a command, from the app container's inspect output: what the app runs with, without
    its published ports, network aliases, restart policy or health check (a one-off must not take the app's traffic)."""
    config, host = info.get("Config") or {}, info.get("HostConfig") or {}
    networks = sorted((info.get("NetworkSettings") or {}).get("Networks") or {})
    create = {
        "image": info["Image"], "name": name, "command": command, "entrypoint": config.get("Entrypoint"),
        "environment": config.get("Env") or None, "user": config.get("User") or None,
        "working_dir": config.get("WorkingDir") or None, "healthcheck": {"test": ["NONE"]},
        "labels": {"io.agno.env": env_name, RUN_LABEL: app_name}, "use_config_proxy": False,
    }
    options = {
        "binds": host.get("Binds") or None, "tmpfs": host.get("Tmpfs") or None, "read_only": host.get("ReadonlyRootfs") or None,
        "mem_limit": host.get("Memory") or None, "nano_cpus": host.get("NanoCpus") or None,
        "cap_drop": host.get("CapDrop") or None, "security_opt": host.get("SecurityOpt") or None,
        "network_mode": networks[0] if networks else host.get("NetworkMode"),
    }
    return Throwaway(create, {key: value for key, value in options.items() if value is not None}, networks)


def secret_values(info: t.Dict[str, t.Any]) -> t.List[str]:
    """The values of the app container's secret environment variables (its label names them)."""
    config = info.get("Config") or {}
    keys = set(((config.get("Labels") or {}).get(SECRET_KEYS_LABEL) or "").split(",")) - {""}
    pairs = (entry.partition("=") for entry in config.get("Env") or [])
    return [value for key, _sep, value in pairs if key in keys and value]


def app_container(client: t.Any, env: Environment, app: t.Dict[str, t.Any], params: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    name = "%s-%s" % (env.name, app["name"])
    try:
        return t.cast(t.Dict[str, t.Any], client.inspect_container(name))
    except SDK.NotFound:
        raise ResourceError("Environment %s has no container %s on the Docker host %s: bring it up with agno.infra.up first."
                            % (env.name, name, params["docker_host"]))


def exit_status(client: t.Any, container: str, timeout: int, command: t.List[str]) -> int:
    """Wait for the container to exit; at the timeout it is killed and the run fails with its output."""
    try:
        return int(client.wait(container, timeout=timeout)["StatusCode"])
    except (SDK.ReadTimeout, SDK.ConnectionError) as error:
        if "timed out" not in str(error).lower():
            raise
    client.kill(container)
    raise ResourceError("The command %s was still running after %d s and was stopped: raise agno_run_timeout (run_timeout), "
                        "or look for what it waits on in its output." % (quoted(command), timeout),
                        lines=output_lines(client.logs(container, stdout=True, stderr=True).decode("utf-8", "replace")))


def removed(client: t.Any, container: str) -> None:
    try:
        client.remove_container(container, force=True)
    except SDK.NotFound:
        pass


def docker_run(client: t.Any, made: Throwaway, command: t.List[str], timeout: int) -> Ran:
    """Create, start and wait for the throwaway container; it is removed in every case (by name: an interruption may
    come before create_container has answered)."""
    name = made.create["name"]
    try:
        with interruptible():
            client.create_container(host_config=client.create_host_config(**made.host), **made.create)
            for network in made.networks[1:]:
                client.connect_container_to_network(name, network)
            client.start(name)
            rc = exit_status(client, name, timeout, command)
            output = client.logs(name, stdout=True, stderr=True).decode("utf-8", "replace")
    finally:
        removed(client, name)
    return Ran(rc, output_lines(output), {"container": name})


def run_docker(env: Environment, app: t.Dict[str, t.Any], command: t.List[str], params: t.Dict[str, t.Any],
               check_mode: bool, hidden: t.Set[str]) -> Ran:
    if DOCKER.import_error:
        raise ResourceError(missing_required_lib("docker"))
    client = DOCKER.connect(params)
    name = "%s-%s-run-%s" % (env.name, app["name"], tokens.token_hex(4))
    try:
        info = app_container(client, env, app, params)
        hidden.update(secret_values(info))
        made = throwaway(info, command, name, env.name, app["name"])
        if check_mode:
            return Ran(None, [], {"container": name})
        return docker_run(client, made, command, params["run_timeout"])
    except (SDK.DockerException, SDK.ConnectionError, SDK.ReadTimeout) as error:
        raise provider_error(DOCKER, error, Subject("container", name, params), RUNNING)


# ---- aws -----------------------------------------------------------------------------------------
def app_service(ecs: t.Any, env: Environment, app: t.Dict[str, t.Any], params: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    found = ecs.describe_services(cluster=env.name, services=[app["name"]]).get("services") or []
    active = [service for service in found if service.get("status") == "ACTIVE"]
    if not active:
        raise ResourceError("Environment %s has no service %s in its ECS cluster in %s: bring it up with agno.infra.up first."
                            % (env.name, app["name"], params["region"] or "the default region"))
    return t.cast(t.Dict[str, t.Any], active[0])


def app_container_definition(definition: t.Dict[str, t.Any], app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    containers = definition.get("containerDefinitions") or [{}]
    return next((entry for entry in containers if entry.get("name") == app["name"]), containers[0])


def run_aws(env: Environment, app: t.Dict[str, t.Any], command: t.List[str], params: t.Dict[str, t.Any],
            check_mode: bool, clock: Clock) -> Ran:
    if AWS.import_error:
        raise ResourceError(missing_required_lib("botocore"))
    clients = AWS.connect(params)
    try:
        ecs = clients("ecs")
        service = app_service(ecs, env, app, params)
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        container = app_container_definition(definition, app)
        request = run_task_request(env.name, service, container["name"], command, STARTED_BY)
        if check_mode:
            return Ran(None, [], {"task_definition": str(service["taskDefinition"])})
        return aws_run(clients, request, container, command, params["run_timeout"], clock, "agno_run_timeout (run_timeout)")
    except (ClientError, BotoCoreError) as error:
        raise provider_error(AWS, error, Subject("service", "%s/%s" % (env.name, app["name"]), params), RUNNING)


# ---- kubernetes ----------------------------------------------------------------------------------
def app_deployment(kube: KubeClient, env: Environment, app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    namespace = env.kubernetes["namespace"]
    found = kube.get(kube.kind("apps/v1", "Deployment"), app["name"], namespace)
    if not found:
        raise ResourceError("Environment %s has no Deployment %s in namespace %s: bring it up with agno.infra.up first."
                            % (env.name, app["name"], namespace))
    return t.cast(t.Dict[str, t.Any], found)


def run_k8s(env: Environment, app: t.Dict[str, t.Any], command: t.List[str], params: t.Dict[str, t.Any],
            check_mode: bool, hidden: t.Set[str], clock: Clock) -> Ran:
    if KUBERNETES.import_error:
        raise ResourceError(missing_required_lib("kubernetes"))
    namespace, name = env.kubernetes["namespace"], "%s-run-%s" % (app["name"], tokens.token_hex(4))
    kube = KUBERNETES.connect(operation.connection_of(params, env))
    try:
        template = app_deployment(kube, env, app)["spec"]["template"]
        body = k8s_job.job_body(template, name, namespace, app["name"], command, params["run_timeout"],
                                {MANAGED_BY: "agno-infra", ENV_LABEL: env.name})
        hidden.update(k8s_job.secret_values(kube, namespace, body))
        if check_mode:
            return Ran(None, [], {"job": name, "namespace": namespace})
        return k8s_job.k8s_run(kube, body, command, params["run_timeout"], clock, "agno_run_timeout (run_timeout)")
    except Exception as error:  # pylint: disable=broad-except
        raise kube_error(error, Subject("Job", "%s/%s" % (namespace, name), params))


# ---- the module ----------------------------------------------------------------------------------
def summary(app: t.Dict[str, t.Any], command: t.List[str], ran: Ran) -> str:
    where = ", ".join("%s %s" % (key.replace("_", " "), value) for key, value in ran.where.items())
    if ran.rc is None:
        return "Would run %s in app %s (%s)." % (quoted(command), app["name"], where)
    return "%s in app %s (%s) exited with %d." % (quoted(command), app["name"], where, ran.rc)


def execute(params: t.Dict[str, t.Any], check_mode: bool, hidden: t.Set[str], clock: Clock = REAL_TIME) -> t.Tuple[t.Dict[str, t.Any], Ran]:
    """Check every option before anything runs, then run the command in the app; the app and what ran."""
    env = operation.environment(params)
    app = chosen_app(env, params["app"])
    command = argv(params["command"])
    check_timeout(params["run_timeout"])
    hidden.update(model.secret_texts(env, params["secrets"]))
    if env.target == "docker":
        ran = run_docker(env, app, command, params, check_mode, hidden)
    elif env.target == "kubernetes":
        ran = run_k8s(env, app, command, params, check_mode, hidden, clock)
    else:
        ran = run_aws(env, app, command, params, check_mode, clock)
    return app, ran


def run(module: AnsibleModule) -> None:
    if schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=schema.JSONSCHEMA_IMPORT_ERROR)
    # Output may print a secret (a connection URL): the app's secret values are masked in it, as the secrets option's.
    module.no_log_values.update(value for value in module.params["secrets"].values() if isinstance(value, str) and value)
    try:
        app, ran = execute(module.params, module.check_mode, module.no_log_values)
    except Interrupted as stop:
        module.fail_json(msg="The run in app %s was interrupted (%s): its container was removed, its task stopped or its Job deleted."
                         % (module.params["app"], stop))
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    command = argv(module.params["command"])
    if ran.rc:
        module.fail_json(msg="The command %s in app %s exited with %d: its output is above." % (quoted(command), app["name"], ran.rc),
                         changed=True, summary=summary(app, command, ran), **ran.as_dict())
    module.exit_json(changed=True, summary=summary(app, command, ran), **ran.as_dict())
