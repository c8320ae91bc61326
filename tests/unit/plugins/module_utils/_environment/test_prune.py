"""Prune: leftovers found by ownership are deleted in dependency order, in check mode only predicted; those that hold
data, and what they use, are kept and reported unless delete_data."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import model, prune, run, selection
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.tests.unit.plugins.module_utils._aws.scripted import Scripted

STORE: t.Dict[str, t.Dict[str, t.Any]] = {}
DELETED: t.List[str] = []


class FakeProvider:
    def connect(self, params: t.Dict[str, t.Any]) -> str:
        return "client"

    def explain(self, error: BaseException, resource: Resource) -> None:
        return None


class Box(Resource):
    kind = "box"
    argument_spec = {"name": {"type": "str", "required": True}, "state": {"type": "str", "default": "present"}}
    provider = FakeProvider()

    def desired(self) -> t.Dict[str, t.Any]:
        return {}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        return STORE.get(self.name)

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        DELETED.append(self.name)
        del STORE[self.name]


class Vault(Box):
    kind = "vault"

    def holds_data(self, current: t.Dict[str, t.Any]) -> bool:
        return bool(current.get("full"))


TYPES: t.Dict[str, t.Type[Resource]] = {"box": Box, "vault": Vault}


@pytest.fixture(autouse=True)
def store() -> None:
    STORE.clear()
    DELETED.clear()
    STORE.update({"shelf": {"name": "shelf"}, "vault": {"name": "vault", "full": True}, "lid": {"name": "lid"},
                  "empty": {"name": "empty"}})


def leftover(item_id: str, kind: str = "box", depends_on: t.Set[str] = frozenset()) -> Item:  # type: ignore[assignment]
    return Item(item_id, kind, {"name": item_id, "state": "absent"}, set(depends_on))


def pruned(check_mode: bool = False, delete_data: bool = False) -> t.Dict[str, t.Tuple[str, bool]]:
    # The vault uses the shelf (so keeps it); the lid uses the vault; "empty" holds nothing; "gone" no longer exists.
    items = [leftover("shelf"), leftover("vault", "vault", {"shelf"}), leftover("lid", depends_on={"vault"}),
             leftover("empty", "vault"), leftover("gone")]
    plan = prune.Pruning(items, TYPES, {}, check_mode, 2, ids={item.id for item in items})
    plan.delete_data = delete_data
    return {result.id: (result.as_dict()["action"], result.as_dict()["leftover"]) for result in plan.down()}


def test_leftovers_go_in_order_and_data_stays_with_what_it_uses() -> None:
    assert pruned() == {"shelf": ("keep", True), "vault": ("keep", True), "lid": ("delete", True), "empty": ("delete", True)}
    assert sorted(DELETED) == ["empty", "lid"]


def test_check_mode_predicts_the_same_and_deletes_nothing() -> None:
    assert pruned(check_mode=True) == {"shelf": ("keep", True), "vault": ("keep", True), "lid": ("delete", True),
                                       "empty": ("delete", True)}
    assert DELETED == []


def test_delete_data_removes_the_data_too_users_first() -> None:
    assert [action for action, _leftover in pruned(delete_data=True).values()] == ["delete"] * 4
    assert DELETED.index("lid") < DELETED.index("vault") < DELETED.index("shelf")


AWS = model.environment({"name": "shop", "target": "aws", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1"}]},
                        "us-east-1")
DOCKER = model.environment({"name": "shop", "target": "docker", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1"}]})
ARN = "arn:aws:%s:us-east-1:123456789012:%s"


def test_aws_leftovers_are_the_found_ids_the_environment_lacks() -> None:
    found = [Found("ecs:service", ARN % ("ecs", "service/shop/ui"), {"agno:id": "service-ui", "agno:app": "ui"}),
             Found("ecs:service", ARN % ("ecs", "service/shop/api"), {"agno:id": "service-api", "agno:app": "api"}),
             Found("ec2:security-group", ARN % ("ec2", "security-group/sg-1"), {"agno:id": "sg-redis", "Name": "shop-redis"})]
    items = prune.left_over(AWS, run.render(AWS), found, RESOURCE_TYPES.of("aws"))
    assert [(item.id, item.app, item.params) for item in items] == [
        ("service-ui", "ui", {"name": "ui", "cluster": "shop", "wait": True, "state": "absent"}),
        ("sg-redis", None, {"name": "shop-redis", "vpc_id": "${vpc.id}", "state": "absent"})]
    assert items[0].depends_on == {"sg-redis"} and items[1].depends_on == {"vpc"}


def test_docker_leftovers_use_the_labels() -> None:
    found = [Found("container", "shop-ui", {"agno.id": "ui", "agno.app": "ui"}), Found("volume", "shop-postgres-data", {"agno.id": "postgres-data"})]
    items = prune.left_over(DOCKER, run.render(DOCKER), found, RESOURCE_TYPES.of("docker"))
    assert [(item.id, item.type, item.depends_on) for item in items] == [
        ("ui", "docker_container", {"postgres-data"}), ("postgres-data", "docker_volume", set())]


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    return dict({"limit": None, "recreate": None, "state": "present", "delete_data": False}, **overrides)


def test_a_limit_may_name_an_app_only_leftovers_have() -> None:
    items, gone = run.render(AWS), [Item("service-ui", "aws_ecs_service", {}, set(), app="ui"), Item("tg-ui", "aws_target_group", {}, set(), app="ui")]
    down = selection.select(AWS, items, params(state="absent", limit=["ui"]), gone)
    assert (down.remove, down.prune) == (set(), {"service-ui", "tg-ui"})
    assert selection.select(AWS, items, params(), gone).prune == {"service-ui", "tg-ui"}
    assert selection.select(AWS, items, params(limit=["api"]), gone).prune == set()
    assert selection.select(AWS, items, params(recreate=["api"]), gone).prune == set()
    # Without those leftovers the same limit picks nothing, as before.
    with pytest.raises(ResourceError, match="picks no resource"):
        selection.select(AWS, items, params(state="absent", limit=["ui"]))


def test_leftovers_go_after_the_way_up_and_before_the_way_down() -> None:
    found = [Found("ecs:service", ARN % ("ecs", "service/shop/ui"), {"agno:id": "service-ui", "agno:app": "ui"})]
    for state, order in (("present", [True, False]), ("absent", [False, False])):
        values = dict(params(state=state), spec={"name": "shop", "target": "aws", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1"}]},
                      secrets={}, app=None, base_dir=None, region="us-east-1", parallel=2, **{key: None for key in run.CONNECTION_SPEC if key != "region"})
        prepared = run.prepare(values, lambda env, items: found)
        steps = run.planned(prepared, values, check_mode=True)
        assert [step.present for step in steps] == order
        pruning = steps[-1] if state == "present" else steps[0]
        assert isinstance(pruning.plan, prune.Pruning) and pruning.plan.ids == {"service-ui"}


def test_on_docker_leftovers_go_before_the_way_up() -> None:
    # A renamed app's old container holds the host port its new one takes; nothing refers to a container.
    found = [Found("container", "shop-old", {"agno.id": "old", "agno.app": "old"})]
    values = dict(params(), spec={"name": "shop", "target": "docker", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1"}]},
                  secrets={}, app=None, base_dir=None, region=None, parallel=2, **{key: None for key in run.CONNECTION_SPEC if key != "region"})
    prepared = run.prepare(values, lambda env, items: found)
    steps = run.planned(prepared, values, check_mode=True)
    assert [step.present for step in steps] == [False, True]
    assert isinstance(steps[0].plan, prune.Pruning) and steps[0].plan.ids == {"old"}


def test_a_run_without_leftovers_makes_one_discovery_call_on_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    mapping = {"ResourceARN": ARN % ("ecs", "service/shop/api"), "Tags": [{"Key": "agno:env", "Value": "shop"},
                                                                          {"Key": "agno:id", "Value": "service-api"}]}
    aws = Scripted(get_resources={"ResourceTagMappingList": [mapping]}, list_roles={"Roles": []},
                   describe_repositories={"repositories": []}, describe_db_subnet_groups={"DBSubnetGroups": []},
                   describe_scalable_targets={"ScalableTargets": []}, list_schedules={"Schedules": []})
    monkeypatch.setattr(prune.AWS, "connect", lambda connection: aws)
    assert len(prune.found(AWS, run.render(AWS), {})) == 1 and [name for name, _request in aws.calls] == ["get_resources"]
    # A leftover (a service the environment no longer has) brings the listings of what the tagging read may miss.
    gone = [item for item in run.render(AWS) if item.id != "service-api"]
    prune.found(AWS, gone, {})
    assert [name for name, _request in aws.calls][1:] == ["get_resources", "list_roles", "describe_repositories",
                                                          "describe_db_subnet_groups", "list_schedules", "describe_scalable_targets"]


def test_a_misspelt_limit_is_the_error_when_the_leftovers_cannot_be_read() -> None:
    values = dict(params(state="absent", limit=["apu"]), spec={"name": "shop", "target": "aws", "apps": [
        {"name": "api", "kind": "fastapi", "image": "api:1"}]}, secrets={}, app=None, base_dir=None, region="us-east-1",
        **{key: None for key in run.CONNECTION_SPEC if key != "region"})

    def unreachable(env: model.Environment, items: t.List[Item]) -> t.List[Found]:
        raise ResourceError("Cannot reach the AWS endpoint http://127.0.0.1:1/ (connection refused): start the endpoint.")
    with pytest.raises(ResourceError, match=r"'apu', which picks no resource .*could not be read \(Cannot reach the AWS endpoint"):
        run.prepare(values, unreachable)
    with pytest.raises(ResourceError, match="^Cannot reach"):
        run.prepare(dict(values, limit=None), unreachable)
