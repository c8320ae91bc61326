"""docker_image pushes to a real registry (Debian's docker-registry on loopback, htpasswd basic auth), through real
ansible-playbook runs with -vvv and --diff: a push returns the digest the registry holds, a rerun uploads nothing, a
rebuild pushes its new digest (check mode announced the same action), wrong credentials and a registry that is down
fail with one sentence and push nothing, and registry_auth.ecr logs in through moto's GetAuthorizationToken (issue 12).
"""

from __future__ import annotations

import json
import pathlib
import socket
import subprocess
import time
import typing as t

import pytest
import yaml

from conftest import LocalRegistry
from harness import PlaybookRun, run_playbook

pytestmark = pytest.mark.docker

NEW_DIGEST = "(pushed, digest known after the push)"


class Pusher:
    """One image of the test's own (agno-it-push/NAME:1, built from a context of its own) and its pushes."""

    def __init__(self, directory: pathlib.Path, name: str, registry: LocalRegistry) -> None:
        self.directory = directory
        self.name = "agno-it-push/" + name
        self.path = "agno-it-push/" + name
        self.registry = registry
        self.context = directory / "context"
        self.context.mkdir()
        (self.context / "Dockerfile").write_text("FROM agno-infra/debian:bookworm\nCOPY app.txt /app.txt\n")
        self.write_source("version 1 of %s\n" % name)

    @property
    def repository(self) -> str:
        return self.registry.repository(self.path)

    def write_source(self, content: str) -> None:
        (self.context / "app.txt").write_text(content)

    def task(self, **overrides: t.Any) -> t.Dict[str, t.Any]:
        task: t.Dict[str, t.Any] = {
            "name": self.name, "tag": "1", "build": {"path": str(self.context)}, "push": True,
            "repository": self.repository,
            "registry_auth": {"username": self.registry.user, "password": self.registry.password},
        }
        return dict(task, **overrides)

    def run(self, *args: str, env: t.Optional[t.Dict[str, str]] = None, **overrides: t.Any) -> t.Tuple[PlaybookRun, t.Dict[str, t.Any]]:
        """Run the task (with -vvv and --diff), and its registered result."""
        result_file = self.directory / "result.json"
        result_file.unlink(missing_ok=True)
        playbook = self.directory / "push.yml"
        playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "Push the image", "agno.infra.docker_image": self.task(**overrides), "register": "pushed",
             "ignore_errors": True},
            {"name": "Keep the result", "ansible.builtin.copy": {
                "content": "{{ pushed | to_json }}", "dest": str(result_file), "mode": "0600"}, "check_mode": False},
        ]}]))
        run = run_playbook(playbook, "-vvv", "--diff", *args, env=env)
        assert run.rc == 0, run.tail()
        return run, json.loads(result_file.read_text())

    def cleanup(self) -> None:
        subprocess.run(["docker", "rmi", "-f", self.name + ":1", self.repository + ":1"], capture_output=True, check=False)


@pytest.fixture()
def pusher(tmp_path: pathlib.Path, registry: LocalRegistry, request: pytest.FixtureRequest) -> t.Iterator[Pusher]:
    made = Pusher(tmp_path, request.node.name.replace("test_", "").replace("_", "-")[:40].strip("-"), registry)
    yield made
    made.cleanup()


