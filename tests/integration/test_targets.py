"""Every integration target, run as a real playbook: Docker ones against the engine, AWS ones against moto."""

from __future__ import annotations

import base64
import pathlib
import typing as t

import pytest

from harness import INTEGRATION, run_playbook, runnable_targets, secret, target_aliases

# Every secret value the targets use (passwords, tokens, secret env and secret strings): none may appear in the
# output of a run with --diff, whatever the module, the task or the failure.
TARGET_SECRETS = tuple(secret(value) for value in (
    "agno-it-db-password-5b7e", "agno-it-aurora-password-81c2", "agno-it-cache-token-5d1e0a2c", "agno-it-first-value-3c9e",
    "agno-it-second-value-8d1f", "agno-it-secret-value-7f3a", "agno-it-resources-secret-5e1d", "agno-it-role-db-password-2c7d", "agno-test-secret-access-key",
    "agno-it-k8s-secret-4b8e", base64.b64encode(b"agno-it-k8s-secret-4b8e").decode(), "agno-it-k8s-token-9d2c"))


def target_params() -> t.List[t.Any]:
    params = []
    for target in runnable_targets():
        aliases = target_aliases(target)
        marks = [getattr(pytest.mark, alias) for alias in ("docker", "aws", "k8s") if alias in aliases]
        params.append(pytest.param(target, marks=marks, id=target.name))
    return params


@pytest.mark.parametrize("target", target_params())
def test_target(target: pathlib.Path, request: pytest.FixtureRequest) -> None:
    aliases = target_aliases(target)
    env = request.getfixturevalue("aws_env") if "aws" in aliases else request.getfixturevalue("kube_env") if "k8s" in aliases else None
    run = run_playbook(INTEGRATION / "run_target.yml", "-vvv", "--diff", extra_vars={"target": target.name}, env=env)
    assert run.rc == 0, run.failures() + "\n----\n" + run.tail(40)
    assert run.recap["failed"] == 0
    assert [secret for secret in TARGET_SECRETS if secret in run.output] == []
