"""Each target of the schema has its checks; autoscaling is checked alike on aws and kubernetes, in each one's words."""

from __future__ import annotations

from ansible_collections.agno.infra.plugins.module_utils._environment import model, schema, target_checks


def test_every_target_of_the_schema_has_its_checks() -> None:
    assert sorted(target_checks.TARGET_ERRORS) == sorted(schema.SCHEMA["properties"]["target"]["enum"])


def test_autoscaling_below_replicas_is_named_in_each_target_s_words() -> None:
    app = {"name": "api", "kind": "fastapi", "image": "shop/api:1", "replicas": 3, "autoscaling": {"max_replicas": 2}}
    for target, units in (("aws", "tasks"), ("kubernetes", "pods")):
        env = model.environment({"name": "shop", "target": target, "apps": [app]}, "eu-west-1")
        assert target_checks.scaling_errors(env) == [
            "agno_env.apps[0].autoscaling.max_replicas: 2 is below replicas (3), the fewest %s the scaler keeps: raise "
            "max_replicas or lower replicas" % units]
