"""The environment playbooks under ansible-runner, as an AWX/Tower job template runs them: a private data dir
with the inventory, credentials injected as the environment variables AWX's credential types set (the legacy
AWS_SECURITY_TOKEN included), -vvv, --diff and check mode. Every artifact the runs leave (stdout, job events,
the command line, the env) is then searched for every known secret value."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import sys
import typing as t

import pytest

from harness import COLLECTIONS, EXAMPLE_INVENTORY, ROOT, ready_images, secret, secret_hits

SECRETS = {
    "AGNO_DB_PASSWORD": secret("awx-db-password-91f3"),
    "AWS_SECRET_ACCESS_KEY": secret("awx-secret-access-key-0d7c"),
    "AWS_SECURITY_TOKEN": secret("awx-session-token-5b2e"),
}


def private_data_dir(tmp_path: pathlib.Path, inventory: pathlib.Path, env: t.Dict[str, str]) -> pathlib.Path:
    """Project, inventory and env/envvars laid out as AWX lays them out for a job."""
    root = tmp_path / "job"
    (root / "project").mkdir(parents=True)
    (root / "inventory").mkdir()
    (root / "env").mkdir()
    shutil.copy(inventory, root / "inventory" / "hosts.yml")
    # An AWX job template picks a playbook file of its project: each one imports the collection's playbook.
    for name in ("up", "down", "status", "restart"):
        text = "---\n- name: agno.infra %s\n  ansible.builtin.import_playbook: agno.infra.%s\n" % (name, name)
        (root / "project" / ("%s.yml" % name)).write_text(text)
    (root / "env" / "envvars").write_text(json.dumps(env))
    return root


def run_job(root: pathlib.Path, playbook: str, *args: str, **extra: str) -> t.Any:
    import ansible_runner  # pylint: disable=import-outside-toplevel
    # In AWX the execution environment provides ansible-playbook and the Python with the collection's requirements.
    result = ansible_runner.run(private_data_dir=str(root), playbook=playbook + ".yml", verbosity=3, cmdline=" ".join(args),
                                extravars=dict(extra, ansible_python_interpreter=sys.executable), quiet=True, timeout=900)
    assert result.status == "successful", result.stdout.read()[-4000:]
    return result


@pytest.fixture(autouse=True)
def execution_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """ansible-playbook on the PATH, as in an execution environment."""
    monkeypatch.setenv("PATH", "%s:%s" % (pathlib.Path(sys.executable).parent, os.environ["PATH"]))


def changed(result: t.Any) -> int:
    return sum((result.stats or {}).get("changed", {}).values())


# Where ansible-runner itself records the job's environment, which is where the credential was injected (AWX
# redacts it): the command line, and the env file of the container it starts for an execution environment.
RUNNER_ENVIRONMENT_RECORDS = ("command", "env.list")


def artifact_files(root: pathlib.Path) -> t.List[pathlib.Path]:
    """The artifacts a job leaves, but for ansible-runner's records of the injected environment (the env/ input
    directory is not searched either)."""
    return [path for path in (root / "artifacts").rglob("*") if path.is_file() and path.name not in RUNNER_ENVIRONMENT_RECORDS]


@pytest.mark.aws
def test_prd_under_ansible_runner_keeps_every_secret_out_of_the_artifacts(tmp_path: pathlib.Path, aws_env: t.Dict[str, str]) -> None:
    env = dict(aws_env, AGNO_DB_PASSWORD=SECRETS["AGNO_DB_PASSWORD"], AWS_SECRET_ACCESS_KEY=SECRETS["AWS_SECRET_ACCESS_KEY"],
               AWS_SECURITY_TOKEN=SECRETS["AWS_SECURITY_TOKEN"], ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS))
    root = private_data_dir(tmp_path, ready_images(), env)
    assert changed(run_job(root, "up", "--diff")) == 1
    assert changed(run_job(root, "up", "--diff")) == 0
    run_job(root, "up", "--check", "--diff", agno_image_tag="2")
    run_job(root, "status")
    run_job(root, "restart", "--diff")
    run_job(root, "down", "--diff", delete_data="true")
    files = artifact_files(root)
    hits = secret_hits(files, SECRETS.values())
    print("ansible-runner artifacts searched: %d files, %d secrets, hits: %d" % (len(files), len(SECRETS), len(hits)))
    assert len(files) > 50 and hits == []


@pytest.mark.docker
def test_dev_under_ansible_runner(tmp_path: pathlib.Path) -> None:
    env = {"AGNO_DB_PASSWORD": SECRETS["AGNO_DB_PASSWORD"], "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS)}
    root = private_data_dir(tmp_path, EXAMPLE_INVENTORY / "dev.yml", env)
    names = {"agno_env_name": "agent-app-awx", "agno_api_port": "28100", "agno_ui_port": "28600"}
    try:
        # The inventory's sources are relative to it: point them at the example's code.
        (root / "api").symlink_to(ROOT / "examples" / "agent-app" / "api")
        (root / "ui").symlink_to(ROOT / "examples" / "agent-app" / "ui")
        assert changed(run_job(root, "up", "--diff", **names)) == 1
        assert changed(run_job(root, "up", "--check", "--diff", **names)) == 0
    finally:
        run_job(root, "down", delete_data="true", **names)
    files = artifact_files(root)
    assert len(files) > 20 and secret_hits(files, [SECRETS["AGNO_DB_PASSWORD"]]) == []
