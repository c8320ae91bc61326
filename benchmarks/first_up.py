"""Time a first `up` of the example dev environment from a cold start (its images absent, the base image present):
`agno.infra.up` against the same images built and the same containers run with the plain `docker` CLI, in one run.

Usage: .venv/bin/python benchmarks/first_up.py [ROUNDS]
Both variants deploy what the blueprint of `examples/agent-app/inventory/dev.yml` renders (docker.reload included:
the apps' sources mounted read-only), each under its own name and ports, on the base image agno-infra/debian:bookworm
tagged under an id of the benchmark's own (BENCH_BASE: other environments built on this engine at the same time share
no build cache with these). Each round times both, alternating which goes first, each after both environments and their
images were removed (down with delete_data, then `docker rmi`): no image of one serves the other as build cache.

- ours: `ansible-playbook agno.infra.up -i INVENTORY` with `agno_env_name`, `agno_api_port` and `agno_ui_port` as extra
  vars, INVENTORY being a copy of the dev inventory with docker.base_image set to BENCH_BASE (one task: audit, stage the
  build contexts, then converge: independent items in parallel, each container after what it depends on is healthy).
- plain CLI: a bash script generated from the same items, as a fair hand-written one would go. It creates the network and
  the volumes, then runs one background job per image (`&`, then `wait`): `docker build` of the image from the context
  the blueprint stages (written beforehand, untimed), then `docker run -d` of its container with the same settings (env,
  the secret env given plainly, labels, ports, user, read-only, tmpfs, volumes and bind mounts, healthcheck, restart
  policy, network alias) once the containers it depends on are healthy, then a wait until its own is healthy. Our up
  waits for every container's health too: like is compared with like. The CLI takes a healthcheck as a shell command
  only, so an exec-form test runs through `sh -c`. Health is polled every 0.5 s, as ours polls.

The script prints each sample as it goes, then both medians, the ratio (target: 1.2x or less), the machine's load, how
many image layers each sample took from the build cache (0 on a true cold start) and, for the last sample of each, when
each image was built and each container started and became healthy, in seconds from the start (the engine's events).
Both environments, their images and BENCH_BASE are removed at the end, also on failure.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import pathlib
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from benchlib import load_average  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import edited_inventory, run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error
from ansible_collections.agno.infra.plugins.module_utils._environment import model, run as environment_run  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint  # noqa: E402  pylint: disable=wrong-import-position

DEV = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
OURS = {"agno_env_name": "agent-app-fu1", "agno_api_port": "28500", "agno_ui_port": "28501"}
PLAIN = {"agno_env_name": "agent-app-fu2", "agno_api_port": "28510", "agno_ui_port": "28511"}
PASSWORD = "bench-password-1"
TARGET_RATIO = 1.2
BASE_IMAGE = "agno-infra/debian:bookworm"
# The base image under an id of the benchmark's own (a label on top): the legacy builder looks up its cache by parent
# image id, so no build of another environment on this engine (from the same Dockerfiles on agno-infra/debian) shares
# layers with these, in either direction: none serves as cache, and none loses a parent when the other's are removed.
BENCH_BASE = "agno-infra-bench/first-up-base:latest"
# ${ITEM.FIELD}, and ${secrets.NAME} whose name may hold "-" (postgres_password-in-url, the form a URL carries).
REFERENCE = re.compile(r"\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\}")
HEALTH_TIMEOUT = 600
HEALTHY = """\
# healthy NAME: wait until container NAME is healthy (running, without a healthcheck); polled every 0.5 s.
healthy() {
  local deadline=$((SECONDS + %d)) status
  while :; do
    status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null) || status=absent
    case "$status" in
      healthy|running) return 0 ;;
      unhealthy) echo "$1 is unhealthy" >&2; return 1 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then echo "$1 is not healthy after %d s (status: $status)" >&2; return 1; fi
    sleep 0.5
  done
}
""" % (HEALTH_TIMEOUT, HEALTH_TIMEOUT)


def dev_spec(names: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    """The dev environment of the example inventory, under the name and on the ports of the variant, on BENCH_BASE."""
    text = DEV.read_text().replace("\"{{ agno_env_name | default('agent-app-dev') }}\"", names["agno_env_name"])
    text = re.sub(r"\"\{\{ agno_api_port[^\"]*\}\}\"", names["agno_api_port"], text)
    text = re.sub(r"\"\{\{ agno_ui_port[^\"]*\}\}\"", names["agno_ui_port"], text)
    text = text.replace("{{ inventory_dir }}", str(DEV.parent))
    spec = dict(yaml.safe_load(text)["all"]["vars"]["agno_env"])
    spec["docker"] = dict(spec["docker"], base_image=BENCH_BASE)
    return spec


def bench_inventory(directory: pathlib.Path) -> pathlib.Path:
    """A copy of the dev inventory whose environment builds on BENCH_BASE (name and ports still from the extra vars)."""
    return edited_inventory(DEV, directory, lambda env: env["docker"].update(base_image=BENCH_BASE))


def rendered(names: t.Dict[str, str]) -> t.Tuple[model.Environment, t.List[t.Dict[str, t.Any]]]:
    env_model = model.environment(dev_spec(names))
    return env_model, [dataclasses.asdict(item) for item in environment_run.render(env_model)]


def resolved(value: str, names: t.Dict[str, str]) -> str:
    return REFERENCE.sub(lambda match: PASSWORD if match.group(1) == "secrets" else names[match.group(1)], value)


def of_type(items: t.List[t.Dict[str, t.Any]], kind: str) -> t.List[t.Dict[str, t.Any]]:
    return [item for item in items if item["type"] == kind]


def image_refs(items: t.List[t.Dict[str, t.Any]]) -> t.List[str]:
    return ["%s:%s" % (item["params"]["name"], item["params"]["tag"]) for item in of_type(items, "docker_image")]


# ---- the plain CLI script ----------------------------------------------------------------------
def label_args(labels: t.Optional[t.Dict[str, str]]) -> t.List[str]:
    return [part for key, value in (labels or {}).items() for part in ("--label", "%s=%s" % (key, value))]


def build_command(item: t.Dict[str, t.Any]) -> t.List[str]:
    params = item["params"]
    args = [part for key, value in (params["build"].get("args") or {}).items() for part in ("--build-arg", "%s=%s" % (key, value))]
    return ["docker", "build", "-t", "%s:%s" % (params["name"], params["tag"])] + args + [params["build"]["path"]]


def healthcheck_args(health: t.Optional[t.Dict[str, t.Any]]) -> t.List[str]:
    if not health:
        return []
    test = health["test"]
    args = ["--health-cmd", test if isinstance(test, str) else shlex.join(test)]
    for key in ("interval", "timeout", "start_period"):
        if health.get(key):
            args += ["--health-%s" % key.replace("_", "-"), str(health[key])]
    if health.get("retries") is not None:
        args += ["--health-retries", str(health["retries"])]
    return args


def run_command(item: t.Dict[str, t.Any], names: t.Dict[str, str]) -> t.List[str]:
    """`docker run -d` of the container item with the settings the container type would give it."""
    params = item["params"]
    command = ["docker", "run", "-d", "--name", params["name"]]
    for key, value in dict(params.get("env") or {}, **params.get("secret_env") or {}).items():
        command += ["-e", "%s=%s" % (key, resolved(str(value), names))]
    command += label_args(params.get("labels"))
    for port in params.get("ports") or []:
        command += ["-p", port]
    if params.get("user"):
        command += ["--user", str(params["user"])]
    if params.get("read_only"):
        command += ["--read-only"]
    for mount in params.get("tmpfs") or []:
        command += ["--tmpfs", mount]
    for volume in params.get("volumes") or []:
        command += ["-v", resolved(volume, names)]
    if params.get("memory"):
        command += ["--memory", str(params["memory"])]
    if params.get("cpus"):
        command += ["--cpus", str(params["cpus"])]
    command += healthcheck_args(params.get("healthcheck"))
    if params.get("restart_policy"):
        command += ["--restart", params["restart_policy"]]
    network = params["networks"][0]
    command += ["--network", resolved(network["name"], names)]
    for alias in network.get("aliases") or []:
        command += ["--network-alias", alias]
    return command + [params["image"]] + [str(part) for part in params.get("command") or []]


def plain_script(items: t.List[t.Dict[str, t.Any]], logs: pathlib.Path) -> str:
    """The bash script that deploys the items with the docker CLI: network and volumes, then one background job per image
    (its build, then its containers, each once the containers it depends on are healthy), all waited for."""
    names = {item["id"]: item["params"].get("name", "") for item in items}
    containers = of_type(items, "docker_container")
    container_ids = {item["id"] for item in containers}
    lines = ["set -euo pipefail", HEALTHY]
    lines += [shlex.join(["docker", "network", "create"] + label_args(item["params"].get("labels")) + [item["params"]["name"]])
              + " >/dev/null" for item in of_type(items, "docker_network")]
    lines += [shlex.join(["docker", "volume", "create"] + label_args(item["params"].get("labels")) + [item["params"]["name"]])
              + " >/dev/null" for item in of_type(items, "docker_volume")]
    jobs: t.List[t.Tuple[str, t.List[str]]] = []
    for image in of_type(items, "docker_image"):
        steps = [shlex.join(build_command(image))] if image["params"].get("source") == "build" else []
        for container in (item for item in containers if image["id"] in item["depends_on"]):
            steps += ["healthy %s" % shlex.quote(names[dependency]) for dependency in sorted(container["depends_on"] & container_ids)]
            steps += [shlex.join(run_command(container, names)), "healthy %s" % shlex.quote(container["params"]["name"])]
        jobs.append((image["id"], steps))
    lines.append("pids=()")
    for job_id, steps in jobs:
        lines.append("( set -e\n  %s\n) >%s 2>&1 &" % ("\n  ".join(steps), shlex.quote(str(logs / (job_id + ".log")))))
        lines.append("pids+=($!)")
    # The first job that fails fails the script (the others would wait for its container in vain).
    lines.append('for _ in "${pids[@]}"; do wait -n || { rc=$?; kill "${pids[@]}" 2>/dev/null || true; exit "$rc"; }; done')
    return "\n".join(lines) + "\n"


# ---- removing --------------------------------------------------------------------------------
def remove_ours(items: t.List[t.Dict[str, t.Any]], inventory: pathlib.Path) -> None:
    """Ours down with its data (its volumes and images), then its images removed in case the down left one."""
    result = run_playbook("agno.infra.down", inventory=inventory, extra_vars=dict(OURS, agno_delete_data="true"),
                          env={"AGNO_DB_PASSWORD": PASSWORD}, timeout=900)
    if result.rc != 0:
        raise SystemExit("agno.infra.down failed:\n%s" % result.tail())
    subprocess.run(["docker", "rmi", "-f"] + image_refs(items), capture_output=True, check=False)


def remove_plain(items: t.List[t.Dict[str, t.Any]]) -> None:
    """The plain variant's containers, volumes, network and images."""
    for kind, command in (("docker_container", ["docker", "rm", "-f"]), ("docker_volume", ["docker", "volume", "rm", "-f"]),
                          ("docker_network", ["docker", "network", "rm"])):
        found = [item["params"]["name"] for item in of_type(items, kind)]
        if found:
            subprocess.run(command + found, capture_output=True, check=False)
    subprocess.run(["docker", "rmi", "-f"] + image_refs(items), capture_output=True, check=False)


