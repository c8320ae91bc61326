"""Checks of the example agent app once deployed on Docker: its API, its worker, its UI and its database."""

from __future__ import annotations

import json
import subprocess
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
