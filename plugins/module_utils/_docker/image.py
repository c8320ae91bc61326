# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker image as a lifecycle resource: built from a context (skipped when nothing changed), pulled, or required.

A build records a hash of everything that shapes it (the files Docker would send, the Dockerfile,
args, target and labels) as a label on the image; an unchanged hash means no build at all.

With push, the image is also tagged ``repository:tag`` and pushed, unless the registry's tag already names a manifest
the Docker host recorded for this image (its RepoDigests): a rebuilt image has none, so its new digest is pushed. With
content_tag the pushed tag is made of the build hash instead, so a registry tag names what was built and never moves:
a registry that has the tag holds this build, and a host without the image (a fresh CI runner) neither builds nor
pushes it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._docker.client import (
    INTERNAL_LABEL_PREFIX, SDK, DockerResource, api_error_text, inspect_or_none, user_labels)
from ansible_collections.agno.infra.plugins.module_utils._docker.network import string_map
from ansible_collections.agno.infra.plugins.module_utils._docker.registry import Registry, push_problems, task_credentials
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import CREATE, DELETE, Refusal, ResourceError

BUILD_HASH_LABEL = INTERNAL_LABEL_PREFIX + "build_hash"
#: Lines of build output quoted when a build fails: the failing step and what it printed last.
BUILD_LOG_LINES = 8
#: What the diff and check mode show as the id of an image that a build or pull has yet to make.
NEW_IMAGE_ID = "(new image, id known after the build or pull)"
#: What the diff and check mode show as the registry digest of an image that is yet to be pushed.
NEW_DIGEST = "(pushed, digest known after the push)"
#: Name the SDK gives a Dockerfile from outside the context; it never matches a file of the context.
EXTERNAL_DOCKERFILE = ".dockerfile.external"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
#: Lines the classic builder prints about itself, which say nothing about why a step failed.
BOOKKEEPING_LINES = ("--->", "Removing intermediate container")
#: The pushed tag of content_tag: this prefix and the first hex digits of the build hash.
CONTENT_TAG_PREFIX = "build-"
CONTENT_TAG_DIGITS = 16


def split_reference(name: str, tag: str) -> t.Tuple[str, str]:
    """Repository and tag from ``name`` (which may carry ``:tag``) and ``tag``; a conflict is an error."""
    repository, _sep, named_tag = name.rpartition(":")
    if not repository or "/" in named_tag:  # no tag, or the colon belongs to a registry port
        return name, tag
    if tag not in ("latest", named_tag):
        raise ResourceError("Docker image %s names tag %s but the tag option says %s: set the tag in one place."
                            % (name, named_tag, tag))
    return repository, named_tag


def dockerignore_patterns(context: str) -> t.List[str]:
    """The patterns of the context's .dockerignore, read the way the Docker SDK reads them."""
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        lines = (line.strip() for line in handle.read().splitlines())
        return [line for line in lines if line and not line.startswith("#")]


def dockerfile_in_context(context: str, dockerfile: str) -> t.Optional[str]:
    """The Dockerfile's path relative to the context, or None when it lies outside (the SDK then sends a copy)."""
    relative = os.path.relpath(os.path.join(context, dockerfile), context)
    return None if relative.startswith("..") else relative


def context_files(context: str, dockerfile: str) -> t.List[str]:
    """Relative paths Docker would send for this context, honouring .dockerignore, sorted."""
    from docker.utils.build import exclude_paths  # only builds need it; keeps other imports light
    root = os.path.abspath(context)
    kept = dockerfile_in_context(root, dockerfile) or EXTERNAL_DOCKERFILE
    return sorted(exclude_paths(root, dockerignore_patterns(root), dockerfile=kept))


def hash_file(digest: t.Any, path: str) -> None:
    """Feed one context entry into ``digest``: its permission bits, then its content (streamed) or link target."""
    info = os.lstat(path)
    digest.update(("%o\0" % stat.S_IMODE(info.st_mode)).encode())
    if stat.S_ISLNK(info.st_mode):
        digest.update(os.readlink(path).encode())
    elif stat.S_ISREG(info.st_mode):
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)


