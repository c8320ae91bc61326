"""The transition matrix: day-2 edits of the example environments, prd on a moto server, dev on the Docker engine and
k8s on the Kubernetes kit, each from the environment converged by the edit before it (see transitions.py for the
rules each edit is held to). Every run's predicted and applied actions, with the apply's mutating calls, are written
to .build/transitions-prd.md, .build/transitions-dev.md and .build/transitions-k8s.md."""

from __future__ import annotations

import copy
import datetime
import pathlib
import typing as t
import urllib.request

import pytest

from harness import ROOT, ready_images, secret
from k8s_kit import Kit, prepared, started
from transitions import Docker, Edit, Kube, Matrix, Moto, Spec, Transition

EXAMPLE = ROOT / "examples" / "agent-app" / "inventory"
PRD_PASSWORD, PRD_ROTATED = secret("matrix-prd:pa#ss%w?rd&1"), secret("matrix-prd:rotated#2&x")
# Read by the example once Redis has an AUTH token (issue 11's rotations).
REDIS_TOKEN = secret("matrix-redis-auth-token-0001")
DEV_PASSWORD, DEV_ROTATED = secret("matrix-dev-password-1"), secret("matrix-dev-rotated-2")
K8S_PASSWORD, K8S_ROTATED = secret("matrix-k8s-password-1"), secret("matrix-k8s-rotated-2")
API_KEY, API_KEY_ROTATED = secret("sk-matrix-key-one-0001"), secret("sk-matrix-key-two-0002")
UI_TOKEN, UI_TOKEN_ROTATED = secret("ui-matrix-token-one"), secret("ui-matrix-token-two")
DEV_NAME = "agent-app-mx"
K8S_NAME = "agent-app-k8s-mx"
Change = t.Callable[[Spec], None]


# ---- edits, as changes of the spec --------------------------------------------------------------
def both(*changes: Change) -> Change:
    def change(spec: Spec) -> None:
        for one in changes:
            one(spec)
    return change


def app_set(name: str, **values: t.Any) -> Change:
    def change(spec: Spec) -> None:
        spec.app(name).update(copy.deepcopy(values))
    return change


def section_set(path: str, **values: t.Any) -> Change:
    """Set keys of a section of agno_env, such as aws.postgres."""
    def change(spec: Spec) -> None:
        section = spec.env
        for key in filter(None, path.split(".")):
            section = section.setdefault(key, {})
        section.update(copy.deepcopy(values))
    return change


def variable_set(**values: t.Any) -> Change:
    def change(spec: Spec) -> None:
        spec.variables.update(copy.deepcopy(values))
    return change


def secret_set(**values: str) -> Change:
    def change(spec: Spec) -> None:
        spec.variables["agno_secrets"] = dict(spec.variables["agno_secrets"], **values)
    return change


def environ_set(**values: str) -> Change:
    def change(spec: Spec) -> None:
        spec.environ.update(values)
    return change


def app_added(app: t.Dict[str, t.Any]) -> Change:
    def change(spec: Spec) -> None:
        spec.env["apps"].append(copy.deepcopy(app))
    return change


def app_removed(*names: str) -> Change:
    def change(spec: Spec) -> None:
        spec.env["apps"] = [app for app in spec.env["apps"] if app["name"] not in names]
    return change


def app_renamed(old: str, new: str, **values: t.Any) -> Change:
    def change(spec: Spec) -> None:
        spec.app(old).update(dict(copy.deepcopy(values), name=new))
    return change


def app_resources(name: str, action: str, data: t.Tuple[str, ...] = ("delete", "keep")) -> t.Dict[str, t.Any]:
    """What adding (create) or removing (delete) a web app on aws does to its own resources; removing keeps or deletes
    its log group and repository (they hold logs and images)."""
    own = {"task-" + name: action, "service-" + name: action, "tg-" + name: action}
    kept = {"logs-" + name: action, "ecr-" + name: action} if action == "create" else {"logs-" + name: data, "ecr-" + name: data}
    return dict(own, **kept)


def all_apps(*resources: str) -> t.Dict[str, str]:
    return {"%s-%s" % (resource, app): "update" for resource in resources for app in ("api", "worker", "ui")}


ADMIN = {"name": "admin", "kind": "fastapi", "module": "main:app", "path": "/admin/*",
         "image": "{{ agno_image_registry | default('123456789012.dkr.ecr.us-east-1.amazonaws.com') }}/agent-app-prd/api:1"}
