# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bring a whole environment up or down: validate it, render its resources, converge them as one plan."""

from __future__ import annotations

import copy
import os
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import audit

from ansible_collections.agno.infra.plugins.module_utils._environment import schema as environment_schema
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint import DockerBlueprint, app_settings
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_aws import AwsBlueprint, path_prefix, web_apps
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER_ARGUMENT_SPEC
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.locking import DEFAULT_LOCK_DIR, exclusive, lock_path
from ansible_collections.agno.infra.plugins.module_utils._engine.plan import (Item, ItemResult, Plan, failure_message, parse_items, selected,
                                                                              unmatched_selectors)
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES

CONNECTION_SPEC: t.Dict[str, t.Any] = dict(DOCKER_ARGUMENT_SPEC, **AWS_ARGUMENT_SPEC)
ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    CONNECTION_SPEC,
    spec={"type": "dict", "required": True},
    secrets={"type": "dict", "default": {}, "no_log": True},
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    limit={"type": "list", "elements": "str"},
    recreate={"type": "list", "elements": "str"},
    delete_data={"type": "bool", "default": False},
    parallel={"type": "int", "default": 4},
    base_dir={"type": "path"},
    app={"type": "dict"},
    audit_fail_on={"type": "str", "default": "high", "choices": ["high", "medium", "low", "never"]},
    lock_dir={"type": "path", "default": DEFAULT_LOCK_DIR},
    lock_timeout={"type": "int", "default": 900},
)
# Kept on the way down unless delete_data: volumes, buckets and secrets hold data, images only cost a rebuild.
KEPT_ON_DOWN = {"data", "image"}
PROTECTED_TYPES = {"aws_db_instance", "aws_db_cluster"}
FORCED_TYPES = {"aws_s3_bucket", "aws_ecr_repository", "docker_volume"}


def invalid_message(errors: t.List[str]) -> str:
    return "The environment (agno_env) is invalid: %s. Fix these keys in the inventory and run again." % "; ".join(errors)


def with_app(spec: t.Dict[str, t.Any], app: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    """The spec with the app in the place of its namesake (the order of the apps orders the load balancer's rules),
    or at the end of the apps when it has none."""
    if not app:
        return spec
    apps = list(spec.get("apps") or [])
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in apps]
    if app.get("name") in names:
        apps[names.index(app.get("name"))] = app
    else:
        apps.append(app)
    return dict(spec, apps=apps)


def absolute_paths(spec: t.Dict[str, t.Any], base_dir: t.Optional[str]) -> t.Dict[str, t.Any]:
    """The spec with its relative paths (app sources, CA certificates, build dir) taken from base_dir.

    The collection's playbooks run from the collection's own directory: without this, ./api in an
    inventory would point inside the installed collection.
    """
    if not base_dir:
        return spec

    def absolute(path: str) -> str:
        return path if os.path.isabs(os.path.expanduser(path)) else os.path.normpath(os.path.join(base_dir, path))

    resolved = copy.deepcopy(spec)
    for app in resolved.get("apps") or []:
        if isinstance(app, dict) and isinstance(app.get("source"), str):
            app["source"] = absolute(app["source"])
    docker = resolved.get("docker")
    if isinstance(docker, dict):
        if isinstance(docker.get("build_dir"), str):
            docker["build_dir"] = absolute(docker["build_dir"])
        if isinstance(docker.get("extra_ca_certificates"), list):
            docker["extra_ca_certificates"] = [absolute(path) if isinstance(path, str) else path
                                               for path in docker["extra_ca_certificates"]]
    return resolved


