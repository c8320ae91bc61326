# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource type the `resources` and `environment` modules can converge, by the name of its single module.

The imports are static on purpose: Ansible ships a module with only the module_utils it imports. The mapping is
not kept by hand: each type declares its ``module_name``, and every type the imports define is found here.
"""

from __future__ import annotations

import typing as t

# Imported for the classes they define, which the mapping finds by their module_name.
from ansible_collections.agno.infra.plugins.module_utils._aws import (  # pylint: disable=unused-import
    acm_certificate, autoscaling, cloudformation_stack, db_cluster, db_instance, db_subnet_group,
    ecr_repository, ecs_cluster, ecs_service, ecs_task_definition, elasticache, iam_policy, iam_role,
    internet_gateway, listener, load_balancer, log_group, nat_gateway, route_table, s3_bucket, secret,
    security_group, subnet, target_group, vpc)
from ansible_collections.agno.infra.plugins.module_utils._docker import (  # pylint: disable=unused-import
    container, image, network, volume)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource

PACKAGE = "ansible_collections.agno.infra.plugins.module_utils."


def subclasses(base: t.Type[Resource]) -> t.Iterator[t.Type[Resource]]:
    for child in base.__subclasses__():
        yield child
        yield from subclasses(child)


def declared_types() -> t.List[t.Type[Resource]]:
    """The collection's resource classes that name their own module (bases and test doubles do not)."""
    return [kind for kind in subclasses(Resource) if kind.__module__.startswith(PACKAGE) and "module_name" in vars(kind)]


RESOURCE_TYPES: t.Dict[str, t.Type[Resource]] = {kind.module_name: kind for kind in declared_types()}