def build_hash(context: str, dockerfile: str, args: t.Dict[str, str], target: t.Optional[str],
               labels: t.Dict[str, str]) -> str:
    """sha256 of the build inputs: the context's files (paths, modes, contents), the Dockerfile, args, target, labels."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"dockerfile": dockerfile, "args": args, "target": target, "labels": labels},
                             sort_keys=True).encode())
    if dockerfile_in_context(context, dockerfile) is None:  # the file walk below does not see it
        digest.update(b"\0dockerfile\0")
        hash_file(digest, os.path.join(context, dockerfile))
    for relative in context_files(context, dockerfile):
        digest.update(b"\0path\0" + relative.encode())
        hash_file(digest, os.path.join(context, relative))
    return "sha256:" + digest.hexdigest()


def stream_error(stream: t.List[t.Dict[str, t.Any]]) -> t.Optional[int]:
    """Index of the first error message of a build or pull stream, or None when there is none."""
    for index, chunk in enumerate(stream):
        if chunk.get("error") or chunk.get("errorDetail"):
            return index
    return None


def error_text(chunk: t.Dict[str, t.Any]) -> str:
    return str(chunk.get("error") or (chunk.get("errorDetail") or {}).get("message", "")).strip()


def build_output(stream: t.List[t.Dict[str, t.Any]]) -> t.List[str]:
    """The build's printed lines, without colour codes and the builder's own bookkeeping lines."""
    text = ANSI_ESCAPE.sub("", "".join(str(chunk.get("stream", "")) for chunk in stream))
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith(BOOKKEEPING_LINES)]


def failing_step(stream: t.List[t.Dict[str, t.Any]]) -> t.List[str]:
    """Output lines from the last ``Step N/M`` line on, keeping that line and the last lines printed after it."""
    lines = build_output(stream)
    starts = [index for index, line in enumerate(lines) if line.startswith("Step ")]
    step = lines[starts[-1]:] if starts else lines
    if len(step) > BUILD_LOG_LINES:
        step = step[:1] + ["..."] + step[-(BUILD_LOG_LINES - 1):]
    return step


def build_failure(stream: t.List[t.Dict[str, t.Any]]) -> t.Optional[str]:
    """The error of a build stream, quoting the failing step's output, or None when the build succeeded."""
    index = stream_error(stream)
    if index is None:
        return None
    output = failing_step(stream[:index])
    detail = error_text(stream[index]).rstrip(".")
    return "%s (build log: %s)" % (detail, " | ".join(output)) if output else detail


def content_tag(build_hash: t.Optional[str]) -> t.Optional[str]:
    """The registry tag of content_tag for an image of this build hash (None: an image without one)."""
    return CONTENT_TAG_PREFIX + build_hash.split(":")[-1][:CONTENT_TAG_DIGITS] if build_hash else None


def source_of(params: t.Dict[str, t.Any]) -> str:
    """Where the image comes from: the source option, or a build when build is given, else the Docker host."""
    return str(params.get("source") or ("build" if params.get("build") else "local"))


def rebuilt(current: t.Any, desired: t.Any, params: t.Dict[str, t.Any]) -> bool:
    """The id field differs when the image is to be built or pulled anew (its new id is not known before)."""
    return bool(desired == NEW_IMAGE_ID)


