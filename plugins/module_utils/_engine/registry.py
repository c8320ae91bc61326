# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource type the `resources` module can converge, by the name of its single module.

The imports are static on purpose: Ansible ships a module with only the module_utils it imports.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import acm_certificate as aws_acm_certificate

from ansible_collections.agno.infra.plugins.module_utils._aws import autoscaling as aws_autoscaling

from ansible_collections.agno.infra.plugins.module_utils._aws import cloudformation_stack as aws_cloudformation_stack

from ansible_collections.agno.infra.plugins.module_utils._aws import db_cluster as aws_db_cluster

from ansible_collections.agno.infra.plugins.module_utils._aws import db_instance as aws_db_instance

from ansible_collections.agno.infra.plugins.module_utils._aws import db_subnet_group as aws_db_subnet_group

from ansible_collections.agno.infra.plugins.module_utils._aws import ecr_repository as aws_ecr_repository

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_cluster as aws_ecs_cluster

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_service as aws_ecs_service

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs_task_definition as aws_ecs_task_definition

from ansible_collections.agno.infra.plugins.module_utils._aws import elasticache as aws_elasticache

from ansible_collections.agno.infra.plugins.module_utils._aws import iam_policy as aws_iam_policy

from ansible_collections.agno.infra.plugins.module_utils._aws import iam_role as aws_iam_role

from ansible_collections.agno.infra.plugins.module_utils._aws import internet_gateway as aws_internet_gateway

from ansible_collections.agno.infra.plugins.module_utils._aws import listener as aws_listener

from ansible_collections.agno.infra.plugins.module_utils._aws import load_balancer as aws_load_balancer

from ansible_collections.agno.infra.plugins.module_utils._aws import log_group as aws_log_group

from ansible_collections.agno.infra.plugins.module_utils._aws import nat_gateway as aws_nat_gateway

from ansible_collections.agno.infra.plugins.module_utils._aws import route_table as aws_route_table

from ansible_collections.agno.infra.plugins.module_utils._aws import s3_bucket as aws_s3_bucket

from ansible_collections.agno.infra.plugins.module_utils._aws import secret as aws_secret

from ansible_collections.agno.infra.plugins.module_utils._aws import security_group as aws_security_group

from ansible_collections.agno.infra.plugins.module_utils._aws import subnet as aws_subnet

from ansible_collections.agno.infra.plugins.module_utils._aws import target_group as aws_target_group

from ansible_collections.agno.infra.plugins.module_utils._aws import vpc as aws_vpc

from ansible_collections.agno.infra.plugins.module_utils._docker import container as docker_container

from ansible_collections.agno.infra.plugins.module_utils._docker import image as docker_image

from ansible_collections.agno.infra.plugins.module_utils._docker import network as docker_network

from ansible_collections.agno.infra.plugins.module_utils._docker import volume as docker_volume
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsProvider
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DockerProvider
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import ResourceType

DOCKER = DockerProvider()
AWS = AwsProvider()

