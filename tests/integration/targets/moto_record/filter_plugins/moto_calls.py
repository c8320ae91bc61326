"""Filters that read a moto recording (newline-delimited JSON) as the list of AWS API calls it holds."""

from __future__ import annotations

import base64
import json
import typing as t
import urllib.parse

MUTATING_PREFIXES = (
    "Create", "Modify", "Put", "Update", "Register", "Deregister", "Delete", "Authorize", "Revoke", "Attach",
    "Detach", "Tag", "Untag", "Associate", "Disassociate", "Replace", "Add", "Remove", "Set", "Start", "Stop",
    "Run", "Allocate", "Release", "Enable", "Disable", "Request", "Import", "Reboot", "Restore", "Apply",
    "Execute", "Reset", "Assign", "Unassign", "Change", "Copy", "Upload", "Reject", "Accept", "Cancel",
)
REST_MUTATING_METHODS = ("PUT", "POST", "DELETE", "PATCH")


def request_body(entry: t.Dict[str, t.Any]) -> str:
    body = entry.get("body") or ""
    if entry.get("body_encoded") and body:
        return base64.b64decode(body).decode("utf-8", "replace")
    return str(body)


def call_name(entry: t.Dict[str, t.Any]) -> str:
    """The API operation of one recorded request: Action=, X-Amz-Target, or METHOD /path for REST APIs."""
    headers = entry.get("headers") or {}
    target = headers.get("X-Amz-Target") or headers.get("x-amz-target")
    if target:
        return str(target).rsplit(".", 1)[-1]
    body = request_body(entry)
    action = urllib.parse.parse_qs(body).get("Action") if "Action=" in body else None
    if not action:
        query = urllib.parse.urlsplit(entry.get("url", "")).query
        action = urllib.parse.parse_qs(query).get("Action")
    if action:
        return action[0]
    url = urllib.parse.urlsplit(entry.get("url", ""))
    return "%s %s%s" % (entry.get("method", "GET"), url.path, "?" + url.query if url.query else "")


def is_mutating(name: str) -> bool:
    if " " in name:
        return name.split(" ", 1)[0] in REST_MUTATING_METHODS
    return name.startswith(MUTATING_PREFIXES)


def moto_calls(recording: str) -> t.List[str]:
    return [call_name(json.loads(line)) for line in recording.splitlines() if line.strip()]


def moto_mutating_calls(recording: str) -> t.List[str]:
    return [name for name in moto_calls(recording) if is_mutating(name)]


class FilterModule:
    def filters(self) -> t.Dict[str, t.Callable[..., t.Any]]:
        return {"moto_calls": moto_calls, "moto_mutating_calls": moto_mutating_calls}
