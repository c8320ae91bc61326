"""moto_server with one fix: AWS takes a target group deregistration delay from 0 to 3600 seconds inclusive, and moto
5.2.5 refuses 3600 (it checks range(0, 3600)), which a Streamlit app's one-hour drain needs. Run as moto_server is:
python moto_launch.py -H 127.0.0.1 -p PORT."""

from __future__ import annotations

import typing as t

from moto import server
from moto.elbv2 import models

DELAY = "deregistration_delay.timeout_seconds"
LONGEST = 3600
original = models.ELBv2Backend.modify_target_group_attributes


def modify_target_group_attributes(self: t.Any, target_group_arn: str, attributes: t.Dict[str, t.Any]) -> None:
    """moto's own checks and changes, with the longest delay AWS allows set after them."""
    longest = attributes.get(DELAY) is not None and int(attributes[DELAY]) == LONGEST
    original(self, target_group_arn, dict(attributes, **{DELAY: str(LONGEST - 1)}) if longest else attributes)
    if longest:
        self.target_groups[target_group_arn].attributes[DELAY] = attributes[DELAY]


models.ELBv2Backend.modify_target_group_attributes = modify_target_group_attributes

if __name__ == "__main__":
    server.main()
