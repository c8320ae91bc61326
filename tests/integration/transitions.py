"""The transition matrix's machinery: day-2 edits of an example environment, each run as `up --check --diff`, `up`
and `up` again, with the item results of every run and the mutating calls each resource received.

An edit starts from the environment converged by the edit before it (the edits are chained). For every resource,
the action check mode predicts must be the action the apply takes; a resource predicted `none` gets no mutating
call; the rerun changes nothing and calls nothing that mutates. The mutating calls are what the provider saw:
moto's recorder on aws, the Docker engine's events on docker, the API server's audit log on kubernetes, each given
to the resource whose name, id or ARN (from the item states) it carries.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pathlib
import re
import sys
import threading
import time
import typing as t
import urllib.parse
import urllib.request

import yaml

from harness import COLLECTIONS, INTEGRATION, TARGETS, PlaybookRun, run_playbook
from k8s_kit import audit_length, is_write, requests

sys.path.insert(0, str(TARGETS / "moto_record" / "filter_plugins"))
from moto_calls import call_name, is_mutating, request_body  # noqa: E402  pylint: disable=wrong-import-position
sys.path.insert(0, str(COLLECTIONS))
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import plural  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK = INTEGRATION / "playbooks" / "up_result.yml"
#: Actions that leave a resource as it is: none, or a leftover kept because it holds data.
QUIET = ("none", "keep")
#: What an item of a failed run says when it did not get to choose an action.
UNDECIDED = ("failed", "skipped")
#: Fields of an item state that name the resource to its provider.
IDENTITY_FIELDS = ("id", "arn", "name", "identifier", "family", "resource_id", "pushed")

# ---- the environment as an inventory ------------------------------------------------------------


@dataclasses.dataclass
class Spec:
    """What a run is given: the inventory's variables (agno_env among them) and the environment variables."""

    variables: t.Dict[str, t.Any]
    environ: t.Dict[str, str]

    @classmethod
    def example(cls, inventory: pathlib.Path, environ: t.Dict[str, str], **variables: t.Any) -> "Spec":
        """The example inventory's variables, its relative sources made absolute, with these variables added."""
        text = inventory.read_text().replace("{{ inventory_dir }}", str(inventory.parent))
        loaded = yaml.safe_load(text)["all"]["vars"]
        return cls(dict(loaded, **variables), dict(environ))

    @property
    def env(self) -> t.Dict[str, t.Any]:
        return t.cast(t.Dict[str, t.Any], self.variables["agno_env"])

    def app(self, name: str) -> t.Dict[str, t.Any]:
        return next(app for app in self.env["apps"] if app["name"] == name)

    def copy(self) -> "Spec":
        return copy.deepcopy(self)

    def write(self, path: pathlib.Path) -> pathlib.Path:
        inventory = {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}, "vars": self.variables}}
        path.write_text(yaml.safe_dump(inventory, sort_keys=False))
        return path


Expected = t.Union[str, t.Tuple[str, ...]]


@dataclasses.dataclass(frozen=True)
class Edit:
    """One day-2 edit: a change of the spec and the action it must take on each resource it touches (every other
    resource: none). With a limit, `beyond_limit` changes parts outside it for this edit's runs only (they must stay
    untouched, and are not carried on to the next edit)."""

    name: str
    change: t.Callable[[Spec], None]
    expect: t.Mapping[str, Expected]
    limit: t.Optional[str] = None
    beyond_limit: t.Optional[t.Callable[[Spec], None]] = None


# ---- what a run did -----------------------------------------------------------------------------


@dataclasses.dataclass
class Call:
    """One mutating call the provider received, and the resources it was given to (none: nobody's)."""

    name: str
    owners: t.List[str]


