"""The environment's checks beyond what test_environment covers: what a schema cannot say, the aws target's needs,
database passwords, and the order errors come in."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import model, schema
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

API = {"name": "api", "kind": "fastapi", "source": "/src/api"}


def check(raw: t.Dict[str, t.Any], secrets: t.Optional[t.Dict[str, t.Any]] = None) -> t.List[str]:
    """Every problem schema.validated finds in the environment, in its order; none for a valid one."""
    try:
        schema.validated(raw, secrets)
    except ResourceError as error:
        assert error.msg == "The environment (agno_env) is invalid: %s. Fix these keys in the inventory and run again." % (
            "; ".join(error.details["errors"]))
        return t.cast(t.List[str], error.details["errors"])
    return []


def environment(apps: t.List[t.Dict[str, t.Any]], **overrides: t.Any) -> t.Dict[str, t.Any]:
    return dict({"name": "agent-app", "target": "docker", "apps": apps}, **overrides)


@pytest.mark.parametrize("value, errors", [
    (environment([API, dict(API, kind="streamlit")]), ["agno_env.apps[0].name: 'api' is used by more than one app",
                                                       "agno_env.apps[1].name: 'api' is used by more than one app"]),
    (environment([dict(API, depends_on=["db"])]), ["agno_env.apps[0].depends_on: 'db' is not an app of this environment"]),
    (environment([dict(API, uses=["redis"])], redis={"enabled": False}),
     ["agno_env.apps[0].uses: redis is not enabled in this environment"]),
    (environment([dict(API, uses=["postgres"])]), ["agno_env.apps[0].uses: postgres is not enabled in this environment"]),
])
def test_what_a_schema_cannot_say_is_checked_after_it(value: t.Dict[str, t.Any], errors: t.List[str]) -> None:
    assert check(value) == errors


@pytest.mark.parametrize("apps, aws, errors", [
    ([API], {}, []),
    ([API], {"ecr": False}, ["agno_env.apps[0].source: an image built on aws is pushed to ECR or to aws.registry: set aws.ecr to "
                             "true or aws.registry, or give the app an image"]),
    ([API], {"ecr": False, "registry": "127.0.0.1:5000"}, []),
    ([dict(API, image="api:1"), {"name": "ui", "kind": "streamlit", "image": "ui:1"}], {},
     ["agno_env.apps: api, ui have no path; on aws one app takes the requests no path matches, give the others a path such as "
      "/api/*"]),
    ([dict(API, image="api:1"), {"name": "worker", "kind": "celery", "image": "api:1"}], {}, []),
    ([dict(API, image="api:1")], {"vpc_cidr": "10.0.0.0/33"}, ["agno_env.aws.vpc_cidr: '10.0.0.0/33' is not a CIDR block such as "
                                                               "10.0.0.0/16"]),
    ([dict(API, image="api:1")], {"vpc_cidr": "10.0.0.0/8"}, ["agno_env.aws.vpc_cidr: 10.0.0.0/8 must be an IPv4 block from /16 to /24"]),
    ([dict(API, image="api:1", exec=True, name="a" * 32)], {}, []),
    ([dict(API, image="api:1", exec=True, name="a" * 32, idle_timeout=4000, sticky=True)], {}, []),
    ([dict(API, image="api:1", exec=True, name="b" * 50)], {}, [
        "agno_env.apps[0].name: %r does not match '^[a-z][a-z0-9-]{0,30}[a-z0-9]$'" % ("b" * 50)]),
])
def test_the_aws_target_needs_a_registry_one_default_route_and_a_usable_block(
        apps: t.List[t.Dict[str, t.Any]], aws: t.Dict[str, t.Any], errors: t.List[str]) -> None:
    assert check(environment(apps, target="aws", aws=aws)) == errors


def test_an_exec_role_name_iam_refuses_is_an_error_and_idle_timeouts_are_what_alb_allows() -> None:
    app = dict(API, image="api:1", exec=True, name="a" * 32)
    assert check(environment([app], target="aws", name="e" * 32)) == [
        "agno_env.apps[0].exec: the app's task role %s-task-%s would have 70 characters, IAM allows 64: shorten the "
        "environment's or the app's name" % ("e" * 32, "a" * 32)]
    assert check(environment([dict(API, idle_timeout=0)])) == ["agno_env.apps[0].idle_timeout: 0 is less than the minimum of 1"]
    assert check(environment([dict(API, idle_timeout=4001)])) == [
        "agno_env.apps[0].idle_timeout: 4001 is greater than the maximum of 4000"]


def test_a_database_password_must_be_given_and_usable_by_rds_on_aws() -> None:
    docker = model.environment(environment([API], postgres={"enabled": True}))
    assert schema.secret_errors(docker, {"postgres_password": "short"}) == []
    assert schema.secret_errors(docker, {"postgres_password": ""}) == [
        "agno_env.postgres.password_secret: secret 'postgres_password' is empty: give the password in the secrets (agno_secrets), "
        "from a vault or an environment variable"]
    aws = model.environment(environment([API], target="aws", postgres={"enabled": True, "password_secret": "db"}), "us-east-1")
    for refused in ("short", "has a space in it", "with/slash-0123", "x" * 129):
        assert schema.secret_errors(aws, {"db": refused}) == [
            "agno_env.postgres.password_secret: secret 'db' is not a password RDS accepts: use 8 to 128 printable characters "
            "without /, @, \" or spaces"]
    assert schema.secret_errors(aws, {"db": "long-enough-0123"}) == []


def test_schema_errors_come_alone_sorted_by_path_and_secrets_are_checked_only_when_given() -> None:
    value = environment([API, dict(API, port=0), dict(API, name="Bad")], target="gcp")
    errors = check(value, {})
    assert [error.split(":")[0] for error in errors] == ["agno_env.apps[1].port", "agno_env.apps[2].name", "agno_env.target"]
    with_secret = environment([dict(API, secret_env={"OPENAI_API_KEY": "openai"})])
    assert check(with_secret) == []
    assert check(with_secret, {}) == [
        "agno_env.apps[0].secret_env.OPENAI_API_KEY: secret 'openai' is not in the secrets option"]
