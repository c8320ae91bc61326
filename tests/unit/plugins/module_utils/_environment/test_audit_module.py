"""The audit module: it checks a list of resources or an environment, reports, blocks at fail_on, and changes nothing."""

from __future__ import annotations

import json
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import audit_module
from ansible_collections.agno.infra.plugins.modules import audit as module
from ansible_collections.agno.infra.tests.unit.support import module_run

OPEN_SSH = {"id": "sg-ssh", "type": "aws_security_group",
            "params": {"name": "ssh", "vpc_id": "vpc-1", "ingress": [{"port": 22, "cidr": "0.0.0.0/0"}]}}
PLAIN_SECRET = {"id": "worker", "type": "docker_container",
                "params": {"name": "worker", "image": "app", "user": "10001", "env": {"DB_PASSWORD": "hunter2-secret"}}}
ENVIRONMENT = {"name": "agent-app", "target": "docker", "postgres": {"enabled": True}, "redis": {"enabled": False},
               "apps": [{"name": "api", "kind": "fastapi", "source": "/src/api", "port": 8000}]}


def audit(capsys: pytest.CaptureFixture[str], **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    return module_run(module.main, args, capsys)


def test_findings_at_or_above_fail_on_block_with_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, resources=[OPEN_SSH])
    assert code == 1 and result["msg"] == (
        "The security audit found 1 finding(s) at or above high severity: AGNO-NET-001 sg-ssh (high): ingress from 0.0.0.0/0 on "
        "port 22. Fix them, or waive one by id in agno_env.waivers (such as AGNO-NET-001:sg-ssh).")
    assert result["counts"] == {"high": 1, "medium": 0, "low": 0}
    assert [(finding["id"], finding["resource"], finding["waived"]) for finding in result["findings"]] == [("AGNO-NET-001", "sg-ssh", False)]


def test_a_waived_finding_or_fail_on_never_only_reports(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, resources=[OPEN_SSH], waivers=["AGNO-NET-001:sg-ssh"])
    assert (code, result["changed"], result["counts"]["high"], result["findings"][0]["waived"]) == (0, False, 0, True)
    code, result = audit(capsys, resources=[OPEN_SSH], fail_on="never")
    assert (code, result["changed"], result["counts"]["high"]) == (0, False, 1)


def test_a_secret_found_in_plain_env_is_reported_without_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, resources=[PLAIN_SECRET], secrets={"db": "hunter2-secret"})
    assert code == 1 and "AGNO-SEC-001 worker (high)" in result["msg"]
    assert "hunter2-secret" not in json.dumps(result)


def test_an_environment_is_rendered_without_staging_and_checked(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, spec=ENVIRONMENT, secrets={"postgres_password": "pw-0123456789"}, production=True)
    assert (code, result["changed"], result["counts"]["high"]) == (0, False, 0)


def test_an_invalid_environment_fails_with_every_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, spec=dict(ENVIRONMENT, apps=[{"name": "api", "kind": "fastapi"}]), secrets={})
    assert code == 1 and result["errors"] == [
        "agno_env.apps[0]: set source (a directory to build) or image (a ready image)",
        "agno_env.postgres.password_secret: secret 'postgres_password' is not in the secrets option"]
    assert result["msg"] == "The environment (agno_env) is invalid: %s. Fix these keys in the inventory and run again." % "; ".join(
        result["errors"])


def test_an_environment_that_cannot_be_rendered_fails_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    spec = {"name": "agent-app", "target": "aws", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1", "cpus": 3}]}
    code, result = audit(capsys, spec=spec)
    assert (code, result["msg"]) == (1, "App api asks for cpus 3, which Fargate does not offer: use one of 0.25, 0.5, 1, 2, 4, 8, 16.")


def test_spec_and_resources_are_one_or_the_other(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = audit(capsys, spec=ENVIRONMENT, resources=[OPEN_SSH])
    assert (code, result["msg"]) == (1, "parameters are mutually exclusive: spec|resources")


def test_given_resources_are_read_as_items_whose_references_need_not_resolve() -> None:
    items = audit_module.as_items([OPEN_SSH, {"id": "app", "type": "aws_ecs_service", "params": {"cluster": "${cluster.name}"}}])
    assert [(item.id, item.type, item.depends_on) for item in items] == [
        ("sg-ssh", "aws_security_group", set()), ("app", "aws_ecs_service", set())]
    assert items[1].params == {"cluster": "${cluster.name}"}
