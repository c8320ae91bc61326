"""The model applies every default once; the schema shows the same defaults, and the reference is generated from it."""

from __future__ import annotations

import importlib.util
import pathlib
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws import ecs
from ansible_collections.agno.infra.plugins.module_utils._docker import container_fields
from ansible_collections.agno.infra.plugins.module_utils._environment import blueprint_aws, blueprint_docker, model, schema

ROOT = pathlib.Path(__file__).resolve().parents[5]
MINIMAL = {"name": "x-env", "target": "aws", "postgres": {}, "redis": {},
           "apps": [{"name": "api", "kind": "fastapi", "image": "api:1", "autoscaling": {"max_replicas": 2}},
                    {"name": "worker", "kind": "celery", "image": "api:1"}],
           "migrate": {"app": "api", "command": ["python", "-m", "app.migrate"]}}


def generator() -> t.Any:
    spec = importlib.util.spec_from_file_location("environment_doc", ROOT / "scripts" / "environment-doc.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_the_reference_is_generated_from_the_schema() -> None:
    committed = (ROOT / "docs" / "environment.md").read_text(encoding="utf-8")
    assert committed == generator().reference(schema.SCHEMA), "docs/environment.md is stale: run scripts/environment-doc.py"


def sections(path: str, value: t.Dict[str, t.Any]) -> t.Iterator[t.Tuple[str, t.Dict[str, t.Any]]]:
    yield path, value
    for name, inner in value["properties"].items():
        key = "%s.%s" % (path, name) if path else name
        if "properties" in inner:
            yield from sections(key, inner)
        elif "properties" in inner.get("items", {}):
            yield from sections(key + "[]", inner["items"])


def modelled(env: model.Environment, path: str) -> t.Dict[str, t.Any]:
    """The model's section at a path of the schema (apps[] and its parts: the first app's)."""
    value: t.Any = {"docker": env.docker, "postgres": env.services["postgres"], "redis": env.services["redis"],
                    "aws": env.aws, "kubernetes": env.kubernetes, "apps[]": env.apps[0], "migrate": env.migrate}[path.split(".")[0]]
    for part in path.split(".")[1:]:
        value = value[part]
    return t.cast(t.Dict[str, t.Any], value)


def test_every_key_is_described_with_an_example_and_the_model_fills_the_default_the_schema_shows() -> None:
    env = model.environment(MINIMAL, "eu-west-1")
    for path, section in sections("", schema.SCHEMA):
        for name, value in section["properties"].items():
            assert value.get("description") and (value.get("examples") or "properties" in value or "items" in value), (path, name)
            if path and "default" in value:
                assert modelled(env, path)[name] == value["default"], (path, name)
            if "x-default" in value:
                assert "%s.%s" % (path, name) in model.DERIVED


def test_derived_defaults() -> None:
    env = model.environment(MINIMAL, "eu-west-1")
    api, worker = env.apps
    assert env.enabled("postgres") and env.enabled("redis") and api["uses"] == ["postgres", "redis"]
    assert api["port"] == api["host_port"] == 8000 and worker["port"] is None and worker["host_port"] is None
    assert [app["name"] for app in env.web_apps()] == ["api"]
    assert api["command"] == ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
    assert (api["cpus"], api["memory"]) == (0.25, "512m") and api["autoscaling"] == {"max_replicas": 2, "target_cpu": 60}
    assert env.aws["bucket_name"] == "x-env-data" and env.aws["availability_zones"] == ["eu-west-1a", "eu-west-1b"]
    docker = model.environment(dict(MINIMAL, target="docker", postgres={"enabled": False}), "eu-west-1")
    assert docker.region is None and not docker.enabled("postgres") and docker.apps[0]["uses"] == ["redis"]
    assert "cpus" not in docker.apps[0] and "memory" not in docker.apps[0]
    # The raw environment is left as it was.
    assert "uses" not in MINIMAL["apps"][0] and MINIMAL["postgres"] == {}


def test_plain_settings_reach_the_containers_as_yaml_spells_them() -> None:
    """YAML booleans reach the apps as true / false (not Python's True), numbers as written, on both targets."""
    given = {"DEBUG": True, "CACHE": False, "WORKERS": 4, "RATIO": 0.5, "LEVEL": "info"}
    expected = {"DEBUG": "true", "CACHE": "false", "WORKERS": "4", "RATIO": "0.5", "LEVEL": "info"}
    raw = dict(MINIMAL, apps=[dict(MINIMAL["apps"][0], env=given)])
    aws = {item["id"]: item for item in blueprint_aws.AwsBlueprint(model.environment(raw, "us-east-1")).resources()}
    definition = ecs.container_definition(aws["task-api"]["params"]["containers"][0], "us-east-1")
    assert {entry["name"]: entry["value"] for entry in definition["environment"] if entry["name"] in given} == expected
    docker = {item["id"]: item for item in blueprint_docker.DockerBlueprint(model.environment(dict(raw, target="docker"))).resources()}
    assert {key: value for key, value in container_fields.string_map(docker["api"]["params"]["env"]).items() if key in given} == expected


def test_a_secret_is_masked_as_given_and_as_a_url_carries_it() -> None:
    env = model.environment(dict(MINIMAL, target="docker"))
    texts = model.secret_texts(env, {"postgres_password": "p@ss/word", "api-key": "k", "empty": "", "number": 3})
    assert texts == {"p@ss/word", "p%40ss%2Fword", "k"}
