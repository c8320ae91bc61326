"""The registry of resource types: every resource module is in it, as the module itself runs it, and nothing else is."""

from __future__ import annotations

import importlib
import pathlib
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES

MODULES = pathlib.Path(__file__).resolve().parents[5] / "plugins" / "modules"
# Modules that converge many resources or none, rather than one of a type.
NOT_ONE_TYPE = {"audit", "environment", "resources"}


def resource_modules() -> t.List[str]:
    return sorted(path.stem for path in MODULES.glob("*.py") if path.stem not in NOT_ONE_TYPE)


def test_every_resource_module_has_an_entry_and_every_entry_a_module() -> None:
    assert len(resource_modules()) == 29
    assert sorted(RESOURCE_TYPES) == resource_modules()


@pytest.mark.parametrize("name", resource_modules())
def test_an_entry_is_what_its_module_runs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("ansible_collections.agno.infra.plugins.modules." + name)
    calls: t.List[t.Tuple[t.Any, ...]] = []
    monkeypatch.setattr(module, "run_module", lambda *args, **kwargs: calls.append((args, kwargs)))
    module.main()
    (resource_class, provider, argument_spec), validation = calls[0]
    entry = RESOURCE_TYPES[name]
    assert resource_class is entry.resource_class
    assert type(provider) is type(entry.provider)  # pylint: disable=unidiomatic-typecheck
    assert argument_spec == entry.argument_spec
    assert {key: value for key, value in validation.items() if key != "present"} == entry.validation
