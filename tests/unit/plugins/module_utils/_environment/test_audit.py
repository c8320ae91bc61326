"""The security audit: the example environments pass, a deliberately insecure one trips every rule."""

from __future__ import annotations

import pathlib
import re

import yaml

from ansible_collections.agno.infra.plugins.module_utils._environment import audit, audit_module, model, run
from ansible_collections.agno.infra.tests.unit.support import example_env

ROOT = pathlib.Path(__file__).resolve().parents[5]
INSECURE = ROOT / "tests" / "integration" / "files" / "insecure_resources.yml"


def test_the_example_environments_have_no_high_finding() -> None:
    prd = run.render(model.environment(example_env("prd"), "us-east-1"))
    assert [f for f in audit.audit(prd, production=True, secret_values=["prd-password-0123"]) if f.severity == audit.HIGH] == []
    dev = run.render(model.environment(example_env("dev")))
    assert [f for f in audit.audit(dev, production=False, secret_values=["dev-only-password"]) if f.severity == audit.HIGH] == []


def test_the_insecure_resources_trip_every_rule() -> None:
    items = audit_module.as_items(yaml.safe_load(INSECURE.read_text()))
    found = {finding.rule for finding in audit.audit(items, production=True, secret_values=["hunter2-secret"])}
    assert found == set(audit.RULES)


def test_each_rule_names_its_resource_and_detail() -> None:
    items = audit_module.as_items(yaml.safe_load(INSECURE.read_text()))
    details = {(f.rule, f.resource): f.detail for f in audit.audit(items, production=True, secret_values=["hunter2-secret"])}
    assert details[("AGNO-NET-001", "sg-open")] == "ingress from 0.0.0.0/0 on port 22"
    assert details[("AGNO-SEC-001", "task")] == "api has OPENAI_API_KEY in its plain environment"
    assert details[("AGNO-CTR-001", "worker")] == "user is unset (the image's user, often root)"
    assert details[("AGNO-LB-002", "alb")] == "idle_timeout is unset (AWS's 60 seconds)"
    assert details[("AGNO-ECS-002", "service")] == "enable_execute_command is true"


def test_a_load_balancer_idle_timeout_under_two_minutes_is_medium() -> None:
    alb = audit_module.as_items([{"id": "alb", "type": "aws_load_balancer", "params": {"name": "lb", "idle_timeout": 119}}])
    assert [(f.rule, f.severity, f.detail) for f in audit.audit(alb, production=True)] == [
        ("AGNO-LB-002", audit.MEDIUM, "idle_timeout is 119 seconds")]
    alb[0].params["idle_timeout"] = 120
    assert audit.audit(alb, production=True) == []


def test_an_example_web_app_with_a_short_idle_timeout_is_flagged_and_exec_is_medium_in_production() -> None:
    raw = example_env("prd")
    for app in raw["apps"]:
        app.update(idle_timeout=60, exec=True)
    found = audit.audit(run.render(model.environment(raw, "us-east-1")), production=True, secret_values=["prd-password-0123"])
    assert [(f.rule, f.resource, f.severity) for f in found if f.rule in ("AGNO-LB-002", "AGNO-ECS-002")] == [
        ("AGNO-LB-002", "alb", audit.MEDIUM)] + [("AGNO-ECS-002", "service-" + app["name"], audit.MEDIUM) for app in raw["apps"]]
    assert {f.severity for f in audit.audit(run.render(model.environment(raw, "us-east-1")), production=False)
            if f.rule == "AGNO-ECS-002"} == {audit.LOW}


def test_web_ports_on_a_load_balancer_group_are_fine() -> None:
    items = audit_module.as_items([
        {"id": "sg", "type": "aws_security_group", "params": {"name": "lb", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]}},
        {"id": "alb", "type": "aws_load_balancer", "params": {"name": "lb", "security_groups": ["${sg.id}"], "idle_timeout": 300}}])
    assert audit.audit(items, production=True) == []
    items[1].params["security_groups"] = []
    assert [f.rule for f in audit.audit(items, production=True)] == ["AGNO-NET-001"]


def test_waivers_by_rule_or_by_resource_and_fail_levels() -> None:
    findings = [audit.Finding("AGNO-DB-003", "postgres", "x", audit.HIGH), audit.Finding("AGNO-LOG-001", "logs", "y", audit.MEDIUM)]
    assert audit.blocking(findings, [], "high") == findings[:1]
    assert audit.blocking(findings, ["AGNO-DB-003:postgres"], "high") == []
    assert audit.blocking(findings, ["AGNO-DB-003"], "medium") == findings[1:]
    assert audit.blocking(findings, [], "never") == []


def test_production_rules_are_low_outside_production() -> None:
    db = audit_module.as_items([{"id": "db", "type": "aws_db_instance", "params": {"identifier": "db", "backup_retention_period": 0}}])
    assert {f.severity for f in audit.audit(db, production=False)} == {audit.LOW}
    assert {f.severity for f in audit.audit(db, production=True)} == {audit.HIGH}


def test_the_readme_documents_every_rule() -> None:
    readme = (ROOT / "README.md").read_text()
    for rule in audit.RULES.values():
        assert re.search(r"\| `%s` \| %s \|" % (rule.id, rule.severity), readme), rule.id
