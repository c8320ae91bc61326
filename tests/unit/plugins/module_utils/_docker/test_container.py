"""docker_container: a removal that an interrupted run left in progress is waited for, not fought."""

from __future__ import annotations

import typing as t

import pytest
from docker.errors import APIError, NotFound

from ansible_collections.agno.infra.plugins.module_utils._docker import container
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Clock, ResourceError


def conflict(explanation: str) -> APIError:
    """The error the SDK raises for an HTTP 409 answer of the daemon."""
    response = type("Response", (), {"status_code": 409, "reason": "Conflict", "url": "http+docker://localhost/containers/c0ffee"})()
    return APIError("409 Client Error", response=t.cast(t.Any, response), explanation=explanation)


class RemovingDocker:
    """A container the daemon is removing: it answers 'removing' a few times, then no longer knows it."""

    def __init__(self, inspections_left: int) -> None:
        self.inspections_left = inspections_left
        self.calls: t.List[str] = []

    def inspect_container(self, ref: str) -> t.Dict[str, t.Any]:
        self.calls.append("inspect_container")
        if self.inspections_left <= 0:
            raise NotFound("No such container: %s" % ref)
        self.inspections_left -= 1
        return {"Id": "c0ffee", "State": {"Status": "removing"}}

    def remove_container(self, ref: str, force: bool) -> None:
        self.calls.append("remove_container")
        raise conflict("removal of container %s is already in progress" % ref)


def resource(client: RemovingDocker, clock: t.Optional[Clock] = None) -> container.ContainerResource:
    made = container.ContainerResource(client, {"name": "app-api", "stop_timeout": 10})
    made.clock = clock or made.clock
    return made


def test_a_container_being_removed_reads_as_gone_once_the_daemon_is_done(clock: Clock) -> None:
    client = RemovingDocker(inspections_left=2)
    assert resource(client, clock).read() is None
    assert client.calls == ["inspect_container"] * 3


def test_deleting_a_container_already_being_removed_waits_for_that_removal(clock: Clock) -> None:
    client = RemovingDocker(inspections_left=1)
    resource(client, clock).delete({"id": "c0ffee", "running": False})
    assert client.calls == ["remove_container", "inspect_container", "inspect_container"]


def test_other_conflicts_are_not_swallowed() -> None:
    assert not container.removal_in_progress(conflict('the container name "/app-api" is already in use'))
    assert container.removal_in_progress(ResourceError("already in progress")) is False


def test_a_removal_that_never_ends_says_what_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "REMOVAL_TIMEOUT", 0)
    with pytest.raises(ResourceError) as raised:
        resource(RemovingDocker(inspections_left=5)).read()
    assert raised.value.msg.startswith("Docker has been removing container app-api for over 0 s: check the engine")