def test_a_push_returns_the_digest_a_rerun_uploads_nothing_and_a_rebuild_pushes_its_new_digest(pusher: Pusher) -> None:
    registry = pusher.registry
    run, first = pusher.run()
    assert first["changed"] and first["action"] == "create", run.tail()
    digest = first["image"]["digest"]
    assert digest.startswith("sha256:") and first["image"]["pushed"] == pusher.repository + ":1"
    assert registry.manifest_digest(pusher.path, "1") == digest, run.tail()
    assert pusher.repository + ":1" in first["image"]["tags"], first
    uploads = registry.blob_uploads()
    assert uploads > 0, registry.log.read_text()[-3000:]

    run, again = pusher.run()
    assert (again["changed"], again["action"]) == (False, "none"), run.tail()
    assert again["image"]["digest"] == digest, again
    assert registry.blob_uploads() == uploads, registry.log.read_text()[-3000:]

    pusher.write_source("version 2\n")
    run, preview = pusher.run("--check")
    assert preview["changed"] and preview["action"] == "update", run.tail()
    assert preview["changes"] == ["build_hash", "digest", "id"]
    assert preview["diff"]["before"]["digest"] == digest and preview["diff"]["after"]["digest"] == NEW_DIGEST
    assert preview["diff"]["after"]["pushed"] == pusher.repository + ":1"
    assert "pushed" in run.output and NEW_DIGEST in run.output
    assert registry.manifest_digest(pusher.path, "1") == digest and registry.blob_uploads() == uploads, run.tail()

    run, rebuilt = pusher.run()
    assert rebuilt["action"] == preview["action"] and rebuilt["changed"], run.tail()
    new_digest = rebuilt["image"]["digest"]
    assert new_digest.startswith("sha256:") and new_digest != digest, rebuilt
    assert registry.manifest_digest(pusher.path, "1") == new_digest, run.tail()
    assert registry.blob_uploads() > uploads, registry.log.read_text()[-3000:]
    # The replaced image held the pushed tag too: the push moved it, so the old image is gone, not left dangling.
    old = subprocess.run(["docker", "image", "inspect", "--format", "{{.RepoTags}}", first["image"]["id"]],
                         capture_output=True, text=True, check=False)
    assert old.returncode != 0, (old.stdout, run.tail())

    run, settled = pusher.run()
    assert not settled["changed"] and settled["image"]["digest"] == new_digest, run.tail()
    assert registry.password not in "".join(path.read_text() for path in [pusher.directory / "result.json"])


def test_wrong_credentials_fail_with_one_sentence_before_anything_is_built_or_pushed(pusher: Pusher) -> None:
    registry = pusher.registry
    uploads = registry.blob_uploads()
    wrong = "agno-it-wrong-pw-91d3"
    run, failed = pusher.run(registry_auth={"username": registry.user, "password": wrong})
    assert failed.get("failed"), run.tail()
    assert failed["msg"] == ("Registry %s refused the credentials for %s: check registry_auth.username/password."
                             % (registry.host, pusher.repository))
    assert wrong not in run.output and registry.password not in run.output
    assert registry.manifest_digest(pusher.path, "1") is None and registry.blob_uploads() == uploads
    assert subprocess.run(["docker", "image", "inspect", pusher.name + ":1"], capture_output=True, check=False).returncode != 0


def test_a_registry_that_is_down_fails_fast_with_one_sentence(pusher: Pusher) -> None:
    with socket.socket() as unbound:
        unbound.bind(("127.0.0.1", 0))
        host = "127.0.0.1:%d" % unbound.getsockname()[1]
        started = time.monotonic()
        run, failed = pusher.run(repository=host + "/" + pusher.path)
        seconds = time.monotonic() - started
    assert failed.get("failed"), run.tail()
    assert failed["msg"] == ("Cannot reach registry %s for %s/%s (connection refused): start the registry, or correct the "
                             "host and port in repository." % (host, host, pusher.path))
    assert seconds < 30, seconds
    assert pusher.registry.password not in run.output


def test_push_needs_a_repository(pusher: Pusher) -> None:
    run, failed = pusher.run(repository=None)
    assert failed["msg"] == ("docker image %s has push: true but no repository: set repository to the registry's "
                             "repository, such as 127.0.0.1:5000/agent/api." % pusher.name), run.tail()


def test_an_ecr_login_through_moto_pushes_with_its_token(
        tmp_path: pathlib.Path, ecr_registry: LocalRegistry, aws_env: t.Dict[str, str]) -> None:
    pusher = Pusher(tmp_path, "ecr-login", ecr_registry)
    try:
        ecr = {"registry_auth": {"ecr": True}}
        run, first = pusher.run(env=aws_env, **ecr)
        assert first["changed"] and first["action"] == "create", run.tail()
        assert ecr_registry.manifest_digest(pusher.path, "1") == first["image"]["digest"]
        run, again = pusher.run(env=aws_env, **ecr)
        assert not again["changed"], run.tail()
        assert ecr_registry.password not in run.output
        run, refused = pusher.run(env=dict(aws_env, AWS_ENDPOINT_URL="http://127.0.0.1:1"), **ecr)
        assert refused.get("failed") and "Cannot reach the AWS endpoint http://127.0.0.1:1" in refused["msg"], run.tail()
    finally:
        pusher.cleanup()
