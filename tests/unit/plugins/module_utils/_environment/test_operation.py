"""What the operations share: the environment from the options, the apps they name, the providers' sentences."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER
from ansible_collections.agno.infra.plugins.module_utils._environment import operation
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import Subject
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

DEV = {"name": "agent-app-ops", "target": "docker", "postgres": {"enabled": True},
       "apps": [{"name": "api", "kind": "fastapi", "source": "src/api", "port": 8000},
                {"name": "worker", "kind": "celery", "source": "src/api", "module": "worker"}]}
PARAMS = {"spec": DEV, "base_dir": "/inventory", "region": None, "docker_host": "unix:///var/run/docker.sock"}


def test_the_environment_is_validated_with_paths_from_the_base_dir() -> None:
    env = operation.environment(PARAMS)
    assert env.name == "agent-app-ops" and env.apps[0]["source"] == "/inventory/src/api"
    with pytest.raises(ResourceError, match="agno_env.apps"):
        operation.environment(dict(PARAMS, spec=dict(DEV, apps=[{"name": "api", "kind": "fastapi", "port": 70000}])))


def test_apps_are_chosen_by_name_in_the_environments_order() -> None:
    env = operation.environment(PARAMS)
    assert [app["name"] for app in operation.chosen_apps(env, None)] == ["api", "worker"]
    assert [app["name"] for app in operation.chosen_apps(env, ["worker,api"])] == ["api", "worker"]
    with pytest.raises(ResourceError) as error:
        operation.chosen_apps(env, ["api", "web"])
    assert error.value.msg == "Environment agent-app-ops has no app web: agno_app takes api, worker."


def test_an_error_the_provider_cannot_explain_says_what_was_being_done() -> None:
    error = operation.provider_error(DOCKER, ValueError("boom."), Subject("container", "agent-app-ops-api", PARAMS),
                                     "Running the command in")
    assert error.msg == "Running the command in container agent-app-ops-api failed: boom."


def test_a_kubernetes_environment_s_cluster_wins_over_the_connection_options() -> None:
    env = operation.environment({"spec": {"name": "shop", "target": "kubernetes", "kubernetes": {"kubeconfig": "/k/config", "context": "kit"},
                                          "apps": [{"name": "api", "kind": "fastapi", "image": "api:1", "port": 8000}]}})
    params = dict({key: None for key in operation.CONNECTION_SPEC}, kubeconfig="/other", validate_certs=True)
    assert operation.connection_of(params, env) == dict(params, kubeconfig="/k/config", context="kit", validate_certs=None)
    assert operation.connection_of(params) == params
