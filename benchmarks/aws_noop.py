"""Time and count the API calls of a no-op rerun of five AWS tasks: agno.infra against amazon.aws/community.aws.

Usage: .venv/bin/python benchmarks/aws_noop.py [ROUNDS]
Starts its own moto server, creates the resources once per implementation, then reruns each
playbook ROUNDS times (interleaved) with moto's recorder on, and prints median wall time, calls
and mutating calls per rerun.
"""

from __future__ import annotations

import json
import pathlib
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "integration" / "targets" / "moto_record" / "filter_plugins"))

from conftest import free_port, wait_for_http  # noqa: E402  pylint: disable=wrong-import-position
from harness import run_playbook  # noqa: E402  pylint: disable=wrong-import-position
from moto_calls import moto_calls, moto_mutating_calls  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK = ROOT / "benchmarks" / "aws_noop.yml"


def post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10).close()  # noqa: S310


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    server = subprocess.Popen([str(pathlib.Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/tmp")
    env = {"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "AKIABENCH", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    try:
        wait_for_http(url + "/moto-api/")
        samples = {"agno": [], "baseline": []}  # type: dict[str, list[tuple[float, int, int]]]
        for impl in samples:
            first = run_playbook(PLAYBOOK, extra_vars={"impl": impl}, env=env)
            if first.rc != 0:
                raise SystemExit("%s first run failed:\n%s" % (impl, first.tail()))
        for _round in range(rounds):
            for impl in samples:
                post(url + "/moto-api/recorder/reset-recording")
                post(url + "/moto-api/recorder/start-recording")
                started = time.monotonic()
                run = run_playbook(PLAYBOOK, extra_vars={"impl": impl}, env=env)
                elapsed = time.monotonic() - started
                post(url + "/moto-api/recorder/stop-recording")
                with urllib.request.urlopen(url + "/moto-api/recorder/download-recording", timeout=10) as answer:  # noqa: S310
                    recording = answer.read().decode()
                if run.rc != 0:
                    raise SystemExit("%s rerun failed:\n%s" % (impl, run.tail()))
                samples[impl].append((elapsed, len(moto_calls(recording)), len(moto_mutating_calls(recording))))
                samples[impl][-1] += (run.recap["changed"],)  # type: ignore[assignment]
    finally:
        server.terminate()
        server.wait(timeout=10)
    for impl, values in samples.items():
        print("%-9s no-op rerun of 5 tasks: median %.2f s (%s); API calls %d, mutating %d, changed=%d"
              % (impl, statistics.median(v[0] for v in values), ", ".join("%.2f" % v[0] for v in values),
                 values[-1][1], values[-1][2], values[-1][3]))
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
