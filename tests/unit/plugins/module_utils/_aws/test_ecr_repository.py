"""ECR repositories: the lifecycle policy checked before any call, and converges that never lose images by surprise."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecr_repository
from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import RepositoryResource, normalise_policy
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted, not_found, task_params
from ansible_collections.agno.infra.tests.unit.support import task_resource


def test_lifecycle_policy_normalised() -> None:
    text = '{"rules": [{"rulePriority": 2, "action": {"type": "expire"}}, {"rulePriority": 1, "action": {"type": "expire"}}]}'
    assert normalise_policy(text) == {"rules": [{"rulePriority": 1, "action": {"type": "expire"}},
                                                {"rulePriority": 2, "action": {"type": "expire"}}]}
    assert normalise_policy("") is None
    with pytest.raises(ResourceError, match="list of rules"):
        normalise_policy("[1]")


class Ecr:
    """ECR's repository calls, with the images each repository holds."""

    def __init__(self) -> None:
        self.repositories: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.policies: t.Dict[str, str] = {}
        self.images: t.Dict[str, t.List[str]] = {}

    def describe_repositories(self, repositoryNames: t.List[str]) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        if repositoryNames[0] not in self.repositories:
            raise client_error("RepositoryNotFoundException", "DescribeRepositories", "The repository does not exist.")
        return {"repositories": [dict(self.repositories[repositoryNames[0]])]}

    def create_repository(self, repositoryName: str, imageTagMutability: str,  # pylint: disable=invalid-name
                          imageScanningConfiguration: t.Dict[str, bool], encryptionConfiguration: t.Dict[str, str],  # pylint: disable=invalid-name
                          tags: t.List[t.Any]) -> None:
        self.repositories[repositoryName] = {
            "repositoryName": repositoryName, "repositoryArn": "arn:aws:ecr:%s:%s:repository/%s" % (REGION, ACCOUNT, repositoryName),
            "repositoryUri": "%s.dkr.ecr.%s.amazonaws.com/%s" % (ACCOUNT, REGION, repositoryName),
            "imageTagMutability": imageTagMutability, "imageScanningConfiguration": imageScanningConfiguration,
            "encryptionConfiguration": encryptionConfiguration}
        self.images[repositoryName] = []

    def put_image_tag_mutability(self, repositoryName: str, imageTagMutability: str) -> None:  # pylint: disable=invalid-name
        self.repositories[repositoryName]["imageTagMutability"] = imageTagMutability

    def get_lifecycle_policy(self, repositoryName: str) -> t.Dict[str, str]:  # pylint: disable=invalid-name
        if repositoryName not in self.policies:
            raise client_error("LifecyclePolicyNotFoundException", "GetLifecyclePolicy", "Lifecycle policy does not exist.")
        return {"repositoryName": repositoryName, "lifecyclePolicyText": self.policies[repositoryName]}

    def put_lifecycle_policy(self, repositoryName: str, lifecyclePolicyText: str) -> None:  # pylint: disable=invalid-name
        self.policies[repositoryName] = lifecyclePolicyText

    def delete_lifecycle_policy(self, repositoryName: str) -> None:  # pylint: disable=invalid-name
        del self.policies[repositoryName]

    def list_images(self, repositoryName: str, maxResults: int) -> t.Dict[str, t.Any]:  # pylint: disable=invalid-name
        return {"imageIds": [{"imageTag": tag} for tag in self.images[repositoryName][:maxResults]]}

    def delete_repository(self, repositoryName: str, force: bool) -> None:  # pylint: disable=invalid-name
        assert force or not self.images[repositoryName], "ECR refuses: RepositoryNotEmptyException"
        del self.repositories[repositoryName]


EXPIRE = [{"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 50},
           "action": {"type": "expire"}},
          {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                            "countNumber": 7}, "action": {"type": "expire"}}]


def repository(aws: FakeAws, **options: t.Any) -> ecr_repository.RepositoryResource:
    return task_resource(ecr_repository.RepositoryResource, aws, **dict({"name": "app/api"}, **options))


def test_create_with_a_policy_then_the_same_rules_in_another_order_change_nothing() -> None:
    ecr = Ecr()
    aws = FakeAws(ecr=ecr)
    created = converge(repository(aws, lifecycle_policy={"rules": EXPIRE}))
    assert created.action == "create" and aws.writes() == ["create_repository", "put_lifecycle_policy"]
    assert (created.state["image_tag_mutability"], created.state["scan_on_push"], created.state["encryption"]) == ("IMMUTABLE", True, "AES256")
    assert [rule["rulePriority"] for rule in json.loads(ecr.policies["app/api"])["rules"]] == [1, 2]
    aws.clear()
    assert converge(repository(aws, lifecycle_policy=json.dumps({"rules": list(reversed(EXPIRE))}))).changed is False
    removed = converge(repository(aws, lifecycle_policy="", image_tag_mutability="MUTABLE"))
    assert removed.changes == ["image_tag_mutability", "lifecycle_policy"]
    assert aws.writes() == ["put_image_tag_mutability", "delete_lifecycle_policy"]


