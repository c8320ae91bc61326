# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """What every lifecycle-engine module shares: its attributes and the state option the engine reads."""

    DOCUMENTATION = r"""
options:
  state:
    description: Whether the resource should exist.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    description: Can run in check mode and return the changes it would make, without making them.
    support: full
  diff_mode:
    description: Returns before and after views of the managed fields (secrets masked) when run with C(--diff).
    support: full
  idempotent:
    description: A second run with the same arguments reports no change and sends no mutating call.
    support: full
"""