@dataclasses.dataclass
class Observed:
    """One run of up: its output, its registered result (None when the task failed) and its mutating calls."""

    run: PlaybookRun
    result: t.Optional[t.Dict[str, t.Any]]
    calls: t.List[Call]

    @property
    def items(self) -> t.List[t.Dict[str, t.Any]]:
        return list((self.result or {}).get("results") or [])

    @property
    def actions(self) -> t.Dict[str, str]:
        return {item["id"]: item.get("action", item.get("status", "?")) for item in self.items}

    def calls_of(self, resource: str) -> t.List[str]:
        return [call.name for call in self.calls if resource in call.owners]

    def shown_calls(self, resource: str) -> str:
        """The resource's calls in order, a repeated one once with its count (RegisterTaskDefinition x3)."""
        calls = self.calls_of(resource)
        return ", ".join(name if calls.count(name) == 1 else "%s x%d" % (name, calls.count(name))
                         for name in dict.fromkeys(calls)) or "-"

    def unowned(self) -> t.List[str]:
        return [call.name for call in self.calls if not call.owners]

    def failure(self) -> t.Optional[str]:
        """Why the run failed, in the module's words, or None."""
        if self.run.rc == 0:
            return None
        return str((self.result or {}).get("msg") or self.run.tail(15))[:1500]


def failed_result(output: str) -> t.Optional[t.Dict[str, t.Any]]:
    """The result of the up task that failed, as the output shows it (the playbook ends before writing it)."""
    marker = output.rfind("FAILED! => ")
    if marker < 0:
        return None
    try:
        return t.cast(t.Dict[str, t.Any], json.JSONDecoder().raw_decode(output, marker + len("FAILED! => "))[0])
    except ValueError:
        return None


class Identities:
    """Resource ids by the names, ids and ARNs their states have shown, across the runs (a deleted resource is known
    by what it was)."""

    def __init__(self) -> None:
        self.by_resource: t.Dict[str, t.Tuple[str, t.Set[t.FrozenSet[str]]]] = {}

    def learn(self, items: t.Iterable[t.Dict[str, t.Any]]) -> None:
        for item in items:
            known = self.by_resource.setdefault(item["id"], (item["type"], set()))[1]
            known.update(identity_sets(item["type"], item.get("state") or {}))

    def owners(self, types: t.Iterable[str], values: t.Set[str]) -> t.List[str]:
        """The resources of these types that one of the values (or a set of them) names."""
        wanted = set(types)
        return sorted(resource for resource, (kind, known) in self.by_resource.items()
                      if kind in wanted and any(identity <= values for identity in known))

    def of_type(self, prefix: str) -> t.Set[str]:
        return {kind for kind, _known in self.by_resource.values() if kind.startswith(prefix)}


def identity_sets(resource_type: str, state: t.Dict[str, t.Any]) -> t.Set[t.FrozenSet[str]]:
    """Each value that names the resource, and the sets of values that name it together (a listener: the load
    balancer's ARN and the port)."""
    found = {frozenset([str(state[field])]) for field in IDENTITY_FIELDS if isinstance(state.get(field), str) and state[field]}
    if resource_type == "k8s_object" and state.get("kind"):
        # How the API server's audit log names an object: its resource and name (deployments, api).
        found.add(frozenset(["%s/%s" % (plural(state["kind"]), (state.get("metadata") or {}).get("name"))]))
    if resource_type == "aws_listener" and state.get("arn") and state.get("port"):
        balancer = str(state["arn"]).replace(":listener/", ":loadbalancer/").rsplit("/", 1)[0]
        found.add(frozenset([balancer, str(state["port"])]))
    return found


