"""One run at a time per environment: the lock waits for another holder, and names it when it gives up."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine import locking
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.tests.unit.support import FakeClock


def test_lock_files_are_per_target_region_and_name(tmp_path: pathlib.Path) -> None:
    assert locking.lock_path(str(tmp_path), "aws", "eu-west-1", "agent-app-prd") == str(tmp_path / "aws-eu-west-1-agent-app-prd.lock")
    assert locking.lock_path(str(tmp_path), "docker", "", "a/b c") == str(tmp_path / "docker-a_b_c.lock")


def test_a_held_lock_makes_the_second_run_wait_then_fail_naming_the_holder(tmp_path: pathlib.Path, clock: FakeClock) -> None:
    path = str(tmp_path / "locks" / "docker-app.lock")
    waits = clock.sleeps
    with locking.exclusive(path, 60, "Environment app"):
        # Another process, as a second run would be (flock is per open file, so a thread would share nothing).
        holder = subprocess.run([sys.executable, "-c", textwrap.dedent("""
            import fcntl, sys
            with open(sys.argv[1]) as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    print("held")
            """), path], capture_output=True, text=True, check=True)
        assert holder.stdout.strip() == "held"
    with locking.exclusive(path, 60, "Environment app"):
        pass  # released at the end of the block: taken again at once
    with open(path, encoding="utf-8") as handle:
        assert handle.read().startswith("process ")
    blocker = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; h = open(sys.argv[1], 'a'); "  # pylint: disable=consider-using-with
                                "fcntl.flock(h, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", path],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert blocker.stdout is not None and blocker.stdout.readline().strip() == "locked"
        with pytest.raises(ResourceError) as raised:
            with locking.exclusive(path, 1, "Environment app", sleep=clock.sleep):
                pass
        assert raised.value.msg.startswith("Environment app is being changed by another run (")
        assert "raise lock_timeout" in raised.value.msg and waits
        assert clock.time >= 1  # waited out the whole timeout, on the fake clock
    finally:
        blocker.kill()
        blocker.wait()
