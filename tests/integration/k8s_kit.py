"""The example agent app on the Kubernetes kit, for the tests that run it there (test_example_k8s, the transition
matrix): its images built with the docker target's build contexts and loaded into the kit's node (it pulls nothing),
a hostPath volume per claim (it has no provisioner), Service names through k8s_dns (no cluster DNS nor kube-proxy),
and the API server's audit log, which says what the collection wrote.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time
import typing as t

import pytest

from harness import COLLECTIONS, ROOT
from k8s_dns import ServiceDns

sys.path.insert(0, str(COLLECTIONS))
from ansible_collections.agno.infra.plugins.module_utils._environment import model  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint  # noqa: E402  pylint: disable=wrong-import-position

#: The images are named after the example test's environment; every environment on the kit runs them.
IMAGES = "agent-app-k8s-it"
WRITES = ("create", "update", "patch", "delete", "deletecollection")
COMPONENTS = ("api", "ui", "postgres", "redis")
#: The user of the kit's kubeconfig. The kit's controller manager and scheduler sign in as it too, and so does the
#: tests' kubectl: the collection's requests are those of the user that none of them sent (by their user agents).
ADMIN = "k8skit-admin"
OTHER_AGENTS = ("kube-controller-manager", "kube-scheduler", "kubectl")


class Kit(t.NamedTuple):
    env: t.Dict[str, str]
    directory: pathlib.Path
    namespace: str

    def kubectl(self, *args: str) -> t.Any:
        done = subprocess.run(["kubectl", "--kubeconfig", self.env["KUBECONFIG"], "-n", self.namespace] + list(args) + ["-o", "json"],
                              capture_output=True, text=True, check=True, timeout=60)
        return json.loads(done.stdout)

    def raw(self, path: str) -> t.Any:
        """An object as the API server has it (managedFields too, which kubectl get hides since 1.21)."""
        done = subprocess.run(["kubectl", "--kubeconfig", self.env["KUBECONFIG"], "get", "--raw", path],
                              capture_output=True, text=True, check=True, timeout=60)
        return json.loads(done.stdout)

    def audit_lines(self) -> int:
        return audit_length(pathlib.Path(self.env["AGNO_K8S_AUDIT"]))

    def requests_since(self, start: int) -> t.List[t.Dict[str, t.Any]]:
        """The collection's requests since the mark."""
        return requests(pathlib.Path(self.env["AGNO_K8S_AUDIT"]), start)


def audit_length(audit: pathlib.Path) -> int:
    """The audit log's length in lines: a mark to read the requests after."""
    with audit.open("rb") as log:
        return sum(1 for _line in log)


def requests(audit: pathlib.Path, start: int) -> t.List[t.Dict[str, t.Any]]:
    """The collection's requests in the audit log after its first `start` lines (the last answer's event may still
    be on its way to the file)."""
    time.sleep(0.5)
    with audit.open(encoding="utf-8") as log:
        lines = log.readlines()[start:]
    return [entry for entry in map(json.loads, lines) if entry.get("user", {}).get("username") == ADMIN
            and entry.get("stage") == "ResponseComplete" and not str(entry.get("userAgent", "")).startswith(OTHER_AGENTS)]


def is_write(entry: t.Dict[str, t.Any]) -> bool:
    return entry["verb"] in WRITES and "dryRun=All" not in entry["requestURI"]


def writes(requests: t.List[t.Dict[str, t.Any]]) -> t.List[str]:
    return ["%s %s" % (entry["verb"], entry["requestURI"]) for entry in requests if is_write(entry)]


def build_images(tag: str) -> t.Dict[str, str]:
    """The example's images built from the contexts the docker target stages (apps with our Dockerfile, Postgres, Redis)."""
    docker = {"extra_ca_certificates": ["/usr/local/share/ca-certificates"], "build_dir": str(ROOT / ".build" / "k8s-images")}
    raw = {"name": IMAGES, "target": "docker", "docker": docker,
           "postgres": {"pgvector": True}, "redis": {},
           "apps": [{"name": name, "kind": kind, "source": str(ROOT / "examples" / "agent-app" / name)}
                    for name, kind in (("api", "fastapi"), ("ui", "streamlit"))]}
    blueprint = DockerBlueprint(model.environment(raw))
    blueprint.stage(set(COMPONENTS))
    images = {}
    for component in COMPONENTS:
        images[component] = "%s/%s:%s" % (IMAGES, component, tag)
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
    """A hostPath PersistentVolume per claim of the kit's namespace, owned by the service's user."""
    for service, size in (("postgres", "1Gi"), ("redis", "1Gi")):
        path = kit.directory / "volumes" / kit.namespace / service
        subprocess.run(["rm", "-rf", str(path)], check=True)
        path.mkdir(parents=True)
        subprocess.run(["chown", "%s:%s" % (uids[service], uids[service]), str(path)], check=True)
        volume = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "%s-%s" % (kit.namespace, service)},
                  "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"], "storageClassName": "agno-it",
                           "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": str(path)},
                           "claimRef": {"namespace": kit.namespace, "name": service + "-data"}}}
        subprocess.run(["kubectl", "--kubeconfig", kit.env["KUBECONFIG"], "apply", "-f", "-"], input=json.dumps(volume),
                       capture_output=True, text=True, check=True, timeout=60)


def prepared(kit: Kit) -> t.Dict[str, str]:
    """The example's images in the node and the namespace's volumes; the inventory variables that name them (tag 1;
    the ui's also as tag 2, to roll)."""
    images = build_images("1")
    subprocess.run(["docker", "tag", images["ui"], images["ui"].replace(":1", ":2")], check=True)
    load(kit, list(images.values()) + [images["ui"].replace(":1", ":2")])
    uids = {service: uid(images[service]) for service in ("postgres", "redis")}
    volumes(kit, uids)
    return dict(agno_api_image=images["api"], agno_ui_image=images["ui"], agno_postgres_image=images["postgres"],
                agno_redis_image=images["redis"], agno_postgres_uid=uids["postgres"], agno_redis_uid=uids["redis"])


def clean(kubeconfig: str, namespace: str) -> None:
    """No namespace nor volume of an earlier run."""
    for kind, name in [("namespace", namespace)] + [("pv", "%s-%s" % (namespace, service)) for service in ("postgres", "redis")]:
        subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "delete", kind, name, "--ignore-not-found", "--wait"],
                       capture_output=True, check=True, timeout=300)


def started(kube_env: t.Dict[str, str], namespace: str) -> t.Iterator[Kit]:
    """The kit for an environment in the namespace, clean before and after, its Service names served meanwhile; a
    cluster other than the kit's is skipped (the images are loaded into the kit's node)."""
    directory = pathlib.Path(kube_env["KUBECONFIG"]).parent
    if not (directory / "containerd" / "containerd.sock").exists() or not kube_env["AGNO_K8S_AUDIT"]:
        pytest.skip("the example is loaded into the kit's node: KUBECONFIG names another cluster")
    clean(kube_env["KUBECONFIG"], namespace)
    dns = ServiceDns(kube_env["KUBECONFIG"], namespace).start()
    try:
        yield Kit(kube_env, directory, namespace)
    finally:
        dns.stop()
        clean(kube_env["KUBECONFIG"], namespace)
