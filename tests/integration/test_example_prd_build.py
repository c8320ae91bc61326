"""The example prd environment built from its sources (a copy of examples/agent-app) on a moto server, its images
pushed to a local registry (agno_registry, htpasswd basic auth): two images for three apps (the api and the worker
share one), each task definition naming its image by digest; a rerun that builds, pushes and calls nothing; a source
edit that gives one new digest, one new revision and one service update, as check mode predicted; a host without the
images (a fresh CI runner) that builds and pushes nothing either; a wrong registry password refused in one sentence that
does not echo it.

Docker builds and moto: it runs in the Docker half of the suite (which also owns the engine's restarts)."""

from __future__ import annotations

import pathlib
import shutil
import typing as t

import pytest

from conftest import LocalRegistry
from harness import ROOT, run_playbook, secret
from test_transitions import REDIS_TOKEN, check, report_file
from transitions import Edit, Matrix, MotoAndDocker, Spec, rerun_problems

pytestmark = [pytest.mark.docker, pytest.mark.aws]

NAME = "agent-app-build"
DB_PASSWORD = secret("build-prd:pa#ss%w?rd&3")
WRONG_PASSWORD = secret("agno-it-not-the-registry-pw-91c2")


def aws(moto_url: str, **extra: str) -> t.Dict[str, str]:
    return dict({"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "AKIAAGNOTEST00000000",
                 "AWS_SECRET_ACCESS_KEY": secret("agno-test-secret-access-key"), "AWS_REGION": "us-east-1",
                 "AWS_DEFAULT_REGION": "us-east-1", "AGNO_DB_PASSWORD": DB_PASSWORD, "AGNO_REDIS_AUTH_TOKEN": REDIS_TOKEN}, **extra)


def client(moto_url: str, service: str) -> t.Any:
    import boto3  # pylint: disable=import-outside-toplevel
    return boto3.client(service, endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id="AKIAAGNOTEST00000000",
                        aws_secret_access_key="agno-test-secret-access-key")


def task_images(moto_url: str) -> t.Dict[str, str]:
    """The image each service's task definition names."""
    ecs = client(moto_url, "ecs")
    services = ecs.describe_services(cluster=NAME, services=["api", "worker", "ui"])["services"]
    return {service["serviceName"]: ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
            ["taskDefinition"]["containerDefinitions"][0]["image"] for service in services}


def remove_images() -> None:
    import docker  # pylint: disable=import-outside-toplevel
    engine = docker.from_env()
    for image in engine.images.list():
        if any(NAME + "/" in tag for tag in image.tags):
            engine.images.remove(image.id, force=True)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A copy of the example app, whose sources the tests edit."""
    copy = tmp_path_factory.mktemp("build") / "agent-app"
    shutil.copytree(ROOT / "examples" / "agent-app", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture(scope="module")
def build(moto_url: str, registry: LocalRegistry, app: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Matrix]:
    spec = Spec.example(app / "inventory" / "prd.yml", aws(moto_url, AGNO_REGISTRY_PASSWORD=registry.password),
                        agno_env_name=NAME, agno_registry=registry.host, agno_registry_user=registry.user)
    remove_images()
    matrix = Matrix(MotoAndDocker(moto_url, NAME), spec, tmp_path_factory.mktemp("build-runs"), report_file("prd-build"))
    try:
        matrix.converge()
        yield matrix
    finally:
        run_playbook("agno.infra.down", inventory=spec.write(matrix.workdir / "down.yml"), extra_vars={"agno_delete_data": "true"},
                     env=spec.environ, timeout=900)
        remove_images()


def test_two_images_for_three_apps_each_task_by_digest(build: Matrix, registry: LocalRegistry, moto_url: str) -> None:
    tags = {name: registry.tags("%s/%s" % (NAME, name)) for name in ("api", "worker", "ui")}
    assert [len(tags["api"]), len(tags["worker"]), len(tags["ui"])] == [1, 0, 1], tags
    assert all(tag.startswith("build-") for tag in tags["api"] + tags["ui"])
    digests = {name: registry.manifest_digest("%s/%s" % (NAME, name), tags[name][0]) for name in ("api", "ui")}
    repository = "%s/%s/" % (registry.host, NAME)
    assert task_images(moto_url) == {"api": repository + "api@" + str(digests["api"]), "worker": repository + "api@" + str(digests["api"]),
                                     "ui": repository + "ui@" + str(digests["ui"])}
    # The registry takes the images: no ECR repository for them.
    names = [repo["repositoryName"] for repo in client(moto_url, "ecr").describe_repositories()["repositories"]]
    assert not [name for name in names if name.startswith(NAME + "/")]


def test_a_rerun_builds_pushes_and_calls_nothing(build: Matrix, registry: LocalRegistry) -> None:
    uploads = registry.blob_uploads()
    rerun = build.up(build.spec)
    assert rerun.failure() is None and rerun_problems(rerun) == []
    assert registry.blob_uploads() == uploads


def test_a_source_edit_gives_one_digest_one_revision_one_service_update(build: Matrix, registry: LocalRegistry, app: pathlib.Path,
                                                                        moto_url: str) -> None:
    before = task_images(moto_url)
    api_tags, ui_tags = registry.tags(NAME + "/api"), registry.tags(NAME + "/ui")

    def edit_source(_spec: Spec) -> None:
        with (app / "ui" / "app.py").open("a") as handle:
            handle.write("# edited by test_example_prd_build\n")
    transition = check(build, Edit("ui-source", edit_source, {"image-ui": "update", "task-ui": "update", "service-ui": "update"}))
    aws_calls = sorted(call.name for call in transition.apply.calls if not call.name.startswith("image "))
    assert aws_calls == ["RegisterTaskDefinition", "UpdateService"]
    after = task_images(moto_url)
    assert (after["api"], after["worker"]) == (before["api"], before["worker"]) and after["ui"] != before["ui"]
    assert registry.tags(NAME + "/api") == api_tags and len(registry.tags(NAME + "/ui")) == len(ui_tags) + 1


def test_a_host_without_the_images_builds_and_pushes_nothing(build: Matrix, registry: LocalRegistry) -> None:
    """A fresh CI runner: the registry's tags of the build hashes stand for the images it does not have."""
    remove_images()
    uploads = registry.blob_uploads()
    rerun = build.up(build.spec)
    assert rerun.failure() is None and rerun_problems(rerun) == []  # no build, no push: no Docker event, no AWS call
    assert registry.blob_uploads() == uploads
    images = {item["id"]: item["state"]["id"] for item in rerun.items if item["type"] == "docker_image"}
    assert images == {"image-api": None, "image-ui": None}


def test_a_wrong_registry_password_is_refused_without_echoing_it(build: Matrix, app: pathlib.Path, moto_url: str) -> None:
    with (app / "api" / "main.py").open("a") as handle:
        handle.write("# a change that a push would carry\n")
    wrong = Spec(dict(build.spec.variables), dict(build.spec.environ, AGNO_REGISTRY_PASSWORD=WRONG_PASSWORD))
    run = run_playbook("agno.infra.up", "-vvv", "--check", inventory=wrong.write(build.workdir / "wrong.yml"), env=wrong.environ,
                       timeout=900)
    assert run.rc != 0
    assert "refused the credentials for %s/%s/api" % (build.spec.variables["agno_registry"], NAME) in run.output
    assert WRONG_PASSWORD not in run.output
