"""The aws target: what the example prd environment turns into, and the rules its resources follow."""

from __future__ import annotations

import pathlib
import typing as t

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.agno.infra.plugins.module_utils._environment import audit, audit_module, blueprint_aws, model, run, selection
from ansible_collections.agno.infra.plugins.module_utils._environment import schema as environment_schema

from ansible_collections.agno.infra.plugins.module_utils._engine import plan
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES
from ansible_collections.agno.infra.tests.unit.support import example_env

SECRETS = {"postgres_password": "prd-password-0123", "redis_auth_token": "prd-redis-token-0123", "openai": "sk-test"}


def prd_env(**overrides: t.Any) -> t.Dict[str, t.Any]:
    """The example prd inventory's environment, with its few templates replaced by plain values."""
    return dict(example_env("prd"), **overrides)


def items(raw: t.Dict[str, t.Any]) -> t.Dict[str, t.Dict[str, t.Any]]:
    return {item["id"]: item for item in blueprint_aws.AwsBlueprint(model.environment(raw, "us-east-1")).resources()}


def rendered(raw: t.Dict[str, t.Any]) -> t.List[plan.Item]:
    return run.render(model.environment(raw, "us-east-1"))


API = {"name": "api", "kind": "fastapi", "image": "registry.example/api:1", "path": "/api/*"}
UI = {"name": "ui", "kind": "streamlit", "image": "registry.example/ui:1"}


def test_the_example_prd_environment_is_valid() -> None:
    assert environment_schema.validated(prd_env(), SECRETS).name == "agent-app-prd"  # no error raised
    assert environment_schema.validated(prd_env(), SECRETS, "eu-west-1", sources=True).aws["availability_zones"] == ["eu-west-1a", "eu-west-1b"]


def test_every_resource_passes_its_module_argument_spec() -> None:
    """References stand in for values of the right type, so a misspelt option fails here and not in AWS."""
    for item in items(prd_env()).values():
        resource_type = RESOURCE_TYPES[item["type"]]
        params = plan.resolve(item["params"], PlaceholderStates(), item["id"])
        result = ArgumentSpecValidator(resource_type.argument_spec, **resource_type.validation).validate(params)
        assert result.error_messages == [], (item["id"], result.error_messages)


class PlaceholderStates(dict):  # type: ignore[type-arg]
    """Every ${id.field} resolves to a string placeholder; a list field to a list."""

    def __missing__(self, key: str) -> t.Dict[str, t.Any]:
        return PlaceholderFields(key)

    def __contains__(self, key: object) -> bool:
        return True


class PlaceholderFields(dict):  # type: ignore[type-arg]
    def __init__(self, owner: str) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, key: str) -> str:
        return "%s-%s" % (self.owner, key)

    def __contains__(self, key: object) -> bool:
        return True


def test_plan_order_puts_the_network_first_and_services_last() -> None:
    ordered = [item.id for item in plan.topological_order(plan.parse_items(list(items(prd_env()).values()), RESOURCE_TYPES))]
    assert ordered.index("vpc") < ordered.index("subnet-private-a") < ordered.index("db-subnets") < ordered.index("postgres")
    assert ordered.index("postgres") < ordered.index("secret-database-url") < ordered.index("execution-role")
    assert ordered.index("listener-http") < ordered.index("service-api")
    assert ordered.index("task-api") < ordered.index("service-api")


def test_security_groups_are_chained_on_the_needed_ports_only() -> None:
    found = items(prd_env())
    assert found["sg-alb"]["params"]["ingress"] == [{"port": 80, "cidr": "0.0.0.0/0"}]
    assert found["sg-app"]["params"]["ingress"] == [
        {"port": 8000, "source_security_group": "${sg-alb.id}"}, {"port": 8501, "source_security_group": "${sg-alb.id}"}]
    assert found["sg-postgres"]["params"]["ingress"] == [{"port": 5432, "source_security_group": "${sg-app.id}"}]
    assert found["sg-redis"]["params"]["ingress"] == [{"port": 6379, "source_security_group": "${sg-app.id}"}]


