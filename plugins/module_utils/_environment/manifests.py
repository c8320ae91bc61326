# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the render playbook writes: the objects `up` would apply to a kubernetes environment, one YAML file per object,
for a GitOps controller (Argo CD, Flux) to apply instead.

validate and audit (as up does) -> build and push the images built from source (their digests pin the workloads)
-> resolve each definition -> write what differs, remove the files of objects the environment no longer has.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import model, run, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.selection import builds
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._engine.items import SECRETS, resolve
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item, Plan, failure_message
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.plugins.module_utils._engine.report import outputs
from ansible_collections.agno.infra.plugins.module_utils._k8s.object import identity, secret_values
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import ENV_LABEL, MANAGED_BY

try:
    import yaml
    YAML_IMPORT_ERROR: t.Optional[str] = None
except ImportError:
    YAML_IMPORT_ERROR = traceback.format_exc()

# Render reads no cluster: its only connection is the Docker daemon's, that builds and pushes images.
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    DOCKER_ARGUMENT_SPEC,
    spec={"type": "dict", "required": True},
    secrets={"type": "dict", "default": {}, "no_log": True},
    base_dir={"type": "path"},
    dest={"type": "path", "required": True},
    include_secrets={"type": "bool", "default": False},
    audit_fail_on={"type": "str", "default": "high", "choices": ["high", "medium", "low", "never"]},
    parallel={"type": "int", "default": 4},
)
SECRET_KIND = "Secret"
#: The file name's prefix by kind: `kubectl apply -f DIR` takes files in name order, and a namespace must come first. The
#: rank is the kind's, not the object's place in the plan, so adding an app renames no file.
RANKS = {"Namespace": "00", "ServiceAccount": "10", "Secret": "10", "ConfigMap": "10", "PersistentVolumeClaim": "10",
         "NetworkPolicy": "10", "Service": "20", "StatefulSet": "30", "Deployment": "30"}
LATER = "40"
SUFFIX = ".yaml"
# The settings a run of the environment module has that render does not offer: the whole environment, on the way up.
RUN_DEFAULTS = {"state": "present", "limit": None, "recreate": None, "rollback": None, "delete_data": False, "app": None}


@dataclasses.dataclass(frozen=True)
class Manifest:
    file: str
    text: str
    #: A Secret's values (and their base64 forms) that no output may show; its file is for its owner only.
    hidden: t.List[str]


def file_name(definition: t.Dict[str, t.Any]) -> str:
    """"30-deployment-api.yaml": the kind's rank, the kind and the name, stable from one render to the next."""
    kind = str(definition["kind"])
    return "%s-%s-%s%s" % (RANKS.get(kind, LATER), kind.lower(), definition["metadata"]["name"], SUFFIX)


def text(definition: t.Dict[str, t.Any]) -> str:
    """The object as YAML in its definition's key order (the same bytes on every render of the same definition)."""
    return str(yaml.safe_dump(definition, sort_keys=False, default_flow_style=False, allow_unicode=True, width=4096))


def rendered(items: t.List[Item], states: t.Dict[str, t.Dict[str, t.Any]], include_secrets: bool) -> t.List[Manifest]:
    """Each object the environment's items apply, references resolved, as k8s_object would send it (a Secret's values
    base64 data); Secrets only with include_secrets."""
    found = []
    for item in items:
        if item.type != "k8s_object":
            continue
        secret = item.params["definition"].get("kind") == SECRET_KIND
        if secret and not include_secrets:
            continue
        definition = identity({"definition": resolve(item.params["definition"], states, item.id)})
        found.append(Manifest(file_name(definition), text(definition), secret_values(definition)))
    return found