# ---- mutating calls on aws: moto's recorder -----------------------------------------------------
# The provider service of each resource type, and the pattern of the operations that act on it within that service
# (an operation that matches no type of its service, such as TagResource, may act on any of them).
AWS_TYPES: t.Dict[str, t.Tuple[str, str]] = {
    "aws_vpc": ("ec2", "Vpc"),
    "aws_subnet": ("ec2", "Subnet"),
    "aws_internet_gateway": ("ec2", "InternetGateway"),
    "aws_route_table": ("ec2", "Route"),
    "aws_nat_gateway": ("ec2", "NatGateway|Address"),
    "aws_security_group": ("ec2", "SecurityGroup"),
    "aws_db_subnet_group": ("rds", "DBSubnetGroup"),
    "aws_db_instance": ("rds", "DBInstance"),
    "aws_db_cluster": ("rds", "DBCluster"),
    "aws_elasticache": ("elasticache", ""),
    "aws_secret": ("secretsmanager", ""),
    "aws_s3_bucket": ("s3", ""),
    "aws_ecs_cluster": ("ecs", "Cluster"),
    "aws_ecs_task_definition": ("ecs", "TaskDefinition"),
    "aws_ecs_service": ("ecs", "Service"),
    "aws_iam_role": ("iam", "Role"),
    "aws_load_balancer": ("elasticloadbalancing", "LoadBalancer|SecurityGroups|Subnets"),
    "aws_target_group": ("elasticloadbalancing", "TargetGroup|Targets"),
    "aws_listener": ("elasticloadbalancing", "Listener|Rule"),
    "aws_log_group": ("logs", ""),
    "aws_ecr_repository": ("ecr", ""),
    "aws_autoscaling": ("application-autoscaling", ""),
    "aws_acm_certificate": ("acm", ""),
}
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/aws4_request")
# A query parameter of the call itself (Name, GroupId, ResourceId.1, ResourceArns.member.1), not one of a nested
# structure (IpPermissions.1.Groups.1.GroupId, TagSpecification.1.Tag.1.Value).
TOP_PARAMETER = re.compile(r"^[A-Za-z]+(\.(member\.)?\d+)?$")


def json_leaves(value: t.Any) -> t.Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from json_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_leaves(item)
    elif value is not None:
        yield str(value)


# ARNs of the parts of a resource, and what they name it by: a listener's rule, a task definition's revision.
PART_ARNS = ((re.compile(r"^(arn:[^:]+:elasticloadbalancing:.*):listener-rule/(.*)/[^/]+$"), r"\1:listener/\2"),
             (re.compile(r"^arn:[^:]+:ecs:.*:task-definition/([^:]+):\d+$"), r"\1"))


def with_wholes(values: t.Set[str]) -> t.Set[str]:
    """The values, and for each ARN of a part the name of its whole (a rule's ARN gives its listener's)."""
    return values | {pattern.sub(whole, value) for value in values for pattern, whole in PART_ARNS if pattern.match(value)}


def request_values(entry: t.Dict[str, t.Any]) -> t.Tuple[t.Set[str], t.Set[str]]:
    """The values of a recorded request: those of its own parameters, and all of them."""
    body = request_body(entry)
    url = urllib.parse.urlsplit(entry.get("url", ""))
    if body.startswith("{"):
        data = json.loads(body)
        top = {value for key, item in data.items() if not isinstance(item, dict) for value in json_leaves(item)}
        return with_wholes(top), with_wholes(set(json_leaves(data)))
    if "Action=" in body:
        pairs = urllib.parse.parse_qsl(body)
        return with_wholes({value for key, value in pairs if TOP_PARAMETER.match(key)}), with_wholes({value for _key, value in pairs})
    # A REST call (S3): the path names the bucket.
    path = {urllib.parse.unquote(part) for part in url.path.split("/") if part}
    return path, path


def aws_owners(entry: t.Dict[str, t.Any], name: str, identities: Identities) -> t.List[str]:
    """The resources a recorded call acts on: of the types its service and operation say, named by its own
    parameters (or else by any of its values)."""
    authorization = str((entry.get("headers") or {}).get("Authorization", ""))
    scope = CREDENTIAL_SCOPE.search(authorization)
    service = scope.group(1) if scope else ""
    in_service = [kind for kind, (owner, _pattern) in AWS_TYPES.items() if owner == service]
    types = [kind for kind in in_service if AWS_TYPES[kind][1] and re.search(AWS_TYPES[kind][1], name)] or in_service
    top, every = request_values(entry)
    return identities.owners(types, top) or identities.owners(types, every)