def render(spec: t.Dict[str, t.Any], region: t.Optional[str], state: str = "present",
           delete_data: bool = False, stage: bool = True, limit: t.Optional[t.List[str]] = None) -> t.List[t.Dict[str, t.Any]]:
    """The environment's resource items; stage=False only names the Docker build contexts instead of writing them,
    and a limit writes only those of the app images it picks."""
    if spec["target"] == "docker":
        items = DockerBlueprint(spec, stage, images_picked(spec, limit)).resources()
    elif not region:
        raise ResourceError("No AWS region is set for environment %s: give the region option or set AWS_REGION." % spec["name"])
    else:
        items = AwsBlueprint(spec, region).resources()
    return [teardown_params(item, delete_data) for item in items] if state == "absent" else items


def images_picked(spec: t.Dict[str, t.Any], limit: t.Optional[t.List[str]]) -> t.Optional[t.Set[str]]:
    """The apps whose image a limit picks (by app name, id, type or group); None without a limit: all of them."""
    if not limit:
        return None
    return {app["name"] for app in spec.get("apps") or []
            if picked({"id": app["name"] + "-image", "type": "docker_image", "group": "image", "app": app["name"]}, limit)}


def teardown_params(item: t.Dict[str, t.Any], delete_data: bool) -> t.Dict[str, t.Any]:
    """How an item is deleted on the way down.

    Databases lift their own deletion protection: `down` is the user's explicit request and the final
    snapshot still keeps the data. Buckets, repositories and volumes are emptied only with delete_data.
    """
    extra: t.Dict[str, t.Any] = {}
    if item["type"] in PROTECTED_TYPES:
        extra["deletion_protection"] = False
    if delete_data and item["type"] in FORCED_TYPES:
        extra["force"] = True
    return dict(item, params=dict(item["params"], **extra)) if extra else item


def endpoints(spec: t.Dict[str, t.Any], outputs: t.Dict[str, t.Dict[str, t.Any]]) -> t.Dict[str, str]:
    """URLs of the apps: published ports on the Docker host, or paths on the load balancer."""
    if spec["target"] == "aws":
        dns = (outputs.get("alb") or {}).get("dns_name")
        scheme = "https" if (spec.get("aws") or {}).get("certificate_arn") else "http"
        return {app["name"]: "%s://%s%s" % (scheme, dns, path_prefix(app.get("path"))) for app in web_apps(spec)} if dns else {}
    host = (spec.get("docker") or {}).get("host_ip", "127.0.0.1")
    urls = {}
    for app in spec.get("apps") or []:
        app = app_settings(app)
        port = app.get("host_port", app.get("port"))
        if port:
            urls[app["name"]] = "http://%s:%d" % (host, port)
    return urls


def picked(item: t.Dict[str, t.Any], selection: t.Optional[t.List[str]]) -> bool:
    """Whether a selection of ids, types, groups or app names picks the item (no selection picks everything)."""
    return not selection or bool({item["id"], item["type"], item.get("group"), item.get("app")} & set(selection))


def down_ids(items: t.List[t.Dict[str, t.Any]], limit: t.Optional[t.List[str]], delete_data: bool) -> t.Set[str]:
    """Ids to remove on the way down: the selection (or everything), minus what holds data unless asked."""
    kept = set() if delete_data else KEPT_ON_DOWN
    return {item["id"] for item in items if picked(item, limit) and item.get("group") not in kept}


def with_routes(items: t.List[t.Dict[str, t.Any]], ids: t.Set[str]) -> t.Set[str]:
    """Ids to converge, with the listeners when a target group is among them: their rules route to it, and ECS
    attaches a service only to a target group that a load balancer uses (a new app from its role)."""
    if any(item["type"] == "aws_target_group" and item["id"] in ids for item in items):
        return ids | {item["id"] for item in items if item["type"] == "aws_listener"}
    return ids


