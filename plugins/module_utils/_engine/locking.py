# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run at a time per environment on a host: two converges of the same environment at once would both find a
resource missing and both create it (EC2 offers no idempotency token for a VPC, say).

The lock is an flock on a file: the kernel releases it when its holder dies, so a killed run never leaves it held.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REAL_TIME, ResourceError

DEFAULT_LOCK_DIR = os.path.join("~", ".cache", "agno-infra", "locks")
UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def lock_path(lock_dir: str, *parts: str) -> str:
    """The lock file of an environment: one per target, region and name."""
    name = "-".join(UNSAFE.sub("_", part) for part in parts if part)
    return os.path.join(os.path.expanduser(lock_dir), name + ".lock")


def holder(handle: t.IO[str]) -> str:
    handle.seek(0)
    return handle.read().strip() or "unknown"


@contextlib.contextmanager
def exclusive(path: str, timeout: float, what: str, sleep: t.Callable[[float], None] = REAL_TIME.sleep) -> t.Iterator[None]:
    """Hold the lock at path for the block, waiting up to timeout seconds for another run to release it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise ResourceError("%s is being changed by another run (%s) and was still locked after %d s: let that run "
                                        "finish, or raise lock_timeout (the lock is %s)." % (what, holder(handle), timeout, path))
                sleep(1)
        handle.seek(0)
        handle.truncate()
        handle.write("process %d, since %s" % (os.getpid(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
