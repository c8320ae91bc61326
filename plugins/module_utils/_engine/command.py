# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What running one command to its end shares on every provider (a container, an ECS task): its output as lines, its
result, and stop signals turned into an exception so that what runs it is cleaned up."""

from __future__ import annotations

import contextlib
import dataclasses
import shlex
import signal
import threading
import typing as t

#: At most this many lines of output are kept (the last ones): a chatty command must not flood the play's output.
MAX_LINES = 10000
#: What ansible-playbook sends a module's process when it is interrupted or its job is cancelled (SIGTERM), and the rest.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Interrupted(Exception):
    """A stop signal arrived while the command ran: raised so that the container is removed or the task stopped."""


@dataclasses.dataclass(frozen=True)
class Ran:
    """A finished run: its exit code (None in check mode, where nothing runs), output lines and where it ran."""

    rc: t.Optional[int]
    lines: t.List[str]
    where: t.Dict[str, str]

    def as_dict(self) -> t.Dict[str, t.Any]:
        result: t.Dict[str, t.Any] = dict(self.where, lines=self.lines)
        if self.rc is not None:
            result["rc"] = self.rc
        return result


@contextlib.contextmanager
def interruptible() -> t.Iterator[None]:
    """Within the block, a stop signal raises Interrupted (the cleanup in the block's finally then runs).

    Only the main thread can take signals: in a plan's worker thread (a one-off task of up) the block runs as it is,
    and an interrupted run leaves what it started to end by itself, as a killed one would.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, _frame: t.Any) -> None:
        raise Interrupted(signal.Signals(number).name)
    previous = {number: signal.signal(number, interrupt) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def output_lines(text: str) -> t.List[str]:
    """The output as lines, the last MAX_LINES of them."""
    lines = [line.rstrip("\r") for line in text.rstrip("\n").split("\n")] if text else []
    return lines[-MAX_LINES:]


def quoted(command: t.List[str]) -> str:
    return " ".join(shlex.quote(word) for word in command)
