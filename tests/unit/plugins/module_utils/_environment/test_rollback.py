"""The rollback: which items it changes, the previous image or revision it reads for them, and its refusals."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._docker.client import SDK
from ansible_collections.agno.infra.plugins.module_utils._environment import rollback, run, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.selection import select
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._k8s import client

DEV = {"name": "agent-app-rb", "target": "docker", "postgres": {"enabled": True},
       "apps": [{"name": "api", "kind": "fastapi", "source": "/src/api", "port": 8000},
                {"name": "worker", "kind": "celery", "source": "/src/api", "module": "worker", "beat": True},
                {"name": "ui", "kind": "streamlit", "image": "example/ui:3", "port": 8501}]}
PRD = dict(DEV, target="aws", apps=DEV["apps"][:2])
DEFINITIONS = "arn:aws:ecs:us-east-1:123456789012:task-definition/"
PARAMS = {"limit": None, "recreate": None, "state": "present", "delete_data": False}


def items(spec: t.Dict[str, t.Any]) -> t.Any:
    env = schema.validated(spec, None, "us-east-1" if spec["target"] == "aws" else None)
    return env, run.render(env)


def test_a_rollback_converges_the_chosen_apps_containers_or_services_and_nothing_else() -> None:
    env, rendered = items(DEV)
    chosen = select(env, rendered, dict(PARAMS, rollback=["worker"]))
    assert chosen.converge == {"worker", "worker-beat"} and chosen.prune == set() and chosen.builds == set()
    assert select(env, rendered, dict(PARAMS, rollback=["app"])).converge == {"api", "worker", "worker-beat", "ui"}
    env, rendered = items(PRD)
    assert select(env, rendered, dict(PARAMS, rollback=["api"])).converge == {"service-api"}


@pytest.mark.parametrize("other", [{"limit": ["api"]}, {"recreate": ["api"]}, {"state": "absent"}])
def test_a_rollback_is_a_run_of_its_own(other: t.Dict[str, t.Any]) -> None:
    env, rendered = items(DEV)
    with pytest.raises(ResourceError, match=r"^rollback \(agno_app in agno.infra.rollback\) goes with neither limit"):
        select(env, rendered, dict(PARAMS, rollback=["api"], **other))


def test_an_unknown_app_picks_nothing_and_fails() -> None:
    env, rendered = items(DEV)
    with pytest.raises(ResourceError, match=r"^rollback \(agno_app in the playbooks\) has 'web', which picks no resource"):
        select(env, rendered, dict(PARAMS, rollback=["web"]))


def test_entries_that_pick_no_app_are_refused() -> None:
    env, rendered = items(DEV)
    with pytest.raises(ResourceError) as error:
        select(env, rendered, dict(PARAMS, rollback=["postgres"]))
    assert error.value.msg == ("rollback (agno_app in agno.infra.rollback) has 'postgres', which picks no app of environment "
                               "agent-app-rb: give app names (api, worker, ui).")


class FakeDocker:
    def __init__(self, images: t.Set[str]) -> None:
        self.images = images

    def inspect_image(self, reference: str) -> t.Dict[str, t.Any]:
        if reference not in self.images:
            raise SDK.NotFound("No such image: " + reference)
        return {"Id": "sha256:" + reference}


def test_docker_brings_back_the_image_the_last_rebuild_kept_as_previous() -> None:
    env, rendered = items(DEV)
    chosen = rollback.rolled_back(env, rendered, ["api", "worker"])
    assert rollback.docker_overrides(FakeDocker({"agent-app-rb/api:previous", "agent-app-rb/worker:previous"}), env, chosen) == {
        "api": {"image": "agent-app-rb/api:previous"}, "worker": {"image": "agent-app-rb/worker:previous"},
        "worker-beat": {"image": "agent-app-rb/worker:previous"}}


def test_docker_apps_without_a_previous_image_fail_together_before_any_change() -> None:
    env, rendered = items(DEV)
    with pytest.raises(ResourceError) as error:
        rollback.docker_overrides(FakeDocker(set()), env, rollback.rolled_back(env, rendered, ["app"]))
    assert error.value.msg == (
        "App api has no previous image agent-app-rb/api:previous on the Docker host: an up keeps the image a rebuild "
        "replaces, so there is none before the app's source first changes. App ui runs the ready image example/ui:3, which "
        "has no previous build: set apps[].image in agno_env to the image to run. App worker has no previous image "
        "agent-app-rb/worker:previous on the Docker host: an up keeps the image a rebuild replaces, so there is none before "
        "the app's source first changes.")


class FakeECS:
    """Services running a revision each; the families' ACTIVE revisions, two ARNs a page."""

    def __init__(self, running: t.Dict[str, str], revisions: t.List[str]) -> None:
        self.running, self.revisions = running, revisions
        self.calls: t.List[str] = []

    def describe_services(self, cluster: str, services: t.List[str]) -> t.Dict[str, t.Any]:
        self.calls.append("describe_services")
        return {"services": [{"serviceName": name, "status": "ACTIVE", "taskDefinition": DEFINITIONS + self.running[name]}
                             for name in services if name in self.running]}

    def get_paginator(self, operation: str) -> t.Any:
        fake = self

        class Pages:
            def paginate(self, familyPrefix: str, status: str) -> t.Iterator[t.Dict[str, t.Any]]:
                fake.calls.append("list_task_definitions")
                found = [DEFINITIONS + name for name in fake.revisions if name.startswith(familyPrefix)]
                for start in range(0, len(found), 2):
                    yield {"taskDefinitionArns": found[start:start + 2]}
        return Pages()


