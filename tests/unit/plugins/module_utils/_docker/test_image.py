"""docker_image: references, the build-context hash (with .dockerignore), build logs, and the skip decision."""

from __future__ import annotations

import os
import pathlib
import typing as t

import pytest
from docker.errors import APIError, NotFound

from ansible_collections.agno.infra.plugins.module_utils._docker import image
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError, converge


def write(root: pathlib.Path, files: t.Dict[str, str]) -> pathlib.Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


@pytest.fixture()
def context(tmp_path: pathlib.Path) -> pathlib.Path:
    return write(tmp_path / "ctx", {
        "Dockerfile": "FROM base\nCOPY . /app\n",
        "app.py": "print('v1')\n",
        "src/lib.py": "X = 1\n",
        "notes.md": "ignored\n",
        "cache/blob": "ignored too\n",
        "cache/keep": "kept by a negation\n",
        ".dockerignore": "# comment\n\nnotes.md\ncache\n!cache/keep\n",
    })


def digest(root: pathlib.Path, dockerfile: str = "Dockerfile", args: t.Optional[t.Dict[str, str]] = None,
           target: t.Optional[str] = None, labels: t.Optional[t.Dict[str, str]] = None) -> str:
    return image.build_hash(str(root), dockerfile, args or {}, target, labels or {})


# ---- references -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, tag, expected", [
    ("agent-app/api", "latest", ("agent-app/api", "latest")),
    ("agent-app/api", "1.2", ("agent-app/api", "1.2")),
    ("agent-app/api:1.2", "latest", ("agent-app/api", "1.2")),
    ("agent-app/api:1.2", "1.2", ("agent-app/api", "1.2")),
    ("localhost:5000/api", "2", ("localhost:5000/api", "2")),
    ("localhost:5000/api:3", "latest", ("localhost:5000/api", "3")),
])
def test_split_reference(name: str, tag: str, expected: t.Tuple[str, str]) -> None:
    assert image.split_reference(name, tag) == expected


def test_conflicting_tags_are_refused() -> None:
    with pytest.raises(ResourceError) as error:
        image.split_reference("agent-app/api:1", "2")
    assert error.value.msg == ("Docker image agent-app/api:1 names tag 1 but the tag option says 2: set the tag in one "
                               "place.")


# ---- the build context ------------------------------------------------------------------------------
def test_dockerignore_patterns_skip_comments_and_blanks(context: pathlib.Path) -> None:
    assert image.dockerignore_patterns(str(context)) == ["notes.md", "cache", "!cache/keep"]
    assert image.dockerignore_patterns(str(context / "src")) == []


def test_context_files_honour_dockerignore(context: pathlib.Path) -> None:
    files = image.context_files(str(context), "Dockerfile")
    assert "notes.md" not in files and "cache/blob" not in files
    assert {"Dockerfile", "app.py", "src", "src/lib.py", "cache/keep", ".dockerignore"} <= set(files)
    assert files == sorted(files)


def test_an_ignored_dockerfile_is_still_sent(context: pathlib.Path) -> None:
    write(context, {".dockerignore": "Dockerfile\n"})
    assert "Dockerfile" in image.context_files(str(context), "Dockerfile")


@pytest.mark.parametrize("dockerfile, expected", [
    ("Dockerfile", "Dockerfile"), ("docker/api.Dockerfile", "docker/api.Dockerfile"), ("../Dockerfile", None),
])
def test_dockerfile_in_context(dockerfile: str, expected: t.Optional[str]) -> None:
    assert image.dockerfile_in_context("/srv/ctx", dockerfile) == expected


# ---- the build hash ---------------------------------------------------------------------------------
def test_hash_is_stable_and_ignores_timestamps(context: pathlib.Path) -> None:
    first = digest(context)
    os.utime(context / "app.py", (1, 1))
    assert digest(context) == first
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 64


def test_hash_changes_with_a_sent_file_only(context: pathlib.Path) -> None:
    first = digest(context)
    write(context, {"notes.md": "changed but ignored\n", "cache/blob": "changed but ignored\n"})
    assert digest(context) == first
    write(context, {"cache/keep": "changed\n"})
    assert digest(context) != first


@pytest.mark.parametrize("change", [
    lambda root: write(root, {"app.py": "print('v2')\n"}),
    lambda root: write(root, {"src/new.py": ""}),
    lambda root: (root / "src/lib.py").rename(root / "src/lib2.py"),
    lambda root: (root / "app.py").chmod(0o755),
    lambda root: (root / "empty-dir").mkdir(),
    lambda root: os.symlink("app.py", str(root / "link")),
    lambda root: write(root, {"Dockerfile": "FROM base\n"}),
])
def test_hash_changes_with_the_context(context: pathlib.Path, change: t.Callable[[pathlib.Path], t.Any]) -> None:
    first = digest(context)
    change(context)
    assert digest(context) != first


