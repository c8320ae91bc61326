# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment module: bring a whole environment up or down in one pass.

prepare (validate, model, render, select, stage) -> audit -> plan -> apply -> report.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import audit, model, prune, rollback, schema, status
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_aws import AwsBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_k8s import KubernetesBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import CONNECTION_SPEC, connection_of
from ansible_collections.agno.infra.plugins.module_utils._environment.selection import Selection, check_selectors, select
from ansible_collections.agno.infra.plugins.module_utils._k8s import ownership as k8s_ownership
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.ownership import Found
from ansible_collections.agno.infra.plugins.module_utils._engine.locking import DEFAULT_LOCK_DIR, exclusive, lock_path
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import Item, ItemResult, Plan, failure_message, parse_items
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.plugins.module_utils._engine.report import finish, outputs

ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    CONNECTION_SPEC,
    spec={"type": "dict", "required": True},
    secrets={"type": "dict", "default": {}, "no_log": True},
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    limit={"type": "list", "elements": "str"},
    recreate={"type": "list", "elements": "str"},
    rollback={"type": "list", "elements": "str"},
    delete_data={"type": "bool", "default": False},
    parallel={"type": "int", "default": 4},
    base_dir={"type": "path"},
    app={"type": "dict"},
    audit_fail_on={"type": "str", "default": "high", "choices": ["high", "medium", "low", "never"]},
    lock_dir={"type": "path", "default": DEFAULT_LOCK_DIR},
    lock_timeout={"type": "int", "default": 900},
)
PROTECTED_TYPES = {"aws_db_instance", "aws_db_cluster"}
#: The provider of each target's resource types (the registry's name for it).
PROVIDERS = {"docker": "docker", "aws": "aws", "kubernetes": "k8s"}
FORCED_TYPES = {"aws_s3_bucket", "aws_ecr_repository", "docker_volume"}
# Types whose final snapshot delete_data drops: a cache's (a database always leaves one).
SNAPSHOT_DROPPED_TYPES = {"aws_elasticache"}


@dataclasses.dataclass(frozen=True)
class Prepared:
    env: Environment
    items: t.List[Item]
    selection: Selection
    #: The secrets option with the forms of its values that URLs carry (model.url_secrets): what ${secrets.*} resolves to.
    secrets: t.Dict[str, t.Any]
    #: What the environment made and no longer has (found by its ownership tags).
    leftovers: t.List[Item] = dataclasses.field(default_factory=list)
    #: Options that a rollback gives items, by id (the previous image or task definition revision).
    overrides: rollback.Overrides = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Step:
    plan: Plan
    present: bool
    #: A restart removes containers that the next step creates afresh: only the creation is reported (unless it fails).
    reported: bool = True


def with_app(raw: t.Dict[str, t.Any], app: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    """The environment with the app in the place of its namesake (the order of the apps orders the load balancer's
    rules), or at the end of the apps when it has none."""
    if not app:
        return raw
    apps = list(raw.get("apps") or [])
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in apps]
    if app.get("name") in names:
        apps[names.index(app.get("name"))] = app
    else:
        apps.append(app)
    return dict(raw, apps=apps)


def render(env: Environment) -> t.List[Item]:
    """The environment's resource items, from the blueprint of its target."""
    if env.target == "docker":
        return parse_items(DockerBlueprint(env).resources(), RESOURCE_TYPES)
    if env.target == "kubernetes":
        return parse_items(KubernetesBlueprint(env).resources(), RESOURCE_TYPES)
    if not env.region:
        raise ResourceError("No AWS region is set for environment %s: give the region option or set AWS_REGION." % env.name)
    return parse_items(AwsBlueprint(env).resources(), RESOURCE_TYPES)


def with_params(item: Item, **params: t.Any) -> Item:
    return dataclasses.replace(item, params=dict(item.params, **params))


def restarted(item: Item) -> Item:
    """The item that restarts its pods without downtime: a new ECS deployment, or a rollout restart of a workload."""
    return with_params(item, **({"restart": True} if item.type == "k8s_object" else {"force_new_deployment": True}))


def teardown(item: Item, delete_data: bool) -> Item:
    """How an item is deleted on the way down.

    Databases lift their own deletion protection: `down` is the user's explicit request and the final
    snapshot still keeps the data. Buckets, repositories and volumes are emptied only with delete_data.
    """
    extra: t.Dict[str, t.Any] = {}
    if item.type in PROTECTED_TYPES:
        extra["deletion_protection"] = False
    if delete_data and item.type in FORCED_TYPES:
        extra["force"] = True
    if delete_data and item.type in SNAPSHOT_DROPPED_TYPES:
        extra["skip_final_snapshot"] = True
    return with_params(item, **extra) if extra else item


