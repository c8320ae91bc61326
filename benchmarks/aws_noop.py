"""Time and count the API calls of a no-op rerun of nine AWS tasks: agno.infra against amazon.aws/community.aws.

Usage: .venv/bin/python benchmarks/aws_noop.py [ROUNDS]
Starts its own moto server and creates the resources once per implementation. Then, ROUNDS times
and interleaved with ansible-core's floor (a one-task ping playbook, same environment), it reruns each
playbook whole with moto's recorder on (wall time, calls, mutating calls, per-task time from
ansible.posix.profile_tasks). Last, it reruns each task alone (by its tag) to count that task's calls.
It prints a per-task table and the totals against the floor, with the machine's load.
"""

from __future__ import annotations

import collections
import json
import pathlib
import re
import statistics
import sys
import typing as t

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from benchlib import ROOT, Moto, against_floor, floor_run, load_average, moto_calls, moto_mutating_calls, timed  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import PlaybookRun, run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error

PLAYBOOK = ROOT / "benchmarks" / "aws_noop.yml"
IMPLS = ("agno", "baseline")
# Task tag -> task name in the playbook; the VPC task runs with every tag (the others need its id).
TASKS = {"vpc": "VPC", "subnet": "Subnet", "security_group": "Security group", "target_group": "Target group",
         "log_group": "Log group", "s3_bucket": "Bucket", "secret": "Secret", "iam_role": "IAM role",
         "ecr_repository": "ECR repository"}
PROFILE_LINE = re.compile(r"^(?P<task>.+?)\s-+\s+(?P<seconds>\d+\.\d+)s\s*$", re.M)


def task_seconds(output: str) -> t.Dict[str, float]:
    """Per-task wall time from profile_tasks' summary, keyed by task name (the other block's skipped twin is dropped)."""
    seconds: t.Dict[str, float] = {}
    for match in PROFILE_LINE.finditer(output):
        name = match["task"].split(" : ")[-1].strip()
        seconds[name] = max(seconds.get(name, 0.0), float(match["seconds"]))
    return seconds


def playbook(moto: Moto, impl: str, *args: str, profile: bool = False) -> PlaybookRun:
    env = moto.env()
    if profile:
        env.update(ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks", PROFILE_TASKS_TASK_OUTPUT_LIMIT="all")
    run = run_playbook(PLAYBOOK, *args, extra_vars={"impl": impl}, env=env)
    if run.rc != 0:
        raise SystemExit("%s run %s failed:\n%s" % (impl, " ".join(args), run.tail()))
    return run


def task_calls(moto: Moto, impl: str) -> t.Dict[str, int]:
    """Calls of each task's no-op rerun alone: its tag's run minus the VPC task's run."""
    counts = {tag: len(moto_calls(moto.recorded(lambda tag=tag: playbook(moto, impl, "--tags", tag))[2])) for tag in TASKS}
    return {tag: count - (counts["vpc"] if tag != "vpc" else 0) for tag, count in counts.items()}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    moto = Moto()
    totals: t.Dict[str, t.List[t.Tuple[float, int, int, int]]] = collections.defaultdict(list)
    per_task: t.Dict[str, t.Dict[str, t.List[float]]] = {impl: collections.defaultdict(list) for impl in IMPLS}
    floors: t.List[float] = []
    started_load = load_average()
    try:
        for impl in IMPLS:
            playbook(moto, impl)
        for _round in range(rounds):
            for impl in IMPLS:
                run, elapsed, recording = moto.recorded(lambda impl=impl: playbook(moto, impl, profile=True))
                totals[impl].append((elapsed, len(moto_calls(recording)), len(moto_mutating_calls(recording)), run.recap["changed"]))
                for task, seconds in task_seconds(run.output).items():
                    per_task[impl][task].append(seconds)
            floors.append(timed(lambda: floor_run(moto.env()))[1])
        calls = {impl: task_calls(moto, impl) for impl in IMPLS}
    finally:
        moto.stop()
    print("%-16s %12s %12s %10s %10s" % ("task", "agno s", "baseline s", "agno calls", "base calls"))
    for tag, name in TASKS.items():
        print("%-16s %12.2f %12.2f %10d %10d" % (tag, statistics.median(per_task["agno"][name] or [0]),
                                                 statistics.median(per_task["baseline"][name] or [0]), calls["agno"][tag], calls["baseline"][tag]))
    floor = statistics.median(floors)
    for impl in IMPLS:
        values = totals[impl]
        median = statistics.median(v[0] for v in values)
        print("%-9s no-op rerun of %d tasks: median %.2f s (%s), %s; API calls %d, mutating %d, changed=%d"
              % (impl, len(TASKS), median, ", ".join("%.2f" % v[0] for v in values), against_floor(median, floor),
                 values[-1][1], values[-1][2], values[-1][3]))
    print("%-9s one ansible.builtin.ping task: median %.2f s (%s)" % ("floor", floor, ", ".join("%.2f" % value for value in floors)))
    print("at the start: %s; at the end: %s" % (started_load, load_average()))
    print(json.dumps({"totals": totals, "per_task": per_task, "calls": calls, "floors": floors}))


if __name__ == "__main__":
    main()
