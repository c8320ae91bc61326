"""ECR repositories: the lifecycle policy, and converges that never lose images by surprise."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws import ecr_repository
from ansible_collections.agno.infra.plugins.module_utils._aws.ecr_repository import normalise_policy
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.fakes import ACCOUNT, REGION, FakeAws, client_error
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
    with pytest.raises(ResourceError) as raised:
        converge(repository(FakeAws(ecr=Ecr()), kms_key="alias/ecr"))
    assert raised.value.msg == "ECR repository app/api: kms_key needs encryption KMS; set encryption: KMS or drop kms_key."
