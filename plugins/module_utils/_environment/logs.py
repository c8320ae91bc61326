# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment_logs module: the recent log lines of an environment's apps, as plain lines, newest last.

Docker: the logs of each app's container (and of its Celery beat's), named ``<env>-<app>`` as the blueprint names them.
AWS: FilterLogEvents on each app's log group ``/ecs/<env>/<app>``, whose streams ECS names
``<prefix>/<container>/<task id>``.
Kubernetes: the log of each container of the app's pods (its Deployment's, its beat's, its CronJobs' and one-off runs'),
found by the environment's labels in one list call; a line's source is its pod.
It reads only: nothing is created, changed or deployed.
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import math
import re
import time
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.agno.infra.plugins.module_utils._environment import model, operation, schema
from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment
from ansible_collections.agno.infra.plugins.module_utils._environment.operation import Subject, chosen_apps, kube_error, provider_error
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AWS, ClientError, BotoCoreError, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._docker.client import DOCKER, SDK
from ansible_collections.agno.infra.plugins.module_utils._k8s.client import KUBERNETES, KubeClient
from ansible_collections.agno.infra.plugins.module_utils._k8s.evidence import POD, container_log
from ansible_collections.agno.infra.plugins.module_utils._k8s.ownership import APP_LABEL, selector
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

ARGUMENT_SPEC: t.Dict[str, t.Any] = dict(
    operation.ARGUMENT_SPEC,
    apps={"type": "list", "elements": "str"},
    lines={"type": "int", "default": 100},
    since={"type": "str"},
    grep={"type": "str"},
)
MAX_LINES = 10000
DURATION = re.compile(r"(\d+)([smhd])")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Without agno_since, CloudWatch is searched backwards in these windows (seconds before now) until enough lines are found:
# FilterLogEvents lists oldest first, so one pass over a busy group's whole history would read all of it.
WINDOWS = (3600, 86400, 7 * 86400)
NANO = 10 ** 9
READING = "Reading the logs of"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One log line: when it was written (ns since the epoch), where from (app, and the task on aws), and its text."""

    time_ns: int
    source: str
    text: str

    def line(self) -> str:
        return "%s | %s" % (self.source, self.text)


# ---- the options ---------------------------------------------------------------------------------
def parse_since(value: t.Optional[str], now: float) -> t.Optional[float]:
    """The time (seconds since the epoch) that `since` names: a duration before now (30s, 10m, 2h, 1d) or an ISO 8601
    time (UTC when it has no offset); None when unset."""
    text = (value or "").strip()
    if not text:
        return None
    duration = DURATION.fullmatch(text)
    if duration:
        return now - int(duration.group(1)) * UNITS[duration.group(2)]
    try:
        moment = datetime.datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", text))
    except ValueError:
        raise ResourceError("agno_since (since) %r is neither a duration nor a time: give a number of seconds, minutes, "
                            "hours or days such as 30s, 10m, 2h or 1d, or an ISO 8601 time such as 2026-01-31T12:00:00Z." % text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def check_lines(count: int) -> int:
    if not 1 <= count <= MAX_LINES:
        raise ResourceError("agno_lines (lines) is %d: give a number of lines from 1 to %d." % (count, MAX_LINES))
    return count


def matching(entries: t.Iterable[Entry], grep: t.Optional[str]) -> t.List[Entry]:
    """The entries whose text holds grep (a plain, case-sensitive substring); all without one."""
    return [entry for entry in entries if not grep or grep in entry.text]


def newest(entries: t.Iterable[Entry], count: int) -> t.List[Entry]:
    """The last `count` entries by time, oldest first; lines of one time keep their order. The entries may come in any
    order (moto lists one stream after the other), and only `count` of them are held at a time."""
    heap: t.List[t.Tuple[int, int, Entry]] = []
    for number, entry in enumerate(entries):
        if len(heap) < count:
            heapq.heappush(heap, (entry.time_ns, number, entry))
        else:
            heapq.heappushpop(heap, (entry.time_ns, number, entry))
    return [entry for _time, _number, entry in sorted(heap)]


def split_lines(time_ns: int, source: str, message: str) -> t.List[Entry]:
    """A message as entries, one per line (a traceback logged as one event stays readable)."""
    return [Entry(time_ns, source, text.rstrip("\r")) for text in message.rstrip("\n").split("\n")]


# ---- docker --------------------------------------------------------------------------------------
def containers(env: Environment, app: t.Dict[str, t.Any]) -> t.List[str]:
    """The names of the app's containers: its own, its beat's for a Celery app with beat, its jobs' schedulers."""
    names = ["%s-%s" % (env.name, app["name"])]
    if app["kind"] == "celery" and app.get("beat"):
        names.append(names[0] + "-beat")
    return names + ["%s-job-%s" % (env.name, job["name"]) for job in env.jobs_of(app)]


