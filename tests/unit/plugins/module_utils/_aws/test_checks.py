"""Option checks the AWS types share: worded rules, and problems that name their resource."""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.checks import NOT_A_PORT, NamedResource, Worded
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Range


def test_a_worded_rule_passes_a_value_any_of_its_rules_takes() -> None:
    window = Worded("{option} is {value}: use 7 to 30, or 0.", (Range(7, 30), Range(0, 0)))
    assert window.problem("days", 0) is None and window.problem("days", 30) is None
    assert window.problem("days", 3) == "days is 3: use 7 to 30, or 0."
    assert Worded("{option} is not a token.", (Range(1, 2),)).problem("token", 5) == "token is not a token."
    assert NOT_A_PORT.problem("port", 70000) == "port 70000 is not a port: use 1 to 65535."
    assert NOT_A_PORT.problem("port", "${lb.port}") is None


class Widget(NamedResource):
    kind = "widget pool"
    name_option = "label"
    argument_spec = {"label": {"type": "str"}, "size": {"type": "int", "default": 3}, "spare": {"type": "int"}}
    constraints = {"size": Range(1, 5)}

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        spare = params.get("spare")
        return ["spare %d needs a size above it." % spare] if spare is not None and spare >= cls.setting(params, "size") else []


def test_problems_start_with_the_resource_and_include_joint_ones() -> None:
    assert Widget.problems({"label": "p1", "size": 9, "spare": 9}) == [
        "Widget pool p1: size is 9: use 1 to 5.", "Widget pool p1: spare 9 needs a size above it."]
    assert Widget.problems({"label": "p1", "spare": 1}) == []
    # A plan checks its items before the argument spec fills in the defaults: setting() does.
    assert Widget.problems({"label": "p1", "spare": 3}) == ["Widget pool p1: spare 3 needs a size above it."]
    assert Widget(None, {"label": "p1"}).name == "p1"
