# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker image as a lifecycle resource: built from a context (skipped when nothing changed), pulled, or required.

A build records a hash of everything that shapes it (the files Docker would send, the Dockerfile,
args, target and labels) as a label on the image; an unchanged hash means no build at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import typing as t

from ansible_collections.agno.infra.plugins.module_utils.docker_client import (INTERNAL_LABEL_PREFIX, APIError,
                                                                               api_error_text, inspect_or_none, user_labels)
from ansible_collections.agno.infra.plugins.module_utils.docker_network import string_map
from ansible_collections.agno.infra.plugins.module_utils.lifecycle import DELETE, Resource, ResourceError

BUILD_HASH_LABEL = INTERNAL_LABEL_PREFIX + "build_hash"
BUILD_LOG_LINES = 15

ARGUMENT_SPEC: t.Dict[str, t.Any] = {
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
        },
    },
    "force": {"type": "bool", "default": False},
}

REQUIRED_IF = [("source", "build", ["build"])]


def dockerignore_patterns(context: str) -> t.List[str]:
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        lines = (line.strip() for line in handle)
        return [line for line in lines if line and not line.startswith("#")]


def context_files(context: str, dockerfile: str) -> t.List[str]:
    """Relative paths Docker would send for this context, honouring .dockerignore, sorted."""
    from docker.utils.build import exclude_paths  # only builds need it; keeps other imports light
    return sorted(exclude_paths(context, dockerignore_patterns(context), dockerfile=dockerfile))


def hash_file(digest: t.Any, path: str) -> None:
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
    """sha256 of the context's files (paths, modes, contents), the Dockerfile name, args, target and labels."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"dockerfile": dockerfile, "args": args, "target": target, "labels": labels},
                             sort_keys=True).encode())
    for relative in context_files(context, dockerfile):
        digest.update(b"\0path\0" + relative.encode())
        hash_file(digest, os.path.join(context, relative))
    return "sha256:" + digest.hexdigest()


def build_failure(stream: t.List[t.Dict[str, t.Any]]) -> t.Optional[str]:
    """The error of a build stream, with the last lines of output before it, or None when it succeeded."""
    for index, chunk in enumerate(stream):
        if "error" in chunk or "errorDetail" in chunk:
            detail = chunk.get("error") or (chunk.get("errorDetail") or {}).get("message", "")
            lines = [str(item.get("stream", "")).rstrip() for item in stream[:index] if item.get("stream", "").strip()]
            return "%s (last output: %s)" % (detail.strip(), " | ".join(lines[-BUILD_LOG_LINES:]))
    return None


class ImageResource(Resource):
    kind = "docker image"
    result_key = "image"

    @property
    def name(self) -> str:
        return "%s:%s" % (self.params["name"], self.params["tag"])

    def source(self) -> str:
        return self.params.get("source") or ("build" if self.params.get("build") else "local")

    def desired(self) -> t.Dict[str, t.Any]:
        wanted: t.Dict[str, t.Any] = {}
        if self.source() == "build":
            build = self.params["build"]
            if not os.path.isdir(build["path"]):
                raise ResourceError("Build context %s of docker image %s is not a directory: set build.path to the "
                                    "directory that holds the Dockerfile." % (build["path"], self.name))
            if not os.path.isfile(os.path.join(build["path"], build["dockerfile"])):
                raise ResourceError("Docker image %s has no Dockerfile at %s: add it, or set build.dockerfile to its "
                                    "path inside the context." % (self.name, os.path.join(build["path"], build["dockerfile"])))
            wanted["build_hash"] = build_hash(build["path"], build["dockerfile"], string_map(build["args"]),
                                              build.get("target"), string_map(build["labels"]))
        if self.params["force"]:
            wanted["forced"] = True  # never equal to what read() reports: rebuild or re-pull
        return wanted

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        info = inspect_or_none(self.client.inspect_image, self.name)
        if info is None:
            return None
        labels = (info.get("Config") or {}).get("Labels") or {}
        return {
            "id": info["Id"],
            "name": self.name,
            "tags": info.get("RepoTags") or [],
            "labels": user_labels(labels),
            "build_hash": labels.get(BUILD_HASH_LABEL),
            "size": info.get("Size"),
            "created": info.get("Created"),
        }

    def check_allowed(self, action: str, current: t.Optional[t.Dict[str, t.Any]], changes: t.Dict[str, t.Any]) -> None:
        # Removing one of several tags only untags: the image, and the containers using it, stay.
        if action == DELETE and current and len(current["tags"]) <= 1 and not self.params["force"]:
            users = self.client.containers(all=True, filters={"ancestor": current["id"]})
            if users:
                names = sorted(container["Names"][0].lstrip("/") for container in users)
                raise ResourceError("Docker image %s is used by containers %s: remove them first, or set force: true."
                                    % (self.name, ", ".join(names)))

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        source = self.source()
        if source == "build":
            self.build(desired["build_hash"])
        elif source == "pull":
            self.pull()
        else:
            raise ResourceError("Docker image %s is not on the Docker host at %s: build it (source: build) or pull it "
                                "(source: pull)." % (self.name, self.params.get("docker_host")))
        return t.cast(t.Dict[str, t.Any], self.read())

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any],
               changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        return self.create(desired)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client.remove_image(self.name, force=self.params["force"])

    def build(self, content_hash: str) -> None:
        build = self.params["build"]
        try:
            stream = list(self.client.build(
                path=build["path"], dockerfile=build["dockerfile"], tag=self.name, buildargs=string_map(build["args"]),
                target=build.get("target"), labels=dict(string_map(build["labels"]), **{BUILD_HASH_LABEL: content_hash}),
                network_mode=build.get("network"), pull=build["pull"], rm=True, forcerm=True, decode=True,
                use_config_proxy=False,
            ))
            failure = build_failure(stream)
        except APIError as error:  # the daemon refuses some builds before streaming (an unknown target, say)
            failure = api_error_text(error)
        if failure:
            raise ResourceError("Building docker image %s from %s failed: %s. Fix the Dockerfile or the context and run "
                                "again." % (self.name, build["path"], failure))

    def pull(self) -> None:
        try:
            self.client.pull(self.params["name"], tag=self.params["tag"])
        except APIError as error:
            raise ResourceError("Pulling docker image %s failed (%s): check the name and tag, the registry's "
                                "reachability and your login, or build the image locally (source: build)."
                                % (self.name, api_error_text(error)))