API_REDEPLOY = {"task-api": "update", "service-api": "update"}
APPS_REDEPLOY = all_apps("task", "service")
PRD_EDITS = [
    Edit("env-var", app_set("api", env={"LOG_LEVEL": "debug"}), API_REDEPLOY),
    Edit("secret-added", both(app_set("api", secret_env={"OPENAI_API_KEY": "openai_api_key"}), secret_set(openai_api_key=API_KEY)),
         dict(API_REDEPLOY, **{"secret-openai_api_key": "create", "execution-role": "update"})),
    Edit("secret-value", secret_set(openai_api_key=API_KEY_ROTATED), {"secret-openai_api_key": "update", "service-api": "update"}),
    Edit("db-password", environ_set(AGNO_DB_PASSWORD=PRD_ROTATED),
         {"postgres": "update", "secret-db-password": "update", "secret-database-url": "update", "service-api": "update"}),
    Edit("image-tag", variable_set(agno_image_tag="2"), APPS_REDEPLOY),
    Edit("replicas", app_set("worker", replicas=3), {"service-worker": "update"}),
    Edit("cpu-memory", app_set("ui", cpus=0.5, memory="1g"), {"task-ui": "update", "service-ui": "update"}),
    Edit("autoscaling-max", app_set("api", autoscaling={"max_replicas": 8, "target_cpu": 60}), {"scaling-api": "update"}),
    Edit("log-retention", section_set("aws", log_retention_days=90), all_apps("logs")),
    Edit("instance-class", section_set("aws.postgres", instance_class="db.t4g.medium"), {"postgres": "update"}),
    Edit("waiver", both(section_set("aws.postgres", backup_retention_period=0), section_set("", waivers=["AGNO-DB-004:postgres"])),
         {"postgres": "update"}),
    # Every app gets the URL of every web app (API_URL: scheme, load balancer, path), so a path or a certificate
    # redeploys them all, and a web app added, renamed or removed does too.
    Edit("path", app_set("api", path="/v1/*"), dict(APPS_REDEPLOY, **{"listener-http": "update"})),
    Edit("app-added", app_added(ADMIN), dict(APPS_REDEPLOY, **app_resources("admin", "create"), **{"listener-http": "update"})),
    Edit("app-renamed", app_renamed("admin", "console", path="/console/*"),
         dict(APPS_REDEPLOY, **app_resources("admin", "delete"), **app_resources("console", "create"), **{"listener-http": "update"})),
    # The renamed app, or the one before the rename if the rename was undone (it could not converge).
    Edit("app-removed", app_removed("console", "admin"), dict(APPS_REDEPLOY, **app_resources("console", "delete"), **{"listener-http": "update"})),
    Edit("certificate-on", section_set("aws", certificate_arn="{{ agno_matrix_certificate_arn }}"),
         dict(APPS_REDEPLOY, **{"listener-https": "create", "listener-http": "update", "sg-alb": "update"})),
    Edit("certificate-off", lambda spec: spec.env["aws"].pop("certificate_arn"),
         dict(APPS_REDEPLOY, **{"listener-https": "delete", "listener-http": "update", "sg-alb": "update"})),
    Edit("limit", app_set("worker", env={"LOG_LEVEL": "info"}), {"task-worker": "update", "service-worker": "update"},
         limit="worker", beyond_limit=app_set("api", env={"LOG_LEVEL": "warning"})),
    Edit("postgres-off", section_set("postgres", enabled=False),
         dict(API_REDEPLOY, **{"execution-role": "update", "postgres": "keep", "secret-db-password": ("keep", "delete"),
                               "secret-database-url": ("keep", "delete"), "db-subnets": ("keep", "delete"),
                               "sg-postgres": ("keep", "delete")})),
    Edit("postgres-on", section_set("postgres", enabled=True),
         dict(API_REDEPLOY, **{"execution-role": "update", "postgres": "none", "secret-db-password": ("none", "create"),
                               "secret-database-url": ("none", "create"), "db-subnets": ("none", "create"),
                               "sg-postgres": ("none", "create")})),
    # Last: moto keeps a deleted ElastiCache group in status deleting for ever, so Redis cannot come back.
    # With Redis's AUTH token, REDIS_URL is a secret too (secret-redis-url, which the execution role may read).
    Edit("redis-off", both(section_set("redis", enabled=False), app_set("worker", uses=[])),
         dict(API_REDEPLOY, **{"task-worker": "update", "service-worker": "update", "redis": ("keep", "delete"),
                               "sg-redis": ("keep", "delete"), "secret-redis-url": ("keep", "delete", "absent"),
                               "execution-role": ("update", "none")})),
]

