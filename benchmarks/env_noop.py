"""Time a no-op rerun of the example dev environment: `agno.infra.up` (one task: audit, then converge) against the
same deployment written as one community.docker task per resource, on the same engine, in one run.

Usage: .venv/bin/python benchmarks/env_noop.py [ROUNDS]
The baseline playbook is generated from the same blueprint (network, volumes, images, containers with the same
settings, its own names and ports), so both deploy the same thing. Each is created once, then both are rerun
ROUNDS times, interleaved with ansible-core's floor (a one-task ping playbook, same interpreter, inventory and
environment); the script prints the median wall times against the floor (target for ours: 1.4x or less), the changed
counts, the ratio and the machine's load, then removes both environments.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import statistics
import subprocess
import sys
import typing as t

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from benchlib import against_floor, floor_run, load_average, timed  # noqa: E402  pylint: disable=wrong-import-position,import-error
from harness import PlaybookRun, run_playbook  # noqa: E402  pylint: disable=wrong-import-position,import-error
from ansible_collections.agno.infra.plugins.module_utils._environment import model, run as environment_run  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.agno.infra.plugins.module_utils._environment.blueprint_docker import DockerBlueprint  # noqa: E402  pylint: disable=wrong-import-position

DEV = ROOT / "examples" / "agent-app" / "inventory" / "dev.yml"
OURS = {"agno_env_name": "agent-app-bench", "agno_api_port": "28300", "agno_ui_port": "28800"}
PASSWORD = "bench-password-1"
TARGET_FLOOR_RATIO = 1.4
REFERENCE = re.compile(r"\$\{([A-Za-z0-9_-]+)\.([a-z_]+)\}")


def baseline_spec() -> t.Dict[str, t.Any]:
    """The dev environment of the example inventory, named agent-app-base, on its own ports."""
    text = DEV.read_text().replace("\"{{ agno_env_name | default('agent-app-dev') }}\"", "agent-app-base")
    text = re.sub(r"\"\{\{ agno_api_port[^\"]*\}\}\"", "28400", text)
    text = re.sub(r"\"\{\{ agno_ui_port[^\"]*\}\}\"", "28900", text)
    text = text.replace("{{ inventory_dir }}", str(DEV.parent))
    return dict(yaml.safe_load(text)["all"]["vars"]["agno_env"])


def resolved(value: str, names: t.Dict[str, str]) -> str:
    return REFERENCE.sub(lambda match: PASSWORD if match.group(1) == "secrets" else names[match.group(1)], value)


def community_task(item: t.Dict[str, t.Any], names: t.Dict[str, str]) -> t.Dict[str, t.Any]:
    """The community.docker task that manages the same resource with the same settings."""
    params = item["params"]
    if item["type"] == "docker_network":
        return {"name": item["id"], "community.docker.docker_network": {"name": params["name"], "labels": params.get("labels")}}
    if item["type"] == "docker_volume":
        return {"name": item["id"], "community.docker.docker_volume": {"volume_name": params["name"], "labels": params.get("labels")}}
    if item["type"] == "docker_image":
        return {"name": item["id"], "community.docker.docker_image": {
            "name": params["name"], "tag": params["tag"], "source": "build", "build": {"path": params["build"]["path"],
                                                                                       "args": params["build"].get("args") or {}}}}
    env = {key: resolved(str(value), names) for key, value in dict(params.get("env") or {}, **params.get("secret_env") or {}).items()}
    health = params.get("healthcheck")
    container: t.Dict[str, t.Any] = {
        "name": params["name"], "image": params["image"], "command": params.get("command"), "env": env,
        "published_ports": params.get("ports") or [], "labels": params.get("labels"), "restart_policy": params.get("restart_policy"),
        "networks": [{"name": resolved(network["name"], names), "aliases": network.get("aliases")} for network in params["networks"]],
        "networks_cli_compatible": True, "volumes": [resolved(volume, names) for volume in params.get("volumes") or []],
        "user": params.get("user"), "read_only": params.get("read_only", False), "tmpfs": params.get("tmpfs") or [],
        "state": "started",
    }
    if health:
        test = health["test"] if isinstance(health["test"], list) else ["CMD-SHELL", health["test"]]
        container["healthcheck"] = dict({key: value for key, value in health.items() if key != "test"},
                                        test=test if test[0] in ("CMD", "CMD-SHELL") else ["CMD"] + test)
    return {"name": item["id"], "no_log": True, "community.docker.docker_container": {k: v for k, v in container.items() if v is not None}}


def write_baseline(items: t.List[t.Dict[str, t.Any]]) -> pathlib.Path:
    names = {item["id"]: item["params"].get("name", "") for item in items}
    tasks = [community_task(item, names) for item in items]
    path = ROOT / ".build" / "bench-community-dev.yml"
    path.write_text(yaml.safe_dump([{"name": "The dev environment with community.docker", "hosts": "localhost", "gather_facts": False,
                                     "tasks": tasks}], sort_keys=False))
    return path


def remove_baseline(items: t.List[t.Dict[str, t.Any]]) -> None:
    """Containers, then volumes and the network of the baseline (its images stay, as build cache)."""
    for kind, command in (("docker_container", ["docker", "rm", "-f"]), ("docker_volume", ["docker", "volume", "rm", "-f"]),
                          ("docker_network", ["docker", "network", "rm"])):
        names = [item["params"]["name"] for item in items if item["type"] == kind]
        if names:
            subprocess.run(command + names, capture_output=True, check=False)


def sample(run: t.Callable[[], PlaybookRun], label: str) -> t.Tuple[float, int]:
    """The wall time and changed count of a run that succeeded."""
    result, elapsed = timed(run)
    if result.rc != 0:
        raise SystemExit("%s failed:\n%s" % (label, result.tail()))
    return elapsed, result.recap["changed"]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    env_model = model.environment(baseline_spec())
    items = [dataclasses.asdict(item) for item in environment_run.render(env_model)]
    # The baseline builds from the contexts a run of ours stages: every component's.
    DockerBlueprint(env_model).stage(set(env_model.services) | {app["name"] for app in env_model.apps})
    baseline = write_baseline(items)
    # community.docker builds an image only when its name is absent: one from an earlier run may be of other sources.
    subprocess.run(["docker", "rmi", "-f"] + ["%s:%s" % (item["params"]["name"], item["params"]["tag"]) for item in items
                                              if item["type"] == "docker_image"], capture_output=True, check=False)
    env = {"AGNO_DB_PASSWORD": PASSWORD}
    runs = {
        "agno.infra.up": lambda: run_playbook("agno.infra.up", inventory=DEV, extra_vars=OURS, env=env, timeout=1800),
        "community.docker": lambda: run_playbook(baseline, timeout=1800),
    }
    started_load = load_average()
    try:
        for label, run in list(runs.items()):
            sample(run, label)  # creates the environment; not timed
        runs["floor"] = lambda: floor_run(env, DEV)
        samples: t.Dict[str, t.List[t.Tuple[float, int]]] = {label: [] for label in runs}
        for _round in range(rounds):
            for label, run in runs.items():
                samples[label].append(sample(run, label))
    finally:
        run_playbook("agno.infra.down", inventory=DEV, extra_vars=dict(OURS, delete_data="true"), env=env)
        remove_baseline(items)
    medians = {label: statistics.median(seconds for seconds, _changed in values) for label, values in samples.items()}
    floor = medians.pop("floor")
    for label, median in medians.items():
        values = samples[label]
        print("%-17s no-op rerun of the dev environment: median %.2f s (%s), changed=%s, %s"
              % (label, median, ", ".join("%.2f" % seconds for seconds, _c in values), sorted({c for _s, c in values}),
                 against_floor(median, floor, TARGET_FLOOR_RATIO if label == "agno.infra.up" else None)))
    print("%-17s one ansible.builtin.ping task: median %.2f s (%s)" % ("floor", floor, ", ".join("%.2f" % s for s, _c in samples["floor"])))
    print("ratio agno.infra / community.docker: %.2f" % (medians["agno.infra.up"] / medians["community.docker"]))
    print("at the start: %s; at the end: %s" % (started_load, load_average()))


if __name__ == "__main__":
    main()
