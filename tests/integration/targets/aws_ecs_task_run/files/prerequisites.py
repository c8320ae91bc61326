"""Create what a one-off task needs (VPC, subnet, security group, cluster, log group, two revisions of a task definition)
and print their ids as JSON."""

import json

import boto3

ec2 = boto3.client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.71.0.0/16")["Vpc"]["VpcId"]
# As in AWS's default VPC (and the environment's): moto fails a RunTask in a VPC without DNS hostnames.
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.71.1.0/24")["Subnet"]["SubnetId"]
group = ec2.create_security_group(GroupName="agno-it-run", Description="one-off tasks", VpcId=vpc)["GroupId"]
ecs = boto3.client("ecs")
ecs.create_cluster(clusterName="agno-it-run")
boto3.client("logs").create_log_group(logGroupName="/ecs/agno-it-run")
revisions = []
for mode in ("one", "two"):
    revisions.append(ecs.register_task_definition(
        family="agno-it-run-api", cpu="256", memory="512", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
        containerDefinitions=[{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/agno-it/api:1",
                               "environment": [{"name": "MODE", "value": mode}],
                               "logConfiguration": {"logDriver": "awslogs", "options": {
                                   "awslogs-group": "/ecs/agno-it-run", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api"}}}],
    )["taskDefinition"]["taskDefinitionArn"])
print(json.dumps({"subnet": subnet, "security_group": group, "revisions": revisions}))