CONTAINERS_RECREATED = {"api": "replace", "worker": "replace", "ui": "replace"}
API2 = {"name": "api2", "kind": "fastapi", "image": DEV_NAME + "/api:latest", "port": 8000, "host_port": 29010}
DEV_EDITS = [
    Edit("env-var", app_set("worker", env={"LOG_LEVEL": "debug"}), {"worker": "replace"}),
    Edit("secret-added", both(app_set("ui", secret_env={"UI_TOKEN": "ui_token"}), secret_set(ui_token=UI_TOKEN)), {"ui": "replace"}),
    Edit("secret-value", secret_set(ui_token=UI_TOKEN_ROTATED), {"ui": "replace"}),
    Edit("host-port", variable_set(agno_api_port="29002"), {"api": "replace"}),
    # Every app gets the URL of every web app (API2_URL): a web app added, renamed or removed recreates them all.
    Edit("app-added", app_added(API2), dict(CONTAINERS_RECREATED, api2="create")),
    Edit("app-renamed", app_renamed("api2", "api3"), dict(CONTAINERS_RECREATED, api2="delete", api3="create")),
    # The renamed app, or the one before the rename if the rename was undone (it could not converge).
    Edit("app-removed", app_removed("api3", "api2"), dict(CONTAINERS_RECREATED, api3="delete")),
    Edit("redis-port", section_set("redis", host_port=29379), {"redis": "replace"}),
    Edit("limit", app_set("worker", env={"LOG_LEVEL": "info"}), {"worker": "replace"},
         limit="worker", beyond_limit=app_set("api", env={"LOG_LEVEL": "warning"})),
    # Last: the running Postgres must take the new password, or the apps cannot log in from then on.
    Edit("db-password", environ_set(AGNO_DB_PASSWORD=DEV_ROTATED), {"postgres": ("update", "replace"), "api": "replace"}),
]

# Every app's pods get the URL of every web app (API2_URL): a web app added or removed rolls them all. A Secret's
# new value reaches the pods that read it by a rollout restart.
K8S_APPS_ROLLED = {"api": "update", "worker": "update", "ui": "update"}
K8S_API2 = {"name": "api2", "kind": "fastapi", "image": "{{ agno_api_image }}", "port": 8000, "cpus": 0.1}
K8S_API2_OBJECTS = ("api2-account", "api2-secrets", "api2", "api2-service", "api2-ingress", "api2-policy")
K8S_EDITS = [
    Edit("env-var", app_set("worker", env={"LOG_LEVEL": "debug"}), {"worker": "update"}),
    Edit("secret-added", both(app_set("ui", secret_env={"UI_TOKEN": "ui_token"}), secret_set(ui_token=UI_TOKEN)),
         {"ui-secrets": "create", "ui": "update"}),
    Edit("secret-value", secret_set(ui_token=UI_TOKEN_ROTATED), {"ui-secrets": "update", "ui": "update"}),
    Edit("image", lambda spec: spec.variables.update(agno_ui_image=spec.variables["agno_ui_image"].replace(":1", ":2")), {"ui": "update"}),
    Edit("cpu-memory", app_set("ui", cpus=0.2, memory="768m"), {"ui": "update"}),
    Edit("app-added", app_added(K8S_API2), dict(K8S_APPS_ROLLED, **{name: "create" for name in K8S_API2_OBJECTS})),
    Edit("app-removed", app_removed("api2"), dict(K8S_APPS_ROLLED, **{name: "delete" for name in K8S_API2_OBJECTS})),
    Edit("replicas", app_set("worker", replicas=2), {"worker": "update", "worker-pdb": "create"}),
    Edit("limit", app_set("worker", env={"LOG_LEVEL": "info"}), {"worker": "update"},
         limit="worker", beyond_limit=app_set("api", env={"LOG_LEVEL": "warning"})),
    # Postgres restarts to take the new password (the collection's image sets it at every start), then the api's pods
    # roll to read it from their Secret.
    Edit("db-password", environ_set(AGNO_DB_PASSWORD=K8S_ROTATED),
         {"postgres-secrets": "update", "postgres": "update", "api-secrets": "update", "api": "update"}),
]