def rerouting(spec: t.Dict[str, t.Any], region: t.Optional[str], items: t.List[t.Dict[str, t.Any]],
              ids: t.Set[str]) -> t.Tuple[t.List[t.Dict[str, t.Any]], t.Set[str]]:
    """Removing some apps' target groups while the load balancer stays: the items of the environment without those
    apps, whose listeners are converged first so that no rule still routes to a group being deleted (AWS refuses to
    delete it), and the listeners and load balancer that environment no longer has, to remove with the apps."""
    removed = {item.get("app") for item in items if item["id"] in ids and item["type"] == "aws_target_group"}
    if not removed or any(item["id"] in ids for item in items if item["type"] == "aws_listener"):
        return [], set()
    rest = render(dict(spec, apps=[app for app in spec["apps"] if app["name"] not in removed]), region, stage=False)
    kept = {item["id"] for item in rest}
    gone = {item["id"] for item in items if item["type"] in ("aws_listener", "aws_load_balancer") and item["id"] not in kept}
    return (rest if any(item["type"] == "aws_listener" for item in rest) else []), gone


def new_deployments(items: t.List[t.Dict[str, t.Any]], selection: t.List[str]) -> t.Tuple[t.List[t.Dict[str, t.Any]], t.Set[str]]:
    """Restart on ECS: the selected services with force_new_deployment, and their ids (tasks replaced, nothing removed)."""
    chosen = {item["id"] for item in items if item["type"] == "aws_ecs_service" and picked(item, selection)}
    forced = [dict(item, params=dict(item["params"], force_new_deployment=True)) if item["id"] in chosen else item for item in items]
    return forced, chosen


def parts_picked(items: t.List[Item], limit: t.Optional[t.List[str]]) -> t.Optional[t.Set[str]]:
    """The apps and data services whose resources a limit picks; None without a limit: all of them."""
    if not limit:
        return None
    return {item.app for item in items if item.app and selected(item, limit)}


# Selection options and the playbook variables that fill them.
SELECTORS = (("limit", "agno_limit"), ("recreate", "agno_restart"))


def check_selectors(name: str, items: t.List[Item], params: t.Dict[str, t.Any]) -> None:
    """Refuse a selection entry that picks nothing, before any change."""
    for option, variable in SELECTORS:
        unknown = unmatched_selectors(items, params.get(option))
        if unknown:
            apps = sorted({item.app for item in items if item.app})
            groups = sorted({item.group for item in items if item.group})
            raise ResourceError("%s (%s in the playbooks) has %s, which picks no resource of environment %s: give app names (%s), "
                                "resource ids, types or groups (%s)." % (option, variable, ", ".join(repr(entry) for entry in unknown),
                                                                         name, ", ".join(apps) or "none", ", ".join(groups)))


