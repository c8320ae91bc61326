"""The result the resources and environment modules return for a plan's results."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import plan, report
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Outcome


class Ended(Exception):
    pass


class Module:
    def __init__(self, diff: bool, check_mode: bool = False) -> None:
        self._diff = diff
        self.check_mode = check_mode

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


def result_of(action: str) -> plan.ItemResult:
    return plan.ItemResult(action, "thing", plan.OK, Outcome(action != "none", action, [], {}, {}))


def test_one_summary_line_counts_the_actions_predicted_or_done() -> None:
    results = [result_of(action) for action in ("create", "create", "update", "replace", "delete", "none")]
    assert ended(Module(diff=False, check_mode=True), results)["summary"] == "Plan: 2 to add, 1 to change, 1 to replace, 1 to destroy."
    assert ended(Module(diff=False), results)["summary"] == "Apply: 2 added, 1 changed, 1 replaced, 1 destroyed."
    assert ended(Module(diff=False), [READ])["summary"] == "Apply: 0 added, 0 changed, 0 replaced, 0 destroyed."
