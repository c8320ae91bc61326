"""Print the service's task definition, desired count and network, and the family's active revisions, as JSON."""

import json
import sys

import boto3

ecs = boto3.client("ecs")
cluster, name, family = sys.argv[1:4]
found = [item for item in ecs.describe_services(cluster=cluster, services=[name])["services"] if item["status"] != "INACTIVE"]
revisions = ecs.list_task_definitions(familyPrefix=family, status="ACTIVE")["taskDefinitionArns"]
service = found[0] if found else {}
network = service.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
print(json.dumps({"task_definition": service.get("taskDefinition"), "desired_count": service.get("desiredCount"),
                  "subnets": sorted(network.get("subnets", [])), "assign_public_ip": network.get("assignPublicIp"),
                  "revisions": len(revisions)}))