def endpoints(env: Environment, states: t.Dict[str, t.Dict[str, t.Any]]) -> t.Dict[str, str]:
    """URLs of the apps: published ports on the Docker host, paths on the load balancer, or on the Ingresses' host
    (without one, the Service's address inside the cluster)."""
    if env.target == "kubernetes":
        return {app["name"]: model.ingress_url(env, app) for app in env.web_apps()}
    if env.target == "aws":
        dns = (states.get("alb") or {}).get("dns_name")
        return {app["name"]: model.load_balancer_url(env, app, dns) for app in env.web_apps()} if dns else {}
    return {app["name"]: "http://%s:%d" % (env.docker["host_ip"], app["host_port"]) for app in env.apps if app["host_port"]}


# ---- the pass -----------------------------------------------------------------------------------
def prepare(params: t.Dict[str, t.Any], find: t.Callable[[Environment, t.List[Item]], t.List[Found]] = lambda env, items: [],
            earlier: t.Callable[[Environment, t.List[Item]], rollback.Overrides] = lambda env, items: {}) -> Prepared:
    """The environment validated and modelled, its items, its leftovers (among what `find` finds of it), what the run
    selects, what a rollback brings back (`earlier` reads it), and the contexts it builds staged."""
    raw = model.absolute_paths(with_app(params["spec"], params.get("app")), params.get("base_dir"))
    limit, up = params["limit"], params["state"] == "present"
    # Without a limit the run converges every part, so it needs every secret (and on the way up every app's source); with
    # one, only the selected parts' (below).
    env = schema.validated(raw, None if limit else params["secrets"], params.get("region"), sources=up and not limit)
    items = render(env)
    leftovers = prune.left_over(env, items, discovered(env, items, params, find), RESOURCE_TYPES.of(PROVIDERS[env.target]))
    selection = select(env, items, params, leftovers)
    errors = schema.secret_errors(env, params["secrets"], selection.parts) if limit else []
    errors += schema.source_errors(env, selection.parts) if limit and up else []
    if errors:
        raise schema.invalid(errors)
    overrides = earlier(env, [item for item in items if item.id in selection.converge]) if params.get("rollback") and selection.converge else {}
    if selection.builds:
        DockerBlueprint(env).stage(selection.builds)
    return Prepared(env, items, selection, model.resolvable_secrets(env, params["secrets"]), leftovers, overrides)


def discovered(env: Environment, items: t.List[Item], params: t.Dict[str, t.Any],
               find: t.Callable[[Environment, t.List[Item]], t.List[Found]]) -> t.List[Found]:
    """What `find` finds of the environment; when it cannot read them, a limit entry that picks none of the items is the
    error (it may name a leftover, but more likely it is misspelt)."""
    try:
        return find(env, items)
    except ResourceError as error:
        check_selectors(env.name, items, params, unread=error.msg)
        raise


