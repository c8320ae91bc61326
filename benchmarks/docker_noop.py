"""Time a no-op rerun of four container tasks: agno.infra against community.docker, same engine, same run.

Usage: .venv/bin/python benchmarks/docker_noop.py [ROUNDS]
Prints the median wall time of ansible-playbook for each implementation against ansible-core's floor (a one-task
ping playbook, measured in the same rounds), their ratio and the machine's load.
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from benchlib import against_floor, floor_run, load_average, timed  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error

PLAYBOOK = ROOT / "benchmarks" / "docker_noop.yml"


def timed_run(impl: str, state: str = "present") -> float:
    started = time.monotonic()
    run = run_playbook(PLAYBOOK, extra_vars={"impl": impl, "bench_state": state})
    elapsed = time.monotonic() - started
    if run.rc != 0:
        raise SystemExit("%s run failed:\n%s" % (impl, run.tail()))
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    impls = ("agno", "community")
    floors = []
    started_load = load_average()
    try:
        for impl in impls:
            timed_run(impl)  # creates the containers; not timed
        samples = {impl: [] for impl in impls}  # type: dict[str, list[float]]
        for _round in range(rounds):
            for impl in impls:  # interleaved so that machine load hits both alike
                run_started = time.monotonic()
                run = run_playbook(PLAYBOOK, extra_vars={"impl": impl})
                samples[impl].append(time.monotonic() - run_started)
                if run.rc != 0 or run.recap["changed"] != 0:
                    raise SystemExit("%s rerun was not a no-op:\n%s" % (impl, run.tail()))
            floors.append(timed(floor_run)[1])
    finally:
        for impl in impls:
            run_playbook(PLAYBOOK, extra_vars={"impl": impl, "bench_state": "absent"})
    medians = {impl: statistics.median(values) for impl, values in samples.items()}
    floor = statistics.median(floors)
    for impl in impls:
        print("%-10s no-op rerun of 4 container tasks: median %.2f s over %d runs (%s), %s"
              % (impl, medians[impl], rounds, ", ".join("%.2f" % value for value in samples[impl]), against_floor(medians[impl], floor)))
    print("%-10s one ansible.builtin.ping task: median %.2f s (%s)" % ("floor", floor, ", ".join("%.2f" % value for value in floors)))
    print("ratio community/agno: %.2f" % (medians["community"] / medians["agno"]))
    print("at the start: %s; at the end: %s" % (started_load, load_average()))


if __name__ == "__main__":
    main()
