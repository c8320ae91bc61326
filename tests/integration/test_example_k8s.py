"""The example agent app's k8s environment on the Kubernetes kit, through the collection's playbooks: up with every pod
Ready under the restricted profile, a note round-tripped through Postgres, a rerun that writes nothing (the API server's
audit log), a checked then applied image change, an app removed and pruned, down keeping the claims, delete_data.

The images are built here with the docker target's build contexts and loaded into the kit's node (it pulls nothing);
Service names resolve through k8s_dns (the kit has no cluster DNS nor kube-proxy).
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import subprocess
import sys
import time
import typing as t

import pytest
import yaml

from example_app import http
from harness import COLLECTIONS, ROOT, edited_inventory, run_playbook, secret, shown_lines, status_table
from k8s_dns import ServiceDns

sys.path.insert(0, str(COLLECTIONS))
from ansible_collections.agno.infra.plugins.module_utils._environment import audit_k8s, model  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._k8s import fields  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.k8s

INVENTORY = ROOT / "examples" / "agent-app" / "inventory" / "k8s.yml"
ENV_NAME = "agent-app-k8s-it"
PASSWORD = secret("dev-only-password")
# How a Secret's data carries it.
ENCODED = secret(base64.b64encode(PASSWORD.encode()).decode())
WRITES = ("create", "update", "patch", "delete", "deletecollection")
COMPONENTS = ("api", "ui", "postgres", "redis")
LOG_LINES_TASK = "TASK [Show the log lines, newest last]"
RUN_LINES_TASK = "TASK [Show the command's output]"
# What a one-off command runs with: the app's secret (masked in the output) and its user.
PROBE = "import os; print('password', os.environ['DB_PASSWORD']); print('ran as uid', os.getuid())"


class Kit(t.NamedTuple):
    env: t.Dict[str, str]
    directory: pathlib.Path

    def kubectl(self, *args: str) -> t.Any:
        done = subprocess.run(["kubectl", "--kubeconfig", self.env["KUBECONFIG"], "-n", ENV_NAME] + list(args) + ["-o", "json"],
                              capture_output=True, text=True, check=True, timeout=60)
        return json.loads(done.stdout)

    def audit_lines(self) -> int:
        with open(self.env["AGNO_K8S_AUDIT"], "rb") as log:
            return sum(1 for _line in log)

    def requests_since(self, start: int) -> t.List[t.Dict[str, t.Any]]:
        with open(self.env["AGNO_K8S_AUDIT"], encoding="utf-8") as log:
            lines = log.readlines()[start:]
        return [entry for entry in map(json.loads, lines) if entry.get("user", {}).get("username") == "k8skit-admin"
                and entry.get("stage") == "ResponseComplete"]


def writes(requests: t.List[t.Dict[str, t.Any]]) -> t.List[str]:
    return ["%s %s" % (entry["verb"], entry["requestURI"]) for entry in requests
            if entry["verb"] in WRITES and "dryRun=All" not in entry["requestURI"]]


def build_images(tag: str) -> t.Dict[str, str]:
    """The example's images built from the contexts the docker target stages (apps with our Dockerfile, Postgres, Redis)."""
    docker = {"extra_ca_certificates": ["/usr/local/share/ca-certificates"], "build_dir": str(ROOT / ".build" / "k8s-images")}
    raw = {"name": ENV_NAME, "target": "docker", "docker": docker,
           "postgres": {"pgvector": True}, "redis": {},
           "apps": [{"name": name, "kind": kind, "source": str(ROOT / "examples" / "agent-app" / name)}
                    for name, kind in (("api", "fastapi"), ("ui", "streamlit"))]}
    blueprint = DockerBlueprint(model.environment(raw))
    blueprint.stage(set(COMPONENTS))
    images = {}
    for component in COMPONENTS:
        images[component] = "%s/%s:%s" % (ENV_NAME, component, tag)
        arguments = ["--build-arg", "PGVECTOR=1"] if component == "postgres" else []
        subprocess.run(["docker", "build", "-q", "-t", images[component]] + arguments + [blueprint.context(component)],
                       check=True, capture_output=True, timeout=1200)
    return images


def load(kit: Kit, images: t.Iterable[str]) -> None:
    saved = subprocess.run(["docker", "save"] + list(images), capture_output=True, check=True, timeout=600).stdout
    subprocess.run(["ctr", "--address", str(kit.directory / "containerd" / "containerd.sock"), "-n", "k8s.io", "images", "import", "-"],
                   input=saved, capture_output=True, check=True, timeout=600)