RESOURCE_TYPES: t.Dict[str, ResourceType] = {
    "aws_security_group": ResourceType(aws_security_group.SecurityGroupResource, aws_security_group.ARGUMENT_SPEC, AWS),
    "aws_subnet": ResourceType(aws_subnet.SubnetResource, aws_subnet.ARGUMENT_SPEC, AWS, {"required_if": aws_subnet.REQUIRED_IF}),
    "aws_target_group": ResourceType(aws_target_group.TargetGroupResource, aws_target_group.ARGUMENT_SPEC, AWS,
                                     {"required_if": aws_target_group.REQUIRED_IF}),
    "aws_vpc": ResourceType(aws_vpc.VpcResource, aws_vpc.ARGUMENT_SPEC, AWS, {"required_if": aws_vpc.REQUIRED_IF}),
    "docker_network": ResourceType(docker_network.NetworkResource, docker_network.ARGUMENT_SPEC, DOCKER),
    "docker_container": ResourceType(docker_container.ContainerResource, docker_container.ARGUMENT_SPEC, DOCKER,
                                     {"required_if": docker_container.REQUIRED_IF}),
    "docker_image": ResourceType(docker_image.ImageResource, docker_image.ARGUMENT_SPEC, DOCKER,
                                 {"required_if": docker_image.REQUIRED_IF}),
    "docker_volume": ResourceType(docker_volume.VolumeResource, docker_volume.ARGUMENT_SPEC, DOCKER),
    "aws_cloudformation_stack": ResourceType(aws_cloudformation_stack.StackResource, aws_cloudformation_stack.ARGUMENT_SPEC, AWS,
                                             {"mutually_exclusive": aws_cloudformation_stack.MUTUALLY_EXCLUSIVE}),
    "aws_acm_certificate": ResourceType(aws_acm_certificate.CertificateResource, aws_acm_certificate.ARGUMENT_SPEC, AWS),
    "aws_autoscaling": ResourceType(aws_autoscaling.ScalingResource, aws_autoscaling.ARGUMENT_SPEC, AWS),
    "aws_db_cluster": ResourceType(aws_db_cluster.DbClusterResource, aws_db_cluster.ARGUMENT_SPEC, AWS, {
        "mutually_exclusive": aws_db_cluster.MUTUALLY_EXCLUSIVE, "required_if": aws_db_cluster.REQUIRED_IF}),
    "aws_db_instance": ResourceType(aws_db_instance.DbInstanceResource, aws_db_instance.ARGUMENT_SPEC, AWS, {
        "mutually_exclusive": aws_db_instance.MUTUALLY_EXCLUSIVE, "required_if": aws_db_instance.REQUIRED_IF}),
    "aws_db_subnet_group": ResourceType(aws_db_subnet_group.DbSubnetGroupResource, aws_db_subnet_group.ARGUMENT_SPEC, AWS,
                                        {"required_if": aws_db_subnet_group.REQUIRED_IF}),
    "aws_ecr_repository": ResourceType(aws_ecr_repository.RepositoryResource, aws_ecr_repository.ARGUMENT_SPEC, AWS),
    "aws_ecs_cluster": ResourceType(aws_ecs_cluster.ClusterResource, aws_ecs_cluster.ARGUMENT_SPEC, AWS),
    "aws_ecs_service": ResourceType(aws_ecs_service.ServiceResource, aws_ecs_service.ARGUMENT_SPEC, AWS,
                                    {"required_if": aws_ecs_service.REQUIRED_IF}),
    "aws_ecs_task_definition": ResourceType(aws_ecs_task_definition.TaskDefinitionResource, aws_ecs_task_definition.ARGUMENT_SPEC,
                                            AWS, {"required_if": aws_ecs_task_definition.REQUIRED_IF}),
    "aws_elasticache": ResourceType(aws_elasticache.ReplicationGroupResource, aws_elasticache.ARGUMENT_SPEC, AWS, {
        "mutually_exclusive": aws_elasticache.MUTUALLY_EXCLUSIVE, "required_if": aws_elasticache.REQUIRED_IF}),
    "aws_iam_policy": ResourceType(aws_iam_policy.PolicyResource, aws_iam_policy.ARGUMENT_SPEC, AWS),
    "aws_iam_role": ResourceType(aws_iam_role.RoleResource, aws_iam_role.ARGUMENT_SPEC, AWS),
    "aws_internet_gateway": ResourceType(aws_internet_gateway.InternetGatewayResource, aws_internet_gateway.ARGUMENT_SPEC, AWS),
    "aws_listener": ResourceType(aws_listener.ListenerResource, aws_listener.ARGUMENT_SPEC, AWS, {
        "mutually_exclusive": aws_listener.MUTUALLY_EXCLUSIVE, "required_one_of": aws_listener.REQUIRED_ONE_OF}),
    "aws_load_balancer": ResourceType(aws_load_balancer.LoadBalancerResource, aws_load_balancer.ARGUMENT_SPEC, AWS,
                                      {"required_if": aws_load_balancer.REQUIRED_IF}),
    "aws_log_group": ResourceType(aws_log_group.LogGroupResource, aws_log_group.ARGUMENT_SPEC, AWS),
    "aws_nat_gateway": ResourceType(aws_nat_gateway.NatGatewayResource, aws_nat_gateway.ARGUMENT_SPEC, AWS,
                                    {"required_if": aws_nat_gateway.REQUIRED_IF}),
    "aws_route_table": ResourceType(aws_route_table.RouteTableResource, aws_route_table.ARGUMENT_SPEC, AWS),
    "aws_s3_bucket": ResourceType(aws_s3_bucket.BucketResource, aws_s3_bucket.ARGUMENT_SPEC, AWS),
    "aws_secret": ResourceType(aws_secret.SecretResource, aws_secret.ARGUMENT_SPEC, AWS,
                               {"mutually_exclusive": aws_secret.MUTUALLY_EXCLUSIVE}),
}