def docker_time(stamp: str) -> int:
    """Nanoseconds since the epoch of Docker's RFC 3339 time (2026-01-31T12:00:00.123456789Z); 0 when it is not one."""
    found = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)", stamp)
    if not found:
        return 0
    zone = "+00:00" if found.group(3) == "Z" else found.group(3)
    seconds = datetime.datetime.fromisoformat(found.group(1) + zone).timestamp()
    return int(seconds) * NANO + int((found.group(2) or "0").ljust(9, "0"))


def docker_entries(output: bytes, source: str) -> t.List[Entry]:
    """The lines of `docker logs --timestamps` as entries."""
    entries = []
    for raw in output.decode("utf-8", "replace").split("\n"):
        if raw:
            stamp, _space, text = raw.partition(" ")
            entries.append(Entry(docker_time(stamp), source, text.rstrip("\r")))
    return entries


def container_logs(client: t.Any, env: Environment, name: str, params: t.Dict[str, t.Any], since: t.Optional[float],
                   tail: t.Union[int, str]) -> bytes:
    options: t.Dict[str, t.Any] = {"stdout": True, "stderr": True, "timestamps": True, "tail": tail}
    if since is not None:
        options["since"] = max(since, 1.0)
    try:
        return t.cast(bytes, client.logs(name, **options))
    except SDK.NotFound:
        raise ResourceError("Environment %s has no container %s on the Docker host %s: bring it up with agno.infra.up, or "
                            "choose other apps with agno_app." % (env.name, name, params["docker_host"]))
    except (SDK.DockerException, SDK.ConnectionError, SDK.ReadTimeout) as error:
        raise provider_error(DOCKER, error, Subject("container", name, params), READING)


def newest_of(outputs: t.Iterable[t.Tuple[bytes, str]], params: t.Dict[str, t.Any], since: t.Optional[float]) -> t.List[Entry]:
    """The newest lines (since `since`, holding grep) of timestamped logs (docker's and the kubelet's write the same
    times), each output with its source."""
    since_ns = int(since * NANO) if since is not None else 0
    entries = [entry for output, source in outputs for entry in docker_entries(output, source) if entry.time_ns >= since_ns]
    return newest(matching(entries, params["grep"]), params["lines"])


def docker_app_entries(client: t.Any, env: Environment, app: t.Dict[str, t.Any], params: t.Dict[str, t.Any],
                       since: t.Optional[float]) -> t.List[Entry]:
    """The app's newest lines from its containers; a grep needs the whole history (since `since`), filtered here."""
    tail: t.Union[int, str] = "all" if params["grep"] else params["lines"]
    return newest_of(((container_logs(client, env, name, params, since, tail), name[len(env.name) + 1:]) for name in containers(env, app)),
                     params, since)


def read_docker(env: Environment, apps: t.List[t.Dict[str, t.Any]], params: t.Dict[str, t.Any],
                since: t.Optional[float]) -> t.Dict[str, t.List[Entry]]:
    if DOCKER.import_error:
        raise ResourceError(missing_required_lib("docker"))
    client = DOCKER.connect(params)
    return {app["name"]: docker_app_entries(client, env, app, params, since) for app in apps}


