"""ECS and CloudWatch Logs as a one-off task sees them: a service to run like, a task that stops when told, its stream."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import ClientError

TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/agent-app-run/0f3c9a5e2b7d4c1f"
SERVICE = {"serviceName": "api", "status": "ACTIVE", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/agent-app-run-api:4",
           "launchType": "FARGATE", "platformVersion": "LATEST",
           "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-app"],
                                                            "assignPublicIp": "DISABLED"}}}
CONTAINER = {"name": "api", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/agent-app-run/api",
                                                                                     "awslogs-stream-prefix": "api"}}}


class FakeECS:
    """ECS and CloudWatch Logs for one run: the task stops after `runs` reads of its status (never when None)."""

    def __init__(self, runs: t.Optional[int] = 1, exit: t.Optional[int] = 0, events: t.Optional[t.List[str]] = None) -> None:
        self.runs, self.exit = runs, exit
        self.events = ["Running migrations", "done"] if events is None else events
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []

    def describe_services(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append(("describe_services", request))
        return {"services": [SERVICE] if request["services"] == ["api"] else []}

    def describe_task_definition(self, **request: t.Any) -> t.Dict[str, t.Any]:
        return {"taskDefinition": {"containerDefinitions": [CONTAINER]}}

    def run_task(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append(("run_task", request))
        return {"tasks": [{"taskArn": TASK_ARN}], "failures": []}

    def describe_tasks(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append(("describe_tasks", request))
        done = self.runs is not None and len([call for call in self.calls if call[0] == "describe_tasks"]) > self.runs
        container = {"name": "api", "exitCode": self.exit} if done and self.exit is not None else {"name": "api"}
        return {"tasks": [{"taskArn": TASK_ARN, "lastStatus": "STOPPED" if done else "RUNNING", "containers": [container],
                           "stoppedReason": "Essential container in task exited"}]}

    def stop_task(self, **request: t.Any) -> None:
        self.calls.append(("stop_task", request))

    def get_log_events(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append(("get_log_events", request))
        if request["logStreamName"] != "api/api/0f3c9a5e2b7d4c1f":
            raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "The specified log stream does not exist."}},
                              "GetLogEvents")
        start = int(request.get("nextToken") or 0)
        # A page of one event; at the end the same token again, as CloudWatch answers.
        return {"events": [{"message": message} for message in self.events[start:start + 1]],
                "nextForwardToken": str(min(start + 1, len(self.events)))}
