# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security rules checked against the desired state of an environment, before anything is created.

Each rule has an id, a severity, a one-line explanation and the fix; each check reads the resource
items (an environment's, or a user's resources list) and never calls a cloud.
References such as ${sg-alb.id} are not resolved: they stand for values the plan fills in later.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment import audit_k8s
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITIES = (HIGH, MEDIUM, LOW)
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
ELB_IDLE_TIMEOUT = 60
#: The shortest idle timeout that lets a streamed answer think between its parts.
STREAM_IDLE_TIMEOUT = 120
WEB_PORTS = (80, 443)
ROOT_USERS = ("", "0", "root", "0:0", "root:root")
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)", re.I)
SECRET_REFERENCE = "${secrets."


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    explanation: str
    fix: str


RULES: t.Dict[str, Rule] = {rule.id: rule for rule in (
    Rule("AGNO-DB-001", HIGH, "Database publicly accessible",
         "A database with a public address can be reached from the internet; only its security group stands in the way.",
         "Set publicly_accessible: false and reach it from the apps' security group."),
    Rule("AGNO-DB-002", HIGH, "Storage not encrypted",
         "Data at rest (database, cache, snapshots) is readable by anyone who gets the disks or a copy of a snapshot.",
         "Set storage_encrypted (or at_rest_encryption) to true; for an existing database, restore an encrypted copy."),
    Rule("AGNO-DB-003", HIGH, "Production database without deletion protection",
         "One mistaken task or API call deletes the production database.",
         "Set deletion_protection: true (agno.infra.down lifts it itself and keeps a final snapshot)."),
    Rule("AGNO-DB-004", HIGH, "Production database without automated backups",
         "Without automated backups there is no point-in-time recovery after a bad write or a lost volume.",
         "Set backup_retention_period to 7 or more days."),
    Rule("AGNO-NET-001", HIGH, "Ingress open to the internet beyond HTTP(S) on a load balancer",
         "A rule from 0.0.0.0/0 or ::/0 exposes the port to every address on the internet.",
         "Open only 80 and 443 on the load balancer's group; let other groups accept traffic from that group instead."),
    Rule("AGNO-ECS-001", HIGH, "Tasks with a public IP",
         "Production tasks with public addresses can be reached around the load balancer and its security group.",
         "Set assign_public_ip: false and run the tasks in private subnets behind the load balancer (NAT for egress)."),
    Rule("AGNO-LB-001", HIGH, "HTTP listener without a redirect to HTTPS",
         "With a certificate at hand, plain HTTP still serves the app unencrypted.",
         "Make the port 80 listener redirect_to_https: true."),
    Rule("AGNO-SEC-001", HIGH, "Secret passed as a plain environment value",
         "Plain environment values show in task definitions, docker inspect, diffs and logs.",
         "Pass it as a secret: secret_env (Docker) or containers[].secrets with a Secrets Manager ARN (ECS)."),
    Rule("AGNO-CTR-001", HIGH, "Container running as root",
         "A process running as root in the container turns any code execution bug into root on the container.",
         "Set user to a non-root uid (the app images run as 10001)."),
    Rule("AGNO-S3-001", HIGH, "S3 public access not blocked",
         "A bucket without all four public access blocks can be made public by one policy or ACL.",
         "Leave public_access_block at its default (all four true)."),
    Rule("AGNO-LOG-001", MEDIUM, "Log group without retention",
         "Logs kept forever grow costs and keep personal data longer than needed.",
         "Set retention_days (30 is a common choice)."),
    Rule("AGNO-IAM-001", HIGH, "IAM policy allowing every action",
         "A statement that allows \"*\" (or every action of a service) grants far more than the app needs.",
         "List the actions the app calls, on the resources it uses."),
    Rule("AGNO-LB-002", MEDIUM, "Load balancer idle timeout too short for streamed answers",
         "A connection silent for longer than the idle timeout is cut: streamed agent answers (SSE), MCP and websocket sessions "
         "that pause longer than a minute or two end half-way.",
         "Set the app's idle_timeout (or the load balancer's) to 120 seconds or more; 300 is the web apps' default."),
    Rule("AGNO-ECS-002", MEDIUM, "ECS Exec enabled",
         "Anyone allowed ecs:ExecuteCommand on the cluster gets a shell in the running tasks, with their secrets and role.",
         "Set the app's exec to false outside debugging sessions, or waive the finding for the app's service."),
    Rule("AGNO-CTR-002", MEDIUM, "Port published on every host interface",
         "A port published on 0.0.0.0 is reachable from every network the Docker host is on.",
         "Publish on 127.0.0.1 (docker.host_ip) or one chosen address."),
) + tuple(Rule(*rule) for rule in audit_k8s.RULES)}


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str
    resource: str
    detail: str
    severity: str

    def as_dict(self, waived: bool) -> t.Dict[str, t.Any]:
        rule = RULES[self.rule]
        return {"id": self.rule, "severity": self.severity, "resource": self.resource, "title": rule.title,
                "detail": self.detail, "explanation": rule.explanation, "fix": rule.fix, "waived": waived}


