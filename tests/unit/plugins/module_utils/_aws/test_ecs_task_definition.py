"""ECS task definitions: the runtime platform."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._aws.ecs_task_definition import runtime_platform


def test_runtime_platform_defaults() -> None:
    assert runtime_platform({"cpu_architecture": "ARM64"}) == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert runtime_platform(None) is None
