"""ECR repositories through the engine: lifecycle policy checks before any call, images never lost by surprise."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import RepositoryResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/app/api"
REPOSITORY = {"repositories": [{"repositoryName": "app/api", "repositoryArn": ARN, "repositoryUri": "123456789012.dkr.ecr/app/api",
                                "imageScanningConfiguration": {"scanOnPush": True}, "imageTagMutability": "IMMUTABLE",
                                "encryptionConfiguration": {"encryptionType": "AES256"}}]}


def repository(aws: t.Any = None, **params: t.Any) -> RepositoryResource:
    return RepositoryResource(aws, task_params(RepositoryResource, {"name": "app/api"}, **params))


def rule(priority: t.Any, count: t.Any) -> t.Dict[str, t.Any]:
    return {"rulePriority": priority, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": count},
            "action": {"type": "expire"}}


def test_the_policy_the_name_and_the_key_are_checked_before_any_call() -> None:
    params = repository(name="App/API", kms_key="alias/ecr", lifecycle_policy={"rules": [rule(1, 0), rule(1, 5)]}).params
    assert RepositoryResource.problems(params) == [
        "ECR repository App/API: name is 'App/API': use 2 to 256 lower-case letters, digits and . _ - / (between letters or "
        "digits), such as team/app.",
        "ECR repository App/API: lifecycle_policy.rules[0].selection.countNumber is 0: use 1 or more. lifecycle_policy repeats "
        "a rulePriority: give each rule its own.",
        "ECR repository App/API: kms_key needs encryption KMS; set encryption: KMS or drop kms_key.",
    ]
    assert "lifecycle_policy is not valid JSON" in RepositoryResource.problems(repository(lifecycle_policy="{rules").params)[0]
    assert RepositoryResource.problems(repository(lifecycle_policy='{"rules": []}', kms_key="k", encryption="KMS").params) == []


def test_images_block_a_deletion_and_a_replacement_unless_forced() -> None:
    aws = Scripted(describe_repositories=REPOSITORY, list_images={"imageIds": [{"imageTag": "1"}]})
    with pytest.raises(ResourceError, match="^ECR repository app/api still holds images: delete them first"):
        converge(repository(aws, state="absent"), present=False)
    with pytest.raises(ResourceError, match="must be recreated to change its encryption, and it still holds images"):
        converge(repository(aws, encryption="KMS"), check_mode=True)
    assert aws.writes() == []
    assert converge(repository(aws, state="absent", force=True), present=False).action == "delete"
    assert aws.requests("delete_repository") == [{"repositoryName": "app/api", "force": True}]


def test_a_new_repository_is_read_back_by_the_engine_and_tags_use_the_ecr_calls() -> None:
    aws = Scripted(describe_repositories=[not_found("RepositoryNotFoundException"), REPOSITORY],
                   list_tags_for_resource={"tags": [{"Key": "app", "Value": "api"}]})
    created = converge(repository(aws, tags={"app": "api"}))
    assert (created.action, created.state["uri"], aws.writes()) == ("create", "123456789012.dkr.ecr/app/api", ["create_repository"])
    converge(repository(aws, tags={"app": "web"}))
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": [{"Key": "app", "Value": "web"}]}]
