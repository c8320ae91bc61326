"""moto_server with two fixes of moto 5.2.5. Run as moto_server is: python moto_launch.py -H 127.0.0.1 -p PORT.

- AWS takes a target group deregistration delay from 0 to 3600 seconds inclusive, and moto refuses 3600 (it checks
  range(0, 3600)), which a Streamlit app's one-hour drain needs.
- RunTask of a Fargate task definition whose containers leave their memory to the task's (as AWS allows) fails in moto
  with a TypeError (it adds each container's memory, None), which agno.infra.run needs.
"""

from __future__ import annotations

import typing as t

from moto import server
from moto.ecs import models as ecs
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
requirements = ecs.EC2ContainerServiceBackend._calculate_task_resource_requirements  # pylint: disable=protected-access


def task_resource_requirements(task_definition: t.Any) -> t.Dict[str, t.Any]:
    """moto's sum over the containers, a container without a memory of its own counted as 0."""
    given = task_definition.container_definitions
    task_definition.container_definitions = [dict(container, memory=container.get("memory") or container.get("memoryReservation") or 0)
                                             for container in given]
    try:
        return t.cast(t.Dict[str, t.Any], requirements(task_definition))
    finally:
        task_definition.container_definitions = given


ecs.EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(task_resource_requirements)  # pylint: disable=protected-access

if __name__ == "__main__":
    server.main()