# ---- reading items ---------------------------------------------------------------------------
def of_type(items: t.List[Item], *types: str) -> t.List[Item]:
    return [item for item in items if item.type in types]


def param(item: Item, name: str, default: t.Any = None) -> t.Any:
    return item.params.get(name, default)


def refers_to(value: t.Any, item: Item) -> bool:
    """Whether a value is a reference to the item, or its literal name."""
    return value in ("${%s.id}" % item.id, param(item, "name"))


def as_list(value: t.Any) -> t.List[t.Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


# ---- checks ----------------------------------------------------------------------------------
def finding(rule: str, item: Item, detail: str, severity: t.Optional[str] = None) -> Finding:
    return Finding(rule, item.id, detail, severity or RULES[rule].severity)


def databases(items: t.List[Item], production: bool) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_db_instance", "aws_db_cluster"):
        if param(item, "publicly_accessible") is True:
            yield finding("AGNO-DB-001", item, "publicly_accessible is true")
        if param(item, "storage_encrypted") is False:
            yield finding("AGNO-DB-002", item, "storage_encrypted is false")
        if param(item, "db_cluster_identifier"):
            continue  # a cluster member: protection and backups belong to the cluster
        severity = HIGH if production else LOW
        if not param(item, "deletion_protection"):
            yield finding("AGNO-DB-003", item, "deletion_protection is not true", severity)
        if param(item, "backup_retention_period") == 0:
            yield finding("AGNO-DB-004", item, "backup_retention_period is 0", severity)
    for item in of_type(items, "aws_elasticache"):
        if param(item, "at_rest_encryption") is False:
            yield finding("AGNO-DB-002", item, "at_rest_encryption is false")


def port_range(rule: t.Dict[str, t.Any]) -> t.Tuple[int, int]:
    if str(rule.get("protocol", "tcp")) in ("all", "-1"):
        return 0, 65535
    low = rule.get("port", rule.get("from_port"))
    high = rule.get("port", rule.get("to_port", low))
    return (int(low), int(high)) if low is not None else (0, 65535)


def open_ingress(items: t.List[Item]) -> t.Iterator[Finding]:
    balancers = of_type(items, "aws_load_balancer")
    for group in of_type(items, "aws_security_group"):
        fronts_balancer = any(refers_to(value, group) for balancer in balancers for value in as_list(param(balancer, "security_groups")))
        for rule in as_list(param(group, "ingress")):
            if rule.get("cidr") not in OPEN_CIDRS:
                continue
            low, high = port_range(rule)
            if not fronts_balancer or low != high or low not in WEB_PORTS:
                yield finding("AGNO-NET-001", group, "ingress from %s on port%s %s%s" % (
                    rule["cidr"], "" if low == high else "s", low, "" if low == high else "-%d" % high))


def public_tasks(items: t.List[Item], production: bool) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_ecs_service"):
        if param(item, "assign_public_ip") is True:
            yield finding("AGNO-ECS-001", item, "assign_public_ip is true", HIGH if production else MEDIUM)


def http_without_redirect(items: t.List[Item]) -> t.Iterator[Finding]:
    listeners = of_type(items, "aws_listener")
    secured = {param(item, "load_balancer_arn") for item in listeners if param(item, "protocol") == "HTTPS" or param(item, "certificate_arn")}
    for item in listeners:
        plain = param(item, "protocol", "HTTP") == "HTTP"
        if plain and param(item, "load_balancer_arn") in secured and not param(item, "redirect_to_https"):
            yield finding("AGNO-LB-001", item, "port %s forwards plain HTTP while the load balancer has a certificate" % param(item, "port"))


def short_idle_timeouts(items: t.List[Item]) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_load_balancer"):
        seconds = param(item, "idle_timeout")
        if (seconds or ELB_IDLE_TIMEOUT) < STREAM_IDLE_TIMEOUT:
            yield finding("AGNO-LB-002", item, "idle_timeout is %s" % ("%d seconds" % seconds if seconds else "unset (AWS's 60 seconds)"))


def exec_enabled(items: t.List[Item], production: bool) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_ecs_service"):
        if param(item, "enable_execute_command") is True:
            yield finding("AGNO-ECS-002", item, "enable_execute_command is true", MEDIUM if production else LOW)


def container_envs(items: t.List[Item]) -> t.Iterator[t.Tuple[Item, str, t.Dict[str, t.Any]]]:
    """(item, container name, plain environment) of every Docker container and ECS container definition."""
    for item in of_type(items, "docker_container"):
        yield item, str(param(item, "name", item.id)), param(item, "env") or {}
    for item in of_type(items, "aws_ecs_task_definition"):
        for container in as_list(param(item, "containers")):
            yield item, str(container.get("name")), container.get("environment") or {}
    for item in of_type(items, "k8s_object"):
        for container, env in audit_k8s.plain_env(param(item, "definition") or {}):
            yield item, container, env


def plain_secrets(items: t.List[Item], secret_values: t.Set[str]) -> t.Iterator[Finding]:
    for item, container, env in container_envs(items):
        for name, value in sorted(env.items()):
            text = str(value)
            named_like_a_secret = bool(SECRET_NAME.search(str(name))) and text and "${" not in text
            if SECRET_REFERENCE in text or text in secret_values or named_like_a_secret:
                yield finding("AGNO-SEC-001", item, "%s has %s in its plain environment" % (container, name))


def root_containers(items: t.List[Item]) -> t.Iterator[Finding]:
    for item in of_type(items, "docker_container"):
        if str(param(item, "user", "") or "") in ROOT_USERS:
            user = param(item, "user")
            yield finding("AGNO-CTR-001", item, "user is %s" % (repr(user) if user else "unset (the image's user, often root)"))
    for item in of_type(items, "aws_ecs_task_definition"):
        for container in as_list(param(item, "containers")):
            if str(container.get("user") or "") in ROOT_USERS:
                yield finding("AGNO-CTR-001", item, "container %s has user %r" % (container.get("name"), container.get("user") or "unset"))


def public_buckets(items: t.List[Item]) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_s3_bucket"):
        unblocked = sorted(flag for flag, value in (param(item, "public_access_block") or {}).items() if value is False)
        if unblocked:
            yield finding("AGNO-S3-001", item, "public_access_block has %s false" % ", ".join(unblocked))


def log_retention(items: t.List[Item]) -> t.Iterator[Finding]:
    for item in of_type(items, "aws_log_group"):
        if not param(item, "retention_days"):
            yield finding("AGNO-LOG-001", item, "retention_days is unset")


def policy_documents(items: t.List[Item]) -> t.Iterator[t.Tuple[Item, str, t.Any]]:
    for item in of_type(items, "aws_iam_role"):
        for name, document in sorted((param(item, "inline_policies") or {}).items()):
            yield item, name, document
    for item in of_type(items, "aws_iam_policy"):
        yield item, str(param(item, "name", item.id)), param(item, "policy")


def wildcard_actions(items: t.List[Item]) -> t.Iterator[Finding]:
    for item, name, document in policy_documents(items):
        if not isinstance(document, dict):
            continue  # JSON text or a reference: the module checks it when it runs
        for statement in as_list(document.get("Statement")):
            if statement.get("Effect", "Allow") != "Allow":
                continue
            for action in as_list(statement.get("Action")):
                if action == "*":
                    yield finding("AGNO-IAM-001", item, "policy %s allows every action" % name)
                elif str(action).endswith(":*"):
                    yield finding("AGNO-IAM-001", item, "policy %s allows %s" % (name, action), MEDIUM)


def published_everywhere(items: t.List[Item]) -> t.Iterator[Finding]:
    for item in of_type(items, "docker_container"):
        for port in as_list(param(item, "ports")):
            parts = str(port).split(":")
            if len(parts) < 3 or parts[0] in ("0.0.0.0", "", "[::]"):
                yield finding("AGNO-CTR-002", item, "port %s is published on every interface" % port)


def kubernetes_objects(items: t.List[Item], production: bool) -> t.Iterator[Finding]:
    definitions = [(item.id, param(item, "definition") or {}) for item in of_type(items, "k8s_object") if item.params.get("state") != "absent"]
    for rule, item_id, detail, severity in audit_k8s.findings(definitions, production):
        yield Finding(rule, item_id, detail, severity or RULES[rule].severity)


def audit(items: t.List[Item], production: bool, secret_values: t.Iterable[str] = ()) -> t.List[Finding]:
    """Every finding of every rule, in the items' order within each rule."""
    values = {value for value in secret_values if isinstance(value, str) and len(value) >= 4}
    found: t.List[Finding] = []
    for check in (databases(items, production), open_ingress(items), public_tasks(items, production), http_without_redirect(items),
                  plain_secrets(items, values), root_containers(items), public_buckets(items), log_retention(items),
                  wildcard_actions(items), published_everywhere(items), short_idle_timeouts(items), exec_enabled(items, production),
                  kubernetes_objects(items, production)):
        found.extend(check)
    return found


def is_waived(item: Finding, waivers: t.Iterable[str]) -> bool:
    """A waiver names a rule (AGNO-DB-003) or a rule on one resource (AGNO-DB-003:postgres)."""
    return any(waiver in (item.rule, "%s:%s" % (item.rule, item.resource)) for waiver in waivers)


def blocking(findings: t.List[Finding], waivers: t.Iterable[str], fail_on: str) -> t.List[Finding]:
    if fail_on == "never":
        return []
    worst = SEVERITIES.index(fail_on)
    waivers = list(waivers)
    return [item for item in findings if SEVERITIES.index(item.severity) <= worst and not is_waived(item, waivers)]


def summary(findings: t.List[Finding]) -> str:
    return "; ".join("%s %s (%s): %s" % (item.rule, item.resource, item.severity, item.detail) for item in findings)


@dataclasses.dataclass
class Report:
    findings: t.List[t.Dict[str, t.Any]]
    counts: t.Dict[str, int]
    #: One sentence when findings block (at or above fail_on, not waived), else None.
    blocked: t.Optional[str]


def report(items: t.List[Item], secret_values: t.Iterable[str], fail_on: str, production: bool, waivers: t.Iterable[str]) -> Report:
    """The audit of the items as the modules return it."""
    waivers = list(waivers)
    findings = audit(items, production, secret_values)
    reported = [item.as_dict(is_waived(item, waivers)) for item in findings]
    counts = {severity: sum(1 for item in reported if item["severity"] == severity and not item["waived"]) for severity in SEVERITIES}
    blocked = blocking(findings, waivers, fail_on)
    message = None
    if blocked:
        first = blocked[0]
        message = ("The security audit found %d finding(s) at or above %s severity: %s. Fix them, or waive one by id in "
                   "agno_env.waivers (such as %s:%s)." % (len(blocked), fail_on, summary(blocked), first.rule, first.resource))
    return Report(reported, counts, message)
