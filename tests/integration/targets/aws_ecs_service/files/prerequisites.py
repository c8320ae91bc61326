"""Create what an ECS service needs (VPC, subnet, security group, target group, execution role) and print their ids as JSON."""

import json

import boto3

TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

ec2 = boto3.client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.70.%d.0/24" % number)["Subnet"]["SubnetId"] for number in (1, 2)]
group = ec2.create_security_group(GroupName="agno-it-ecs-app", Description="app", VpcId=vpc)["GroupId"]
target_group = boto3.client("elbv2").create_target_group(
    Name="agno-it-ecs", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
role = boto3.client("iam").create_role(RoleName="agno-it-ecs-execution", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
print(json.dumps({"vpc": vpc, "subnets": subnets, "security_group": group, "target_group": target_group, "execution_role": role}))
