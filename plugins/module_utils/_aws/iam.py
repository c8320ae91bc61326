# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM policy documents in one canonical form, so that equal policies compare equal however they were written."""

from __future__ import annotations

import dataclasses
import json
import re
import typing as t
import urllib.parse

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Constraint, Pattern, ResourceError

POLICY_VERSION = "2012-10-17"
# Statement keys whose value may be one string or a list of strings, in any order.
LIST_KEYS = ("Action", "NotAction", "Resource", "NotResource")
# IAM paths: printable ASCII between a leading and a trailing slash, at most 512 characters.
IAM_PATH = re.compile(r"^/([\x21-\x7e]*/)?$")


def iam_name(longest: int) -> Pattern:
    """The names IAM takes for roles (64 characters) and policies (128)."""
    return Pattern(r"[\w+=,.@-]{1,%d}" % longest, "1 to %d letters, digits and + = , . @ _ -" % longest)


def parse_document(document: t.Any, field: str) -> t.Dict[str, t.Any]:
    """A policy document from a dict, JSON text, or the URL-encoded JSON some IAM calls return."""
    if isinstance(document, dict):
        return document
    text = str(document).strip()
    if text.startswith("%7B") or text.startswith("%7b"):
        text = urllib.parse.unquote(text)
    try:
        parsed = json.loads(text)
    except ValueError as error:
        raise ResourceError("%s is not a valid JSON policy document (%s): give a dict or JSON text." % (field, error))
    if not isinstance(parsed, dict):
        raise ResourceError("%s must be a JSON object with a Statement list." % field)
    return t.cast(t.Dict[str, t.Any], parsed)


def string_set(value: t.Any) -> t.Any:
    """A string or list of strings as a sorted, de-duplicated list; other values unchanged."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return sorted(set(value))
    return value


def normalise_principal(principal: t.Any) -> t.Any:
    if isinstance(principal, dict):
        return {key: string_set(value) for key, value in sorted(principal.items())}
    return principal


def normalise_condition(condition: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    return {operator: {key: string_set(value) for key, value in sorted(tests.items())}
            for operator, tests in sorted(condition.items())}


def normalise_statement(statement: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    result: t.Dict[str, t.Any] = {}
    for key, value in statement.items():
        if key in LIST_KEYS:
            result[key] = string_set(value)
        elif key in ("Principal", "NotPrincipal"):
            result[key] = normalise_principal(value)
        elif key == "Condition" and isinstance(value, dict):
            result[key] = normalise_condition(value)
        else:
            result[key] = value
    return result


def normalise_document(document: t.Any, field: str = "policy") -> t.Dict[str, t.Any]:
    """The canonical form: Version set, Statement a list sorted by content, list-valued keys as sorted lists."""
    parsed = parse_document(document, field)
    statements = parsed.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    canonical = [normalise_statement(statement) for statement in statements]
    result = dict(parsed, Version=parsed.get("Version", POLICY_VERSION),
                  Statement=sorted(canonical, key=lambda item: json.dumps(item, sort_keys=True)))
    return result


def document_json(document: t.Dict[str, t.Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def iam_path_problem(path: str) -> t.Optional[str]:
    """Why IAM would refuse the path, or None."""
    if len(path) > 512 or not IAM_PATH.match(path):
        return "use / or a path such as /app/ that starts and ends with a slash, in printable ASCII without spaces"
    return None


@dataclasses.dataclass(frozen=True)
class IamPath(Constraint):
    """A path IAM accepts for a role or a policy (``kind``)."""

    kind: str

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        found = iam_path_problem(str(value))
        return "%s path %r is invalid: %s." % (self.kind, value, found) if found else None