# ---- what Docker recorded --------------------------------------------------------------------
def docker_time(text: str) -> float:
    """A Docker timestamp (RFC 3339, nanoseconds) as a Unix time."""
    match = re.match(r"^(.*?T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", text.strip())
    if not match:
        raise ValueError("not a Docker timestamp: %r" % text)
    whole = datetime.datetime.fromisoformat(match.group(1) + (match.group(3).replace("Z", "+00:00")))
    return whole.timestamp() + float(match.group(2) or 0)


def own_layers(reference: str, base: t.Set[str]) -> t.List[str]:
    """The ids of the image's own layers (its local history down to the base image), newest first."""
    done = subprocess.run(["docker", "history", "-q", "--no-trunc", reference], capture_output=True, text=True, check=False)
    layers = []
    for layer in done.stdout.split():
        if layer in base:
            break
        if layer != "<missing>":
            layers.append(layer)
    return layers


def reused_layers(items: t.List[t.Dict[str, t.Any]], started: float) -> int:
    """How many layers of the variant's images were made before its run started: taken from the build cache."""
    base = set(own_layers(BENCH_BASE, set()))
    layers = sorted({layer for reference in image_refs(items) for layer in own_layers(reference, base)})
    done = subprocess.run(["docker", "image", "inspect", "-f", "{{.Created}}"] + layers, capture_output=True, text=True, check=False)
    return sum(1 for line in done.stdout.split() if docker_time(line) < started) if layers else 0


