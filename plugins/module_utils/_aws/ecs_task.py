# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One ECS task run to its end: started where a service runs its tasks (never with a public IP), waited for until
STOPPED, then its container's exit code and its awslogs stream. At the timeout, or interrupted, it is stopped."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import ClientError
from ansible_collections.agno.infra.plugins.module_utils._engine.command import MAX_LINES, Interrupted, Ran, interruptible, output_lines, quoted
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError, poll

#: How often a task's status is read (seconds).
TASK_POLL = 5


def run_task_request(cluster: str, service: t.Dict[str, t.Any], container: str, command: t.Optional[t.List[str]],
                     started_by: str) -> t.Dict[str, t.Any]:
    """RunTask of the service's task definition with the command overridden, where the service runs its tasks (its
    subnets and security groups, its launch type or capacity providers) and never with a public IP. Without a command,
    the container's own. ``service`` is a DescribeServices answer, or as much of one as says where to run."""
    network = dict((service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}, assignPublicIp="DISABLED")
    request: t.Dict[str, t.Any] = {
        "cluster": cluster, "taskDefinition": service["taskDefinition"], "count": 1, "startedBy": started_by,
        "networkConfiguration": {"awsvpcConfiguration": network}, "propagateTags": "TASK_DEFINITION",
    }
    if command is not None:
        request["overrides"] = {"containerOverrides": [{"name": container, "command": command}]}
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


def aws_run(clients: t.Any, request: t.Dict[str, t.Any], container: t.Dict[str, t.Any], command: t.List[str],
            timeout: int, clock: Clock, timeout_option: str) -> Ran:
    """Start the task and wait for it to stop; at the timeout, or interrupted, it is stopped as it stands (the failure
    names ``timeout_option``, the option that gives more time)."""
    # A stopped task's reason names what stopped it: "agno.infra run" for startedBy agno.infra-run.
    ecs, cluster, who = clients("ecs"), request["cluster"], request["startedBy"].replace("-", " ", 1)
    task_arn = ""
    try:
        with interruptible():
            task_arn = started_task(ecs, request)
            task = stopped(ecs, cluster, task_arn, timeout, clock)
    except Interrupted:
        if task_arn:
            ecs.stop_task(cluster=cluster, task=task_arn, reason="%s: interrupted" % who)
        raise
    lines = stream_lines(clients("logs"), log_stream(container, task_arn))
    if task is None:
        ecs.stop_task(cluster=cluster, task=task_arn, reason="%s: still running after %d s" % (who, timeout))
        raise ResourceError("The command %s was still running after %d s in task %s and was stopped: raise %s, or look for "
                            "what it waits on in its output." % (quoted(command), timeout, task_arn, timeout_option),
                            lines=lines, task_arn=task_arn)
    rc = exit_code(task, container["name"])
    if rc is None:
        raise ResourceError("Task %s stopped before the command ran: %s." % (task_arn, stopped_reason(task).rstrip(".")),
                            lines=lines, task_arn=task_arn)
    return Ran(rc, lines, {"task_arn": task_arn})
