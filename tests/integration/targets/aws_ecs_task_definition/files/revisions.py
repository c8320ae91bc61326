"""Print the family's active revisions and the environment of the latest one, as JSON, read with boto3."""

import json
import sys

import boto3

ecs = boto3.client("ecs")
family = sys.argv[1]
arns = ecs.list_task_definitions(familyPrefix=family, status="ACTIVE")["taskDefinitionArns"]
revisions = sorted(int(arn.rsplit(":", 1)[1]) for arn in arns if arn.rsplit("/", 1)[1].rsplit(":", 1)[0] == family)
environment = {}
if revisions:
    latest = ecs.describe_task_definition(taskDefinition="%s:%d" % (family, revisions[-1]))["taskDefinition"]
    environment = {item["name"]: item["value"] for item in latest["containerDefinitions"][0].get("environment", [])}
print(json.dumps({"revisions": revisions, "environment": environment}))