def test_without_web_apps_no_group_is_open_to_the_internet() -> None:
    """No load balancer, no sg-alb; the apps' group stays, as the data services' groups admit it."""
    found = items(prd_env(apps=[{"name": "worker", "kind": "celery", "image": "registry.example/worker:1"}]))
    assert "alb" not in found and "sg-alb" not in found
    assert found["sg-app"]["params"]["ingress"] == []
    assert audit.audit(audit_module.as_items(list(found.values())), production=True) == []
    only_postgres = items(prd_env(apps=[]))
    assert sorted(key for key in only_postgres if key.startswith("sg-")) == ["sg-app", "sg-postgres", "sg-redis"]


def test_databases_are_private_encrypted_and_protected() -> None:
    db = items(prd_env())["postgres"]["params"]
    assert db["publicly_accessible"] is False and db["storage_encrypted"] is True and db["deletion_protection"] is True
    assert db["db_subnet_group"] == "${db-subnets.name}"
    assert items(prd_env())["db-subnets"]["params"]["subnet_ids"] == ["${subnet-private-a.id}", "${subnet-private-b.id}"]
    assert "prd-password" not in repr(items(prd_env()))


def test_tasks_run_private_without_public_ip_and_get_secrets_by_arn() -> None:
    found = items(prd_env())
    service = found["service-api"]["params"]
    assert service["assign_public_ip"] is False and service["subnets"] == ["${subnet-private-a.id}", "${subnet-private-b.id}"]
    assert service["desired_count"] == 2 and service["wait"] is False
    container = found["task-api"]["params"]["containers"][0]
    assert container["secrets"] == {"DB_PASSWORD": "${secret-db-password.arn}", "DATABASE_URL": "${secret-database-url.arn}",
                                    "REDIS_URL": "${secret-redis-url.arn}", "CELERY_BROKER_URL": "${secret-redis-url.arn}",
                                    "CELERY_RESULT_BACKEND": "${secret-redis-url.arn}"}
    assert container["user"] == "10001"
    assert container["environment"]["DB_HOST"] == "${postgres.endpoint}"
    assert found["task-api"]["params"]["cpu"] == 512 and found["task-api"]["params"]["memory"] == 1024
    ui = found["task-ui"]["params"]["containers"][0]
    assert ui["environment"]["API_URL"] == "http://${alb.dns_name}/api" and "secrets" not in ui or ui["secrets"] == {}
    assert "service-worker" in found and "tg-worker" not in found
    assert found["scaling-api"]["params"] == {"cluster": "${cluster.name}", "service": "${service-api.name}", "min_capacity": 2,
                                              "max_capacity": 6, "target_cpu": 60}
    # The scaler owns api's count once it exists; ui, without autoscaling, keeps its replicas enforced.
    assert service["desired_count_on_create_only"] is True and "desired_count_on_create_only" not in found["service-ui"]["params"]


def test_a_changed_secret_refreshes_the_services_that_read_it_and_the_password_reaches_the_database() -> None:
    apps = prd_env()["apps"]
    apps[2]["secret_env"] = {"OPENAI_API_KEY": "openai"}
    parsed = {item.id: item for item in rendered(prd_env(apps=apps))}
    assert parsed["postgres"].refresh_on == {"secret-db-password"}
    assert parsed["service-api"].refresh_on == {"secret-db-password", "secret-database-url", "secret-redis-url"}
    assert parsed["service-ui"].refresh_on == {"secret-openai"} and parsed["service-worker"].refresh_on == {"secret-redis-url"}
    # What refreshes an item converges before it.
    assert parsed["service-api"].refresh_on <= parsed["service-api"].depends_on


def test_alb_routes_by_path_and_streamlit_is_sticky_with_a_long_idle_timeout() -> None:
    found = items(prd_env())
    listener = found["listener-http"]["params"]
    assert listener["target_group_arn"] == "${tg-ui.arn}"
    assert listener["rules"] == [{"priority": 10, "path_patterns": ["/api/*"], "target_group_arn": "${tg-api.arn}"}]
    assert found["tg-ui"]["params"]["stickiness"]["enabled"] is True
    assert found["tg-api"]["params"]["stickiness"]["enabled"] is False
    assert found["alb"]["params"]["idle_timeout"] == 3600
    # Each target group drains a leaving task for as long as a stream through it may stay silent.
    assert found["tg-api"]["params"]["deregistration_delay"] == 300
    assert found["tg-ui"]["params"]["deregistration_delay"] == 3600