def run(module: AnsibleModule) -> None:
    if environment_schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=environment_schema.JSONSCHEMA_IMPORT_ERROR)
    params = module.params
    params["spec"] = with_app(params["spec"], params.get("app"))
    # Without a limit the run converges every part, so it needs every secret; with one, only the picked parts' (below).
    errors = environment_schema.check(params["spec"], None if params["limit"] else params["secrets"])
    if errors:
        module.fail_json(msg=invalid_message(errors), errors=errors)
    params["spec"] = absolute_paths(params["spec"], params.get("base_dir"))
    restart_on_ecs = bool(params["recreate"]) and params["spec"]["target"] == "aws"
    # Exact ids to converge on the way up (None: the whole environment); on the way down, the ids to remove and the
    # environment whose listeners first drop the routes to the target groups being removed (see rerouting).
    up_ids: t.Optional[t.Set[str]] = None
    teardown_ids: t.Set[str] = set()
    rerouted: t.List[Item] = []
    try:
        items = render(params["spec"], params.get("region"), params["state"], params["delete_data"], limit=params["limit"])
        parsed = parse_items(items, RESOURCE_TYPES)
        check_selectors(params["spec"]["name"], parsed, params)
        errors = environment_schema.secret_errors(params["spec"], params["secrets"], parts_picked(parsed, params["limit"])) if params["limit"] else []
        if errors:
            module.fail_json(msg=invalid_message(errors), errors=errors)
        if params["state"] == "absent":
            teardown_ids = down_ids(items, params["limit"], params["delete_data"])
            routes, unrouted = rerouting(params["spec"], params.get("region"), items, teardown_ids)
            teardown_ids |= unrouted
            rerouted = parse_items(routes, RESOURCE_TYPES)
        elif restart_on_ecs:
            items, up_ids = new_deployments(items, params["recreate"])
            parsed = parse_items(items, RESOURCE_TYPES)
        elif params["limit"]:
            up_ids = with_routes(items, {item["id"] for item in items if picked(item, params["limit"])})
    except ResourceError as error:
        module.fail_json(msg=error.msg)
    except OSError as error:  # staging build contexts: a full disk, a permission problem
        module.fail_json(msg="Cannot prepare the build contexts of environment %s: %s; check the build_dir and the "
                             "permissions of the apps' sources." % (params["spec"]["name"], error))
    findings: t.List[t.Dict[str, t.Any]] = []
    if params["state"] == "present":
        # The security audit of what is about to be converged, before any change (agno.infra.audit's rules).
        checked = audit.report(items, params["spec"], params["secrets"].values(), params["audit_fail_on"])
        if checked.blocked:
            module.fail_json(msg=checked.blocked, findings=checked.findings)
        findings = checked.findings
    connection = {key: params[key] for key in CONNECTION_SPEC}

    def plan(ids: t.Optional[t.Set[str]], over: t.Optional[t.List[Item]] = None) -> Plan:
        return Plan(parsed if over is None else over, RESOURCE_TYPES, connection, module.check_mode, params["parallel"],
                    secrets=params["secrets"], ids=ids)

    def work() -> t.Tuple[t.List[Plan], t.List[ItemResult]]:
        if params["state"] == "absent":
            teardown = plan(ids=teardown_ids)
            if not rerouted:
                return [teardown], teardown.down()
            reroute = plan({item.id for item in rerouted if item.type == "aws_listener"}, rerouted)
            results = reroute.up()
            return [reroute, teardown], results if failure_message(results) else results + teardown.down()
        plans = [plan(ids=up_ids)]
        results: t.List[ItemResult] = []
        if params["recreate"] and not restart_on_ecs:
            # Restart: remove the chosen containers first; the converge that follows creates them afresh.
            plans.insert(0, plan(ids=down_ids(items, params["recreate"], False)))
            results = plans[0].down()
        return plans, (results if failure_message(results) else plans[-1].up())

    if module.check_mode:
        plans, results = work()  # only reads: no need to wait for a run in progress
    else:
        spec = params["spec"]
        region = params.get("region") if spec["target"] == "aws" else None
        path = lock_path(params["lock_dir"], spec["target"], region or "", spec["name"])
        try:
            with exclusive(path, params["lock_timeout"], "Environment %s" % spec["name"]):
                plans, results = work()
        except ResourceError as error:
            module.fail_json(msg=error.msg)
    for used in plans:
        module.no_log_values.update(used.no_log_values)
    report(module, params["spec"], results, findings)


def report(module: AnsibleModule, spec: t.Dict[str, t.Any], results: t.List[ItemResult], findings: t.List[t.Dict[str, t.Any]]) -> None:
    result: t.Dict[str, t.Any] = {
        "changed": any(item.outcome is not None and item.outcome.changed for item in results),
        "results": [item.as_dict() for item in results],
        "outputs": {item.id: (item.outcome.state or {}) for item in results if item.outcome is not None},
        "endpoints": {},
        "findings": findings,
    }
    if module.params["state"] == "present":
        result["endpoints"] = endpoints(spec, result["outputs"])
    if module._diff:
        result["diff"] = [item.outcome.diff for item in results if item.outcome is not None and item.outcome.changed]
    failed = failure_message(results)
    if failed:
        module.fail_json(msg=failed, **result)
    module.exit_json(**result)
