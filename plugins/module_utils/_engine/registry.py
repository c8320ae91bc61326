# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource type the `resources` and `environment` modules can converge, by the name of its single module.

A provider's types are imported when one of them is first asked for: a module runs from a zip, where each file it
imports is compiled again at every run, so a Docker run compiles no AWS type. The imports are static all the same, in
one function per provider: Ansible ships a module with only the module_utils it finds imported. The mapping is not
kept by hand: each type declares its ``module_name`` ("aws_vpc"), which starts with its provider's name.
"""

from __future__ import annotations

import typing as t

from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import Resource

PACKAGE = "ansible_collections.agno.infra.plugins.module_utils."


def import_aws() -> None:
    # Imported for the classes they define, which the registry finds by their module_name.
    from ansible_collections.agno.infra.plugins.module_utils._aws import (  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        acm_certificate, autoscaling, cloudformation_stack, db_cluster, db_instance, db_subnet_group,
        ecr_repository, ecs_cluster, ecs_service, ecs_task_definition, ecs_task_run, elasticache, iam_policy, iam_role,
        internet_gateway, listener, load_balancer, log_group, nat_gateway, route_table, s3_bucket, scheduler_schedule, secret,
        security_group, subnet, target_group, vpc)


def import_docker() -> None:
    from ansible_collections.agno.infra.plugins.module_utils._docker import (  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        container, image, network, volume)


def import_k8s() -> None:
    from ansible_collections.agno.infra.plugins.module_utils._k8s import object  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel,redefined-builtin


#: What imports the types of each provider, by the name their module names start with.
PROVIDERS: t.Dict[str, t.Callable[[], None]] = {"aws": import_aws, "docker": import_docker, "k8s": import_k8s}


def subclasses(base: t.Type[Resource]) -> t.Iterator[t.Type[Resource]]:
    for child in base.__subclasses__():
        yield child
        yield from subclasses(child)


def declared_types(folder: str) -> t.List[t.Type[Resource]]:
    """The resource classes of a provider's folder ("_aws") that name their own module (bases and test doubles do not)."""
    return [kind for kind in subclasses(Resource) if kind.__module__.startswith(PACKAGE + folder + ".") and "module_name" in vars(kind)]


class Registry(t.Mapping[str, t.Type[Resource]]):
    """Resource types by module name; a provider's are imported on the first lookup of one of them."""

    def __init__(self) -> None:
        self.loaded: t.Dict[str, t.Dict[str, t.Type[Resource]]] = {}

    def of(self, provider: str) -> t.Dict[str, t.Type[Resource]]:
        """The types of one provider ("aws", "docker")."""
        if provider not in self.loaded:
            PROVIDERS[provider]()
            self.loaded[provider] = {kind.module_name: kind for kind in declared_types("_" + provider)}
        return self.loaded[provider]

    def __getitem__(self, name: str) -> t.Type[Resource]:
        provider = name.split("_", 1)[0]
        if provider not in PROVIDERS:
            raise KeyError(name)
        return self.of(provider)[name]

    def __iter__(self) -> t.Iterator[str]:
        return iter([name for provider in PROVIDERS for name in self.of(provider)])

    def __len__(self) -> int:
        return sum(len(self.of(provider)) for provider in PROVIDERS)


RESOURCE_TYPES = Registry()
