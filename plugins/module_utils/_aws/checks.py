# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the AWS types' option checks share: rules refused in the words their modules have always used, and
problems that name the resource they belong to ("ECS service api: desired_count is -1: use 0 or more.")."""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import PORT, Constraint


# AuthToken: 16 to 128 printable ASCII characters other than space, '/', '"' and '@'.
AUTH_TOKEN = r'[!#-.0-?A-~]{16,128}'


@dataclasses.dataclass(frozen=True)
class Worded(Constraint):
    """A value that passes any of ``rules``, refused with ``sentence`` ({option} and {value}, as str.format takes them).

    The sentence may leave the value out: a token must never appear in a message.
    """

    sentence: str
    rules: t.Tuple[Constraint, ...]

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        if any(rule.problem(option, value) is None for rule in self.rules):
            return None
        return self.sentence.format(option=option, value=value)


NOT_A_PORT = Worded("{option} {value} is not a port: use 1 to 65535.", (PORT,))


class NamedResource(AwsResource):
    """An AWS type whose problems start with the resource they are about, and that checks options together.

    ``joint_problems`` adds the rules that span options (failover without a replica) to the declared constraints.
    """

    #: The option that names the resource (identifier, family...).
    name_option = "name"

    @property
    def name(self) -> str:
        return str(self.params.get(self.name_option))

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        subject = "%s%s %s: " % (cls.kind[:1].upper(), cls.kind[1:], params.get(cls.name_option))
        return [subject + problem for problem in super().problems(params) + cls.joint_problems(params)]

    @classmethod
    def joint_problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        """Sentences for option values that AWS refuses together; none unless the type says so."""
        return []

    @classmethod
    def setting(cls, params: t.Dict[str, t.Any], option: str) -> t.Any:
        """The task's value of an option, or its default: a plan checks its items before their argument spec runs."""
        value = params.get(option)
        return cls.argument_spec.get(option, {}).get("default") if value is None else value
