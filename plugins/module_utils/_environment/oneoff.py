# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment_run module: one command in an app's image with the app's settings, waited for; its output and exit code.

Docker: a throwaway container made from the app's own container as it runs (its image, environment with the secrets,
user, working directory, mounts, limits and networks; no published port, no network alias, no health check), removed
afterwards, also when the run times out or is interrupted.
AWS: ECS RunTask of the task definition the app's service runs, with the command overridden, in the service's subnets
and security groups and without a public IP; waited for until STOPPED, then its exit code and its log stream.

Both read what is deployed rather than render the environment again: the command runs with what the app runs with.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets as tokens
import shlex
import signal
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import model, operation, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import Subject, chosen_apps, provider_error
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, ClientError, BotoCoreError
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._docker.container import SECRET_KEYS_LABEL
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REAL_TIME, Clock, ResourceError, poll

DEFAULT_TIMEOUT = 600
MAX_TIMEOUT = 86400
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    operation.ARGUMENT_SPEC,
    app={"type": "str", "required": True},
    command={"type": "raw", "required": True},
    run_timeout={"type": "int", "default": DEFAULT_TIMEOUT},
)
#: At most this many lines of output are returned (the last ones): a chatty command must not flood the play's output.
MAX_LINES = 10000
#: How often a task's status is read on aws (seconds).
TASK_POLL = 5
RUN_LABEL = "io.agno.run"
STARTED_BY = "agno.infra-run"
RUNNING = "Running the command in"
#: What ansible-playbook sends a module's process when it is interrupted or its job is cancelled (SIGTERM), and the rest.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Interrupted(Exception):
    """A stop signal arrived while the command ran: raised so that the container is removed or the task stopped."""


@dataclasses.dataclass(frozen=True)
class Ran:
    """A finished run: its exit code (None in check mode, where nothing runs), output lines and where it ran."""

    rc: t.Optional[int]
    lines: t.List[str]
    where: t.Dict[str, str]

    def as_dict(self) -> t.Dict[str, t.Any]:
        result: t.Dict[str, t.Any] = dict(self.where, lines=self.lines)
        if self.rc is not None:
            result["rc"] = self.rc
        return result


