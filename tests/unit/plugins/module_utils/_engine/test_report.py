"""The result the resources and environment modules return for a plan's results."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import plan, report
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome


class Ended(Exception):
    pass


class Module:
    def __init__(self, diff: bool) -> None:
        self._diff = diff

    def exit_json(self, **result: t.Any) -> None:
        raise Ended(result)

    def fail_json(self, **result: t.Any) -> None:
        raise Ended(dict(result, failed=True))


def ended(module: Module, results: t.List[plan.ItemResult], **extra: t.Any) -> t.Dict[str, t.Any]:
    with pytest.raises(Ended) as raised:
        report.finish(t.cast(t.Any, module), results, **extra)
    return t.cast(t.Dict[str, t.Any], raised.value.args[0])


CREATED = plan.ItemResult("net", "docker_network", plan.OK, Outcome(True, "create", [], {"id": "n1"}, {"after": "x"}))
READ = plan.ItemResult("vol", "docker_volume", plan.OK, Outcome(False, "none", [], None, {}))


def test_results_outputs_and_the_diff_of_what_changed() -> None:
    result = ended(Module(diff=True), [CREATED, READ], findings=[])
    assert result["changed"] is True and result["findings"] == []
    assert result["outputs"] == {"net": {"id": "n1"}, "vol": {}}
    assert [item["id"] for item in result["results"]] == ["net", "vol"] and result["diff"] == [{"after": "x"}]
    assert "diff" not in ended(Module(diff=False), [READ]) and ended(Module(diff=False), [READ])["changed"] is False


def test_a_failed_resource_fails_the_task_with_the_results() -> None:
    failed = plan.ItemResult("api", "docker_container", plan.FAILED, msg="image missing")
    result = ended(Module(diff=False), [CREATED, failed])
    assert result["failed"] is True and result["msg"] == "resource api (docker_container): image missing."
    assert result["outputs"] == {"net": {"id": "n1"}}