class ImageResource(DockerResource):
    module_name = "docker_image"
    argument_spec: t.Dict[str, t.Any] = {
        "name": {"type": "str", "required": True},
        "tag": {"type": "str", "default": "latest"},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "source": {"type": "str", "choices": ["build", "pull", "local"]},
        "build": {
            "type": "dict",
            "options": {
                "path": {"type": "path", "required": True},
                "dockerfile": {"type": "str", "default": "Dockerfile"},
                "args": {"type": "dict", "default": {}},
                "target": {"type": "str"},
                "labels": {"type": "dict", "default": {}},
                "network": {"type": "str"},
                "pull": {"type": "bool", "default": False},
                "nocache": {"type": "bool", "default": False},
            },
        },
        "force": {"type": "bool", "default": False},
        "push": {"type": "bool", "default": False},
        "repository": {"type": "str"},
        "content_tag": {"type": "bool", "default": False},
        "previous_tag": {"type": "str"},
        "registry_auth": {
            "type": "dict", "no_log": False,
            "options": {
                "username": {"type": "str"},
                "password": {"type": "str", "no_log": True},
                "ecr": {"type": "bool", "default": False},
            },
        },
        # The AWS connection options, for the ECR login of registry_auth.ecr.
        **AWS_ARGUMENT_SPEC,
    }
    validation: t.Dict[str, t.Any] = {"required_if": [("source", "build", ["build"])]}
    kind = "docker image"
    result_key = "image"
    compare = {"id": rebuilt}
    # A rebuild or a push gives the image a new id and the registry a new digest: what refers to them changes too.
    renewed_by_update = ("id", "digest", "pushed")
    refusals = (
        Refusal("Docker image {name} is not on the Docker host at {params[docker_host]}: build it (source: build), pull "
                "it (source: pull), or load it with docker load.", actions=(CREATE,),
                blockers=lambda resource, current: resource.source() == "local"),
        Refusal("Docker image {name} is used by containers {blockers}: remove them first, or set force: true to remove "
                "the image anyway.", actions=(DELETE,), unless=("force", True),
                blockers=lambda resource, current: resource.users(current)),
    )

    def __init__(self, client: t.Any, params: t.Dict[str, t.Any]) -> None:
        super().__init__(client, params)
        # desired() reads the image to tell an unchanged image from one to build; read() then reuses that answer.
        self._prefetched: t.List[t.Optional[t.Dict[str, t.Any]]] = []
        self._registry: t.Optional[Registry] = None
        # The build hash desired() worked out: with content_tag, the registry's tag of it stands for a missing image.
        self._build_hash: t.Optional[str] = None

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        content = params.get("content_tag") and source_of(params) != "build"
        return super().problems(params) + push_problems(params) + (
            ["docker image %s has content_tag: true, which tags with the build hash, but is not built (source: build): "
             "remove content_tag or build the image." % params.get("name")] if content else [])

    @property
    def reference(self) -> str:
        return "%s:%s" % split_reference(self.params["name"], self.params["tag"])

    @property
    def name(self) -> str:
        try:
            return self.reference
        except ResourceError:
            return str(self.params["name"])

    @property
    def tag(self) -> str:
        return split_reference(self.params["name"], self.params["tag"])[1]

    def push_tag(self, build_hash: t.Optional[str]) -> t.Optional[str]:
        """The tag a push gives an image of this build hash: the image's tag, or with content_tag one of the hash (None:
        the image has no build hash to make it of)."""
        return content_tag(build_hash) if self.params.get("content_tag") else self.tag

    def pushes(self) -> bool:
        return bool(self.params.get("push"))

    @property
    def registry(self) -> Registry:
        """The registry of ``repository``, logged in (an ECR login happens here) on first use."""
        if self._registry is None:
            auth = self.params.get("registry_auth") or {}
            self._registry = Registry(self.params["repository"], task_credentials(self.params, "docker image " + self.name),
                                      bool(auth.get("ecr")), self.params.get("timeout") or 60)
        return self._registry

    def source(self) -> str:
        return source_of(self.params)

    def content_hash(self) -> str:
        build = self.params["build"]
        if not os.path.isdir(build["path"]):
            raise ResourceError("Build context %s of docker image %s is not a directory: set build.path to the "
                                "directory that holds the Dockerfile." % (build["path"], self.name))
        dockerfile = os.path.join(build["path"], build["dockerfile"])
        if not os.path.isfile(dockerfile):
            raise ResourceError("Docker image %s has no Dockerfile at %s: add it, or set build.dockerfile to its "
                                "path relative to build.path." % (self.name, dockerfile))
        return build_hash(build["path"], build["dockerfile"], string_map(build["args"]), build.get("target"),
                          string_map(build["labels"]))

    def desired(self) -> t.Dict[str, t.Any]:
        source = self.source()
        if source == "local" and not self.pushes():
            return {}  # only presence is required; a refusal fails the task when the image is missing
        wanted: t.Dict[str, t.Any] = {"build_hash": self.content_hash()} if source == "build" else {}
        self._build_hash = wanted.get("build_hash")
        current = self.observed()
        self._prefetched = [current]
        unchanged = current is not None and (source == "local" or not self.params["force"] and (
            source == "pull" or current["build_hash"] == wanted["build_hash"]))
        if source != "local":
            wanted["id"] = current["id"] if unchanged and current else NEW_IMAGE_ID
        if self.pushes():
            tag = self.push_tag(wanted.get("build_hash") or (current or {}).get("build_hash"))
            if current is None and not self.params.get("content_tag"):  # observed() read the content tag already
                self.registry.digest(tag or self.tag)  # no image to compare yet, but the registry and credentials are checked
            # The registry's tag already names this very image: nothing to push. Anything else is a push.
            holds_it = current is not None and unchanged and current["pushed"] is not None
            wanted.update(pushed=self.target(tag), digest=current["digest"] if current is not None and holds_it else NEW_DIGEST)
        return wanted

    def target(self, tag: t.Optional[str]) -> str:
        """The reference the push gives the image in the registry."""
        return "%s:%s" % (self.params["repository"], tag)

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        if self._prefetched:
            return self._prefetched.pop()
        return self.observed()

    def observed(self) -> t.Optional[t.Dict[str, t.Any]]:
        """The image on the Docker host or, with content_tag, the build the registry holds under the tag of the desired
        build hash (then its id is null): either way nothing is to build or push."""
        state = self.inspect()
        if state is not None or not (self.pushes() and self.params.get("content_tag") and self._build_hash):
            return state
        tag = content_tag(self._build_hash)
        digest = self.registry.digest(str(tag))
        if digest is None:
            return None
        return {"id": None, "name": self.reference, "tags": [], "labels": {}, "build_hash": self._build_hash, "size": None,
                "created": None, "pushed": self.target(tag), "digest": digest}

    def inspect(self) -> t.Optional[t.Dict[str, t.Any]]:
        info = inspect_or_none(self.client.inspect_image, self.reference)
        if info is None:
            return None
        labels = (info.get("Config") or {}).get("Labels") or {}
        state = {
            "id": info["Id"],
            "name": self.reference,
            "tags": info.get("RepoTags") or [],
            "labels": user_labels(labels),
            "build_hash": labels.get(BUILD_HASH_LABEL),
            "size": info.get("Size"),
            "created": info.get("Created"),
        }
        if self.pushes():
            state.update(self.registry_state(self.push_tag(state["build_hash"]), info.get("RepoDigests") or []))
        return state

    def registry_state(self, tag: t.Optional[str], repo_digests: t.List[str]) -> t.Dict[str, t.Any]:
        """The digest the registry's tag names, and the tag as ``pushed`` when that digest is one of this image's."""
        digest = self.registry.digest(tag) if tag else None
        # A tag of the build hash holds this build, whoever pushed it; another tag, only what this host pushed.
        ours = digest is not None and (bool(self.params.get("content_tag")) or "%s@%s" % (self.params["repository"], digest) in repo_digests)
        return {"pushed": self.target(tag) if ours else None, "digest": digest}

    def users(self, current: t.Dict[str, t.Any]) -> t.List[str]:
        """Containers that removing the image would break; removing one of several tags only untags, so none (nor an
        image only in the registry)."""
        return self.container_names(current["id"]) if current["id"] and len(current["tags"]) <= 1 else []

    def container_names(self, image_id: str) -> t.List[str]:
        users = self.client.containers(all=True, filters={"ancestor": image_id})
        return sorted(container["Names"][0].lstrip("/") for container in users)

    def create(self, desired: t.Dict[str, t.Any]) -> None:
        self.make(desired)
        self.push(desired.get("build_hash"))

    def make(self, desired: t.Dict[str, t.Any]) -> None:
        """Build or pull the image (a local one is only required)."""
        if self.source() == "build":
            self.build(desired["build_hash"])
        elif self.source() == "pull":
            self.pull()

    def push(self, build_hash: t.Optional[str]) -> None:
        """Tag the image ``repository:tag`` on the Docker host and push that tag, when the task pushes."""
        tag = self.push_tag(build_hash)
        if self.pushes() and tag:
            self.client.tag(self.reference, self.params["repository"], tag)
            self.registry.push(self.client, tag)

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        if "id" in changes:
            self.make(desired)
        self.push(desired.get("build_hash") or current["build_hash"])  # after the build, which moved the tag: the
        # replaced image no longer holds it and can go
        state = t.cast(t.Dict[str, t.Any], self.observed())
        if current["id"] and state["id"] != current["id"]:
            self.keep_or_discard(current["id"])
        return state

    def previous(self) -> t.Optional[str]:
        """``name:previous_tag``, where a rebuild keeps the image it replaced; None without previous_tag."""
        tag = self.params.get("previous_tag")
        return "%s:%s" % (split_reference(self.params["name"], self.params["tag"])[0], tag) if tag else None

    def keep_or_discard(self, image_id: str) -> None:
        """The image a rebuild replaced: kept as the previous one (the one that was goes), or discarded."""
        previous = self.previous()
        if previous is None:
            self.discard(image_id)
            return
        before = inspect_or_none(self.client.inspect_image, previous)
        repository, _sep, tag = previous.rpartition(":")
        self.client.tag(image_id, repository, tag)
        if before and before["Id"] != image_id:
            self.discard(before["Id"])

    def discard(self, image_id: str) -> None:
        """Remove the image a rebuild replaced, unless containers or other tags still use it (Docker refuses)."""
        try:
            self.client.remove_image(image_id)
        except SDK.APIError as error:
            if error.status_code != 409:
                raise

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        if current["id"]:  # an image only in the registry stays there (with its repository, it goes on the way down)
            self.client.remove_image(self.reference, force=self.params["force"])
        previous = self.previous()
        if previous and inspect_or_none(self.client.inspect_image, previous):
            self.client.remove_image(previous, force=self.params["force"])

    def build(self, content_hash: str) -> None:
        build = self.params["build"]
        try:
            stream = list(self.client.build(
                path=build["path"], dockerfile=build["dockerfile"], tag=self.reference,
                buildargs=string_map(build["args"]), target=build.get("target"),
                labels=dict(string_map(build["labels"]), **{BUILD_HASH_LABEL: content_hash}),
                network_mode=build.get("network"), pull=build["pull"], nocache=build["nocache"], rm=True,
                forcerm=True, decode=True, use_config_proxy=False,
            ))
            failure = build_failure(stream)
        except SDK.APIError as error:  # the daemon refuses some builds before streaming (an unknown target, say)
            failure = api_error_text(error)
        if failure:
            raise ResourceError("Building docker image %s from %s failed: %s. Fix the Dockerfile or the context and run "
                                "the task again." % (self.name, build["path"], failure))

    def pull(self) -> None:
        repository, tag = split_reference(self.params["name"], self.params["tag"])
        try:
            stream = list(self.client.pull(repository, tag=tag, stream=True, decode=True))
            index = stream_error(stream)
            reason = None if index is None else error_text(stream[index])
        except SDK.APIError as error:
            reason = api_error_text(error)
        if reason:
            raise ResourceError("Cannot pull docker image %s: the registry could not be reached or denied the pull (%s); "
                                "build the image locally (source: build), or load it onto the host and use source: local."
                                % (self.name, reason.rstrip(".")))
