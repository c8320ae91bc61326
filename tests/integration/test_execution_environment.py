"""An AWX/Tower execution environment with the collection, built by ansible-builder from the collection's
meta/execution-environment.yml on a local base image (no registry), then used: the collection's Python
dependencies import, ansible-doc documents the modules, and the prd environment comes up as an AWX job whose
ansible-runner runs it inside the EE container, against the moto server, with the credentials AWX injects."""

from __future__ import annotations

import glob
import os
import pathlib
import shutil
import subprocess
import sys
import typing as t

import pytest

from harness import ROOT, known_secrets, ready_images, secret, secret_hits
from test_awx_runner import artifact_files, private_data_dir

EE_FILES = ROOT / "examples" / "execution-environment"
BASE_IMAGE = "agno-infra/ee-base:bookworm"
EE_IMAGE = "agno-infra-ee:test"
CA_DIR = "/usr/local/share/ca-certificates"

DB_PASSWORD = secret("ee-db-password-4e8b")

pytestmark = [pytest.mark.docker, pytest.mark.aws]


def run(command: t.List[str], cwd: t.Optional[pathlib.Path] = None, timeout: int = 1800) -> str:
    done = subprocess.run(command, cwd=str(cwd) if cwd else None, capture_output=True, text=True, timeout=timeout, check=False,
                          env=dict(os.environ, DOCKER_BUILDKIT="0"))
    assert done.returncode == 0, "%s failed:\n%s\n%s" % (" ".join(command), done.stdout[-4000:], done.stderr[-4000:])
    return done.stdout


def build_base(context: pathlib.Path) -> None:
    """Debian with Python and pip, trusting this machine's extra CAs (none elsewhere is fine)."""
    (context / "ca").mkdir()
    for certificate in glob.glob(os.path.join(CA_DIR, "*.crt")):
        shutil.copy(certificate, context / "ca")
    shutil.copy(EE_FILES / "Dockerfile.base", context / "Dockerfile")
    run(["docker", "build", "-q", "-t", BASE_IMAGE, str(context)])


def collection_tarball(into: pathlib.Path) -> None:
    run([str(pathlib.Path(sys.executable).with_name("ansible-galaxy")), "collection", "build", "--force", "--output-path", str(into),
         str(ROOT)])
    (tarball,) = into.glob("agno-infra-*.tar.gz")
    tarball.rename(into / "agno-infra.tar.gz")


def job_in_the_ee(root: pathlib.Path, playbook: str) -> t.Any:
    """The job as AWX runs it: ansible-runner starting the EE's container on the private data dir."""
    import ansible_runner  # pylint: disable=import-outside-toplevel
    result = ansible_runner.run(private_data_dir=str(root), playbook=playbook + ".yml", quiet=True, timeout=900,
                                process_isolation=True, process_isolation_executable="docker", container_image=EE_IMAGE,
                                # The moto server listens on the host's loopback.
                                container_options=["--network=host"],
                                extravars={"ansible_python_interpreter": "/usr/bin/python3"})
    assert result.status == "successful", result.stdout.read()[-4000:]
    return result


def test_ansible_builder_builds_an_execution_environment_that_runs_the_collection(tmp_path: pathlib.Path, aws_env: t.Dict[str, str]) -> None:
    base_context, ee_context = tmp_path / "base", tmp_path / "ee"
    base_context.mkdir()
    ee_context.mkdir()
    build_base(base_context)
    shutil.copy(EE_FILES / "execution-environment.yml", ee_context)
    collection_tarball(ee_context)
    builder = str(pathlib.Path(sys.executable).with_name("ansible-builder"))
    try:
        run([builder, "build", "--container-runtime", "docker", "-f", "execution-environment.yml", "-t", EE_IMAGE,
             "--context", str(ee_context / "context"), "-v", "1"], cwd=ee_context)
        # What the collection's meta/execution-environment.yml asks for is in the image, and the collection works there.
        run(["docker", "run", "--rm", EE_IMAGE, "python3", "-c", "import botocore, docker, jsonschema"])
        assert "agno.infra.aws_vpc" in run(["docker", "run", "--rm", EE_IMAGE, "ansible-doc", "-l", "agno.infra"])
        audit = run(["docker", "run", "--rm", EE_IMAGE, "ansible", "localhost", "-m", "agno.infra.audit",
                     "-a", '{"resources": [{"id": "logs", "type": "aws_log_group", "params": {"name": "/x"}}], "fail_on": "never"}'])
        assert "AGNO-LOG-001" in audit
        root = private_data_dir(tmp_path, ready_images(), dict(aws_env, AGNO_DB_PASSWORD=DB_PASSWORD))
        up = job_in_the_ee(root, "up")
        assert sum(up.stats["changed"].values()) == 1
        rerun = job_in_the_ee(root, "up")
        assert sum((rerun.stats or {}).get("changed", {}).values()) == 0
        assert secret_hits(artifact_files(root), known_secrets()) == []
    finally:
        subprocess.run(["docker", "image", "rm", "-f", EE_IMAGE], capture_output=True, check=False)