def test_hash_changes_with_each_build_input(context: pathlib.Path) -> None:
    write(context, {"Other.Dockerfile": "FROM base\nCOPY . /app\n"})
    base = digest(context, args={"A": "1"}, labels={"l": "1"})
    assert digest(context, args={"A": "1"}, labels={"l": "1"}) == base
    assert len({
        base,
        digest(context, args={"A": "2"}, labels={"l": "1"}),
        digest(context, args={"A": "1", "B": "1"}, labels={"l": "1"}),
        digest(context, args={"A": "1"}, labels={"l": "2"}),
        digest(context, args={"A": "1"}, labels={"l": "1"}, target="runtime"),
        digest(context, "Other.Dockerfile", args={"A": "1"}, labels={"l": "1"}),
    }) == 6


def test_hash_ignores_the_order_of_args_and_labels(context: pathlib.Path) -> None:
    assert digest(context, args={"A": "1", "B": "2"}, labels={"x": "1", "y": "2"}) == \
        digest(context, args={"B": "2", "A": "1"}, labels={"y": "2", "x": "1"})


def test_hash_covers_a_dockerfile_outside_the_context(tmp_path: pathlib.Path, context: pathlib.Path) -> None:
    write(tmp_path, {"outside.Dockerfile": "FROM base\n"})
    first = digest(context, "../outside.Dockerfile")
    write(tmp_path, {"outside.Dockerfile": "FROM other\n"})
    assert digest(context, "../outside.Dockerfile") != first


# ---- build logs -------------------------------------------------------------------------------------
FAILED_BUILD = [
    {"stream": "Step 1/3 : FROM base"}, {"stream": "\n"}, {"stream": " ---> cb47a98244db\n"},
    {"stream": "Step 2/3 : RUN echo start && ls /nope"}, {"stream": "\n"}, {"stream": " ---> Running in 6da4973\n"},
    {"stream": "start\n"}, {"stream": "\x1b[91mls: cannot access '/nope': No such file or directory\n\x1b[0m"},
    {"stream": "Removing intermediate container 6da4973\n"},
    {"errorDetail": {"code": 2, "message": "The command '/bin/sh -c ls /nope' returned a non-zero code: 2"},
     "error": "The command '/bin/sh -c ls /nope' returned a non-zero code: 2"},
]


def test_a_successful_build_has_no_failure() -> None:
    assert image.build_failure([{"stream": "Step 1/1 : FROM base\n"}, {"aux": {"ID": "sha256:1"}}]) is None


def test_a_failed_build_quotes_the_failing_step() -> None:
    assert image.build_failure(FAILED_BUILD) == (
        "The command '/bin/sh -c ls /nope' returned a non-zero code: 2 (build log: Step 2/3 : RUN echo start && "
        "ls /nope | start | ls: cannot access '/nope': No such file or directory)")


def test_a_long_step_keeps_its_first_and_last_lines() -> None:
    stream = [{"stream": "Step 1/1 : RUN noisy\n"}] + [{"stream": "line %d\n" % number} for number in range(50)]
    lines = image.failing_step(stream)
    assert lines[:2] == ["Step 1/1 : RUN noisy", "..."]
    assert lines[-1] == "line 49" and len(lines) == image.BUILD_LOG_LINES + 1


def test_an_error_before_any_output_is_quoted_alone() -> None:
    assert image.build_failure([{"error": "dockerfile parse error line 1: unknown instruction: FORM"}]) == \
        "dockerfile parse error line 1: unknown instruction: FORM"