def test_aws_brings_back_the_highest_active_revision_below_the_running_one() -> None:
    env, rendered = items(PRD)
    ecs = FakeECS({"api": "agent-app-rb-api:7", "worker": "agent-app-rb-worker:2", "worker-beat": "agent-app-rb-worker-beat:2"},
                  ["agent-app-rb-api:3", "agent-app-rb-api:6", "agent-app-rb-api:7", "agent-app-rb-api:8",
                   "agent-app-rb-api-other:6", "agent-app-rb-worker:1", "agent-app-rb-worker:2", "agent-app-rb-worker-beat:1",
                   "agent-app-rb-worker-beat:2"])
    found = rollback.aws_overrides(ecs, env, rollback.rolled_back(env, rendered, ["app"]))
    assert found == {"service-api": {"task_definition": DEFINITIONS + "agent-app-rb-api:6"},
                     "service-worker": {"task_definition": DEFINITIONS + "agent-app-rb-worker:1"},
                     "service-worker-beat": {"task_definition": DEFINITIONS + "agent-app-rb-worker-beat:1"}}
    assert ecs.calls.count("describe_services") == 1


def test_aws_a_service_on_its_first_revision_or_missing_fails_before_any_change() -> None:
    env, rendered = items(PRD)
    ecs = FakeECS({"api": "agent-app-rb-api:1"}, ["agent-app-rb-api:1", "agent-app-rb-api:2"])
    with pytest.raises(ResourceError) as error:
        rollback.aws_overrides(ecs, env, rollback.rolled_back(env, rendered, ["app"]))
    assert error.value.msg == (
        "Service api runs revision 1 of task definition agent-app-rb-api, and the family has no active revision before it to "
        "roll back to. Environment agent-app-rb has no service worker: bring it up with agno.infra.up first. Environment "
        "agent-app-rb has no service worker-beat: bring it up with agno.infra.up first.")


def test_prepare_reads_the_overrides_of_the_rolled_back_items_only(tmp_path: t.Any) -> None:
    asked: t.List[t.List[str]] = []

    def earlier(env: t.Any, chosen: t.List[t.Any]) -> rollback.Overrides:
        asked.append(sorted(item.id for item in chosen))
        return {"api": {"image": "agent-app-rb/api:previous"}}
    spec = dict(DEV, apps=[dict(app, source=str(tmp_path)) if "source" in app else app for app in DEV["apps"]])
    defaults = {key: option.get("default") for key, option in run.ARGUMENT_SPEC.items()}
    params = dict(defaults, spec=spec, secrets={"postgres_password": "pw"}, rollback=["api"])
    prepared = run.prepare(params, earlier=earlier)
    assert asked == [["api"]] and prepared.overrides == {"api": {"image": "agent-app-rb/api:previous"}}
    [step] = run.planned(prepared, params, True)
    assert [item.params["image"] for item in step.plan.items if item.id == "api"] == ["agent-app-rb/api:previous"]


# ---- kubernetes --------------------------------------------------------------------------------------------------------
class Cluster(client.KubeClient):
    """Deployments by name and the namespace's ReplicaSets, as the API server lists them; records each path asked."""

    def __init__(self, deployments: t.Dict[str, t.Dict[str, t.Any]], sets: t.List[t.Dict[str, t.Any]]) -> None:
        super().__init__(None)
        self.deployments, self.sets = deployments, sets
        self.paths: t.List[str] = []

    def call(self, method: str, path: str, query: t.Optional[t.Dict[str, t.Any]] = None, body: t.Any = None,
             content_type: str = "application/json", timeout: float = 60) -> t.Dict[str, t.Any]:
        self.paths.append(path)
        if path.endswith("/replicasets"):
            return {"items": self.sets}
        return self.deployments[path.rsplit("/", 1)[-1]]


def revisioned(number: int, uid: str = "", image: str = "") -> t.Dict[str, t.Any]:
    metadata = {"uid": uid, "annotations": {rollback.REVISION: str(number)}, "ownerReferences": [{"uid": uid}]}
    return {"metadata": metadata, "spec": {"template": {"spec": {"containers": [{"name": "app", "image": image}]}}}}


def test_kubernetes_deployments_run_the_images_of_the_replica_set_before_theirs() -> None:
    env = schema.validated(dict(PRD, target="kubernetes", apps=[dict(app, image="shop/api:3") for app in PRD["apps"]]), None)
    rendered = run.render(env)
    chosen = rollback.rolled_back(env, rendered, ["app"])
    assert [item.id for item in chosen] == ["api", "worker", "worker-beat"]
    sets = [revisioned(1, "d-api", "shop/api:1"), revisioned(2, "d-api", "shop/api:2"), revisioned(3, "d-api", "shop/api:3"),
            revisioned(4, "d-worker", "shop/api:2"), revisioned(5, "d-worker", "shop/api:3")]
    cluster = Cluster({"api": revisioned(3, "d-api"), "worker": revisioned(5, "d-worker"), "worker-beat": revisioned(1, "d-beat")}, sets)
    with pytest.raises(ResourceError) as raised:
        rollback.k8s_overrides(cluster, env, chosen)
    assert raised.value.msg == ("Deployment worker-beat runs revision 1 and has no ReplicaSet of an earlier one to roll back to "
                                "(it keeps the last 5).")
    found = rollback.k8s_overrides(cluster, env, chosen[:2])
    images = {item_id: override["definition"]["spec"]["template"]["spec"]["containers"][0]["image"] for item_id, override in found.items()}
    assert images == {"api": "shop/api:2", "worker": "shop/api:2"}
    assert chosen[0].params["definition"]["spec"]["template"]["spec"]["containers"][0]["image"] == "shop/api:3"
    assert cluster.paths.count("/apis/apps/v1/namespaces/agent-app-rb/replicasets") == 2
