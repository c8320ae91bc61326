"""What the benchmarks share: ansible-core's own floor (a one-task ping playbook run the same way, in the same run)
and, for AWS, a moto server of their own with its recorder and the environment that points ansible-playbook at it.
The recording is read with the moto_record target's filters (moto_calls, moto_mutating_calls).
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
for _path in (ROOT / "tests" / "integration", ROOT / "tests" / "integration" / "targets" / "moto_record" / "filter_plugins"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from conftest import free_port, wait_for_http  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import PlaybookRun, run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error
from moto_calls import moto_calls, moto_mutating_calls  # noqa: E402,F401  pylint: disable=wrong-import-position,import-error,unused-import

REGION = "us-east-1"
FLOOR = ROOT / "benchmarks" / "floor.yml"


def floor_run(env: t.Optional[t.Dict[str, str]] = None, inventory: t.Optional[pathlib.Path] = None) -> PlaybookRun:
    """ansible-core's floor: a one-task ansible.builtin.ping playbook with the interpreter, inventory and environment
    of the playbook it is compared with."""
    return run_playbook(FLOOR, inventory=inventory, env=env)


def timed(run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, float]:
    started = time.monotonic()
    result = run()
    return result, time.monotonic() - started


def against_floor(seconds: float, floor: float, target: t.Optional[float] = None) -> str:
    """How a wall time compares with the floor of the same run, and whether it meets its target ratio if it has one."""
    ratio = seconds / floor
    verdict = "" if target is None else " (target <= %.1fx: %s)" % (target, "met" if ratio <= target else "not met")
    return "%.2fx the floor of %.2f s%s" % (ratio, floor, verdict)


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes): other work slows every figure alike, the floor included."""
    return "load average %.2f %.2f %.2f on %d cores" % (os.getloadavg() + (os.cpu_count() or 1,))


class Moto:
    """A moto server of the benchmark's own (on a free port, in a working directory of its own), with its recorder."""

    def __init__(self) -> None:
        self.url = "http://127.0.0.1:%d" % free_port()
        port = self.url.rsplit(":", 1)[1]
        # The recorder writes its file into the server's working directory: one of its own, removed on stop.
        self.workdir = tempfile.mkdtemp(prefix="agno-bench-moto-")
        self.server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "integration" / "moto_launch.py"), "-H", "127.0.0.1", "-p", port],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.workdir)
        wait_for_http(self.url + "/moto-api/")

    def env(self) -> t.Dict[str, str]:
        """Environment variables that point AWS clients (this collection's and boto3's) at this server, dummy credentials."""
        return {"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": "AKIABENCH", "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}

    def post(self, path: str) -> None:
        urllib.request.urlopen(urllib.request.Request(self.url + path, method="POST"), timeout=10).close()  # noqa: S310

    def recorded(self, run: t.Callable[[], PlaybookRun]) -> t.Tuple[PlaybookRun, float, str]:
        """Run a playbook with the recorder on: the run, its wall time and the recording (newline-delimited JSON)."""
        self.post("/moto-api/recorder/reset-recording")
        self.post("/moto-api/recorder/start-recording")
        result, elapsed = timed(run)
        self.post("/moto-api/recorder/stop-recording")
        with urllib.request.urlopen(self.url + "/moto-api/recorder/download-recording", timeout=10) as answer:  # noqa: S310
            return result, elapsed, answer.read().decode()

    def stop(self) -> None:
        """Stop the server (its state goes with it) and remove its working directory."""
        self.server.terminate()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait(timeout=10)
        if os.path.isdir(self.workdir):
            shutil.rmtree(self.workdir, ignore_errors=True)
