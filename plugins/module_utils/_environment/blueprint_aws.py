# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn an environment into AWS resources: a VPC over two zones, RDS Postgres, ElastiCache Redis and
ECS Fargate services behind one ALB, running ready images or the apps' sources built and pushed on the way.

Security groups are chained (ALB -> apps -> Postgres / Redis, each on its port only); tasks run in
private subnets without public IPs; passwords reach the tasks only as Secrets Manager ARNs.
"""

from __future__ import annotations

import ipaddress
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._aws.ownership import APP_TAG, ENV_TAG, ID_TAG, scaling_id
from ansible_collections.agno.infra.plugins.module_utils._aws.scheduler_schedule import owned_description
from ansible_collections.agno.infra.plugins.module_utils._environment import jobs, values
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint
from ansible_collections.agno.infra.plugins.module_utils._environment.model import (
    POSTGRES_PORT, REDIS_PORT, Environment, beat_command, connection_env, database_url, health_probe, image_owners,
    load_balancer_url, owned, owned_by, pushed_image, redis_settings, redis_tls_url, registry_repository, target_group_name,
    task_role_name)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import ResourceError

# Fargate CPU units for the cpus an app asks for.
FARGATE_CPU = {0.25: 256, 0.5: 512, 1: 1024, 2: 2048, 4: 4096, 8: 8192, 16: 16384}
STICKY_SECONDS = 86400
MAX_DRAIN_SECONDS = 3600
#: The load balancer's listeners by port: their ids, which also find one the environment no longer has (prune).
LISTENERS = {80: "listener-http", 443: "listener-https"}
#: What ECS Exec needs of a task's role.
EXEC_ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel"]
#: What the pgvector setup runs, as the database's owner (ON_ERROR_STOP: a failure exits non-zero).
PGVECTOR_COMMAND = ["psql", "-v", "ON_ERROR_STOP=1", "-c", "CREATE EXTENSION IF NOT EXISTS vector"]
#: The user of the official Postgres images (alpine's uid) that runs psql: no container of an environment runs as root.
PSQL_USER = "70"
TRUST_SCHEDULER = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TRUST_ECS_TASKS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def subnet_cidrs(vpc_cidr: str) -> t.Dict[str, str]:
    """Public subnets in the first two blocks, private ones in the middle, each 1/16 of the VPC (at most /28)."""
    network = ipaddress.ip_network(vpc_cidr)
    blocks = list(network.subnets(new_prefix=min(network.prefixlen + 4, 28)))
    middle = len(blocks) // 2
    return {"public-a": str(blocks[0]), "public-b": str(blocks[1]),
            "private-a": str(blocks[middle]), "private-b": str(blocks[middle + 1])}


def task_role_id(exec_app: t.Optional[str]) -> str:
    """The item of the apps' shared task role, or of the role of an app with ECS Exec."""
    return "task-role-" + exec_app if exec_app else "task-role"


def fargate_size(app: t.Dict[str, t.Any]) -> t.Tuple[int, int]:
    """Task CPU units and memory in MiB from the app's cpus and memory."""
    cpus = app["cpus"]
    if cpus not in FARGATE_CPU:
        raise ResourceError("App %s asks for cpus %s, which Fargate does not offer: use one of %s."
                            % (app["name"], cpus, ", ".join(str(value) for value in FARGATE_CPU)))
    memory = values.MEMORY.match(str(app["memory"]))
    if not memory:
        raise ResourceError("App %s has memory %r: give MiB or GiB such as 512m or 2g." % (app["name"], app["memory"]))
    mebibytes = int(memory.group(1)) * (1024 if memory.group(2).lower() == "g" else 1)
    return FARGATE_CPU[cpus], mebibytes


