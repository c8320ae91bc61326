"""Checks of the example agent app once deployed on Docker: its API, its worker, its UI and its database."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import typing as t
import urllib.request


def http(url: str, body: t.Optional[t.Dict[str, t.Any]] = None) -> t.Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - a loopback URL of the test
        return json.loads(answer.read() or b"null")


def check_example_app(env_name: str, api: str, ui: str, note: str) -> None:
    """API healthy, a note written to and read from Postgres, a Celery task computed, UI healthy, pgvector installed."""
    assert http(api + "/health")["status"] == "ok"
    assert http(api + "/notes", {"text": note})["text"] == note
    assert http(api + "/tasks/add?x=20&y=22") == {"result": 42}
    with urllib.request.urlopen(ui + "/_stcore/health", timeout=10) as answer:  # noqa: S310
        assert answer.read() == b"ok"
    extensions = subprocess.run(["docker", "exec", env_name + "-postgres", "psql", "-U", "postgres", "-d", "app", "-tAc",
                                 "select extname from pg_extension"], capture_output=True, text=True, check=True).stdout
    assert "vector" in extensions.split()


class StreamRead(threading.Thread):
    """Reads a server-sent event stream in the background, noting when each line arrived (seconds from the start)."""

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(daemon=True)
        self.url, self.timeout = url, timeout
        self.lines: t.List[t.Tuple[float, str]] = []
        self.error: t.Optional[BaseException] = None

    def run(self) -> None:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as answer:  # noqa: S310 - a loopback URL of the test
                for raw in answer:
                    self.lines.append((time.monotonic() - started, raw.decode().rstrip("\n")))
        except Exception as error:  # pylint: disable=broad-except  # reported by the test that joins the thread
            self.error = error

    def events(self) -> t.List[t.Tuple[float, str]]:
        """(arrival, data) of each event, once the thread is joined."""
        assert self.error is None, self.error
        return [(arrived, line[len("data: "):]) for arrived, line in self.lines if line.startswith("data: ")]


def check_stream(read: StreamRead, seconds: int, every: int) -> None:
    """The stream arrived whole, part by part as it was made (not buffered to the end), over the whole time."""
    read.join(seconds + 60)
    assert not read.is_alive(), "the stream of %d seconds was still open %d seconds later" % (seconds, seconds + 60)
    events = read.events()
    count = seconds // every
    assert [data for _arrived, data in events] == ["part %d of %d" % (number, count) for number in range(1, count + 1)] + [
        "%d parts" % count], read.lines
    assert events[0][0] < every + 5 and events[-1][0] >= seconds - 1, events
