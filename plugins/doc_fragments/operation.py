# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Options every operation on a deployed environment shares (logs, run)."""

    DOCUMENTATION = r"""
options:
  spec:
    description:
      - The environment, usually the inventory variable C(agno_env); validated as M(agno.infra.environment) validates it
        (its secrets need not be given, nothing is deployed).
    type: dict
    required: true
  secrets:
    description:
      - Secret values by name (C(agno_secrets)). Not needed. When given, an output line that holds one of them (or the
        database password percent-encoded, as a C(DATABASE_URL) carries it) is returned with the value masked.
    type: dict
    default: {}
  base_dir:
    description: Directory that relative paths in O(spec) are taken from, as for M(agno.infra.environment).
    type: path
"""
