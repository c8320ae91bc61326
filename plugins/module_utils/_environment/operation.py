# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules that act on an environment share: the providers' connection options (and a kubernetes environment's
own cluster over them); and for the operations on a deployed one (logs, run) their options, the environment and its
apps they name, and the providers' sentences for what went wrong."""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import model, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import K8S_ARGUMENT_SPEC, KUBERNETES
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError

# validate_certs is the Docker daemon's: a cluster's TLS is its kubeconfig's (or ca_cert's).
CONNECTION_SPEC: t.Dict[str, t.Any] = dict(DOCKER_ARGUMENT_SPEC, **AWS_ARGUMENT_SPEC,
                                           **{key: value for key, value in K8S_ARGUMENT_SPEC.items() if key != "validate_certs"})
#: What the environment's kubernetes section says of the connection: it wins over the options and their variables.
KUBERNETES_CONNECTION = ("kubeconfig", "context")
#: The options of every operation; each module adds its own.
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    CONNECTION_SPEC,
    spec={"type": "dict", "required": True},
    secrets={"type": "dict", "default": {}, "no_log": True},
    base_dir={"type": "path"},
)


@dataclasses.dataclass(frozen=True)
class Subject:
    """What a provider's explain() names in its sentence: a kind, a name and the connection options."""

    kind: str
    name: str
    params: t.Dict[str, t.Any]


def provider_error(provider: t.Any, error: BaseException, subject: Subject, doing: str) -> ResourceError:
    """The provider's own sentence for an error while doing something with the subject (``doing`` says what, such as
    "Reading the logs of")."""
    unreachable = provider.unreachable(error, subject.params)
    if unreachable:
        return ResourceError(unreachable)
    explained = provider.explain(error, t.cast(Resource, subject))
    return explained or ResourceError("%s %s %s failed: %s." % (doing, subject.kind, subject.name, str(error).rstrip(".")))


def kube_error(error: BaseException, subject: Subject) -> BaseException:
    """An error of a Kubernetes call as the provider words it (a refusal, a lost connection); any other as it is."""
    return KUBERNETES.explain(error, t.cast(Resource, subject)) or error


def connection_of(params: t.Dict[str, t.Any], env: t.Optional[Environment] = None) -> t.Dict[str, t.Any]:
    """The providers' connection settings; with a kubernetes environment, its cluster's."""
    connection = {key: params[key] for key in CONNECTION_SPEC}
    if env is None or env.target != "kubernetes":
        return connection
    return dict(connection, validate_certs=None, **{key: env.kubernetes[key] for key in KUBERNETES_CONNECTION if env.kubernetes.get(key)})


def environment(params: t.Dict[str, t.Any]) -> Environment:
    """The environment the spec option describes, validated (its secrets need not be given: nothing is deployed)."""
    return schema.validated(model.absolute_paths(params["spec"], params.get("base_dir")), None, params.get("region"))


def chosen_apps(env: Environment, names: t.Optional[t.List[str]]) -> t.List[t.Dict[str, t.Any]]:
    """The apps named (all when none is), in the environment's order; an unknown name fails with the names there are."""
    known = [app["name"] for app in env.apps]
    wanted = [name.strip() for entry in names or [] for name in entry.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ResourceError("Environment %s has no app %s: agno_app takes %s." % (
            env.name, " or ".join(unknown), ", ".join(known)))
    return [app for app in env.apps if not wanted or app["name"] in wanted]