def audited(prepared: Prepared, params: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
    """The findings of the security audit (agno.infra.audit's rules) on what is about to converge; blocking ones fail."""
    if params["state"] == "absent":
        return []
    return audit_findings(prepared.env, prepared.items, prepared.secrets, params["audit_fail_on"])


def audit_findings(env: Environment, items: t.List[Item], secrets: t.Dict[str, t.Any], fail_on: str) -> t.List[t.Dict[str, t.Any]]:
    """The audit's findings on the items; with one at or above fail_on (and not waived) the run stops here."""
    checked = audit.report(items, secrets.values(), fail_on, model.production(env), env.waivers)
    if checked.blocked:
        raise ResourceError(checked.blocked, findings=checked.findings)
    return checked.findings


def step(params: t.Dict[str, t.Any], check_mode: bool, items: t.List[Item], ids: t.Optional[t.Set[str]], present: bool,
         reported: bool = True) -> Step:
    """A plan that converges (present) or removes the items with these ids (None: all); the others are only read."""
    plan = Plan(items, RESOURCE_TYPES, connection_of(params), check_mode, params["parallel"], secrets=params["secrets"], ids=ids)
    return Step(plan, present, reported)


def planned(prepared: Prepared, params: t.Dict[str, t.Any], check_mode: bool) -> t.List[Step]:
    """The plans of the run in order: the way down (after rerouting), or a restart's removal and the converge."""
    items, selection = prepared.items, prepared.selection
    # ${secrets.*} resolves to the run's secrets: the option's and the forms that URLs carry.
    params = dict(params, secrets=prepared.secrets, **connection_of(params, prepared.env))
    if params["state"] == "absent":
        # Leftovers go first: they may live in what the way down removes (a removed app's service in the cluster).
        down = step(params, check_mode, [teardown(item, params["delete_data"]) for item in items], selection.remove, present=False)
        if not selection.reroute:
            return pruning(prepared, params, check_mode) + [down]
        listeners = {item.id for item in selection.reroute if item.type == "aws_listener"}
        return pruning(prepared, params, check_mode) + [step(params, check_mode, selection.reroute, listeners, present=True), down]
    converge = [restarted(item) if item.id in selection.redeploy else
                with_params(item, **prepared.overrides[item.id]) if item.id in prepared.overrides else item for item in items]
    up = step(params, check_mode, converge, selection.converge, present=True)
    leftovers = pruning(prepared, params, check_mode)
    # On aws (and kubernetes) leftovers go last: by then nothing the environment keeps refers to them (a listener's rule
    # to a target group). On docker nothing refers to a container, but a renamed app's old one holds the host port the
    # new one takes.
    first, last = (leftovers, []) if prepared.env.target == "docker" else ([], leftovers)
    if not selection.remove:
        return first + [up] + last
    return first + [step(params, check_mode, items, selection.remove, present=False, reported=False), up] + last


def pruning(prepared: Prepared, params: t.Dict[str, t.Any], check_mode: bool) -> t.List[Step]:
    """The removal of the leftovers the run selects, reading the environment's items they refer to (their VPC)."""
    if not prepared.selection.prune:
        return []
    items = prepared.items + [teardown(item, params["delete_data"]) for item in prepared.leftovers]
    plan = prune.Pruning(items, RESOURCE_TYPES, connection_of(params), check_mode, params["parallel"], secrets=params["secrets"],
                         ids=prepared.selection.prune)
    plan.delete_data = params["delete_data"]
    return [Step(plan, present=False)]


def steps_results(steps: t.List[Step]) -> t.List[ItemResult]:
    """Run the steps in order, up to the first that fails."""
    results: t.List[ItemResult] = []
    for current in steps:
        done = current.plan.up() if current.present else current.plan.down()
        if failure_message(done):
            return results + done
        results += done if current.reported else []
    return results


def apply(steps: t.List[Step], env: Environment, params: t.Dict[str, t.Any], check_mode: bool) -> t.List[ItemResult]:
    """The steps' results; a run that changes the environment holds its lock (check mode only reads: no need to wait)."""
    if check_mode:
        return steps_results(steps)
    with exclusive(lock_path(params["lock_dir"], env.target, env.region or "", env.name), params["lock_timeout"],
                   "Environment %s" % env.name):
        return steps_results(steps)


def status_report(results: t.List[ItemResult], urls: t.Dict[str, str], restarts: t.Dict[str, int]) -> t.Dict[str, t.Any]:
    """What a check-mode run on the way up says as `status`: its table, and the sentence a drift check fails with."""
    listed = [item.as_dict() for item in results]
    return {"status_lines": status.status_lines(listed, urls, restarts), "status_drift": status.drift(listed)}


def restarts_of(env: Environment, params: t.Dict[str, t.Any]) -> t.Dict[str, int]:
    """The restarts of a kubernetes environment's pods by workload, which its status shows (one list call)."""
    if env.target != "kubernetes":
        return {}
    connection = connection_of(params, env)
    return prune.reading(KUBERNETES, prune.Discovery("the pods of environment", env.name, connection),
                         lambda: k8s_ownership.restarts(KUBERNETES.connect(connection), env.name, env.kubernetes["namespace"]))


def report(module: AnsibleModule, env: Environment, results: t.List[ItemResult], findings: t.List[t.Dict[str, t.Any]],
           restarts: t.Dict[str, int]) -> None:
    present = module.params["state"] == "present"
    urls = endpoints(env, outputs(results)) if present else {}
    extra = status_report(results, urls, restarts) if present and module.check_mode else {}
    finish(module, results, endpoints=urls, findings=findings, **extra)


def run(module: AnsibleModule) -> None:
    if schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=schema.JSONSCHEMA_IMPORT_ERROR)
    params = module.params
    try:
        prepared = prepare(params, lambda env, items: prune.found(env, items, connection_of(params, env)),
                           lambda env, items: rollback.overrides(env, items, connection_of(params, env)))
        # The encoded forms of the secrets are as secret as the secrets option's own values (an empty one hides nothing:
        # masking it would mask between every character of the output).
        module.no_log_values.update(value for value in prepared.secrets.values() if isinstance(value, str) and value)
        findings = audited(prepared, params)
        steps = planned(prepared, params, module.check_mode)
        results = apply(steps, prepared.env, params, module.check_mode)
        shown = module.check_mode and params["state"] == "present" and not failure_message(results)
        restarts = restarts_of(prepared.env, params) if shown else {}
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    for used in steps:
        module.no_log_values.update(used.plan.no_log_values)
    report(module, prepared.env, results, findings, restarts)
