"""Every integration target, run as a real playbook: Docker ones against the engine, AWS ones against moto."""

from __future__ import annotations

import pathlib
import typing as t

import pytest

from harness import INTEGRATION, run_playbook, runnable_targets, target_aliases


def target_params() -> t.List[t.Any]:
    params = []
    for target in runnable_targets():
        aliases = target_aliases(target)
        marks = [getattr(pytest.mark, alias) for alias in ("docker", "aws") if alias in aliases]
        params.append(pytest.param(target, marks=marks, id=target.name))
    return params


@pytest.mark.parametrize("target", target_params())
def test_target(target: pathlib.Path, request: pytest.FixtureRequest) -> None:
    env = request.getfixturevalue("aws_env") if "aws" in target_aliases(target) else None
    run = run_playbook(INTEGRATION / "run_target.yml", extra_vars={"target": target.name}, env=env)
    assert run.rc == 0, run.tail(120)
    assert run.recap["failed"] == 0