class AwsBlueprint:
    """Resources of an environment in one AWS region."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.name = env.name
        self.region = env.region
        self.aws = env.aws
        self.tags = {ENV_TAG: self.name}
        #: Each app built from its source, and the app whose image (and repository) it shares.
        self.owners = image_owners(env)

    def resources(self) -> t.List[t.Dict[str, t.Any]]:
        items = self.network()
        if self.env.enabled("postgres"):
            items += owned_by("postgres", self.postgres() + self.database_secrets() + self.database_setup())
        if self.env.enabled("redis"):
            items += owned_by("redis", self.redis() + self.redis_secrets())
        if self.aws["bucket"]:
            items.append(self.item("bucket", "aws_s3_bucket", "data", name=self.aws["bucket_name"], versioning=True))
        items += self.app_secrets()
        if self.env.apps:
            items += self.platform()
        for app in self.env.apps:
            items += self.app(app)
        if self.env.migrate:
            items += owned_by(self.env.migrate["app"], [self.migration()])
        return [owned(item, ID_TAG, APP_TAG) for item in items]

    def item(self, item_id: str, resource_type: str, group: str, depends_on: t.Optional[t.List[str]] = None,
             tagged: bool = True, **params: t.Any) -> t.Dict[str, t.Any]:
        if tagged:
            params["tags"] = dict(self.tags, **params.get("tags", {}))
        entry = {"id": item_id, "type": resource_type, "group": group, "params": params}
        if depends_on:
            entry["depends_on"] = depends_on
        return entry

    def resource_name(self, part: str) -> str:
        return "%s-%s" % (self.name, part)

    # ---- network
    def network(self) -> t.List[t.Dict[str, t.Any]]:
        cidrs = subnet_cidrs(self.aws["vpc_cidr"])
        zones = self.aws["availability_zones"]
        items = [self.item("vpc", "aws_vpc", "network", name=self.name, cidr_block=self.aws["vpc_cidr"])]
        for index, subnet in enumerate(sorted(cidrs)):
            items.append(self.item("subnet-" + subnet, "aws_subnet", "network", name=self.resource_name(subnet), vpc_id="${vpc.id}",
                                   cidr_block=cidrs[subnet], availability_zone=zones[index % 2], map_public_ip=False))
        items.append(self.item("igw", "aws_internet_gateway", "network", name=self.name, vpc_id="${vpc.id}"))
        items.append(self.item("routes-public", "aws_route_table", "network", name=self.resource_name("public"), vpc_id="${vpc.id}",
                               routes=[{"destination": "0.0.0.0/0", "gateway_id": "${igw.id}"}],
                               subnet_ids=["${subnet-public-a.id}", "${subnet-public-b.id}"]))
        private_routes: t.List[t.Dict[str, str]] = []
        if self.aws["nat_gateway"]:
            # Tasks in private subnets reach registries and AWS APIs through one NAT gateway.
            items.append(self.item("nat", "aws_nat_gateway", "network", ["routes-public"], name=self.name,
                                   subnet_id="${subnet-public-a.id}"))
            private_routes = [{"destination": "0.0.0.0/0", "nat_gateway_id": "${nat.id}"}]
        items.append(self.item("routes-private", "aws_route_table", "network", name=self.resource_name("private"), vpc_id="${vpc.id}",
                               routes=private_routes, subnet_ids=self.private_subnets()))
        # A bare network (the aws_network role) has nothing to guard yet.
        serves = self.env.apps or self.env.services
        return items + self.security_groups() if serves else items

    @staticmethod
    def private_subnets() -> t.List[str]:
        return ["${subnet-private-a.id}", "${subnet-private-b.id}"]

    def security_groups(self) -> t.List[t.Dict[str, t.Any]]:
        """ALB open on 80 (and 443 with a certificate); each further hop open only to the one before, on its port.

        Without web apps there is no load balancer, so no group open to the internet either.
        """
        alb_ports = [80, 443] if self.env.https else [80]
        app_ports = sorted({app["port"] for app in self.env.web_apps()})
        groups = [self.group("alb", "load balancer of %s" % self.name, [{"port": port, "cidr": "0.0.0.0/0"} for port in alb_ports])] if app_ports else []
        groups.append(self.group("app", "apps of %s" % self.name,
                                 [{"port": port, "source_security_group": "${sg-alb.id}"} for port in app_ports]))
        for service, port in (("postgres", POSTGRES_PORT), ("redis", REDIS_PORT)):
            if self.env.enabled(service):
                groups.append(self.group(service, "%s of %s" % (service, self.name),
                                         [{"port": port, "source_security_group": "${sg-app.id}"}]))
        return groups

    def group(self, part: str, description: str, ingress: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
        return self.item("sg-" + part, "aws_security_group", "network", name=self.resource_name(part), vpc_id="${vpc.id}",
                         description=description, ingress=ingress)

    # ---- data services
    def postgres(self) -> t.List[t.Dict[str, t.Any]]:
        settings = self.env.services["postgres"]
        db = self.aws["postgres"]
        items = [
            self.item("db-subnets", "aws_db_subnet_group", "db", name=self.name, description="private subnets of %s" % self.name,
                      subnet_ids=self.private_subnets()),
            self.item("postgres", "aws_db_instance", "db", identifier=self.name, engine="postgres", engine_version=str(db["engine_version"]),
                      instance_class=db["instance_class"], allocated_storage=db["allocated_storage"], db_name=settings["database"],
                      master_username=settings["user"], master_user_password="${secrets.%s}" % settings["password_secret"],
                      db_subnet_group="${db-subnets.name}", vpc_security_group_ids=["${sg-postgres.id}"],
                      backup_retention_period=db["backup_retention_period"], deletion_protection=db["deletion_protection"],
                      multi_az=db["multi_az"], publicly_accessible=False, storage_encrypted=True,
                      wait=self.aws["wait"]),
        ]
        # RDS keeps the password it was given: a new one (the secret holding it changed) is sent to it.
        items[1]["refresh_on"] = ["secret-db-password"]
        return items

    def run_name(self, part: str) -> str:
        """Where the record of a one-off task up runs lives (an SSM parameter)."""
        return "/agno.infra/%s/runs/%s" % (self.name, part)

    def one_off(self, item_id: str, part: str, task_definition: str, container: str, depends_on: t.List[str],
                timeout: int, command: t.Optional[t.List[str]] = None) -> t.Dict[str, t.Any]:
        """A one-off task run where the apps run theirs, once for its task definition revision and command."""
        params: t.Dict[str, t.Any] = {"name": self.run_name(part), "cluster": "${cluster.name}", "task_definition": task_definition,
                                      "container": container, "subnets": self.private_subnets(), "security_groups": ["${sg-app.id}"],
                                      "run_timeout": timeout}
        if command is not None:
            params["command"] = command
        return self.item(item_id, "aws_ecs_task_run", "db", depends_on, **params)

    def database_setup(self) -> t.List[t.Dict[str, t.Any]]:
        """pgvector: CREATE EXTENSION run once by the database's owner from a psql image, in its own task definition (its
        host in it: a new database has a new endpoint, so a new revision, so it runs again there). It runs in the ECS
        cluster of the apps, so only with apps."""
        settings = self.env.services["postgres"]
        if not settings["pgvector"] or not self.env.apps:
            return []
        container = {
            "name": "db-setup", "image": self.aws["postgres"]["client_image"], "command": PGVECTOR_COMMAND, "user": PSQL_USER,
            "environment": {"PGHOST": "${postgres.endpoint}", "PGPORT": str(POSTGRES_PORT), "PGDATABASE": settings["database"],
                            "PGUSER": settings["user"], "PGSSLMODE": "require"},
            "secrets": {"PGPASSWORD": "${secret-db-password.arn}"},
            "log_configuration": {"log_group": "${logs-db-setup.name}", "stream_prefix": "db-setup"},
        }
        return [self.item("logs-db-setup", "aws_log_group", "db", name="/ecs/%s/db-setup" % self.name,
                          retention_days=self.aws["log_retention_days"]),
                self.item("task-db-setup", "aws_ecs_task_definition", "db", family=self.resource_name("db-setup"), cpu=256, memory=512,
                          execution_role_arn="${execution-role.arn}", containers=[container]),
                self.one_off("setup-pgvector", "pgvector", "${task-db-setup.arn}", "db-setup", ["postgres"], 600)]

    def migration(self) -> t.Dict[str, t.Any]:
        """agno_env.migrate: in the app's own task definition, after the database (and its setup), before any service."""
        migrate = self.env.migrate or {}
        app = next(app for app in self.env.apps if app["name"] == migrate["app"])
        depends_on = self.data_services(app)
        if "postgres" in app["uses"] and self.env.services["postgres"]["pgvector"]:
            depends_on.append("setup-pgvector")
        item = self.one_off("migrate", "migrate", "${task-%s.arn}" % app["name"], app["name"], depends_on, migrate["timeout"],
                            list(migrate["command"]))
        return dict(item, group="app")

    def redis(self) -> t.List[t.Dict[str, t.Any]]:
        # Like the database, it leaves a final snapshot on the way down (queued messages, results): unless delete_data.
        return [self.item("redis", "aws_elasticache", "db", name=self.name, node_type=self.aws["redis"]["node_type"],
                          subnet_ids=self.private_subnets(), security_group_ids=["${sg-redis.id}"], at_rest_encryption=True,
                          transit_encryption=True, auth_token="${secrets.%s}" % self.env.services["redis"]["auth_token_secret"],
                          wait=self.aws["wait"])]

    def redis_secrets(self) -> t.List[t.Dict[str, t.Any]]:
        """REDIS_URL in Secrets Manager: it carries the AUTH token."""
        if not self.env.enabled("redis"):
            return []
        return [self.item("secret-redis-url", "aws_secret", "data", name="%s/redis-url" % self.name,
                          secret_string=redis_tls_url(self.env, "${redis.primary_endpoint}"))]

    def database_secrets(self) -> t.List[t.Dict[str, t.Any]]:
        """The database password and URL in Secrets Manager, for the tasks to read by ARN."""
        if not self.env.enabled("postgres"):
            return []
        password = "${secrets.%s}" % self.env.services["postgres"]["password_secret"]
        url = database_url(self.env, "${postgres.endpoint}")
        return [self.item("secret-db-password", "aws_secret", "data", name="%s/db-password" % self.name, secret_string=password),
                self.item("secret-database-url", "aws_secret", "data", name="%s/database-url" % self.name, secret_string=url)]

    def app_secrets(self) -> t.List[t.Dict[str, t.Any]]:
        """Each secret the apps' secret_env names, in Secrets Manager."""
        names = sorted({name for app in self.env.apps for name in app["secret_env"].values()})
        return [self.item("secret-" + name, "aws_secret", "data", name="%s/%s" % (self.name, name), secret_string="${secrets.%s}" % name)
                for name in names]

    def secret_ids(self) -> t.List[str]:
        return [item["id"] for item in self.database_secrets() + self.redis_secrets() + self.app_secrets()]

    # ---- what every app shares
    def platform(self) -> t.List[t.Dict[str, t.Any]]:
        items = [self.item("cluster", "aws_ecs_cluster", "app", name=self.name, container_insights=True), self.execution_role()]
        if not all(app["exec"] for app in self.env.apps):
            items.append(self.task_role())
        if self.env.web_apps():
            items += self.load_balancer()
        return items

    def execution_role(self) -> t.Dict[str, t.Any]:
        """What ECS itself needs to start the tasks: pull images, write to this environment's log groups, read its secrets.

        An inline policy rather than AWS's managed one: narrower (logs and secrets of this environment only).
        """
        statements: t.List[t.Dict[str, t.Any]] = [
            # ECR has no per-repository authorisation token; pulls are limited to ECR's read actions.
            {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                                           "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Resource": ["*"]},
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": ["arn:aws:logs:%s:*:log-group:/ecs/%s/*" % (self.region, self.name)]},
        ]
        if self.secret_ids():
            statements.append({"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                               "Resource": ["${%s.arn}" % item_id for item_id in self.secret_ids()]})
        return self.item("execution-role", "aws_iam_role", "app", name=self.resource_name("execution"), assume_role_policy=TRUST_ECS_TASKS,
                         managed_policy_arns=[], inline_policies={"start-tasks": {"Version": "2012-10-17", "Statement": statements}})

    def task_role(self, exec_app: t.Optional[str] = None) -> t.Dict[str, t.Any]:
        """What the apps' code may do: read and write the environment's bucket, nothing else. An app with ECS Exec has a
        role of its own that may also open the session channels, so that no other app's tasks can."""
        inline = {}
        if self.aws["bucket"]:
            bucket = "arn:aws:s3:::%s" % self.aws["bucket_name"]
            inline["bucket"] = {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket]},
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": [bucket + "/*"]}]}
        if exec_app:
            # The SSM agent ECS runs beside the app opens these; they name no resource, so none can be given.
            inline["exec"] = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": EXEC_ACTIONS, "Resource": ["*"]}]}
        return self.item(task_role_id(exec_app), "aws_iam_role", "app", name=task_role_name(self.env, exec_app),
                         assume_role_policy=TRUST_ECS_TASKS, managed_policy_arns=[], inline_policies=inline)

    def load_balancer(self) -> t.List[t.Dict[str, t.Any]]:
        """One load balancer for the web apps. Its idle timeout is one for all: the longest any app needs."""
        apps = self.env.web_apps()
        items = [self.item("alb", "aws_load_balancer", "app", name=self.name, scheme="internet-facing",
                           subnets=["${subnet-public-a.id}", "${subnet-public-b.id}"], security_groups=["${sg-alb.id}"],
                           idle_timeout=max(app["idle_timeout"] for app in apps), wait=self.aws["wait"])]
        for app in apps:
            # A task leaving in a deploy keeps serving its open requests as long as they may stay idle, so that it does
            # not cut a stream short (target groups drain for at most an hour).
            group = self.item("tg-" + app["name"], "aws_target_group", "app", name=target_group_name(self.env, app),
                              port=app["port"], vpc_id="${vpc.id}", target_type="ip",
                              deregistration_delay=min(app["idle_timeout"], MAX_DRAIN_SECONDS),
                              health_check={"path": app["health_path"], "matcher": "200-399"},
                              stickiness={"enabled": app["sticky"], "duration": STICKY_SECONDS})
            items.append(dict(group, app=app["name"]))
        return items + self.listeners(apps)

    def listeners(self, apps: t.List[t.Dict[str, t.Any]]) -> t.List[t.Dict[str, t.Any]]:
        """The load balancer's listeners, routing to these web apps."""
        routing = self.routing(apps)
        if not self.env.https:
            return [self.item(LISTENERS[80], "aws_listener", "app", tagged=False, load_balancer_arn="${alb.arn}", port=80, **routing)]
        return [self.item(LISTENERS[443], "aws_listener", "app", tagged=False, load_balancer_arn="${alb.arn}", port=443,
                          protocol="HTTPS", certificate_arn=self.aws["certificate_arn"], ssl_policy=self.aws["ssl_policy"], **routing),
                self.item(LISTENERS[80], "aws_listener", "app", tagged=False, load_balancer_arn="${alb.arn}", port=80,
                          redirect_to_https=True, rules=[])]

    @staticmethod
    def routing(apps: t.List[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
        """The app without a path takes what no rule matches; each app with a path gets a rule, in the apps' order."""
        default = next((app for app in apps if not app.get("path")), None)
        rules = [{"priority": 10 * (index + 1), "path_patterns": [app["path"]], "target_group_arn": "${tg-%s.arn}" % app["name"]}
                 for index, app in enumerate(app for app in apps if app.get("path"))]
        routing: t.Dict[str, t.Any] = {"rules": rules}
        if default:
            routing["target_group_arn"] = "${tg-%s.arn}" % default["name"]
        else:
            routing["fixed_response"] = {"status_code": "404", "content_type": "text/plain", "message_body": "not found"}
        return routing

    def listener_id(self) -> str:
        return LISTENERS[443] if self.env.https else LISTENERS[80]

    # ---- one app
    def app(self, app: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        items = [self.item("logs-" + app["name"], "aws_log_group", "app", name="/ecs/%s/%s" % (self.name, app["name"]),
                           retention_days=self.aws["log_retention_days"])]
        owns = self.owners.get(app["name"]) == app["name"]
        # A repository for the image built here, unless another registry takes it; one per app given an image, to push to.
        if self.aws["ecr"] and (owns and not self.aws["registry"] or app.get("image")):
            items.append(self.item("ecr-" + app["name"], "aws_ecr_repository", "image", name="%s/%s" % (self.name, app["name"])))
        if owns:
            items.append(self.image(app["name"]))
        if app["exec"]:
            items.append(self.task_role(app["name"]))
        items += self.task_and_service(app, "web")
        if app["kind"] == "celery" and app["beat"]:
            items += self.task_and_service(app, "beat")
        for job in self.env.jobs_of(app):
            items += self.job(app, job)
        # The app's name selects all of them (agno_limit, restart, the app roles).
        return owned_by(app["name"], items)

    def repository(self, owner: str) -> str:
        """Where the image built from the source of app ``owner`` is pushed: its ECR repository, or aws.registry."""
        if self.aws["registry"]:
            return registry_repository(self.aws["registry"], self.name, owner)
        return "${ecr-%s.uri}" % owner

    def image(self, owner: str) -> t.Dict[str, t.Any]:
        """The image of app ``owner``'s source, built from the context the docker target would stage for it (the same
        Dockerfile and build hash), pushed under a tag of that hash unless the registry has it."""
        pushed = DockerBlueprint(self.env).pushed(owner, self.repository(owner))
        login = self.registry_login()
        return dict(pushed, params=dict(pushed["params"], registry_auth=login)) if login else pushed

    def registry_login(self) -> t.Optional[t.Dict[str, t.Any]]:
        """How the pushes log in: to ECR with the run's AWS credentials, to aws.registry with registry_auth or not at all."""
        if not self.aws["registry"]:
            return {"ecr": True}
        auth = self.aws["registry_auth"]
        return {"username": auth["username"], "password": "${secrets.%s}" % auth["password_secret"]} if auth else None

    def task(self, app: t.Dict[str, t.Any], name: str, command: t.List[str], served: bool) -> t.Dict[str, t.Any]:
        """Task definition ``name`` of the app's container running ``command``; ``served``: the app's own process, with
        its port (a web app's) and its health check."""
        cpu, memory = fargate_size(app)
        container: t.Dict[str, t.Any] = {
            "name": app["name"], "image": pushed_image(app, self.owners, self.repository), "command": command,
            # As given: the task definition type writes booleans as true / false (str() would give Python's True).
            "environment": dict(self.connection_env(app["uses"]), **app["env"]),
            "secrets": self.container_secrets(app), "user": app["user"],
            "log_configuration": {"log_group": "${logs-%s.name}" % app["name"], "stream_prefix": name},
        }
        if served and app["port"]:
            container["ports"] = [app["port"]]
        if served:
            container["health_check"] = self.health_check(app)
        return self.item("task-" + name, "aws_ecs_task_definition", "app", family=self.resource_name(name), cpu=cpu, memory=memory,
                         execution_role_arn="${execution-role.arn}", task_role_arn=self.task_role_arn(app), containers=[container])

    @staticmethod
    def task_role_arn(app: t.Dict[str, t.Any]) -> str:
        """The role the app's tasks run with: its own with ECS Exec, else the one the apps share."""
        return "${%s.arn}" % task_role_id(app["name"] if app["exec"] else None)

    @staticmethod
    def data_services(app: t.Dict[str, t.Any]) -> t.List[str]:
        """The items of the data services the app uses, which its processes start after."""
        return [dependency for dependency in ("postgres", "redis") if dependency in app["uses"]]

    def task_and_service(self, app: t.Dict[str, t.Any], role: str) -> t.List[t.Dict[str, t.Any]]:
        name = app["name"] if role == "web" else app["name"] + "-beat"
        web = role == "web" and app["port"]
        task = self.task(app, name, list(app["command"]) if role == "web" else beat_command(app), role == "web")
        service: t.Dict[str, t.Any] = {
            "name": name, "cluster": "${cluster.name}", "task_definition": "${task-%s.arn}" % name,
            "desired_count": 1 if role == "beat" else app["replicas"], "subnets": self.private_subnets(),
            "security_groups": ["${sg-app.id}"], "assign_public_ip": False, "propagate_tags": "SERVICE", "enable_execute_command": app["exec"],
            "wait": self.aws["wait"], "wait_timeout": 900,
        }
        depends_on = self.data_services(app)
        if self.env.migrate:
            depends_on.append("migrate")  # the services roll once the migration of the new revision has run
        if web:
            service["load_balancers"] = [{"target_group_arn": "${tg-%s.arn}" % app["name"], "container_name": app["name"],
                                          "container_port": app["port"]}]
            service["health_check_grace_period_seconds"] = 60
            # ECS accepts a target group only once a listener forwards to it.
            depends_on.append(self.listener_id())
        scaled = role == "web" and bool(app.get("autoscaling"))
        if scaled:
            service["desired_count_on_create_only"] = True  # the scaler moves the count between replicas and max_replicas
        # Running tasks keep the secret values they started with: a changed one redeploys the service.
        items = [task, dict(self.item("service-" + name, "aws_ecs_service", "app", depends_on, **service),
                            refresh_on=sorted(set(self.secret_sources(app).values())))]
        if scaled:
            items.append(self.scaling(app))
        return items

    def job(self, app: t.Dict[str, t.Any], job: t.Dict[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
        """A job: a task definition of its own (the app's, with the job's command: what its role may run, and what the
        discovery finds of a removed job), the role the scheduler runs it with, and its schedule."""
        part = "job-" + job["name"]
        task = self.task(app, part, list(job["command"]), False)
        # It may start this definition in this cluster, and hand ECS the definition's two roles: nothing else.
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": ["${task-%s.arn}" % part],
             "Condition": {"ArnEquals": {"ecs:cluster": "${cluster.arn}"}}},
            {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": ["${execution-role.arn}", self.task_role_arn(app)],
             "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}]}
        role = self.item("role-" + part, "aws_iam_role", "app", name=self.resource_name(part), assume_role_policy=TRUST_SCHEDULER,
                         managed_policy_arns=[], inline_policies={"run-task": policy})
        schedule = self.item(part, "aws_scheduler_schedule", "app", tagged=False, name=self.resource_name(part),
                             schedule_expression=jobs.aws_expression(job["schedule"]),
                             description=owned_description("agno.infra job %s of app %s" % (job["name"], app["name"]), self.name, part),
                             cluster_arn="${cluster.arn}", task_definition="${task-%s.arn}" % part, role_arn="${role-%s.arn}" % part,
                             subnets=self.private_subnets(), security_groups=["${sg-app.id}"])
        return [task, role, schedule]

    def scaling(self, app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        """Target tracking between the app's replicas and max_replicas, on CPU and, if given, memory."""
        settings = app["autoscaling"]
        params = {"cluster": "${cluster.name}", "service": "${service-%s.name}" % app["name"], "min_capacity": app["replicas"],
                  "max_capacity": settings["max_replicas"], "target_cpu": settings["target_cpu"]}
        if settings.get("target_memory"):
            params["target_memory"] = settings["target_memory"]
        return self.item(scaling_id("service-" + app["name"]), "aws_autoscaling", "app", tagged=False, **params)

    @staticmethod
    def health_check(app: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        probe = health_probe(app)
        if isinstance(probe, str):
            return {"command": probe, "interval": 30, "timeout": 15, "retries": 3, "start_period": 30}
        return {"command": ["CMD"] + probe, "interval": 15, "timeout": 5, "retries": 3, "start_period": 30}

    def connection_env(self, services: t.List[str]) -> t.Dict[str, str]:
        """Postgres at its endpoint, apps behind the load balancer (Redis's URL holds its token: see container_secrets)."""
        return connection_env(self.env, services, None, "${postgres.endpoint}", lambda app: load_balancer_url(self.env, app, "${alb.dns_name}"))

    def container_secrets(self, app: t.Dict[str, t.Any]) -> t.Dict[str, str]:
        """Variables ECS fills from Secrets Manager when the task starts: values never sit in the task definition."""
        return {variable: "${%s.arn}" % item_id for variable, item_id in self.secret_sources(app).items()}

    @staticmethod
    def secret_sources(app: t.Dict[str, t.Any]) -> t.Dict[str, str]:
        """The app's secret variables and the ids of the aws_secret items that hold them."""
        found = {}
        if "postgres" in app["uses"]:
            found.update(DB_PASSWORD="secret-db-password", DATABASE_URL="secret-database-url")
        if "redis" in app["uses"]:
            found.update(redis_settings("secret-redis-url"))
        for variable, secret in app["secret_env"].items():
            found[variable] = "secret-" + secret
        return found