# ---- aws -----------------------------------------------------------------------------------------
def log_group(env: Environment, app: t.Dict[str, t.Any]) -> str:
    return "/ecs/%s/%s" % (env.name, app["name"])


def stream_source(stream: str) -> str:
    """`api <task id>` for the stream `api/api/<task id>` (prefix, container, task); the stream itself otherwise."""
    parts = stream.split("/")
    return "%s %s" % (parts[0], parts[-1]) if len(parts) == 3 else stream


def filter_pattern(grep: t.Optional[str]) -> t.Optional[str]:
    """grep as one quoted CloudWatch term, so that spaces and symbols match literally. A double quote cannot be in
    such a term: then every event is listed and the lines are filtered here (as they are anyway)."""
    return '"%s"' % grep if grep and '"' not in grep else None


def windows(now: float, since: t.Optional[float]) -> t.List[t.Tuple[t.Optional[int], t.Optional[int]]]:
    """The (startTime, endTime) ranges in ms to search, newest first; both ends are inclusive, so they do not overlap."""
    if since is not None:
        return [(int(since * 1000), None)]
    now_ms = int(now * 1000)
    ranges: t.List[t.Tuple[t.Optional[int], t.Optional[int]]] = []
    end: t.Optional[int] = None
    for seconds in WINDOWS:
        start = now_ms - seconds * 1000
        ranges.append((start, end))
        end = start - 1
    return ranges + [(None, end)]


def events(logs: t.Any, group: str, start: t.Optional[int], end: t.Optional[int], pattern: t.Optional[str]) -> t.Iterator[t.Dict[str, t.Any]]:
    """Every event of the group in the range, page after page."""
    request: t.Dict[str, t.Any] = {"logGroupName": group}
    request.update({key: value for key, value in (("startTime", start), ("endTime", end), ("filterPattern", pattern)) if value is not None})
    while True:
        page = logs.filter_log_events(**request)
        yield from page.get("events") or []
        if not page.get("nextToken") or page.get("nextToken") == request.get("nextToken"):
            return
        request["nextToken"] = page["nextToken"]


def window_entries(logs: t.Any, group: str, start: t.Optional[int], end: t.Optional[int], params: t.Dict[str, t.Any]) -> t.List[Entry]:
    """The newest lines of one range, oldest first; only `lines` of them are kept while paging."""
    def lines() -> t.Iterator[Entry]:
        for event in events(logs, group, start, end, filter_pattern(params["grep"])):
            source = stream_source(str(event.get("logStreamName", "")))
            yield from matching(split_lines(int(event["timestamp"]) * 1000000, source, str(event.get("message", ""))), params["grep"])
    return newest(lines(), params["lines"])


def aws_app_entries(logs: t.Any, env: Environment, app: t.Dict[str, t.Any], params: t.Dict[str, t.Any], now: float,
                    since: t.Optional[float]) -> t.List[Entry]:
    group = log_group(env, app)
    entries: t.List[Entry] = []
    try:
        for start, end in windows(now, since):
            entries = window_entries(logs, group, start, end, params) + entries
            if len(entries) >= params["lines"]:
                break
    except (ClientError, BotoCoreError) as error:
        if is_not_found(error, "ResourceNotFoundException"):
            raise ResourceError("Environment %s has no log group %s in %s: bring it up with agno.infra.up, or choose other "
                                "apps with agno_app." % (env.name, group, params["region"]))
        raise provider_error(AWS, error, Subject("log group", group, params), READING)
    return newest(entries, params["lines"])


def read_aws(env: Environment, apps: t.List[t.Dict[str, t.Any]], params: t.Dict[str, t.Any], now: float,
             since: t.Optional[float]) -> t.Dict[str, t.List[Entry]]:
    if AWS.import_error:
        raise ResourceError(missing_required_lib("botocore"))
    logs = AWS.connect(params)("logs")
    return {app["name"]: aws_app_entries(logs, env, app, params, now, since) for app in apps}