def uid(image: str) -> str:
    return subprocess.run(["docker", "run", "--rm", "--entrypoint", "id", image, "-u"], capture_output=True, text=True,
                          check=True, timeout=120).stdout.strip()


def volumes(kit: Kit, uids: t.Dict[str, str]) -> None:
    """A hostPath PersistentVolume per claim (the kit has no provisioner), owned by the service's user."""
    for service, size in (("postgres", "1Gi"), ("redis", "1Gi")):
        path = kit.directory / "volumes" / service
        subprocess.run(["rm", "-rf", str(path)], check=True)
        path.mkdir(parents=True)
        subprocess.run(["chown", "%s:%s" % (uids[service], uids[service]), str(path)], check=True)
        volume = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "%s-%s" % (ENV_NAME, service)},
                  "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"], "storageClassName": "agno-it",
                           "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": str(path)},
                           "claimRef": {"namespace": ENV_NAME, "name": service + "-data"}}}
        subprocess.run(["kubectl", "--kubeconfig", kit.env["KUBECONFIG"], "apply", "-f", "-"], input=json.dumps(volume),
                       capture_output=True, text=True, check=True, timeout=60)


def clean(kubeconfig: str) -> None:
    """No namespace nor volume of an earlier run."""
    for kind, name in [("namespace", ENV_NAME)] + [("pv", "%s-%s" % (ENV_NAME, service)) for service in ("postgres", "redis")]:
        subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "delete", kind, name, "--ignore-not-found", "--wait"],
                       capture_output=True, check=True, timeout=300)


@pytest.fixture(scope="module")
def kit(kube_env: t.Dict[str, str]) -> t.Iterator[Kit]:
    directory = pathlib.Path(kube_env["KUBECONFIG"]).parent
    if not (directory / "containerd" / "containerd.sock").exists() or not kube_env["AGNO_K8S_AUDIT"]:
        pytest.skip("the example is loaded into the kit's node: KUBECONFIG names another cluster")
    clean(kube_env["KUBECONFIG"])
    dns = ServiceDns(kube_env["KUBECONFIG"], ENV_NAME).start()
    try:
        yield Kit(kube_env, directory)
    finally:
        dns.stop()
        clean(kube_env["KUBECONFIG"])


def play(kit: Kit, name: str, *args: str, inventory: pathlib.Path = INVENTORY, **extra: str) -> t.Any:
    run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=inventory, env=kit.env,
                       extra_vars=dict(kit_vars(), **extra), timeout=1800)
    return run


VARS: t.Dict[str, str] = {}


def kit_vars() -> t.Dict[str, str]:
    return dict(VARS, agno_env_name=ENV_NAME, agno_storage_class="agno-it", agno_api_replicas="1")


def pods(kit: Kit) -> t.List[t.Dict[str, t.Any]]:
    return [pod for pod in kit.kubectl("get", "pods")["items"] if not pod["metadata"].get("deletionTimestamp")]


def ready(pod: t.Dict[str, t.Any]) -> bool:
    return any(item["type"] == "Ready" and item["status"] == "True" for item in pod["status"].get("conditions") or [])


def api_url(kit: Kit) -> str:
    api = [pod for pod in pods(kit) if pod["metadata"]["labels"].get("app.kubernetes.io/name") == "api" and ready(pod)]
    assert api, [pod["metadata"]["name"] for pod in pods(kit)]
    return "http://%s:8000" % api[0]["status"]["podIP"]