def loaded(path: str) -> t.Dict[str, t.Any]:
    """The object a file in the folder holds ({} when it holds none)."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return content if isinstance(content, dict) else {}


def ours(content: t.Dict[str, t.Any], env_name: str) -> bool:
    """Whether an object is one that render wrote for this environment (its labels say so)."""
    labels = (content.get("metadata") or {}).get("labels") or {}
    return isinstance(labels, dict) and labels.get(MANAGED_BY) == "agno-infra" and labels.get(ENV_LABEL) == env_name


def stale(dest: str, env_name: str, manifests: t.List[Manifest]) -> t.List[Manifest]:
    """The files of objects the environment no longer renders (a removed app's, the Secrets when no longer included),
    with the secret values a Secret's file holds."""
    if not os.path.isdir(dest):
        return []
    kept = {manifest.file for manifest in manifests}
    names = sorted(name for name in os.listdir(dest) if name.endswith(SUFFIX) and name not in kept)
    found = [(name, loaded(os.path.join(dest, name))) for name in names]
    return [Manifest(name, "", secret_values(content)) for name, content in found if ours(content, env_name)]


def current(path: str) -> t.Optional[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def mode(manifest: Manifest) -> int:
    return 0o600 if manifest.hidden else 0o644


def write(path: str, manifest: Manifest) -> None:
    """Replace the file at once (a reader never sees half of it), readable by its owner only when it holds secrets."""
    partial = path + ".partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode(manifest))
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(manifest.text)
    os.chmod(partial, mode(manifest))
    os.replace(partial, path)


def image_states(env: Environment, items: t.List[Item], params: t.Dict[str, t.Any], check_mode: bool) -> t.Dict[str, t.Dict[str, t.Any]]:
    """The images the workloads pin by digest, built and pushed as up would do it first (in check mode only read: a
    digest still to come stays a placeholder)."""
    images = [item for item in items if item.type == "docker_image"]
    if not images:
        return {}
    DockerBlueprint(env).stage(builds(images, None))
    plan = Plan(images, RESOURCE_TYPES, {key: params[key] for key in DOCKER_ARGUMENT_SPEC}, check_mode, params["parallel"])
    results = plan.up()
    failed = failure_message(results)
    if failed:
        raise ResourceError(failed)
    return outputs(results)


def prepared(params: t.Dict[str, t.Any]) -> t.Tuple[Environment, t.List[Item]]:
    """The kubernetes environment, validated (with the secrets it names when Secrets are rendered), and its items."""
    raw = model.absolute_paths(params["spec"], params.get("base_dir"))
    env = schema.validated(raw, params["secrets"] if params["include_secrets"] else None, params.get("region"), sources=True)
    if env.target != "kubernetes":
        raise ResourceError("Environment %s targets %s, and render writes Kubernetes manifests: set target: kubernetes, or "
                            "run up for this environment." % (env.name, env.target))
    return env, run.render(env)


def changes(dest: str, manifests: t.List[Manifest]) -> t.List[t.Dict[str, t.Any]]:
    """A diff for each file whose text differs from the manifest's (a removed file's manifest has no text)."""
    diffs = []
    for manifest in manifests:
        before = current(os.path.join(dest, manifest.file))
        if before != manifest.text:
            diffs.append({"before": before or "", "after": manifest.text, "before_header": manifest.file, "after_header": manifest.file})
    return diffs


def render(module: AnsibleModule) -> None:
    if YAML_IMPORT_ERROR or schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("PyYAML" if YAML_IMPORT_ERROR else "jsonschema"),
                         exception=YAML_IMPORT_ERROR or schema.JSONSCHEMA_IMPORT_ERROR)
    params = dict(module.params, **RUN_DEFAULTS)
    dest = params["dest"]
    try:
        env, items = prepared(params)
        # Given secrets are masked and audited for (a value in plain env) even when their Secrets are not rendered.
        secrets = model.resolvable_secrets(env, params["secrets"])
        module.no_log_values.update(value for value in secrets.values() if isinstance(value, str) and value)
        findings = run.audit_findings(env, items, secrets, params["audit_fail_on"])
        states = image_states(env, items, params, module.check_mode)
        resolvable = dict(states, **({SECRETS: secrets} if params["include_secrets"] else {}))
        manifests = rendered(items, resolvable, params["include_secrets"])
        module.no_log_values.update(value for manifest in manifests for value in manifest.hidden)
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    removed = stale(dest, env.name, manifests)
    module.no_log_values.update(value for manifest in removed for value in manifest.hidden)
    diffs = changes(dest, manifests + removed)
    written = [diff["after_header"] for diff in diffs if diff["after"]]
    gone = [manifest.file for manifest in removed]
    if not module.check_mode:
        os.makedirs(dest, mode=0o755, exist_ok=True)
        for manifest in manifests:
            if manifest.file in written:
                write(os.path.join(dest, manifest.file), manifest)
        for name in gone:
            os.remove(os.path.join(dest, name))
    result: t.Dict[str, t.Any] = {"changed": bool(diffs), "dest": dest, "files": [manifest.file for manifest in manifests],
                                  "written": written, "removed": gone, "findings": findings,
                                  "summary": "%d manifests in %s: %d %s, %d %s." % (
                                      len(manifests), dest, len(written), "to write" if module.check_mode else "written",
                                      len(gone), "to remove" if module.check_mode else "removed")}
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = diffs
    module.exit_json(**result)
