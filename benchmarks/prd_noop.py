"""Time and count the API calls of a no-op rerun of the example prd environment: `agno.infra.up` (the audit, then one
converge task) against the same deployment written by hand as one amazon.aws/community.aws task per resource
(benchmarks/prd_baseline.yml), both in one moto server of the script's own.

Usage: .venv/bin/python benchmarks/prd_noop.py [ROUNDS] [--no-baseline]
Ours is named agent-app-bench (VPC 10.20.0.0/16), the baseline agent-app-base (VPC 10.30.0.0/16). Each is created
and rerun once (untimed), then both are rerun ROUNDS times (3 unless told), interleaved with ansible-core's floor (a
one-task ping playbook, same interpreter, inventory and environment), with moto's recorder on. The script prints the
median wall times against the floor (target for ours: 1.5x or less), the API calls per resource (target 1.2 or less)
and mutating calls of a rerun, the changed counts (which tasks changed, for the baseline), what the baseline leaves
out, the ratios ours/baseline (the target is 0.25 or less) and the machine's load. At the end it stops its moto
server; both deployments go with it. Before that it replays the requests of ours's last rerun to moto over plain HTTP,
one after the other: moto's own time for them, which with the floor is the least any run making those calls can take
here. --no-baseline leaves the baseline out (ours and the floor only: minutes faster).
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import json
import pathlib
import re
import statistics
import sys
import typing as t
import urllib.error
import urllib.parse
import urllib.request

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from benchlib import REGION, ROOT, Moto, against_floor, floor_run, load_average, moto_calls, moto_mutating_calls, timed  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import COLLECTIONS, PlaybookRun, ready_images, run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error

sys.path.insert(0, str(COLLECTIONS))
from ansible_collections.agno.infra.plugins.module_utils._environment import model, run as environment_run  # noqa: E402  pylint: disable=wrong-import-position,import-error,no-name-in-module

# Ready images, as the baseline deploys (a no-op with builds from source reads the images too: see test_example_prd_build).
PRD = ready_images()
BASELINE = ROOT / "benchmarks" / "prd_baseline.yml"
OURS = {"agno_env_name": "agent-app-bench"}
PASSWORD = "bench-prd-password-5c3a"
REDIS_TOKEN = "bench-prd-redis-token-8e1f"
LABELS = ("agno.infra.up", "baseline")
TIMEOUT = 1800
TARGET_FLOOR_RATIO = 1.5
TARGET_CALLS_PER_RESOURCE = 1.2
TASK_LINE = re.compile(r"^TASK \[(?P<name>.*)\] \**\s*$")
# What the baseline does not do in its timed reruns against moto 5.2.x (details in benchmarks/prd_baseline.yml).
LEFT_OUT = (
    "ECS cluster: community.aws.ecs_cluster's rerun fails with KeyError 'capacityProviders' (created on the first run only;"
    " no Container Insights option either)",
    "ElastiCache Redis: community.aws.elasticache's rerun fails with KeyError 'CacheNodes' (created on the first run only;"
    " a single-node cache cluster without encryption options, no replication group module exists; its subnet group stays)",
    "ALB idle timeout 3600 s and drop_invalid_header_fields: amazon.aws.elb_application_lb fails with KeyError"
    " 'idle_timeout_timeout_seconds' (moto returns only four load balancer attributes)",
    "target groups' cookie duration 86400 s (AWS's default anyway): community.aws.elb_target_group fails with KeyError"
    " 'stickiness_lb_cookie_duration_seconds'",
    "tags on the ElastiCache subnet group, ECR repositories and the scalable target: those modules take none",
)
# Moto quirks that cost the baseline calls in its reruns (kept: that is what the baseline does there).
QUIRKS = (
    "NAT gateway changed on every rerun: moto tags it with resource type 'nat-gateway', amazon.aws looks its tags up"
    " with resource-type 'natgateway', finds none and adds them again (CreateTags)",
    "moto's CreateService drops healthCheckGracePeriodSeconds, so the baseline's first rerun updates the api and ui"
    " services (UpdateService); that rerun is untimed, as is one rerun of ours",
)


@dataclasses.dataclass
class Sample:
    """One recorded no-op rerun."""

    seconds: float
    calls: t.List[str]
    mutating: t.List[str]
    changed: int
    changed_tasks: t.List[str]
    tasks_run: int  # ok or changed; skipped ones not counted
    recording: str


def environment_vars(moto: Moto) -> t.Dict[str, str]:
    return dict(moto.env(), AGNO_DB_PASSWORD=PASSWORD, AGNO_REDIS_AUTH_TOKEN=REDIS_TOKEN, ANSIBLE_DEPRECATION_WARNINGS="0")


def run_ours(moto: Moto) -> PlaybookRun:
    return run_playbook("agno.infra.up", inventory=PRD, extra_vars=OURS, env=environment_vars(moto), timeout=TIMEOUT)


def run_baseline(moto: Moto, setup: bool = False) -> PlaybookRun:
    return run_playbook(BASELINE, extra_vars={"baseline_setup": str(setup).lower()}, env=environment_vars(moto), timeout=TIMEOUT)


def checked(run: PlaybookRun, label: str) -> PlaybookRun:
    """The run, if it succeeded and kept the password out of its output."""
    if run.rc != 0:
        raise SystemExit("%s failed:\n%s" % (label, run.tail()))
    if PASSWORD in run.output or REDIS_TOKEN in run.output:
        raise SystemExit("%s printed the database password:\n%s" % (label, run.tail()))
    return run


def changed_tasks(output: str) -> t.List[str]:
    """Names of the tasks that reported changed, in the order they ran."""
    names: t.List[str] = []
    task = ""
    for line in output.splitlines():
        match = TASK_LINE.match(line)
        if match:
            task = match["name"]
        elif line.startswith("changed:"):
            names.append(task)
    return names


def recorded_sample(moto: Moto, run: t.Callable[[], PlaybookRun], label: str) -> Sample:
    result, seconds, recording = moto.recorded(run)
    checked(result, label)
    return Sample(seconds, moto_calls(recording), moto_mutating_calls(recording), result.recap["changed"],
                  changed_tasks(result.output), result.recap["ok"], recording)


def prd_resources() -> int:
    """How many resources the prd environment renders into (with this benchmark's name)."""
    spec = dict(yaml.safe_load(PRD.read_text())["all"]["vars"]["agno_env"], name=OURS["agno_env_name"])
    return len(environment_run.render(model.environment(spec, REGION)))


def counted(names: t.List[str]) -> str:
    return ", ".join("%s x%d" % (name, count) for name, count in sorted(collections.Counter(names).items())) or "none"


def measure(moto: Moto, rounds: int, baseline: bool) -> t.Tuple[t.Dict[str, t.List[Sample]], t.List[float]]:
    """Create and settle the deployments (untimed), then rerun them ROUNDS times with the floor, interleaved so that
    machine load hits them all alike."""
    runs: t.Dict[str, t.Callable[[], PlaybookRun]] = {LABELS[0]: lambda: run_ours(moto)}
    checked(run_ours(moto), "agno.infra.up (create)")
    if baseline:
        runs[LABELS[1]] = lambda: run_baseline(moto)
        checked(run_baseline(moto, setup=True), "baseline (create)")
    # One untimed rerun each settles a moto quirk: its CreateService drops healthCheckGracePeriodSeconds, so the
    # baseline's first rerun sets it again with UpdateService on the two services behind the load balancer.
    for label, run in runs.items():
        checked(run(), label + " (settle)")
    samples: t.Dict[str, t.List[Sample]] = {label: [] for label in runs}
    floors: t.List[float] = []
    for _round in range(rounds):
        for label, run in runs.items():
            samples[label].append(recorded_sample(moto, run, label))
        floors.append(timed(lambda: checked(floor_run(environment_vars(moto), PRD), "floor"))[1])
    return samples, floors


def replayed(moto: Moto, recording: str, rounds: int) -> float:
    """The median time moto takes to answer the recorded requests, sent again one after the other over plain HTTP
    (the no-op's are reads: sending them again changes nothing; those that found nothing find nothing again)."""
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]

    def send_all() -> None:
        for entry in entries:
            body = entry.get("body") or ""
            data = base64.b64decode(body) if entry.get("body_encoded") else body.encode()
            url = moto.url + urllib.parse.urlsplit(entry["url"])._replace(scheme="", netloc="").geturl()
            request = urllib.request.Request(url, data=data or None, method=entry.get("method", "GET"), headers=entry.get("headers") or {})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    answer.read()
            except urllib.error.HTTPError as error:  # as the run got it: a read of something absent
                error.read()

    return statistics.median(timed(send_all)[1] for _round in range(rounds))