class Events:
    """`docker events` of the engine while a run goes: when each image was tagged (its build done) and each container
    started and first reported healthy."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(["docker", "events", "--format", "{{json .}}", "--filter", "type=image",
                                         "--filter", "type=container"], stdout=self.file, stderr=subprocess.DEVNULL)
        time.sleep(0.3)  # the client subscribes before the run starts

    def stop(self) -> None:
        time.sleep(0.3)  # the last events reach the client
        self.process.terminate()
        self.process.wait(timeout=10)

    def timeline(self, items: t.List[t.Dict[str, t.Any]], started: float) -> t.List[str]:
        self.file.seek(0)
        images = {reference: reference.split("/")[-1].split(":")[0] for reference in image_refs(items)}
        containers = {item["params"]["name"]: item["id"] for item in of_type(items, "docker_container")}
        moments: t.Dict[str, float] = {}
        for line in self.file:
            event = json.loads(line)
            name = event.get("Actor", {}).get("Attributes", {}).get("name", "")
            action = event.get("Action") or event.get("status") or ""
            label = ("%s built" % images[name] if name in images and action == "tag" else
                     "%s started" % containers[name] if name in containers and action == "start" else
                     "%s healthy" % containers[name] if name in containers and action == "health_status: healthy" else None)
            if label and label not in moments:
                moments[label] = event["timeNano"] / 1e9 - started
        self.file.close()
        return ["%s %.1f" % (label, moment) for label, moment in sorted(moments.items(), key=lambda pair: pair[1])]


def make_bench_base() -> None:
    done = subprocess.run(["docker", "build", "-q", "-t", BENCH_BASE, "-"], input="FROM %s\nLABEL io.agno.bench=first_up\n" % BASE_IMAGE,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit("cannot tag the base image %s as %s: %s" % (BASE_IMAGE, BENCH_BASE, done.stderr.strip()))


def remove_bench_images(keep_base: bool) -> None:
    """Every image built on BENCH_BASE (a failed build's layers too: nothing else builds on it), newest first, then
    BENCH_BASE itself unless keep_base."""
    base = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}}", BENCH_BASE], capture_output=True, text=True, check=False).stdout.strip()
    if not base:
        return
    ids = subprocess.run(["docker", "images", "-a", "-q", "--no-trunc"], capture_output=True, text=True, check=False).stdout.split()
    parents = {info["Id"]: info.get("Parent") or "" for info in json.loads(subprocess.run(
        ["docker", "image", "inspect"] + sorted(set(ids)), capture_output=True, text=True, check=False).stdout or "[]")}

    def depth(image: str) -> int:
        """How many parents up BENCH_BASE is; 0 when the image is not built on it."""
        steps = 0
        while image and image != base:
            image, steps = parents.get(image, ""), steps + 1
        return steps if image == base else 0

    built = sorted((image for image in parents if depth(image)), key=depth, reverse=True)
    for image in built:
        subprocess.run(["docker", "rmi", "-f", image], capture_output=True, check=False)
    if not keep_base:
        subprocess.run(["docker", "rmi", BENCH_BASE], capture_output=True, check=False)


@dataclasses.dataclass
class Sample:
    seconds: float
    reused_layers: int
    timeline: t.List[str]


def timed(run: t.Callable[[], t.Optional[str]], items: t.List[t.Dict[str, t.Any]]) -> Sample:
    """The wall time of a run (which returns the reason it failed, or None), what it took from the build cache and
    the timeline of its images and containers."""
    events = Events()
    try:
        started = time.time()
        failure = run()
        seconds = time.time() - started
    finally:
        events.stop()
    timeline = events.timeline(items, started)
    if failure:
        raise SystemExit(failure)
    return Sample(seconds, reused_layers(items, started), timeline)


# ---- the runs --------------------------------------------------------------------------------
def up_ours(inventory: pathlib.Path) -> t.Optional[str]:
    result = run_playbook("agno.infra.up", inventory=inventory, extra_vars=OURS, env={"AGNO_DB_PASSWORD": PASSWORD}, timeout=1800)
    return "agno.infra.up failed:\n%s" % (result.failures() or result.tail()) if result.rc != 0 else None


def up_plain(script: pathlib.Path, logs: pathlib.Path) -> t.Optional[str]:
    """Run the script in a process group of its own: when it fails (or times out), the docker clients its jobs still
    run go with it."""
    process = subprocess.Popen(["bash", str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _out, err = process.communicate(timeout=1800)
    except subprocess.TimeoutExpired:
        err = "timed out"
    finally:
        if process.poll() != 0:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:  # nothing of the group is left
                pass
            process.wait()
    if process.returncode == 0:
        return None
    tails = ["%s:\n%s" % (log.name, "\n".join(log.read_text().splitlines()[-15:])) for log in sorted(logs.glob("*.log"))]
    return "the plain docker CLI script %s failed (rc %d): %s\n%s" % (script, process.returncode, err, "\n".join(tails))


def clean(ours_items: t.List[t.Dict[str, t.Any]], plain_items: t.List[t.Dict[str, t.Any]], inventory: pathlib.Path,
          keep_base: bool = True) -> None:
    """Both environments and every image built on BENCH_BASE removed (each step tried even when one before failed)."""
    try:
        remove_ours(ours_items, inventory)
    finally:
        remove_plain(plain_items)
        remove_bench_images(keep_base)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    _ours_model, ours_items = rendered(OURS)
    plain_model, plain_items = rendered(PLAIN)
    work = pathlib.Path(tempfile.mkdtemp(prefix="agno-bench-first-up-", dir=str(ROOT / ".build")))
    inventory = bench_inventory(work)
    logs = work / "logs"
    logs.mkdir()
    script = work / "plain-up.sh"
    script.write_text(plain_script(plain_items, logs))
    variants = {
        "agno.infra.up": lambda: timed(lambda: up_ours(inventory), ours_items),
        "plain docker CLI": lambda: timed(lambda: up_plain(script, logs), plain_items),
    }
    samples: t.Dict[str, t.List[Sample]] = {label: [] for label in variants}
    started_load = load_average()
    make_bench_base()
    try:
        # The plain script builds from the contexts a run of ours would stage for its name: every component's (untimed).
        DockerBlueprint(plain_model).stage(set(plain_model.services) | {app["name"] for app in plain_model.apps})
        for number in range(rounds):
            for label in list(variants) if number % 2 == 0 else list(variants)[::-1]:
                # Nothing of either variant is left: no image of one serves as build cache to the other.
                clean(ours_items, plain_items, inventory)
                load = load_average()
                samples[label].append(variants[label]())
                print("round %d: %-16s %.1f s (before it: %s)" % (number + 1, label, samples[label][-1].seconds, load), flush=True)
    finally:
        clean(ours_items, plain_items, inventory, keep_base=False)
    medians = {label: statistics.median(sample.seconds for sample in values) for label, values in samples.items()}
    for label, values in samples.items():
        print("%-16s first up of the dev environment, cold: median %.1f s (%s), layers from the build cache: %s"
              % (label, medians[label], ", ".join("%.1f" % sample.seconds for sample in values),
                 [sample.reused_layers for sample in values]))
    for label, values in samples.items():
        print("%-16s last sample, s from its start: %s" % (label, "; ".join(values[-1].timeline)))
    ratio = medians["agno.infra.up"] / medians["plain docker CLI"]
    print("ratio agno.infra.up / plain docker CLI: %.2fx (target <= %.1fx: %s)"
          % (ratio, TARGET_RATIO, "met" if ratio <= TARGET_RATIO else "not met"))
    print("at the start: %s; at the end: %s" % (started_load, load_average()))
    print("plain script (kept): %s" % script)


if __name__ == "__main__":
    main()
