#!/usr/bin/env python
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write docs/environment.md, the reference of agno_env, from the environment's JSON Schema.

Run it after changing plugins/module_utils/_environment/schema.py or model.py (the defaults); with
--check it only says whether the committed file is current, as the unit tests do.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
import typing as t

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "environment.md"
SOURCE = "plugins/module_utils/_environment/schema.py"
# The layout Ansible loads the collection from (scripts/venv.sh makes it).
COLLECTIONS = ROOT / ".build" / "collections"

INTRO = """\
An environment is one inventory variable, `agno_env`, that the playbooks (`agno.infra.up`, `down`, `status`,
`restart`), the roles and the `agno.infra.environment` and `agno.infra.audit` modules take. Secret values stay
out of it: keys such as `password_secret` and `secret_env` name entries of `agno_secrets`.

A default in *italics* is worked out from other keys. An environment that breaks a rule fails before any change,
with the path of each wrong key (`agno_env.apps[1].port: 70000 is greater than the maximum of 65535`).
"""


def code(value: t.Any) -> str:
    """A value as the inventory's YAML would spell it, in a code span."""
    text = value if isinstance(value, str) else json.dumps(value)
    return "`%s`" % text.replace("|", "\\|")


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")


def value_type(schema: t.Dict[str, t.Any]) -> str:
    """What a key takes, in words."""
    if "enum" in schema:
        return "one of " + ", ".join(code(value) for value in schema["enum"])
    json_type = schema.get("type")
    if isinstance(json_type, list):
        return ", ".join(json_type[:-1]) + " or " + json_type[-1]
    if json_type == "array":
        count = "%d " % schema["minItems"] if schema.get("minItems") == schema.get("maxItems", -1) else ""
        unique = ", each once" if schema.get("uniqueItems") else ""
        items = schema["items"]
        what = " or ".join(map(code, items["enum"])) if "enum" in items else plural(value_type(items))
        return "list of %s%s%s" % (count, what, unique)
    if json_type == "object":
        names = "names matching %s" % code(schema["propertyNames"]["pattern"]) if "propertyNames" in schema else "names"
        return "map of %s to %s" % (names, plural(value_type(schema["additionalProperties"])))
    if schema.get("format") == "ipv4":
        return "IPv4 address"
    return json_type + bounds(schema)


def plural(text: str) -> str:
    return re.sub(r"\b(string|integer|number|boolean)\b", r"\1s", text)


def bounds(schema: t.Dict[str, t.Any]) -> str:
    parts = []
    if "pattern" in schema:
        parts.append("matching " + code(schema["pattern"]))
    if schema.get("minLength"):
        parts.append("not empty")
    if "minimum" in schema:
        parts.append("from %s to %s" % (schema["minimum"], schema["maximum"]))
    elif "exclusiveMinimum" in schema:
        parts.append("above %s" % schema["exclusiveMinimum"] + (", at most %s" % schema["maximum"] if "maximum" in schema else ""))
    return (" " + " ".join(parts)) if parts else ""


def default(schema: t.Dict[str, t.Any]) -> str:
    if "default" in schema:
        return code(schema["default"])
    return "*%s*" % schema["x-default"] if "x-default" in schema else ""


def nested(path: str, schema: t.Dict[str, t.Any]) -> t.Optional[t.Tuple[str, t.Dict[str, t.Any]]]:
    """The section a key opens (an object, or a list of objects), by its path."""
    if "properties" in schema:
        return path, schema
    items = schema.get("items") or {}
    return (path + "[]", items) if "properties" in items else None


def sections(path: str, schema: t.Dict[str, t.Any]) -> t.Iterator[t.Tuple[str, t.Dict[str, t.Any]]]:
    """Each object of the schema with its path (agno_env first), in the order of the keys."""
    yield path, schema
    for name, value in schema["properties"].items():
        inner = nested("%s.%s" % (path, name) if path else name, value)
        if inner:
            yield from sections(*inner)


def row(path: str, name: str, schema: t.Dict[str, t.Any], required: t.List[str]) -> str:
    inner = nested("%s.%s" % (path, name) if path else name, schema)
    what = value_type(schema) if not inner else "%s, see [%s](#%s)" % (
        "list of objects" if inner[0].endswith("[]") else "object", inner[0], anchor(inner[0]))
    key = code(name) + (" (required)" if name in required else "")
    example = code(schema["examples"][0]) if "examples" in schema and not inner else ""
    return "| %s | %s | %s | %s | %s |" % (key, what, default(schema), example, schema.get("description", ""))


def section(path: str, schema: t.Dict[str, t.Any]) -> t.List[str]:
    lines = ["## %s" % (path or "agno_env"), "", schema["description"], "",
             "| Key | Type | Default | Example | Description |", "| --- | --- | --- | --- | --- |"]
    for name, value in schema["properties"].items():
        lines.append(row(path, name, value, schema.get("required", [])))
    return lines + [""]


def reference(schema: t.Dict[str, t.Any]) -> str:
    """The Markdown reference of the schema: an example, then a table per object with every key."""
    lines = ["# The environment: `agno_env`", "",
             "<!-- Generated from %s by scripts/environment-doc.py: edit the schema, then run the script. -->" % SOURCE, "",
             INTRO, "```yaml", "agno_env:"]
    lines += ["  " + line for line in yaml.safe_dump(schema["examples"][0], sort_keys=False).splitlines()]
    lines += ["```", ""]
    for path, value in sections("", schema):
        lines += section(path, value)
    return "\n".join(lines).rstrip("\n") + "\n"


def current() -> str:
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))
    from ansible_collections.agno.infra.plugins.module_utils._environment.schema import SCHEMA  # pylint: disable=import-outside-toplevel
    return reference(SCHEMA)


def main(argv: t.List[str]) -> int:
    text = current()
    if argv == ["--check"]:
        stale = not DOC.exists() or DOC.read_text(encoding="utf-8") != text
        if stale:
            print("%s is stale: run scripts/environment-doc.py" % DOC.relative_to(ROOT), file=sys.stderr)
        return int(stale)
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