def test_idle_timeouts_and_stickiness_are_per_app_and_the_alb_takes_the_longest() -> None:
    found = items(prd_env(apps=[dict(API, idle_timeout=90, sticky=True), dict(UI, idle_timeout=4000, sticky=False)]))
    assert found["alb"]["params"]["idle_timeout"] == 4000
    assert found["tg-api"]["params"]["deregistration_delay"] == 90
    assert found["tg-ui"]["params"]["deregistration_delay"] == 3600
    assert found["tg-api"]["params"]["stickiness"] == {"enabled": True, "duration": blueprint_aws.STICKY_SECONDS}
    assert found["tg-ui"]["params"]["stickiness"]["enabled"] is False
    assert items(prd_env(apps=[API]))["alb"]["params"]["idle_timeout"] == 300


def test_ecs_exec_gives_the_app_its_own_task_role_that_may_open_the_session_channels() -> None:
    found = items(prd_env(apps=[dict(API, exec=True), UI]))
    role = found["task-role-api"]
    assert role["params"]["name"] == "agent-app-prd-task-api" and role["app"] == "api"
    assert role["params"]["inline_policies"]["exec"]["Statement"] == [
        {"Effect": "Allow", "Action": blueprint_aws.EXEC_ACTIONS, "Resource": ["*"]}]
    assert role["params"]["inline_policies"]["bucket"] == found["task-role"]["params"]["inline_policies"]["bucket"]
    assert "exec" not in found["task-role"]["params"]["inline_policies"]
    assert found["task-api"]["params"]["task_role_arn"] == "${task-role-api.arn}"
    assert found["task-ui"]["params"]["task_role_arn"] == "${task-role.arn}"
    assert found["service-api"]["params"]["enable_execute_command"] is True
    assert found["service-ui"]["params"]["enable_execute_command"] is False
    # With every app on its own role, the shared one has no tasks left to serve.
    assert "task-role" not in items(prd_env(apps=[dict(API, exec=True)]))


