"""Create an ECS service behind an application load balancer and print the ARNs as JSON."""

import json

import boto3

ec2 = boto3.client("ec2")
elb = boto3.client("elbv2")
ecs = boto3.client("ecs")
vpc = ec2.create_vpc(CidrBlock="10.71.0.0/16")["Vpc"]["VpcId"]
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.71.%d.0/24" % number, AvailabilityZone="us-east-1" + zone)["Subnet"]["SubnetId"]
           for number, zone in ((1, "a"), (2, "b"))]
balancer = elb.create_load_balancer(Name="agno-it-scaling", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
target_group = elb.create_target_group(
    Name="agno-it-scaling", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
ecs.create_cluster(clusterName="agno-it-scaling")
ecs.register_task_definition(family="agno-it-scaling", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
                             memory="512", containerDefinitions=[{"name": "api", "image": "agno-it/api:1", "essential": True}])
ecs.create_service(cluster="agno-it-scaling", serviceName="agno-it-api", taskDefinition="agno-it-scaling", desiredCount=1,
                   launchType="FARGATE")
print(json.dumps({"load_balancer": balancer, "target_group": target_group}))
