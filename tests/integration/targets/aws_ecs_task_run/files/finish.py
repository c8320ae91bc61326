"""Play ECS for the one-off task the module starts: once it is listed, write a line to its stream and stop it (moto then
reports exit code 0). Prints the task's ARN."""

import time

import boto3

ecs, logs = boto3.client("ecs"), boto3.client("logs")
deadline = time.monotonic() + 60
while True:
    arns = ecs.list_tasks(cluster="agno-it-run", startedBy="agno.infra-up", desiredStatus="RUNNING")["taskArns"]
    if arns:
        break
    assert time.monotonic() < deadline, "no one-off task started in 60 s"
    time.sleep(0.5)
stream = "api/api/" + arns[0].rsplit("/", 1)[-1]
logs.create_log_stream(logGroupName="/ecs/agno-it-run", logStreamName=stream)
logs.put_log_events(logGroupName="/ecs/agno-it-run", logStreamName=stream,
                    logEvents=[{"timestamp": int(time.time() * 1000), "message": "migrated"}])
ecs.stop_task(cluster="agno-it-run", task=arns[0], reason="Essential container in task exited")
print(arns[0])