@contextlib.contextmanager
def interruptible() -> t.Iterator[None]:
    """Within the block, a stop signal raises Interrupted (the cleanup in the block's finally then runs)."""
    def interrupt(number: int, _frame: t.Any) -> None:
        raise Interrupted(signal.Signals(number).name)
    previous = {number: signal.signal(number, interrupt) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


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


def output_lines(text: str) -> t.List[str]:
    """The output as lines, the last MAX_LINES of them."""
    lines = [line.rstrip("\r") for line in text.rstrip("\n").split("\n")] if text else []
    return lines[-MAX_LINES:]


def quoted(command: t.List[str]) -> str:
    return " ".join(shlex.quote(word) for word in command)


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


def run_task_request(cluster: str, service: t.Dict[str, t.Any], container: str, command: t.List[str]) -> t.Dict[str, t.Any]:
    """RunTask of the service's task definition with the command overridden, where the service runs its tasks (its
    subnets and security groups, its launch type or capacity providers) and never with a public IP."""
    network = dict((service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}, assignPublicIp="DISABLED")
    request: t.Dict[str, t.Any] = {
        "cluster": cluster, "taskDefinition": service["taskDefinition"], "count": 1, "startedBy": STARTED_BY,
        "networkConfiguration": {"awsvpcConfiguration": network}, "propagateTags": "TASK_DEFINITION",
        "overrides": {"containerOverrides": [{"name": container, "command": command}]},
    }
    if service.get("capacityProviderStrategy"):
        request["capacityProviderStrategy"] = service["capacityProviderStrategy"]
    else:
        request["launchType"] = service.get("launchType") or "FARGATE"
    if service.get("platformVersion"):
        request["platformVersion"] = service["platformVersion"]
    return request


def started_task(ecs: t.Any, request: t.Dict[str, t.Any]) -> str:
    answer = ecs.run_task(**request)
    if not answer.get("tasks"):
        reasons = "; ".join("%s %s" % (failure.get("reason", ""), failure.get("detail", "")).strip()
                            for failure in answer.get("failures") or []) or "no reason given"
        raise ResourceError("ECS did not start the task in cluster %s: %s. Check the cluster's capacity and the service's "
                            "subnets." % (request["cluster"], reasons))
    return str(answer["tasks"][0]["taskArn"])


def exit_code(task: t.Dict[str, t.Any], container: str) -> t.Optional[int]:
    """The container's exit code; None when it never ran (an image that could not be pulled, a secret not readable)."""
    for entry in task.get("containers") or []:
        if entry.get("name") == container and entry.get("exitCode") is not None:
            return int(entry["exitCode"])
    return None


def stopped_reason(task: t.Dict[str, t.Any]) -> str:
    reasons = [str(task.get("stoppedReason") or "")] + [str(entry.get("reason") or "") for entry in task.get("containers") or []]
    return "; ".join(reason for reason in reasons if reason) or str(task.get("stopCode") or "no reason given")


def log_stream(container: t.Dict[str, t.Any], task_arn: str) -> t.Optional[t.Tuple[str, str]]:
    """The awslogs group and stream of the task's container (`<prefix>/<container>/<task id>`), None without awslogs."""
    logging = container.get("logConfiguration") or {}
    options = logging.get("options") or {}
    if logging.get("logDriver") != "awslogs" or "awslogs-group" not in options:
        return None
    stream = "%s/%s/%s" % (options.get("awslogs-stream-prefix", ""), container.get("name", ""), task_arn.rsplit("/", 1)[-1])
    return str(options["awslogs-group"]), stream


def stream_lines(logs: t.Any, where: t.Optional[t.Tuple[str, str]]) -> t.List[str]:
    """Every line of the stream, oldest first; none when it was never written (the task did not start)."""
    if where is None:
        return []
    request = {"logGroupName": where[0], "logStreamName": where[1], "startFromHead": True}
    lines: t.List[str] = []
    try:
        while True:
            page = logs.get_log_events(**request)
            for event in page.get("events") or []:
                lines += output_lines(str(event.get("message", "")))
            if not page.get("events") or page.get("nextForwardToken") in (None, request.get("nextToken")):
                return lines[-MAX_LINES:]
            request["nextToken"] = page["nextForwardToken"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return lines
        raise


def stopped(ecs: t.Any, cluster: str, task_arn: str, timeout: int, clock: Clock) -> t.Optional[t.Dict[str, t.Any]]:
    """The task once STOPPED; None at the timeout."""
    def check() -> t.Tuple[bool, t.Dict[str, t.Any]]:
        tasks = ecs.describe_tasks(cluster=cluster, tasks=[task_arn]).get("tasks") or [{}]
        return tasks[0].get("lastStatus") == "STOPPED", tasks[0]
    try:
        return t.cast(t.Dict[str, t.Any], poll(check, timeout, lambda: "", TASK_POLL, clock.now, clock.sleep))
    except ResourceError:
        return None


def aws_run(clients: t.Any, cluster: str, request: t.Dict[str, t.Any], container: t.Dict[str, t.Any], command: t.List[str],
            timeout: int, clock: Clock) -> Ran:
    """Start the task and wait for it to stop; at the timeout, or interrupted, it is stopped as it stands."""
    ecs = clients("ecs")
    task_arn = ""
    try:
        with interruptible():
            task_arn = started_task(ecs, request)
            task = stopped(ecs, cluster, task_arn, timeout, clock)
    except Interrupted:
        if task_arn:
            ecs.stop_task(cluster=cluster, task=task_arn, reason="agno.infra run: interrupted")
        raise
    lines = stream_lines(clients("logs"), log_stream(container, task_arn))
    if task is None:
        ecs.stop_task(cluster=cluster, task=task_arn, reason="agno.infra run: still running after %d s" % timeout)
        raise ResourceError("The command %s was still running after %d s in task %s and was stopped: raise agno_run_timeout "
                            "(run_timeout), or look for what it waits on in its output." % (quoted(command), timeout, task_arn),
                            lines=lines, task_arn=task_arn)
    rc = exit_code(task, container["name"])
    if rc is None:
        raise ResourceError("Task %s stopped before the command ran: %s." % (task_arn, stopped_reason(task).rstrip(".")),
                            lines=lines, task_arn=task_arn)
    return Ran(rc, lines, {"task_arn": task_arn})


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
        request = run_task_request(env.name, service, container["name"], command)
        if check_mode:
            return Ran(None, [], {"task_definition": str(service["taskDefinition"])})
        return aws_run(clients, env.name, request, container, command, params["run_timeout"], clock)
    except (ClientError, BotoCoreError) as error:
        raise provider_error(AWS, error, Subject("service", "%s/%s" % (env.name, app["name"]), params), RUNNING)


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
    hidden.update(value for value in model.url_secrets(env, params["secrets"]).values() if value)
    if env.target == "docker":
        ran = run_docker(env, app, command, params, check_mode, hidden)
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
        module.fail_json(msg="The run in app %s was interrupted (%s): its container was removed, or its task stopped."
                         % (module.params["app"], stop))
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    command = argv(module.params["command"])
    if ran.rc:
        module.fail_json(msg="The command %s in app %s exited with %d: its output is above." % (quoted(command), app["name"], ran.rc),
                         changed=True, summary=summary(app, command, ran), **ran.as_dict())
    module.exit_json(changed=True, summary=summary(app, command, ran), **ran.as_dict())