def test_images_are_never_lost_without_force() -> None:
    ecr = Ecr()
    aws = FakeAws(ecr=ecr)
    converge(repository(aws))
    ecr.images["app/api"] = ["1.0"]
    with pytest.raises(ResourceError) as raised:
        converge(repository(aws, encryption="KMS"), check_mode=True)
    assert raised.value.msg == ("ECR repository app/api must be recreated to change its encryption, and it still holds images: "
                                "delete them first, or set force: true to delete the repository with its images.")
    with pytest.raises(ResourceError) as raised:
        converge(repository(aws, state="absent"), present=False)
    assert raised.value.msg == ("ECR repository app/api still holds images: delete them first, or set force: true to delete the "
                                "repository with its images.")
    assert converge(repository(aws, state="absent", force=True), present=False).action == "delete" and ecr.repositories == {}


def test_a_kms_key_needs_kms_encryption() -> None:
    # An option constraint: the runner and the plan check it with problems, before converge makes any call.
    problems = RepositoryResource.problems(repository(FakeAws(ecr=Ecr()), kms_key="alias/ecr").params)
    assert problems == ["ECR repository app/api: kms_key needs encryption KMS; set encryption: KMS or drop kms_key."]


ARN = "arn:aws:ecr:us-east-1:123456789012:repository/app/api"
REPOSITORY = {"repositories": [{"repositoryName": "app/api", "repositoryArn": ARN, "repositoryUri": "123456789012.dkr.ecr/app/api",
                                "imageScanningConfiguration": {"scanOnPush": True}, "imageTagMutability": "IMMUTABLE",
                                "encryptionConfiguration": {"encryptionType": "AES256"}}]}


def scripted_repository(aws: t.Any = None, **params: t.Any) -> RepositoryResource:
    return RepositoryResource(aws, task_params(RepositoryResource, {"name": "app/api"}, **params))


def rule(priority: t.Any, count: t.Any) -> t.Dict[str, t.Any]:
    return {"rulePriority": priority, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": count},
            "action": {"type": "expire"}}


def test_the_policy_the_name_and_the_key_are_checked_before_any_call() -> None:
    params = scripted_repository(name="App/API", kms_key="alias/ecr", lifecycle_policy={"rules": [rule(1, 0), rule(1, 5)]}).params
    assert RepositoryResource.problems(params) == [
        "ECR repository App/API: name is 'App/API': use 2 to 256 lower-case letters, digits and . _ - / (between letters or "
        "digits), such as team/app.",
        "ECR repository App/API: lifecycle_policy.rules[0].selection.countNumber is 0: use 1 or more. lifecycle_policy repeats "
        "a rulePriority: give each rule its own.",
        "ECR repository App/API: kms_key needs encryption KMS; set encryption: KMS or drop kms_key.",
    ]
    assert "lifecycle_policy is not valid JSON" in RepositoryResource.problems(scripted_repository(lifecycle_policy="{rules").params)[0]
    assert RepositoryResource.problems(scripted_repository(lifecycle_policy='{"rules": []}', kms_key="k", encryption="KMS").params) == []


def test_images_block_a_deletion_and_a_replacement_unless_forced() -> None:
    aws = Scripted(describe_repositories=REPOSITORY, list_images={"imageIds": [{"imageTag": "1"}]})
    with pytest.raises(ResourceError, match="^ECR repository app/api still holds images: delete them first"):
        converge(scripted_repository(aws, state="absent"), present=False)
    with pytest.raises(ResourceError, match="must be recreated to change its encryption, and it still holds images"):
        converge(scripted_repository(aws, encryption="KMS"), check_mode=True)
    assert aws.writes() == []
    assert converge(scripted_repository(aws, state="absent", force=True), present=False).action == "delete"
    assert aws.requests("delete_repository") == [{"repositoryName": "app/api", "force": True}]


def test_a_new_repository_is_read_back_by_the_engine_and_tags_use_the_ecr_calls() -> None:
    aws = Scripted(describe_repositories=[not_found("RepositoryNotFoundException"), REPOSITORY],
                   list_tags_for_resource={"tags": [{"Key": "app", "Value": "api"}]})
    created = converge(scripted_repository(aws, tags={"app": "api"}))
    assert (created.action, created.state["uri"], aws.writes()) == ("create", "123456789012.dkr.ecr/app/api", ["create_repository"])
    converge(scripted_repository(aws, tags={"app": "web"}))
    assert aws.requests("tag_resource") == [{"resourceArn": ARN, "tags": [{"Key": "app", "Value": "web"}]}]