# ---- kubernetes ----------------------------------------------------------------------------------
def pod_log(kube: KubeClient, namespace: str, pod: str, container: str, params: t.Dict[str, t.Any], now: float,
            since: t.Optional[float]) -> bytes:
    """The container's log with the times; a grep needs the whole history (since `since`), filtered here."""
    query: t.Dict[str, t.Any] = {"container": container, "timestamps": "true"}
    if not params["grep"]:
        query["tailLines"] = params["lines"]
    if since is not None:
        query["sinceSeconds"] = max(1, int(math.ceil(now - since)))
    return container_log(kube, namespace, pod, query)


def k8s_app_entries(kube: KubeClient, env: Environment, app: t.Dict[str, t.Any], pods: t.List[t.Dict[str, t.Any]],
                    params: t.Dict[str, t.Any], now: float, since: t.Optional[float]) -> t.List[Entry]:
    namespace = env.kubernetes["namespace"]
    mine = [pod for pod in pods if (pod["metadata"].get("labels") or {}).get(APP_LABEL) == app["name"]]
    if not mine:
        raise ResourceError("Environment %s has no pod of app %s in namespace %s: bring it up with agno.infra.up, or choose "
                            "other apps with agno_app." % (env.name, app["name"], namespace))
    return newest_of(((pod_log(kube, namespace, pod["metadata"]["name"], container["name"], params, now, since), pod["metadata"]["name"])
                      for pod in mine for container in (pod.get("spec") or {}).get("containers") or []), params, since)


def read_k8s(env: Environment, apps: t.List[t.Dict[str, t.Any]], params: t.Dict[str, t.Any], now: float,
             since: t.Optional[float]) -> t.Dict[str, t.List[Entry]]:
    if KUBERNETES.import_error:
        raise ResourceError(missing_required_lib("kubernetes"))
    namespace = env.kubernetes["namespace"]
    kube = KUBERNETES.connect(operation.connection_of(params, env))
    try:
        pods = kube.listed(POD, namespace, selector(env.name))
        return {app["name"]: k8s_app_entries(kube, env, app, pods, params, now, since) for app in apps}
    except Exception as error:  # pylint: disable=broad-except
        raise kube_error(error, Subject("namespace", namespace, params))


# ---- the run -------------------------------------------------------------------------------------
def summary(found: t.Dict[str, t.List[Entry]], params: t.Dict[str, t.Any]) -> str:
    """One sentence: how many lines of which apps, at most how many each, since when and matching what."""
    counts = ", ".join("%s %d" % (name, len(entries)) for name, entries in found.items())
    limits = ["at most %d per app" % params["lines"]]
    limits += ["since %s" % params["since"]] if (params["since"] or "").strip() else []
    limits += ["holding %r" % params["grep"]] if params["grep"] else []
    return "Log lines (%s), oldest first: %s." % (", ".join(limits), counts)


def merged(found: t.Dict[str, t.List[Entry]]) -> t.List[Entry]:
    """Every app's lines in one list by time, oldest first, newest last."""
    return sorted((entry for entries in found.values() for entry in entries), key=lambda entry: entry.time_ns)


def read(params: t.Dict[str, t.Any], now: float) -> t.Tuple[Environment, t.Dict[str, t.List[Entry]]]:
    """The environment and the newest lines of each app chosen, by app name."""
    env = operation.environment(params)
    apps = chosen_apps(env, params["apps"])
    check_lines(params["lines"])
    since = parse_since(params["since"], now)
    if env.target == "docker":
        return env, read_docker(env, apps, params, since)
    if env.target == "kubernetes":
        return env, read_k8s(env, apps, params, now, since)
    return env, read_aws(env, apps, params, now, since)


def run(module: AnsibleModule) -> None:
    if schema.JSONSCHEMA_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=schema.JSONSCHEMA_IMPORT_ERROR)
    params = module.params
    try:
        env, found = read(params, time.time())
    except ResourceError as error:
        module.fail_json(msg=error.msg, **error.details)
    # An app may log a connection URL: its percent-encoded password is as secret as the secrets option's values.
    module.no_log_values.update(model.secret_texts(env, params["secrets"]))
    module.exit_json(changed=False, lines=[entry.line() for entry in merged(found)], summary=summary(found, params))
