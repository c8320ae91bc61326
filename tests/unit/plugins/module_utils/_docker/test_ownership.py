"""The discovery of an environment's Docker objects, and the labels an object made before ownership labels keeps."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._docker import ownership
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found


class FakeDocker:
    """The three lists the discovery makes, each answering for the label filter it is given."""

    def __init__(self) -> None:
        self.filters: t.List[t.Dict[str, t.Any]] = []

    def containers(self, all: bool, filters: t.Dict[str, str]) -> t.List[t.Dict[str, t.Any]]:  # pylint: disable=redefined-builtin
        self.filters.append(dict(filters, all=all))
        return [{"Names": ["/shop-api"], "Labels": {"agno.env": "shop", "agno.id": "api"}}]

    def networks(self, filters: t.Dict[str, str]) -> t.List[t.Dict[str, t.Any]]:
        self.filters.append(filters)
        return [{"Name": "shop", "Labels": {"agno.env": "shop", "agno.id": "network"}}]

    def volumes(self, filters: t.Dict[str, str]) -> t.Dict[str, t.Any]:
        self.filters.append(filters)
        return {"Volumes": None}


def test_one_filtered_list_per_kind_finds_the_environment() -> None:
    docker = FakeDocker()
    assert ownership.owned(t.cast(t.Any, docker), "shop") == [
        Found("container", "shop-api", {"agno.env": "shop", "agno.id": "api"}),
        Found("network", "shop", {"agno.env": "shop", "agno.id": "network"})]
    assert docker.filters == [{"label": "agno.env=shop", "all": True}, {"label": "agno.env=shop"}, {"label": "agno.env=shop"}]


def test_ownership_labels_an_older_object_lacks_are_no_difference_others_are() -> None:
    desired = {"io.agno.env": "shop", "agno.env": "shop", "agno.id": "postgres-data"}
    assert not ownership.labels_differ({"io.agno.env": "shop"}, desired, {})
    assert ownership.labels_differ({"io.agno.env": "shop", "agno.env": "other"}, desired, {})
    assert ownership.labels_differ({}, desired, {})
    assert ownership.labels_differ({"io.agno.env": "shop", "extra": "1"}, desired, {})
