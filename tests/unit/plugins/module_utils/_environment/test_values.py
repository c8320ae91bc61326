"""Values whose grammar Docker and AWS define: what they accept passes, a typo is named with the fix."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import values

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize("reference", [
    "api", "api:1", "agno-infra/debian:bookworm", "library/python:3.11-slim", "registry.example/team/api:1",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent-app-prd/api:2", "localhost:5000/api", "registry:5000/team/api:v1.2",
    "ghcr.io/org/app_name__x/sub.part-y:Tag_1", "api@" + DIGEST, "registry.example/api:1@" + DIGEST, "[::1]:5000/api:1",
    "Registry.Example/api:1",
])
def test_image_references_docker_accepts(reference: str) -> None:
    assert values.image_problem("agno_env.apps[0].image", reference) is None


@pytest.mark.parametrize("reference", [
    "API:1", "Team/api:1", "registry.example/Team/api", "api:1 ", "api tag", "api:", ":1", "-api", "api-", "api//x", "api:-1",
    "api:" + "x" * 129, "api@sha256:abc", "api@" + DIGEST + ":1", "registry.example/" + "a" * 240,
])
def test_other_strings_are_no_image_reference(reference: str) -> None:
    assert values.image_problem("agno_env.apps[0].image", reference) == (
        "agno_env.apps[0].image: %r is not an image reference: give [registry[:port]/]path[:tag][@digest] with a lowercase path of "
        "at most 255 characters, such as registry.example/team/api:1" % reference)


def test_instance_classes_and_node_types_of_known_families() -> None:
    for value in ("db.t4g.micro", "db.m7g.2xlarge", "db.r6gd.16xlarge", "db.x2iedn.32xlarge"):
        assert values.class_problem("p", value, "db", values.RDS_FAMILIES, "an RDS instance class") is None
    for value in ("cache.t4g.micro", "cache.r7g.large", "cache.c7gn.16xlarge"):
        assert values.class_problem("p", value, "cache", values.CACHE_FAMILIES, "an ElastiCache node type") is None
    for value in ("db.t4g.mirco", "db.t5.micro", "db.t4g", "db.serverless", "db.t4g.micro.x"):
        assert values.class_problem("p", value, "db", values.RDS_FAMILIES, "an RDS instance class")
    assert values.class_problem("agno_env.aws.redis.node_type", "cache.t4g.huge", "cache", ("t4g", "r7g"), "an ElastiCache node type") == (
        "agno_env.aws.redis.node_type: 'cache.t4g.huge' is not an ElastiCache node type: give cache.FAMILY.SIZE with a family of t4g, "
        "r7g and a size such as micro, large or 2xlarge (such as cache.t4g.micro)")


def test_zones_of_the_region() -> None:
    for zone in ("us-east-1a", "us-east-1f", "us-west-2-lax-1a"):
        assert values.zone_problem("p", zone, zone[:9]) is None
    for zone in ("eu-west-1a", "us-east-1", "us-east-1ab", "us-east-10a", "use1-az1"):
        assert values.zone_problem("p", zone, "us-east-1")
