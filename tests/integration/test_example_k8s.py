"""The example agent app's k8s environment on the Kubernetes kit, through the collection's playbooks: up with every pod
Ready under the restricted profile, a note round-tripped through Postgres, a rerun that writes nothing (the API server's
audit log), status and render, logs and one-off runs, a checked then applied image change, a rollback and the up that
restores it, a rollout restart the next up leaves alone, an app removed and pruned, down keeping the claims, delete_data (k8s_kit prepares the kit).
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import subprocess
import time
import typing as t

import pytest
import yaml

from example_app import http
from harness import ROOT, edited_inventory, run_playbook, secret, shown_lines, status_table
from k8s_kit import Kit, prepared, started, writes

# k8s_kit has put the collection on the path.
from ansible_collections.agno.infra.plugins.module_utils._environment import audit_k8s  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._k8s import fields  # noqa: E402  pylint: disable=wrong-import-position

pytestmark = pytest.mark.k8s

INVENTORY = ROOT / "examples" / "agent-app" / "inventory" / "k8s.yml"
ENV_NAME = "agent-app-k8s-it"
PASSWORD = secret("dev-only-password")
# How a Secret's data carries it.
ENCODED = secret(base64.b64encode(PASSWORD.encode()).decode())
LOG_LINES_TASK = "TASK [Show the log lines, newest last]"
RUN_LINES_TASK = "TASK [Show the command's output]"
# What a one-off command runs with: the app's secret (masked in the output) and its user.
PROBE = "import os; print('password', os.environ['DB_PASSWORD']); print('ran as uid', os.getuid())"


@pytest.fixture(scope="module")
def kit(kube_env: t.Dict[str, str]) -> t.Iterator[Kit]:
    yield from started(kube_env, ENV_NAME)


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
    VARS.update(prepared(kit))
    ready_at = time.monotonic()

    up = play(kit, "up")
    assert up.rc == 0, up.failures() or up.tail(80)
    up_seconds = time.monotonic() - ready_at
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
    requests = kit.requests_since(mark)
    assert writes(requests) == []
    objects = len(kit.kubectl("get", "all,secrets,serviceaccounts,ingresses,networkpolicies,pvc,pdb,hpa")["items"])
    verbs = sorted({"%s%s" % (entry["verb"], " (dry-run)" if "dryRun=All" in entry["requestURI"] else "") for entry in requests})
    print("k8s example: prepared in %.0f s, up in %.0f s; no-op rerun: %d requests for %d objects: %s" % (
        ready_at - started, up_seconds, len(requests), objects, ", ".join(
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
    first_ui, second_ui = VARS["agno_ui_image"], VARS["agno_ui_image"].replace(":1", ":2")
    check = play(kit, "up", "--check", "--diff", agno_ui_image=second_ui)
    assert check.rc == 0, check.failures()
    assert '"id": "ui"' in check.output and "(update)" in check.output or "1 to change" in check.output, check.tail(60)
    assert writes(kit.requests_since(mark)) == []
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == first_ui
    rolled = play(kit, "up", agno_ui_image=second_ui)
    assert rolled.rc == 0, rolled.failures()
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == second_ui
    assert all(ready(pod) for pod in pods(kit))
    VARS["agno_ui_image"] = second_ui
    # A rollback runs the images of the ReplicaSet before the one the Deployment runs; the next up restores agno_env's.
    mark = kit.audit_lines()
    preview = play(kit, "rollback", "--check", agno_app="ui")
    assert preview.rc == 0 and writes(kit.requests_since(mark)) == [], preview.failures()
    rolled_back = play(kit, "rollback", agno_app="ui")
    assert rolled_back.rc == 0, rolled_back.failures()
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == first_ui
    restored = play(kit, "up")
    assert restored.rc == 0 and '"id": "ui"' in restored.output, restored.failures()
    assert kit.kubectl("get", "deployment", "ui")["spec"]["template"]["spec"]["containers"][0]["image"] == second_ui
    restart = play(kit, "restart", agno_restart="api")
    assert restart.rc == 0, restart.failures()
    api = kit.raw("/apis/apps/v1/namespaces/%s/deployments/api" % ENV_NAME)
    assert "kubectl.kubernetes.io/restartedAt" in api["spec"]["template"]["metadata"].get("annotations", {})
    assert "agno-infra-restart" in [entry["manager"] for entry in api["metadata"]["managedFields"]]
    assert all(ready(pod) for pod in pods(kit))
    # The stamp is the restart's own: the next up neither owns nor removes it, so it rolls nothing again.
    mark = kit.audit_lines()
    after = play(kit, "up")
    assert after.rc == 0 and after.recap["changed"] == 0 and writes(kit.requests_since(mark)) == [], after.tail(40)

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