class Moto:
    """Runs against a moto server and reads the mutating calls from its recorder."""

    def __init__(self, url: str) -> None:
        self.url = url

    def recorder(self, action: str) -> str:
        method = "GET" if action == "download-recording" else "POST"
        request = urllib.request.Request(self.url + "/moto-api/recorder/" + action, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own moto server
            return str(answer.read().decode())

    def record(self, run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, t.List[t.Tuple[t.Dict[str, t.Any], str]]]:
        self.recorder("reset-recording")
        self.recorder("start-recording")
        try:
            done = run()
        finally:
            self.recorder("stop-recording")
        entries = [json.loads(line) for line in self.recorder("download-recording").splitlines() if line.strip()]
        named = [(entry, call_name(entry)) for entry in entries]
        return done, [(entry, name) for entry, name in named if is_mutating(name)]

    @staticmethod
    def owners(record: t.Tuple[t.Dict[str, t.Any], str], identities: Identities) -> Call:
        entry, name = record
        return Call(name, aws_owners(entry, name, identities))


# ---- mutating calls on docker: the engine's events ----------------------------------------------
# The events that change something (health checks and their execs, attaching and reading files do not). The engine
# keeps only its last events, which health checks overrun within seconds: they are read live, during the run.
DOCKER_MUTATIONS = ("create", "start", "restart", "stop", "kill", "die", "destroy", "rename", "update", "pause", "unpause",
                    "commit", "connect", "disconnect", "mount", "unmount", "remove", "tag", "untag", "delete", "pull",
                    "import", "load", "prune", "push")
# Events of a network or volume about one container: that container's doing (it was created, started, removed).
CONTAINER_SIDE = ("connect", "disconnect", "mount", "unmount")


def read_until_closed(stream: t.Iterable[t.Dict[str, t.Any]]) -> t.Iterator[t.Dict[str, t.Any]]:
    """The events of a stream until it is closed (closing it ends the read with an error of the connection)."""
    try:
        yield from stream
    except Exception:  # pylint: disable=broad-except
        return


class Docker:
    """Runs against the local Docker engine and reads the mutating events of the environment's objects."""

    def __init__(self, env_name: str) -> None:
        import docker  # pylint: disable=import-outside-toplevel
        self.client = docker.from_env()
        self.env_name = env_name
        self.volumes: t.Set[str] = set()

    def record(self, run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, t.List[t.Dict[str, t.Any]]]:
        # The engine reports a create for a named volume that a new container mounts, also when the volume exists.
        self.volumes = {volume.name for volume in self.client.volumes.list()}
        stream = self.client.events(decode=True, filters={"event": list(DOCKER_MUTATIONS)})
        events: t.List[t.Dict[str, t.Any]] = []
        reader = threading.Thread(target=lambda: events.extend(read_until_closed(stream)), daemon=True)
        reader.start()
        try:
            done = run()
            time.sleep(1)  # the last events of the run are on their way
        finally:
            stream.close()
            reader.join(timeout=10)
        return done, [event for event in events if self.mutating(event)]

    def mutating(self, event: t.Dict[str, t.Any]) -> bool:
        actor = event.get("Actor") or {}
        if event.get("Type") == "volume" and event.get("Action") == "create" and actor.get("ID") in self.volumes:
            return False
        return str(event.get("Action", "")) in DOCKER_MUTATIONS and self.env_name in json.dumps(actor)

    @staticmethod
    def owners(event: t.Dict[str, t.Any], identities: Identities) -> Call:
        kind, action = str(event.get("Type", "")), str(event.get("Action", ""))
        actor = event.get("Actor") or {}
        attributes = actor.get("Attributes") or {}
        owner, values = kind, {str(value) for value in (actor.get("ID"), attributes.get("name")) if value}
        if action in CONTAINER_SIDE and attributes.get("container"):
            owner, values = "container", {attributes["container"]}
        elif kind == "image" and action == "push":
            values = {str(actor.get("ID"))}  # the pushed reference with its tag (the name attribute has no tag)
        elif kind == "image" and attributes.get("name"):
            # A tag event names the tag: images built from the same context (the api's and the worker's) share their id.
            values = {str(attributes["name"])}
        return Call("%s %s" % (kind, action), identities.owners(identities.of_type("docker_" + owner), values))


class MotoAndDocker:
    """An aws environment on a moto server whose images are built and pushed by the local Docker engine: the mutating
    calls of both, each given to its resources."""

    def __init__(self, url: str, env_name: str) -> None:
        self.moto = Moto(url)
        self.docker = Docker(env_name)

    def record(self, run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, t.List[t.Tuple[str, t.Any]]]:
        events: t.List[t.Dict[str, t.Any]] = []

        def watched() -> PlaybookRun:
            done, seen = self.docker.record(run)
            events.extend(seen)
            return done
        done, calls = self.moto.record(watched)
        return done, [("aws", call) for call in calls] + [("docker", event) for event in events]

    @staticmethod
    def owners(record: t.Tuple[str, t.Any], identities: Identities) -> Call:
        source, entry = record
        return Moto.owners(entry, identities) if source == "aws" else Docker.owners(entry, identities)


# ---- mutating calls on kubernetes: the API server's audit log -----------------------------------
class Kube:
    """Runs against the kit's API server and reads the collection's writes from its audit log: its requests that
    change an object (a dry-run changes nothing)."""

    def __init__(self, audit: str) -> None:
        self.audit = pathlib.Path(audit)

    def record(self, run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, t.List[t.Dict[str, t.Any]]]:
        start = audit_length(self.audit)
        done = run()
        return done, [entry for entry in requests(self.audit, start) if is_write(entry)]

    @staticmethod
    def owners(entry: t.Dict[str, t.Any], identities: Identities) -> Call:
        ref = entry.get("objectRef") or {}
        return Call("%s %s" % (entry["verb"], ref.get("resource")),
                    identities.owners({"k8s_object"}, {"%s/%s" % (ref.get("resource"), ref.get("name"))}))


# ---- one environment through its edits ----------------------------------------------------------


@dataclasses.dataclass
class Transition:
    edit: Edit
    check: Observed
    apply: Observed
    rerun: t.Optional[Observed]

    def problems(self) -> t.List[str]:
        """Every way this transition breaks the rules, one sentence each (empty: it passes)."""
        failed = [("check mode", self.check), ("the apply", self.apply)] + ([("the rerun", self.rerun)] if self.rerun else [])
        found = ["%s failed: %s" % (what, run.failure()) for what, run in failed if run.failure()]
        if self.check.calls:
            found.append("check mode made mutating calls: %s" % ", ".join(call.name for call in self.check.calls))
        found += self.disagreements() + self.unexpected()
        if self.apply.unowned():
            found.append("the apply made mutating calls of no resource: %s" % ", ".join(self.apply.unowned()))
        if self.rerun is not None and self.rerun.failure() is None:
            found += rerun_problems(self.rerun)
        return found

    def converged(self) -> bool:
        """Whether the environment is as the edit's spec says: applied, and the rerun found nothing to do."""
        return self.rerun is not None and self.rerun.failure() is None and not rerun_problems(self.rerun)

    def resources(self) -> t.List[str]:
        return sorted(set(self.check.actions) | set(self.apply.actions))

    def disagreements(self) -> t.List[str]:
        """Resource by resource: the prediction against the apply, and the apply against the calls it made."""
        if not self.check.items or not self.apply.items:
            return []
        found = []
        predicted, applied = self.check.actions, self.apply.actions
        for resource in self.resources():
            before, after = predicted.get(resource, "absent"), applied.get(resource, "absent")
            calls = self.apply.calls_of(resource)
            if after in UNDECIDED:
                continue  # the apply's failure says why
            if before != after:
                found.append("%s: check mode predicted %s, the apply did %s" % (resource, before, after))
            if before in QUIET and calls:
                found.append("%s: predicted %s, yet the apply called %s" % (resource, before, ", ".join(calls)))
            if after not in QUIET + ("absent",) and not calls:
                found.append("%s: the apply reported %s without any mutating call" % (resource, after))
        return found

    def unexpected(self) -> t.List[str]:
        """The edit's own expectations: what it must do to the resources it touches, and nothing to the others."""
        if not self.apply.items:
            return []
        found = []
        applied = self.apply.actions
        for resource, wanted in sorted(self.edit.expect.items()):
            allowed = (wanted,) if isinstance(wanted, str) else wanted
            if applied.get(resource, "absent") not in allowed:
                found.append("%s: the edit must %s it, the apply did %s" % (
                    resource, " or ".join(allowed), applied.get(resource, "absent")))
        for resource, action in sorted(self.check.actions.items()):
            if resource not in self.edit.expect and action not in QUIET:
                found.append("%s: the edit does not touch it, yet check mode says %s" % (resource, action))
        return found

    def table(self) -> str:
        """Resource by resource, the predicted and the applied action and the apply's mutating calls (the changed ones)."""
        rows = []
        for resource in self.resources():
            before, after = self.check.actions.get(resource, "absent"), self.apply.actions.get(resource, "absent")
            if before not in QUIET or after not in QUIET or self.apply.calls_of(resource):
                rows.append("| %s | %s | %s | %s |" % (resource, before, after, self.apply.shown_calls(resource)))
        rows += ["| (no resource) | - | - | %s |" % ", ".join(self.apply.unowned())] if self.apply.unowned() else []
        return "\n".join(["| resource | predicted | applied | mutating calls of the apply |", "| --- | --- | --- | --- |"] + rows)


def rerun_problems(rerun: Observed) -> t.List[str]:
    found = []
    if (rerun.result or {}).get("changed"):
        found.append("the rerun reported changed")
    found += ["the rerun would %s %s" % (action, resource) for resource, action in sorted(rerun.actions.items()) if action not in QUIET]
    if rerun.calls:
        found.append("the rerun made mutating calls: %s" % ", ".join(call.name for call in rerun.calls))
    return found


class Matrix:
    """One example environment, converged once, then taken through edits one after the other."""

    def __init__(self, provider: t.Union[Moto, Docker, MotoAndDocker, Kube], spec: Spec, workdir: pathlib.Path, report: pathlib.Path) -> None:
        self.provider = provider
        self.spec = spec
        self.workdir = workdir
        self.report = report
        self.identities = Identities()
        self.runs = 0

    def up(self, spec: Spec, *args: str, limit: t.Optional[str] = None) -> Observed:
        """One run of the up playbook on this spec, with its result and its mutating calls, each given to its resources."""
        self.runs += 1
        inventory = spec.write(self.workdir / ("inventory-%03d.yml" % self.runs))
        result_file = self.workdir / ("result-%03d.json" % self.runs)
        extra = {"agno_result_file": str(result_file)}
        if limit:
            extra["agno_limit"] = limit
        done, records = self.provider.record(lambda: run_playbook(
            PLAYBOOK, "-vvv", *args, inventory=inventory, extra_vars=extra, env=spec.environ, timeout=1800))
        result = json.loads(result_file.read_text()) if done.rc == 0 and result_file.exists() else failed_result(done.output)
        observed = Observed(done, result, [])
        self.identities.learn(observed.items)
        observed.calls = [self.provider.owners(record, self.identities) for record in records]  # type: ignore[arg-type]
        return observed

    def converge(self) -> Observed:
        """The first up: every mutating call it makes is given to exactly one resource (the attribution works)."""
        observed = self.up(self.spec)
        assert observed.failure() is None, observed.failure()
        assert not observed.unowned(), "calls of no resource: %s" % observed.unowned()
        shared = ["%s (%s)" % (call.name, ", ".join(call.owners)) for call in observed.calls if len(call.owners) > 1]
        assert not shared, "calls given to several resources: %s" % shared
        return observed

    def transition(self, edit: Edit) -> Transition:
        """The edit from the converged environment: check, apply, rerun; then its spec carries on (without the
        changes beyond its limit)."""
        carried = self.spec.copy()
        edit.change(carried)
        spec = carried.copy()
        if edit.beyond_limit:
            edit.beyond_limit(spec)
        check = self.up(spec, "--check", "--diff", limit=edit.limit)
        apply = self.up(spec, "--diff", limit=edit.limit)
        rerun = self.up(spec, limit=edit.limit) if apply.failure() is None else None
        transition = Transition(edit, check, apply, rerun)
        self.spec = carried if transition.converged() or self.up(carried).failure() is None else self.settle_back()
        self.write_report(transition)
        return transition

    def settle_back(self) -> Spec:
        """After an edit that cannot converge, the environment back to the spec before it, for the next edit to start
        from (what it left half-applied undone where the spec before it says so)."""
        self.up(self.spec)
        return self.spec

    def write_report(self, transition: Transition) -> None:
        problems = transition.problems()
        lines = ["### %s: %s" % (transition.edit.name, "pass" if not problems else "FAIL"), "", transition.table(), ""]
        lines += ["- " + problem for problem in problems] + ([""] if problems else [])
        with self.report.open("a") as handle:
            handle.write("\n".join(lines) + "\n")
