# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fields of a Kubernetes object that a definition sets, and which of them a field manager owns.

A definition is compared leaf by leaf: each leaf has a path of steps, a step being a key of a dict or, in a list of
dicts that all have a ``name`` (containers, env, volumes), the name of one item. Any other list is one leaf. Ownership
comes from the object's ``managedFields``: server-side apply records there, per manager, a tree of the fields it set
(``f:key`` for a key, ``k:{...}`` for a list item by its merge keys, ``v:...`` for a set member, ``i:N`` for a place).
"""

from __future__ import annotations

import json
import typing as t

#: The field manager of every apply the collection makes.
MANAGER = "agno-infra"

#: A step of a path: a dict key, or ("name", value) for the item of a named list.
Step = t.Union[str, t.Tuple[str, str]]
Path = t.Tuple[Step, ...]
#: The parts of a definition that say which object it is rather than what it holds.
IDENTITY = {"apiVersion": None, "kind": None, "metadata": {"name": None, "namespace": None}}
NOT_DESIRED = ("status",)


def named(value: t.Any) -> bool:
    """A list whose items are dicts with a name each: compared item by item."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) and "name" in item for item in value)


def leaves(value: t.Any, path: Path = ()) -> t.Iterator[t.Tuple[Path, t.Any]]:
    """(path, value) of every leaf: a scalar, an empty dict, or a list that is not a named one (none for {})."""
    if not path and not value:
        return
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif named(value):
        for item in value:
            yield from leaves({key: part for key, part in item.items() if key != "name"} or {}, path + (("name", item["name"]),))
    else:
        yield path, value


def content(definition: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    """The definition without its identity and status: what an apply sets."""
    body = {key: value for key, value in definition.items() if key not in IDENTITY and key not in NOT_DESIRED}
    metadata = {key: value for key, value in (definition.get("metadata") or {}).items() if key not in IDENTITY["metadata"]}
    if metadata:
        body["metadata"] = metadata
    return body


def value_at(value: t.Any, path: Path) -> t.Any:
    """The value at a path, or None where the object has none."""
    for step in path:
        if isinstance(step, tuple):
            value = next((item for item in value or [] if isinstance(item, dict) and item.get("name") == step[1]), None)
            if value is not None:
                value = {key: part for key, part in value.items() if key != "name"}
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def text(path: Path) -> str:
    """A path as a user reads it: spec.template.spec.containers[web].image, metadata.labels["app.kubernetes.io/name"]."""
    out = ""
    for step in path:
        if isinstance(step, tuple):
            out += "[%s]" % step[1]
        elif "." in step or "/" in step or "[" in step:
            out += "[%s]" % json.dumps(step)
        else:
            out += ("." if out else "") + step
    return out


def matches(definition: t.Any, live: t.Any) -> bool:
    """Whether the live object already holds every leaf of the definition as written (the server may write a value
    differently, "0.1" cpu as "100m": then this says no and the caller asks the server)."""
    return all(value_at(live, path) == value for path, value in leaves(definition))


# ---- ownership -----------------------------------------------------------------------------------------
def owned(live: t.Dict[str, t.Any], manager: str = MANAGER) -> t.Dict[str, t.Any]:
    """The field tree the manager's applies own (the union of its entries), empty when it owns nothing."""
    tree: t.Dict[str, t.Any] = {}
    for entry in (live.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager and entry.get("operation") == "Apply":
            tree = union(tree, entry.get("fieldsV1") or {})
    return tree


def union(one: t.Dict[str, t.Any], other: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    merged = dict(one)
    for key, value in other.items():
        merged[key] = union(merged.get(key) or {}, value or {})
    return merged


def owned_paths(tree: t.Dict[str, t.Any], prefix: str = "") -> t.List[str]:
    """The leaves of a field tree as text ("f:spec f:replicas" is spec.replicas), for messages and comparison."""
    found: t.List[str] = []
    for key, value in sorted(tree.items()):
        if key == ".":
            continue
        label = prefix + step_text(key, bool(prefix))
        below = {part: sub for part, sub in (value or {}).items() if part != "."}
        found.extend(owned_paths(below, label) if below else [label])
    return found


def step_text(key: str, nested: bool) -> str:
    kind, rest = key.split(":", 1) if ":" in key else (key, "")
    if kind == "f":
        return ("." if nested else "") + rest
    if kind == "k":
        keys = json.loads(rest)
        return "[%s]" % (keys.get("name") if set(keys) == {"name"} else ",".join("%s=%s" % item for item in sorted(keys.items())))
    return "[%s]" % rest


def within(tree: t.Dict[str, t.Any], definition: t.Any) -> bool:
    """Whether every field the tree owns is one the definition sets: an apply of it would release nothing."""
    for key, below in tree.items():
        if key == ".":
            continue
        kind, rest = key.split(":", 1) if ":" in key else (key, "")
        if kind == "f" and isinstance(definition, dict) and rest in definition:
            inner = definition[rest]
        elif kind == "k" and isinstance(definition, list):
            keys = json.loads(rest)
            inner = next((item for item in definition if isinstance(item, dict)
                          and all(item.get(name) == value for name, value in keys.items())), None)
        else:
            return False
        if inner is None:
            return False
        if below and not (isinstance(inner, list) and not named(inner)) and not within(below, inner):
            return False
    return True


def conflicts(status: t.Dict[str, t.Any]) -> t.Dict[str, t.List[str]]:
    """The fields of a 409 apply conflict by the manager that holds them: {"kubectl-edit": [".spec.replicas"]}."""
    found: t.Dict[str, t.List[str]] = {}
    for cause in (status.get("details") or {}).get("causes") or []:
        message = cause.get("message") or ""
        manager = message.split('"')[1] if message.count('"') >= 2 else "another manager"
        found.setdefault(manager, []).append(cause.get("field") or "?")
    return found