def test_a_certificate_gives_https_and_redirects_http() -> None:
    raw = prd_env()
    raw["aws"]["certificate_arn"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    found = items(raw)
    assert found["listener-http"]["params"]["redirect_to_https"] is True
    assert found["listener-https"]["params"]["protocol"] == "HTTPS"
    assert {"port": 443, "cidr": "0.0.0.0/0"} in found["sg-alb"]["params"]["ingress"]
    assert found["service-api"]["depends_on"][-1] == "listener-https"


def test_least_privilege_roles() -> None:
    found = items(prd_env())
    reads = found["execution-role"]["params"]["inline_policies"]["start-tasks"]["Statement"][-1]
    assert reads["Action"] == ["secretsmanager:GetSecretValue"]
    assert reads["Resource"] == ["${secret-db-password.arn}", "${secret-database-url.arn}", "${secret-redis-url.arn}"]
    assert found["execution-role"]["params"]["managed_policy_arns"] == []
    logs = found["execution-role"]["params"]["inline_policies"]["start-tasks"]["Statement"][1]
    assert logs["Resource"] == ["arn:aws:logs:us-east-1:*:log-group:/ecs/agent-app-prd/*"]
    bucket = found["task-role"]["params"]["inline_policies"]["bucket"]["Statement"]
    assert all("*" not in statement["Action"] for statement in bucket)


def test_down_lifts_deletion_protection_and_keeps_data() -> None:
    down = [run.teardown(item, delete_data=False) for item in rendered(prd_env())]
    db = next(item for item in down if item.id == "postgres")
    assert db.params["deletion_protection"] is False and "skip_final_snapshot" not in db.params
    # Redis leaves a final snapshot too, unless delete_data; the database always does.
    redis = {item.id: item for item in down}["redis"]
    assert "skip_final_snapshot" not in redis.params
    dropped = {item.id: item for item in (run.teardown(item, delete_data=True) for item in rendered(prd_env()))}
    assert dropped["redis"].params["skip_final_snapshot"] is True and "skip_final_snapshot" not in dropped["postgres"].params
    kept = selection.removable(down, None, delete_data=False)
    assert "postgres" in kept and "bucket" not in kept and "secret-db-password" not in kept and "ecr-api" not in kept


@pytest.mark.parametrize("change, expected", [
    ({"apps": [{"name": "api", "kind": "fastapi", "source": "/"}], "aws": {"ecr": False}},
     "agno_env.apps[0].source: an image built on aws is pushed to ECR or to aws.registry: set aws.ecr to true or aws.registry"),
    ({"aws": {"registry_auth": {"username": "agno", "password_secret": "openai"}}},
     "agno_env.aws.registry_auth: it logs in to aws.registry, which is not set (ECR needs no login)"),
    ({"aws": {"registry": "127.0.0.1:5000", "registry_auth": {"username": "agno"}}},
     "agno_env.aws.registry_auth: give both username and password_secret, or neither"),
    ({"aws": {"registry": "Registry/Team"}}, "agno_env.aws.registry: 'Registry/Team' is not a registry: give its host"),
    ({"apps": [{"name": "api", "kind": "fastapi", "source": "/"}],
      "aws": {"registry": "127.0.0.1:5000", "registry_auth": {"username": "agno", "password_secret": "registry_password"}}},
     "agno_env.aws.registry_auth.password_secret: secret 'registry_password' is not in the secrets option or is empty"),
    ({"apps": [{"name": "aa", "kind": "fastapi", "image": "x"}, {"name": "bb", "kind": "streamlit", "image": "y"}]},
     "agno_env.apps: aa, bb have no path"),
    ({"aws": {"vpc_cidr": "10.0.0.0/8"}}, "agno_env.aws.vpc_cidr: 10.0.0.0/8 must be an IPv4 block from /16 to /24"),
    ({"aws": {"vpc_cidr": "10.0.0.300/16"}}, "agno_env.aws.vpc_cidr: '10.0.0.300/16' is not a CIDR block"),
    ({"aws": {"log_retention_days": 10}}, "agno_env.aws.log_retention_days: 10 is not one of"),
    ({"aws": {"postgres": {"instance_class": "t4g.micro"}}}, "agno_env.aws.postgres.instance_class: 't4g.micro' does not match"),
    # Paths: the rules follow the apps' order, so an earlier pattern that covers a later one takes all its requests.
    ({"apps": [API, dict(API, name="admin"), UI]},
     "agno_env.apps[1].path: app admin would get no request: app api's path /api/* comes first and matches every request for /api/*; "
     "list admin first or give it another path"),
    ({"apps": [API, dict(API, name="admin", path="/api/admin/*"), UI]},
     "agno_env.apps[1].path: app admin would get no request: app api's path /api/* comes first and matches every request for "
     "/api/admin/*"),
    ({"apps": [dict(API, path="/*"), UI]}, "agno_env.apps[1]: app ui would get no request: app api's path /* matches every request"),
    # Names AWS cuts to 32 characters.
    ({"apps": [dict(API, name="very-long-name-app-one"), dict(API, name="very-long-name-app-two", path="/two/*"), UI]},
     "agno_env.apps[1].name: the target group of app very-long-name-app-two would be named agent-app-prd-very-long-name-app "
     "(ENVIRONMENT-APP cut to 32 characters), as app very-long-name-app-one's: shorten the app's name"),
    ({"apps": [dict(API, name="very-long-name-ap-x"), UI]},
     "agno_env.apps[0].name: the target group of app very-long-name-ap-x would be named agent-app-prd-very-long-name-ap- "
     "(ENVIRONMENT-APP cut to 32 characters), which"),
    # Values AWS defines, which the emulator would accept.
    ({"aws": {"postgres": {"instance_class": "db.t4g.mirco"}}},
     "agno_env.aws.postgres.instance_class: 'db.t4g.mirco' is not an RDS instance class: give db.FAMILY.SIZE with a family of t2, "),
    ({"aws": {"postgres": {"instance_class": "db.t5.micro"}}}, "agno_env.aws.postgres.instance_class: 'db.t5.micro' is not"),
    ({"aws": {"redis": {"node_type": "cache.t4g.huge"}}}, "agno_env.aws.redis.node_type: 'cache.t4g.huge' is not an ElastiCache node type"),
    ({"aws": {"availability_zones": ["eu-west-1a", "us-east-1b"]}},
     "agno_env.aws.availability_zones[0]: eu-west-1a is not a zone of region us-east-1, where the environment runs: use zones such as "
     "us-east-1a and us-east-1b"),
    ({"aws": {"availability_zones": ["us-east-1a", "us-east-1a"]}},
     "agno_env.aws.availability_zones: ['us-east-1a', 'us-east-1a'] has non-unique elements"),
    ({"apps": [dict(API, image="registry.example/Team/api:1"), UI]}, "agno_env.apps[0].image: 'registry.example/Team/api:1' is not an image"),
    ({"apps": [dict(API, replicas=3, autoscaling={"max_replicas": 2}), UI]},
     "agno_env.apps[0].autoscaling.max_replicas: 2 is below replicas (3), the fewest tasks the scaler keeps"),
    ({"apps": [dict(API, source="/nonexistent/api"), UI]}, "agno_env.apps[0].source: /nonexistent/api is not a directory on this host"),
])
def test_aws_errors_name_the_key(change: t.Dict[str, t.Any], expected: str) -> None:
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(prd_env(**change), SECRETS, "us-east-1", sources=True)
    errors = raised.value.details["errors"]
    assert any(error.startswith(expected) for error in errors), errors


def test_a_password_rds_refuses_is_named_before_any_call() -> None:
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(prd_env(), dict(SECRETS, postgres_password="short"))
    assert raised.value.details["errors"] == [
        "agno_env.postgres.password_secret: secret 'postgres_password' is not a password RDS accepts: use 8 to 128 "
        "printable characters without /, @, \" or spaces"]
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(prd_env(), dict(SECRETS, postgres_password=""))
    assert "is empty" in raised.value.details["errors"][0]


def test_redis_takes_an_auth_token_over_tls_and_the_apps_get_its_url_from_secrets_manager() -> None:
    found = items(prd_env())
    redis = found["redis"]["params"]
    assert redis["transit_encryption"] is True and redis["auth_token"] == "${secrets.redis_auth_token}"
    assert found["secret-redis-url"]["params"]["secret_string"] == (
        "rediss://:${secrets.redis_auth_token-in-url}@${redis.primary_endpoint}:6379/0?ssl_cert_reqs=required")
    worker = found["task-worker"]["params"]["containers"][0]
    assert not {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"} & set(worker["environment"])
    assert worker["secrets"] == dict.fromkeys(("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"), "${secret-redis-url.arn}")
    assert "secret-redis-url" not in items(prd_env(redis={"enabled": False}))


@pytest.mark.parametrize("token, problem", [
    (None, "is not in the secrets option"),
    ("short-token", "is not an AUTH token ElastiCache accepts"),
    ("a token with spaces 0123", "is not an AUTH token ElastiCache accepts"),
    ("token/with/slashes-0123", "is not an AUTH token ElastiCache accepts"),
])
def test_a_redis_auth_token_elasticache_refuses_is_named_before_any_call(token: t.Optional[str], problem: str) -> None:
    secrets = dict(SECRETS, redis_auth_token=token) if token else {key: value for key, value in SECRETS.items() if key != "redis_auth_token"}
    with pytest.raises(ResourceError) as raised:
        environment_schema.validated(prd_env(), secrets)
    assert [error for error in raised.value.details["errors"] if error.startswith(
        "agno_env.redis.auth_token_secret: secret 'redis_auth_token' %s" % problem)], raised.value.details["errors"]
    # The docker target's Redis takes no token.
    docker = prd_env(target="docker", apps=[dict(app, source=".") for app in prd_env()["apps"]])
    assert environment_schema.secret_errors(model.environment(docker), secrets) == []


def test_subnets_and_fargate_sizes() -> None:
    assert blueprint_aws.subnet_cidrs("10.20.0.0/16") == {"public-a": "10.20.0.0/20", "public-b": "10.20.16.0/20",
                                                          "private-a": "10.20.128.0/20", "private-b": "10.20.144.0/20"}
    assert blueprint_aws.subnet_cidrs("10.1.2.0/24")["private-b"] == "10.1.2.144/28"
    assert blueprint_aws.fargate_size({"name": "a", "cpus": 1, "memory": "2g"}) == (1024, 2048)
    with pytest.raises(ResourceError, match="cpus 3, which Fargate does not offer"):
        blueprint_aws.fargate_size({"name": "a", "cpus": 3})
    assert model.path_prefix("/api/*") == "/api" and model.path_prefix(None) == ""


def test_postgres_and_redis_names_select_their_aws_resources() -> None:
    parsed = rendered(prd_env())
    assert sorted(item.id for item in parsed if item.app == "postgres") == ["db-subnets", "postgres", "secret-database-url", "secret-db-password"]
    assert [item.id for item in parsed if item.app == "redis"] == ["redis", "secret-redis-url"]


def listener_targets(item: plan.Item) -> t.Set[str]:
    params = item.params
    return ({params.get("target_group_arn")} | {rule["target_group_arn"] for rule in params.get("rules") or []}) - {None}


def test_an_app_comes_with_the_listeners_that_route_to_it() -> None:
    found = rendered(prd_env())
    assert selection.with_routes(found, {"tg-api", "service-api"}) == {"tg-api", "service-api", "listener-http"}
    assert selection.with_routes(found, {"postgres"}) == {"postgres"}


def test_removing_an_app_reroutes_the_listener_first_and_the_last_one_takes_the_load_balancer() -> None:
    raw = prd_env()
    env = model.environment(raw, "us-east-1")
    found = run.render(env)
    removed = selection.removable(found, ["api"], False)
    rest, gone = selection.rerouting(env, found, removed)
    listener = next(item for item in rest if item.id == "listener-http")
    assert "${tg-api.arn}" not in listener_targets(listener) and "${tg-ui.arn}" in listener_targets(listener)
    assert listener.depends_on == {"alb", "tg-ui"}
    assert gone == set()
    web = [app["name"] for app in raw["apps"] if app.get("port")]
    rest, gone = selection.rerouting(env, found, selection.removable(found, web, False))
    assert rest == [] and gone == {"alb", "listener-http"}
    # A whole teardown removes the listeners anyway.
    assert selection.rerouting(env, found, selection.removable(found, None, False)) == ([], set())


def test_aws_blueprint_private_subnets_helper_is_stable() -> None:
    assert blueprint_aws.AwsBlueprint.private_subnets() == ["${subnet-private-a.id}", "${subnet-private-b.id}"]


def test_every_tagged_resource_carries_its_environment_id_and_component() -> None:
    found = items(prd_env())
    tagged = {item_id: item["params"]["tags"] for item_id, item in found.items() if "tags" in item["params"]}
    assert {"vpc", "postgres", "redis", "secret-db-password", "bucket", "execution-role", "alb", "tg-api", "service-api",
            "task-api", "logs-api", "ecr-api", "sg-redis"} <= set(tagged)
    assert all(tags["agno:env"] == "agent-app-prd" and tags["agno:id"] == item_id for item_id, tags in tagged.items())
    assert (tagged["service-api"]["agno:app"], tagged["postgres"]["agno:app"], "agno:app" in tagged["vpc"]) == ("api", "postgres", False)
    # The scaling takes no tags: its id is the one the discovery gives a service's scalable target.
    assert "scaling-api" in found and "tags" not in found["scaling-api"]["params"]


def test_apps_built_from_source_share_an_image_and_a_repository_and_run_it_by_digest() -> None:
    built = items(prd_env())
    assert sorted(item_id for item_id in built if item_id.startswith(("image-", "ecr-"))) == ["ecr-api", "ecr-ui", "image-api", "image-ui"]
    image = built["image-api"]
    assert (image["type"], image["group"], image["app"]) == ("docker_image", "image", "api")
    assert image["params"]["build"]["path"].endswith("/agent-app-prd/api")
    assert {key: image["params"][key] for key in ("push", "repository", "content_tag", "registry_auth")} == {
        "push": True, "repository": "${ecr-api.uri}", "content_tag": True, "registry_auth": {"ecr": True}}
    images = {name: built["task-" + name]["params"]["containers"][0]["image"] for name in ("api", "worker", "ui")}
    assert images == {"api": "${ecr-api.uri}@${image-api.digest}", "worker": "${ecr-api.uri}@${image-api.digest}",
                      "ui": "${ecr-ui.uri}@${image-ui.digest}"}


def test_another_registry_takes_the_images_instead_of_ecr() -> None:
    login = {"username": "agno", "password_secret": "registry_password"}
    built = items(prd_env(aws=dict(prd_env()["aws"], registry="127.0.0.1:5000/", registry_auth=login)))
    assert not [item_id for item_id in built if item_id.startswith("ecr-")]
    assert built["image-ui"]["params"]["repository"] == "127.0.0.1:5000/agent-app-prd/ui"
    assert built["image-ui"]["params"]["registry_auth"] == {"username": "agno", "password": "${secrets.registry_password}"}
    assert built["task-ui"]["params"]["containers"][0]["image"] == "127.0.0.1:5000/agent-app-prd/ui@${image-ui.digest}"
    anonymous = items(prd_env(aws=dict(prd_env()["aws"], registry="127.0.0.1:5000")))
    assert "registry_auth" not in anonymous["image-ui"]["params"]


def test_a_ready_image_is_run_as_given_and_keeps_its_repository() -> None:
    apps = [dict(app, image="registry.example/%s:1" % app["name"]) for app in prd_env()["apps"]]
    built = items(prd_env(apps=apps))
    assert not [item_id for item_id in built if item_id.startswith("image-")]
    assert sorted(item_id for item_id in built if item_id.startswith("ecr-")) == ["ecr-api", "ecr-ui", "ecr-worker"]
    assert built["task-worker"]["params"]["containers"][0]["image"] == "registry.example/worker:1"


def test_an_aws_run_stages_the_contexts_it_builds_without_reload(tmp_path: pathlib.Path) -> None:
    env = model.environment(prd_env(docker={"build_dir": str(tmp_path), "reload": True}), "us-east-1")
    chosen = selection.select(env, run.render(env), {"limit": None, "recreate": None, "state": "present", "delete_data": False})
    assert chosen.builds == {"api", "ui"}
    blueprint_aws.DockerBlueprint(env).stage(chosen.builds)
    assert (tmp_path / "agent-app-prd" / "api" / "main.py").is_file()  # the whole source: the image runs as built
    assert (tmp_path / "agent-app-prd" / "ui" / "Dockerfile").is_file()


PGVECTOR_MIGRATE = {"postgres": {"enabled": True, "pgvector": True}, "migrate": {"app": "api", "command": ["python", "-m", "app.migrate"]}}


def test_pgvector_and_the_migration_run_once_where_the_apps_run_before_any_service_rolls() -> None:
    raw = prd_env(**PGVECTOR_MIGRATE)
    environment_schema.validated(raw, SECRETS)
    found = items(raw)
    setup, migrate = found["setup-pgvector"]["params"], found["migrate"]["params"]
    [container] = found["task-db-setup"]["params"]["containers"]
    assert container["command"] == ["psql", "-v", "ON_ERROR_STOP=1", "-c", "CREATE EXTENSION IF NOT EXISTS vector"]
    assert container["environment"]["PGHOST"] == "${postgres.endpoint}" and container["secrets"] == {"PGPASSWORD": "${secret-db-password.arn}"}
    assert container["user"] == "70" and "task_role_arn" not in found["task-db-setup"]["params"]
    assert (setup["name"], setup["task_definition"], setup["container"]) == ("/agno.infra/agent-app-prd/runs/pgvector",
                                                                             "${task-db-setup.arn}", "db-setup")
    assert (migrate["task_definition"], migrate["container"], migrate["command"]) == ("${task-api.arn}", "api", ["python", "-m", "app.migrate"])
    for params in (setup, migrate):
        assert params["subnets"] == ["${subnet-private-a.id}", "${subnet-private-b.id}"] and params["security_groups"] == ["${sg-app.id}"]
    ordered = [item.id for item in plan.topological_order(plan.parse_items(list(found.values()), RESOURCE_TYPES))]
    assert ordered.index("postgres") < ordered.index("setup-pgvector") < ordered.index("migrate")
    assert ordered.index("task-api") < ordered.index("migrate") < min(ordered.index(item) for item in found if item.startswith("service-"))
    # agno_limit=api takes the migration with the app, postgres the setup with the database.
    assert "api" in found["migrate"]["params"]["tags"].values() and found["setup-pgvector"]["params"]["tags"]["agno:app"] == "postgres"
    for item in ("setup-pgvector", "migrate", "task-db-setup"):
        resource_type = RESOURCE_TYPES[found[item]["type"]]
        params = plan.resolve(found[item]["params"], PlaceholderStates(), item)
        assert ArgumentSpecValidator(resource_type.argument_spec, **resource_type.validation).validate(params).error_messages == []


def test_without_pgvector_or_migrate_no_one_off_task_and_a_migration_names_an_app() -> None:
    assert not {"setup-pgvector", "task-db-setup", "migrate"} & set(items(prd_env()))
    with pytest.raises(ResourceError, match=r"agno_env.migrate.app: 'nope' is not an app of this environment"):
        environment_schema.validated(prd_env(migrate={"app": "nope", "command": ["true"]}), SECRETS)


JOBS = {"jobs": [{"name": "report", "app": "api", "command": ["python", "-m", "app.report"], "schedule": "0 3 * * 1-5"}]}


def test_a_job_is_its_own_task_definition_a_role_that_may_only_run_it_and_a_schedule() -> None:
    raw = prd_env(**JOBS)
    environment_schema.validated(raw, SECRETS)
    found = items(raw)
    task, role, schedule = found["task-job-report"]["params"], found["role-job-report"]["params"], found["job-report"]["params"]
    [container] = task["containers"]
    assert container["command"] == ["python", "-m", "app.report"] and "ports" not in container and "health_check" not in container
    assert container["image"] == found["task-api"]["params"]["containers"][0]["image"] and task["family"] == "agent-app-prd-job-report"
    assert container["log_configuration"] == {"log_group": "${logs-api.name}", "stream_prefix": "job-report"}
    [run_task, pass_role] = role["inline_policies"]["run-task"]["Statement"]
    assert run_task["Action"] == ["ecs:RunTask"] and run_task["Resource"] == ["${task-job-report.arn}"]
    assert run_task["Condition"] == {"ArnEquals": {"ecs:cluster": "${cluster.arn}"}}
    assert pass_role["Resource"] == ["${execution-role.arn}", "${task-role.arn}"]
    assert role["assume_role_policy"]["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert schedule["schedule_expression"] == "cron(0 3 ? * 2-6 *)" and schedule["role_arn"] == "${role-job-report.arn}"
    assert schedule["task_definition"] == "${task-job-report.arn}" and schedule["subnets"] == ["${subnet-private-a.id}", "${subnet-private-b.id}"]
    assert schedule["description"].endswith("[agno:env=agent-app-prd agno:id=job-report]") and "tags" not in schedule
    # The job goes with its app (agno_limit=api, the app roles).
    assert found["task-job-report"]["params"]["tags"]["agno:app"] == "api" and found["job-report"]["app"] == "api"
    for item in ("task-job-report", "role-job-report", "job-report"):
        resource_type = RESOURCE_TYPES[found[item]["type"]]
        params = plan.resolve(found[item]["params"], PlaceholderStates(), item)
        assert ArgumentSpecValidator(resource_type.argument_spec, **resource_type.validation).validate(params).error_messages == []