# ---- the environments ---------------------------------------------------------------------------
def report_file(name: str) -> pathlib.Path:
    path = ROOT / ".build" / ("transitions-%s.md" % name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Transition matrix: %s\n\n" % name)
    return path


def self_signed_certificate(domain: str) -> t.Tuple[bytes, bytes]:
    """A certificate and its key, PEM, for ACM to import (an imported certificate is ISSUED at once)."""
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return certificate.public_bytes(serialization.Encoding.PEM), pem_key


@pytest.fixture(scope="module")
def prd(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """The example prd environment on a fresh moto state, converged, with an ACM certificate to turn HTTPS on with."""
    import boto3  # pylint: disable=import-outside-toplevel
    urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"), timeout=10).close()
    environ = {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "AKIAAGNOTEST00000000",
               "AWS_SECRET_ACCESS_KEY": secret("agno-test-secret-access-key"), "AWS_REGION": "us-east-1",
               "AWS_DEFAULT_REGION": "us-east-1", "AGNO_DB_PASSWORD": PRD_PASSWORD, "AGNO_REDIS_AUTH_TOKEN": REDIS_TOKEN}
    certificate, key = self_signed_certificate("app.example.com")
    acm = boto3.client("acm", endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id=environ["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key=environ["AWS_SECRET_ACCESS_KEY"])
    arn = acm.import_certificate(Certificate=certificate, PrivateKey=key)["CertificateArn"]
    spec = Spec.example(ready_images(), environ, agno_matrix_certificate_arn=arn)
    matrix = Matrix(Moto(moto_url), spec, tmp_path_factory.mktemp("prd"), report_file("prd"))
    matrix.converge()
    return matrix


def remove_dev_objects() -> None:
    """Everything named after the dev matrix's environment: also what an unpruned edit left behind."""
    import docker  # pylint: disable=import-outside-toplevel
    client = docker.from_env()
    for container in client.containers.list(all=True, filters={"name": DEV_NAME + "-"}):
        container.remove(force=True)
    for network in client.networks.list(names=[DEV_NAME]):
        network.remove()
    for volume in client.volumes.list(filters={"name": DEV_NAME + "-"}):
        volume.remove(force=True)


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Matrix]:
    """The example dev environment under its own name and ports (beside test_example_dev's), converged."""
    remove_dev_objects()
    spec = Spec.example(EXAMPLE / "dev.yml", {"AGNO_DB_PASSWORD": DEV_PASSWORD},
                        agno_env_name=DEV_NAME, agno_api_port="29000", agno_ui_port="29501")
    # api2 runs the api's image as a ready image: with reload on (the example's dev setting), that image holds no code.
    section_set("docker", reload=False)(spec)
    matrix = Matrix(Docker(DEV_NAME), spec, tmp_path_factory.mktemp("dev"), report_file("dev"))
    try:
        matrix.converge()
        yield matrix
    finally:
        remove_dev_objects()


@pytest.fixture(scope="module")
def k8s_kit(kube_env: t.Dict[str, str]) -> t.Iterator[Kit]:
    yield from started(kube_env, K8S_NAME)


@pytest.fixture(scope="module")
def k8s(k8s_kit: Kit, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """The example k8s environment in a namespace of its own on the kit, its images loaded, converged."""
    spec = Spec.example(EXAMPLE / "k8s.yml", {"KUBECONFIG": k8s_kit.env["KUBECONFIG"], "AGNO_DB_PASSWORD": K8S_PASSWORD}, agno_env_name=K8S_NAME,
                        agno_storage_class="agno-it", agno_api_replicas="1", **prepared(k8s_kit))
    matrix = Matrix(Kube(k8s_kit.env["AGNO_K8S_AUDIT"]), spec, tmp_path_factory.mktemp("k8s"), report_file("k8s"))
    matrix.converge()
    return matrix


def check(matrix: Matrix, edit: Edit) -> Transition:
    transition = matrix.transition(edit)
    problems = transition.problems()
    assert not problems, "\n".join(["edit %s:" % edit.name] + ["- " + problem for problem in problems] + ["", transition.table()])
    return transition


@pytest.mark.aws
@pytest.mark.parametrize("edit", PRD_EDITS, ids=[edit.name for edit in PRD_EDITS])
def test_prd_transition(prd: Matrix, edit: Edit) -> None:
    check(prd, edit)


@pytest.mark.docker
@pytest.mark.parametrize("edit", DEV_EDITS, ids=[edit.name for edit in DEV_EDITS])
def test_dev_transition(dev: Matrix, edit: Edit) -> None:
    check(dev, edit)


@pytest.mark.k8s
@pytest.mark.parametrize("edit", K8S_EDITS, ids=[edit.name for edit in K8S_EDITS])
def test_k8s_transition(k8s: Matrix, edit: Edit) -> None:
    check(k8s, edit)