# ---- the resource with a fake Docker client ---------------------------------------------------------
class FakeDocker:
    """Images by reference; build and pull record their calls and tag a new image."""

    def __init__(self) -> None:
        self.images: t.Dict[str, t.Dict[str, t.Any]] = {}
        self.calls: t.List[str] = []
        self.pull_error: t.Optional[str] = None

    def inspect_image(self, ref: str) -> t.Dict[str, t.Any]:
        self.calls.append("inspect_image")
        if ref not in self.images:
            raise NotFound("no such image")
        return self.images[ref]

    def build(self, **kwargs: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
        self.calls.append("build")
        self.images[kwargs["tag"]] = {"Id": "sha256:%d" % len(self.calls), "RepoTags": [kwargs["tag"]],
                                      "Config": {"Labels": kwargs["labels"]}}
        return iter([{"stream": "Successfully built\n"}])

    def pull(self, repository: str, tag: str, **_kwargs: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
        self.calls.append("pull")
        if self.pull_error:
            raise APIError(self.pull_error, explanation=self.pull_error)
        self.images["%s:%s" % (repository, tag)] = {"Id": "sha256:pulled", "RepoTags": ["%s:%s" % (repository, tag)]}
        return iter([{"status": "Downloaded newer image"}])

    def remove_image(self, ref: str, force: bool = False) -> None:
        self.calls.append("remove_image")

    def containers(self, **_kwargs: t.Any) -> t.List[t.Dict[str, t.Any]]:
        return [{"Names": ["/agno-it-user"]}]


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    base = {"name": "agno-it/app", "tag": "1", "state": "present", "source": None, "build": None, "force": False,
            "docker_host": "unix:///var/run/docker.sock"}
    return dict(base, **overrides)


def build_params(context: pathlib.Path, **overrides: t.Any) -> t.Dict[str, t.Any]:
    build = {"path": str(context), "dockerfile": "Dockerfile", "args": {}, "target": None, "labels": {},
             "network": None, "pull": False, "nocache": False}
    return params(build=build, **overrides)


def test_an_unchanged_build_is_skipped_with_one_inspect(context: pathlib.Path) -> None:
    docker = FakeDocker()
    created = converge(image.ImageResource(docker, build_params(context)))
    assert created.action == "create" and created.state and created.state["build_hash"].startswith("sha256:")
    docker.calls.clear()
    again = converge(image.ImageResource(docker, build_params(context)))
    assert (again.changed, docker.calls) == (False, ["inspect_image"])
    assert again.state == created.state


def test_check_mode_shows_a_placeholder_id_and_builds_nothing(context: pathlib.Path) -> None:
    docker = FakeDocker()
    first = converge(image.ImageResource(docker, build_params(context)))
    write(context, {"app.py": "print('v2')\n"})
    docker.calls.clear()
    preview = converge(image.ImageResource(docker, build_params(context)), check_mode=True)
    assert docker.calls == ["inspect_image"]
    assert preview.changes == ["build_hash", "id"]
    assert preview.diff["before"]["id"] == first.state["id"]  # type: ignore[index]
    assert preview.diff["after"]["id"] == image.NEW_IMAGE_ID
    assert preview.diff["after"]["build_hash"] != preview.diff["before"]["build_hash"]


def test_force_rebuilds_an_unchanged_image(context: pathlib.Path) -> None:
    docker = FakeDocker()
    converge(image.ImageResource(docker, build_params(context)))
    forced = converge(image.ImageResource(docker, build_params(context, force=True)))
    assert forced.action == "update" and forced.changes == ["id"] and docker.calls.count("build") == 2


class TaggingDocker(FakeDocker):
    """Each build a new id; tags and removals change the images, as the engine's do."""

    def build(self, **kwargs: t.Any) -> t.Iterator[t.Dict[str, t.Any]]:
        built = super().build(**kwargs)
        info = self.images[kwargs["tag"]]
        info["Id"] = "sha256:build%d" % self.calls.count("build")
        self.images[info["Id"]] = info  # an untagged image stays, by its id
        return built

    def tag(self, image_id: str, repository: str, tag: str) -> None:
        self.calls.append("tag %s:%s" % (repository, tag))
        self.images["%s:%s" % (repository, tag)] = self.images[image_id]

    def remove_image(self, ref: str, force: bool = False) -> None:
        self.calls.append("remove_image %s" % ref)
        for name in [name for name, info in self.images.items() if ref in (name, info["Id"])]:
            del self.images[name]


def test_a_rebuild_keeps_the_replaced_image_as_previous_and_drops_the_one_before(context: pathlib.Path) -> None:
    docker = TaggingDocker()
    task = build_params(context, previous_tag="previous")
    first = converge(image.ImageResource(docker, task)).state["id"]  # type: ignore[index]
    write(context, {"app.py": "print('v2')\n"})
    second = converge(image.ImageResource(docker, task)).state["id"]  # type: ignore[index]
    assert "tag agno-it/app:previous" in docker.calls and not [call for call in docker.calls if call.startswith("remove_image")]
    assert first != second
    assert docker.images["agno-it/app:previous"]["Id"] == first
    write(context, {"app.py": "print('v3')\n"})
    converge(image.ImageResource(docker, task))
    assert docker.images["agno-it/app:previous"]["Id"] == second and "remove_image %s" % first in docker.calls
    converge(image.ImageResource(docker, dict(task, state="absent", force=True)), present=False)
    assert "agno-it/app:previous" not in docker.images and "agno-it/app:1" not in docker.images


def test_a_missing_local_image_fails_even_in_check_mode() -> None:
    with pytest.raises(ResourceError) as error:
        converge(image.ImageResource(FakeDocker(), params(source="local")), check_mode=True)
    assert error.value.msg == ("Docker image agno-it/app:1 is not on the Docker host at unix:///var/run/docker.sock: "
                               "build it (source: build), pull it (source: pull), or load it with docker load.")


def test_a_present_image_is_not_pulled_again() -> None:
    docker = FakeDocker()
    assert converge(image.ImageResource(docker, params(source="pull"))).action == "create"
    assert not converge(image.ImageResource(docker, params(source="pull"))).changed
    assert docker.calls.count("pull") == 1


def test_a_failed_pull_says_how_to_fix_it() -> None:
    docker = FakeDocker()
    docker.pull_error = "Get https://registry-1.docker.io/v2/: no such host"
    with pytest.raises(ResourceError) as error:
        converge(image.ImageResource(docker, params(name="agno-it/app:2", tag="latest", source="pull")))
    assert error.value.msg == (
        "Cannot pull docker image agno-it/app:2: the registry could not be reached or denied the pull (Get "
        "https://registry-1.docker.io/v2/: no such host); build the image locally (source: build), or load it onto the "
        "host and use source: local.")


def test_an_image_in_use_is_only_removed_with_force(context: pathlib.Path) -> None:
    docker = FakeDocker()
    converge(image.ImageResource(docker, build_params(context)))
    with pytest.raises(ResourceError) as error:
        converge(image.ImageResource(docker, params(state="absent")), present=False)
    assert error.value.msg == ("Docker image agno-it/app:1 is used by containers agno-it-user: remove them first, or "
                               "set force: true to remove the image anyway.")
    assert converge(image.ImageResource(docker, params(state="absent", force=True)), present=False).action == "delete"


def test_a_missing_context_is_reported(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ResourceError) as error:
        converge(image.ImageResource(FakeDocker(), build_params(tmp_path / "missing")))
    assert error.value.msg == ("Build context %s of docker image agno-it/app:1 is not a directory: set build.path to the "
                               "directory that holds the Dockerfile." % (tmp_path / "missing"))


# ---- push -------------------------------------------------------------------------------------------
REPOSITORY = "127.0.0.1:5000/agno-it/app"


class FakeRegistry:
    """A registry's tags; a push records the manifest digest on the pushed image (its RepoDigests), as Docker does."""

    def __init__(self, docker: FakeDocker) -> None:
        self.docker = docker
        self.tags: t.Dict[str, str] = {}
        self.pushes: t.List[str] = []
        self.reads: t.List[str] = []

    def digest(self, tag: str) -> t.Optional[str]:
        self.reads.append(tag)
        return self.tags.get(tag)

    def push(self, client: FakeDocker, tag: str) -> None:
        pushed = client.images["%s:%s" % (REPOSITORY, tag)]
        self.tags[tag] = "sha256:manifest-of-" + pushed["Id"]
        pushed.setdefault("RepoDigests", []).append("%s@%s" % (REPOSITORY, self.tags[tag]))
        self.pushes.append(tag)


class PushingDocker(FakeDocker):
    def tag(self, image_ref: str, repository: str, tag: str) -> None:
        self.calls.append("tag")
        self.images["%s:%s" % (repository, tag)] = self.images[image_ref]


def pushing(docker: PushingDocker, fake: FakeRegistry, task: t.Dict[str, t.Any]) -> image.ImageResource:
    resource = image.ImageResource(docker, dict(task, push=True, repository=REPOSITORY))
    resource._registry = fake  # type: ignore[assignment]  # pylint: disable=protected-access
    return resource


def test_a_build_is_pushed_once_and_a_rebuild_pushes_its_new_digest(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    created = converge(pushing(docker, fake, build_params(context)))
    assert created.action == "create" and fake.pushes == ["1"]
    assert created.state["pushed"] == REPOSITORY + ":1"  # type: ignore[index]
    assert created.state["digest"] == fake.tags["1"]  # type: ignore[index]
    again = converge(pushing(docker, fake, build_params(context)))
    assert (again.changed, fake.pushes) == (False, ["1"])
    write(context, {"app.py": "print('v2')\n"})
    preview = converge(pushing(docker, fake, build_params(context)), check_mode=True)
    assert preview.action == "update" and preview.changes == ["build_hash", "digest", "id"]
    assert preview.diff["after"]["digest"] == image.NEW_DIGEST and preview.diff["after"]["pushed"] == REPOSITORY + ":1"
    rebuilt = converge(pushing(docker, fake, build_params(context)))
    assert rebuilt.action == preview.action and fake.pushes == ["1", "1"]
    assert rebuilt.state["digest"] not in (None, created.state["digest"])  # type: ignore[index]


def test_a_local_image_is_pushed_when_the_registry_tag_names_another(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    converge(image.ImageResource(docker, build_params(context)))
    fake.tags["1"] = "sha256:someone-elses"
    preview = converge(pushing(docker, fake, params(source="local")), check_mode=True)
    assert (preview.action, preview.changes) == ("update", ["digest", "pushed"])
    assert preview.diff["before"] == {"digest": "sha256:someone-elses", "pushed": None, "state": "present"}
    pushed = converge(pushing(docker, fake, params(source="local")))
    assert pushed.action == "update" and fake.pushes == ["1"] and docker.calls.count("build") == 1
    assert not converge(pushing(docker, fake, params(source="local"))).changed


def test_the_push_options_are_checked_before_any_call() -> None:
    assert image.ImageResource.problems(params(push=True, repository=None, timeout=60)) == [
        "docker image agno-it/app has push: true but no repository: set repository to the registry's repository, such "
        "as 127.0.0.1:5000/agent/api."]


def test_the_registry_is_asked_before_the_first_build(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    preview = converge(pushing(docker, fake, build_params(context)), check_mode=True)
    assert (preview.action, fake.reads, docker.calls) == ("create", ["1"], ["inspect_image"])
    assert preview.diff["after"]["digest"] == image.NEW_DIGEST


def test_content_tag_pushes_a_tag_of_the_build_hash_and_a_changed_context_a_new_one(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    task = dict(build_params(context), content_tag=True)
    created = converge(pushing(docker, fake, task))
    first = image.content_tag(created.state["build_hash"])  # type: ignore[index]
    assert first and first.startswith("build-") and len(first) == len("build-") + image.CONTENT_TAG_DIGITS
    assert fake.pushes == [first] and created.state["pushed"] == "%s:%s" % (REPOSITORY, first)  # type: ignore[index]
    assert not converge(pushing(docker, fake, task)).changed and fake.pushes == [first]
    write(context, {"app.py": "print('v2')\n"})
    preview = converge(pushing(docker, fake, task), check_mode=True)
    rebuilt = converge(pushing(docker, fake, task))
    second = image.content_tag(rebuilt.state["build_hash"])  # type: ignore[index]
    assert preview.diff["after"]["pushed"] == "%s:%s" % (REPOSITORY, second) and preview.action == rebuilt.action == "update"
    assert second != first and fake.pushes == [first, second] and fake.tags[first] != fake.tags[second]


def test_content_tag_needs_a_build() -> None:
    assert image.ImageResource.problems(params(source="local", content_tag=True, timeout=60)) == [
        "docker image agno-it/app has content_tag: true, which tags with the build hash, but is not built (source: build): "
        "remove content_tag or build the image."]


def test_content_tag_in_the_registry_stands_for_the_build_on_a_host_without_the_image(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    task = dict(build_params(context), content_tag=True)
    pushed = converge(pushing(docker, fake, task)).state
    fresh = PushingDocker()  # another host (a CI runner) with the same context: the registry already has its build
    fake.docker = fresh
    again = converge(pushing(fresh, fake, task))
    assert (again.changed, fresh.calls.count("build"), fake.pushes) == (False, 0, [content_tag_of(pushed)])
    assert again.state["id"] is None and again.state["digest"] == pushed["digest"]  # type: ignore[index]
    assert again.state["pushed"] == pushed["pushed"]  # type: ignore[index]


def test_content_tag_trusts_the_registry_tag_whoever_pushed_it(context: pathlib.Path) -> None:
    docker = PushingDocker()
    fake = FakeRegistry(docker)
    task = dict(build_params(context), content_tag=True)
    converge(image.ImageResource(docker, build_params(context)))  # built here, never pushed from here
    tag = content_tag_of(converge(pushing(docker, fake, task), check_mode=True).state)
    fake.tags[tag] = "sha256:pushed-by-another-host"
    done = converge(pushing(docker, fake, task))
    assert (done.changed, fake.pushes, done.state["digest"]) == (False, [], "sha256:pushed-by-another-host")  # type: ignore[index]


def content_tag_of(state: t.Optional[t.Dict[str, t.Any]]) -> str:
    return str(image.content_tag((state or {})["build_hash"]))