def report(samples: t.Dict[str, t.List[Sample]], floors: t.List[float], resources: int, moto_seconds: float) -> None:
    medians = {label: statistics.median(sample.seconds for sample in values) for label, values in samples.items()}
    floor = statistics.median(floors)
    what = {LABELS[0]: "%d resources in one task (audit, then converge)" % resources}
    if LABELS[1] in samples:
        what[LABELS[1]] = "%d amazon.aws/community.aws tasks" % samples[LABELS[1]][-1].tasks_run
    for label, values in samples.items():
        last = values[-1]
        print("%-13s no-op rerun of the prd environment, %s: median %.2f s (%s), %s"
              % (label, what[label], medians[label], ", ".join("%.2f" % sample.seconds for sample in values),
                 against_floor(medians[label], floor, TARGET_FLOOR_RATIO if label == LABELS[0] else None)))
        print("%-13s   API calls %d, mutating %d (%s), changed=%s%s"
              % ("", len(last.calls), len(last.mutating), counted(last.mutating), sorted({sample.changed for sample in values}),
                 " (%s)" % "; ".join(sorted(set(last.changed_tasks))) if last.changed_tasks else ""))
        if label == LABELS[0]:
            per_resource = len(last.calls) / resources
            met = per_resource <= TARGET_CALLS_PER_RESOURCE and not last.mutating and last.changed == 0
            print("%-13s   %.2f calls per resource (target <= %.1f with 0 mutating and changed=0: %s): %s"
                  % ("", per_resource, TARGET_CALLS_PER_RESOURCE, "met" if met else "not met", counted(last.calls)))
    print("%-13s one ansible.builtin.ping task: median %.2f s (%s)" % ("floor", floor, ", ".join("%.2f" % value for value in floors)))
    calls = len(samples[LABELS[0]][-1].calls)
    print("moto          answers ours's %d calls, replayed one after the other, in %.2f s: with the floor %.2f s, %.2fx the floor"
          " (the least a run making them can take here)" % (calls, moto_seconds, floor + moto_seconds, (floor + moto_seconds) / floor))
    if LABELS[1] not in samples:
        return
    for title, items in (("baseline leaves out, against moto 5.2.x:", LEFT_OUT), ("moto quirks in the baseline's reruns:", QUIRKS)):
        print(title)
        for item in items:
            print("  - " + item)
    ours, base = samples[LABELS[0]][-1], samples[LABELS[1]][-1]
    time_ratio = medians[LABELS[0]] / medians[LABELS[1]]
    print("ratio agno.infra / baseline: wall time %.2f (target <= 0.25: %s), API calls %.2f"
          % (time_ratio, "met" if time_ratio <= 0.25 else "not met", len(ours.calls) / max(len(base.calls), 1)))


def main() -> None:
    numbers = [argument for argument in sys.argv[1:] if argument.isdigit()]
    rounds = int(numbers[0]) if numbers else 3
    resources = prd_resources()
    moto = Moto()
    started_load = load_average()
    try:
        samples, floors = measure(moto, rounds, "--no-baseline" not in sys.argv[1:])
        moto_seconds = replayed(moto, samples[LABELS[0]][-1].recording, rounds)
    finally:
        moto.stop()
    report(samples, floors, resources, moto_seconds)
    print("at the start: %s; at the end: %s" % (started_load, load_average()))


if __name__ == "__main__":
    main()