def manifests(folder: pathlib.Path) -> t.Dict[str, str]:
    """The digest of each file render wrote."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def resource(obj: t.Dict[str, t.Any]) -> str:
    """What kubectl get names an object by: deployment.apps/api, service/api."""
    group = obj["apiVersion"].rpartition("/")[0]
    return "%s%s/%s" % (obj["kind"].lower(), "." + group if group else "", obj["metadata"]["name"])


def check_render(kit: Kit, folder: pathlib.Path) -> None:
    """render writes what up applied, one file per object, the same bytes on a rerun; Secrets only when asked for."""
    rendered = play(kit, "render", agno_render_dir=str(folder), agno_render_secrets="true")
    assert rendered.rc == 0, rendered.failures()
    first = manifests(folder)
    objects = {name: yaml.safe_load((folder / name).read_text()) for name in first}
    for name, obj in objects.items():
        live = kit.kubectl("get", resource(obj))
        assert fields.matches(fields.content(obj), live), name
    hidden = (PASSWORD, ENCODED)
    assert [name for name, obj in objects.items() if any(value in (folder / name).read_text() for value in hidden)] == [
        name for name, obj in objects.items() if obj["kind"] == "Secret"] != []
    assert all((folder / name).stat().st_mode & 0o077 == 0 for name, obj in objects.items() if obj["kind"] == "Secret")
    again = play(kit, "render", agno_render_dir=str(folder), agno_render_secrets="true")
    assert again.rc == 0 and again.recap["changed"] == 0 and manifests(folder) == first, again.tail(20)
    plain = play(kit, "render", agno_render_dir=str(folder))
    assert plain.rc == 0 and sorted(manifests(folder)) == sorted(name for name, obj in objects.items() if obj["kind"] != "Secret")
    assert not any(value in (folder / name).read_text() for name in manifests(folder) for value in hidden)


def check_operations(kit: Kit) -> None:
    """logs reads the app's pods; run is a Job made from the app's Deployment, waited for and deleted in every case."""
    logged = play(kit, "logs", agno_app="api", agno_grep="/notes")
    assert logged.rc == 0, logged.failures()
    lines = shown_lines(logged, LOG_LINES_TASK)
    assert lines and all(line.startswith("api-") for line in lines), lines
    assert any('"POST /notes HTTP/1.1" 200' in line for line in lines), lines
    probed = play(kit, "run", "-e", json.dumps({"agno_app": "api", "agno_command": ["python", "-c", PROBE]}))
    assert probed.rc == 0, probed.tail(40)
    shown = shown_lines(probed, RUN_LINES_TASK)
    assert shown[0] == "password ********" and shown[1].startswith("ran as uid ") and shown[1] != "ran as uid 0", shown
    failed = play(kit, "run", "-e", json.dumps({"agno_app": "worker", "agno_command": "python -c 'import sys; print(\"no queue\"); sys.exit(3)'"}))
    assert failed.rc != 0 and shown_lines(failed, RUN_LINES_TASK) == ["no queue"], failed.tail(40)
    assert "in app worker (job worker-run-" in failed.output and "exited with 3" in failed.output
    late = play(kit, "run", "-e", json.dumps({"agno_app": "api", "agno_command": ["sleep", "60"], "agno_run_timeout": 5}))
    assert late.rc != 0 and "The command sleep 60 was still running after 5 s in Job api-run-" in late.output, late.tail(40)
    assert [job["metadata"]["name"] for job in kit.kubectl("get", "jobs")["items"] if not job["metadata"].get("deletionTimestamp")] == []


def test_the_example_on_kubernetes(kit: Kit, tmp_path: pathlib.Path) -> None:
    started = time.monotonic()
    images = build_images("1")
    subprocess.run(["docker", "tag", images["ui"], images["ui"].replace(":1", ":2")], check=True)
    load(kit, list(images.values()) + [images["ui"].replace(":1", ":2")])
    uids = {service: uid(images[service]) for service in ("postgres", "redis")}
    volumes(kit, uids)
    VARS.update(agno_api_image=images["api"], agno_ui_image=images["ui"], agno_postgres_image=images["postgres"],
                agno_redis_image=images["redis"], agno_postgres_uid=uids["postgres"], agno_redis_uid=uids["redis"])
    prepared = time.monotonic()

    up = play(kit, "up")
    assert up.rc == 0, up.failures() or up.tail(80)
    up_seconds = time.monotonic() - prepared
    live = pods(kit)
    assert live and all(ready(pod) for pod in live), [(pod["metadata"]["name"], pod["status"].get("phase")) for pod in live]
    assert sorted({pod["metadata"]["labels"]["app.kubernetes.io/name"] for pod in live}) == ["api", "postgres", "redis", "ui", "worker"]
    # Admitted by a namespace that enforces the restricted profile, and checked here once more.
    assert kit.kubectl("get", "namespace", ENV_NAME)["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {pod["metadata"]["name"]: audit_k8s.pod_problems(pod["spec"]) for pod in live if audit_k8s.pod_problems(pod["spec"])} == {}
    workloads = kit.kubectl("get", "deployments,statefulsets,cronjobs")["items"]
    assert PASSWORD not in json.dumps(workloads)
    assert all("value" not in entry or not entry["name"].endswith(("PASSWORD", "DATABASE_URL")) for workload in workloads
               for container in workload["spec"]["template"]["spec"]["containers"] for entry in container.get("env") or [])
    url = api_url(kit)
    assert http(url + "/health")["status"] == "ok"
    assert http(url + "/notes", {"text": "through postgres"})["text"] == "through postgres"
    assert "through postgres" in [note["text"] for note in http(url + "/notes")]

    mark = kit.audit_lines()
    rerun = play(kit, "up")
    assert rerun.rc == 0 and rerun.recap["changed"] == 0, rerun.tail(60)
    # The collection's requests (the Python client's), not the test's kubectl nor k8s_dns's.
    requests = [entry for entry in kit.requests_since(mark) if not entry.get("userAgent", "").startswith("kubectl")]
    assert writes(kit.requests_since(mark)) == []
    objects = len(kit.kubectl("get", "all,secrets,serviceaccounts,ingresses,networkpolicies,pvc,pdb,hpa")["items"])
    verbs = sorted({"%s%s" % (entry["verb"], " (dry-run)" if "dryRun=All" in entry["requestURI"] else "") for entry in requests})
    print("k8s example: prepared in %.0f s, up in %.0f s; no-op rerun: %d requests for %d objects: %s" % (
        prepared - started, up_seconds, len(requests), objects, ", ".join(
            "%d %s" % (sum(1 for entry in requests if "%s%s" % (entry["verb"], " (dry-run)" if "dryRun=All" in entry["requestURI"] else "")
                           == verb), verb) for verb in verbs)))
    print("dry-run: " + ", ".join(entry["requestURI"].split("?")[0] for entry in requests if "dryRun=All" in entry["requestURI"]))

    mark = kit.audit_lines()
    status = play(kit, "status")
    assert status.rc == 0, status.failures()
    table = status_table(status.output)
    assert {item_id: row[1] for item_id, row in table.items() if row[1] != "in sync"} == {}
    assert {item_id: row[2] for item_id, row in table.items() if row[2]} == {
        "api": "1/1 ready", "worker": "1/1 ready", "ui": "1/1 ready", "postgres": "1/1 ready", "redis": "1/1 ready"}, status.tail(60)
    check_render(kit, tmp_path / "manifests")
    assert writes(kit.requests_since(mark)) == []
    check_operations(kit)

    mark = kit.audit_lines()
    check = play(kit, "up", "--check", "--diff", agno_ui_image=images["ui"].replace(":1", ":2"))
    assert check.rc == 0, check.failures()
    assert '"id": "ui"' in check.output and "(update)" in check.output or "1 to change" in check.output, check.tail(60)
    assert writes(kit.requests_since(mark)) == []
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == images["ui"]
    rolled = play(kit, "up", agno_ui_image=images["ui"].replace(":1", ":2"))
    assert rolled.rc == 0, rolled.failures()
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == images["ui"].replace(":1", ":2")
    assert all(ready(pod) for pod in pods(kit))
    VARS["agno_ui_image"] = images["ui"].replace(":1", ":2")
    restart = play(kit, "restart", agno_restart="api")
    assert restart.rc == 0, restart.failures()
    template = kit.kubectl("get", "deployment", "api")["spec"]["template"]
    assert "kubectl.kubernetes.io/restartedAt" in template["metadata"].get("annotations", {})
    assert all(ready(pod) for pod in pods(kit))

    without_ui = edited_inventory(INVENTORY, tmp_path, lambda env: env.update(apps=[app for app in env["apps"] if app["name"] != "ui"]))
    pruned = play(kit, "up", inventory=without_ui)
    assert pruned.rc == 0, pruned.failures()
    names = {entry["metadata"]["name"] for entry in kit.kubectl("get", "deployments,services,ingresses,serviceaccounts")["items"]}
    assert "ui" not in names and {"api", "worker", "postgres"} <= names
    trimmed = play(kit, "render", inventory=without_ui, agno_render_dir=str(tmp_path / "manifests"))
    assert trimmed.rc == 0 and not [name for name in manifests(tmp_path / "manifests") if name.endswith("-ui.yaml")], trimmed.tail(20)

    down = play(kit, "down", inventory=without_ui)
    assert down.rc == 0, down.failures()
    left = kit.kubectl("get", "all,secrets,ingresses,networkpolicies,pvc")["items"]
    assert sorted(entry["metadata"]["name"] for entry in left if entry["kind"] != "Secret" or entry["type"] == "Opaque") == [
        "postgres-data", "redis-data"]
    gone = play(kit, "down", inventory=without_ui, agno_delete_data="true")
    assert gone.rc == 0, gone.failures()
    namespaces = subprocess.run(["kubectl", "--kubeconfig", kit.env["KUBECONFIG"], "get", "namespace", ENV_NAME],
                                capture_output=True, text=True, check=False)
    assert namespaces.returncode != 0 and "NotFound" in namespaces.stderr
