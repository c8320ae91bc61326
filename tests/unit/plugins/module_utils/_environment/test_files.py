"""The build files of the docker target: the Dockerfiles fill in, and the Postgres entrypoint initialises once."""

from __future__ import annotations

import os
import pathlib
import subprocess
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import files

BASE = "agno-infra/debian:bookworm"


def test_the_app_dockerfile_trusts_the_extra_cas_and_runs_as_the_app_user() -> None:
    text = files.app_dockerfile(BASE)
    assert text.startswith("FROM agno-infra/debian:bookworm\n")
    assert "COPY .agno-ca/ /usr/local/share/ca-certificates/agno/\nRUN update-ca-certificates\n" in text
    assert "useradd --system --uid 10001 " in text and text.endswith("USER 10001\n")
    assert text.index("COPY requirements.txt") < text.index("RUN pip install") < text.index("COPY . .")
    assert "\nWORKDIR /app\n" in text and "\nRUN pip install --no-cache-dir -r requirements.txt\n" in text


def test_packages_of_the_app_dockerfile_are_installed_with_its_requirements() -> None:
    text = files.app_dockerfile(BASE, files.RELOAD_PACKAGES)
    assert "\nRUN pip install --no-cache-dir -r requirements.txt watchfiles==1.0.5\n" in text
    assert text.replace(" watchfiles==1.0.5", "") == files.app_dockerfile(BASE)


@pytest.mark.parametrize("template", [files.POSTGRES_DOCKERFILE, files.REDIS_DOCKERFILE])
def test_the_service_dockerfiles_take_only_the_base_image(template: str) -> None:
    text = template.format(base_image=BASE)
    assert text.startswith("FROM agno-infra/debian:bookworm\n") and "{" not in text.replace("$(", "")
    assert "\nUSER postgres\n" in text or "\nUSER redis\n" in text


# Stand-ins for the PostgreSQL commands: each logs its command line; initdb keeps what its password file held,
# psql logs the SQL it reads from its input.
STUB = """#!/bin/sh
echo "${0##*/} $*" >>"$LOG"
for arg in "$@"; do
  case "$arg" in --pwfile=*) read -r password <"${arg#--pwfile=}" || true; printf %s "$password" >"$PGDATA/password"
                             echo 17 >"$PGDATA/PG_VERSION" ;; esac
done
case "${0##*/} $*" in psql*-c*) ;; psql*) while IFS= read -r line; do echo "$line"; done >>"$LOG" ;; esac
"""


def start(tmp_path: pathlib.Path, pgvector: str) -> t.List[str]:
    """Run the entrypoint once with stand-ins for the PostgreSQL commands; the commands it ran, in order."""
    bin_dir, data, log = tmp_path / "bin", tmp_path / "data", tmp_path / "log"
    bin_dir.mkdir(exist_ok=True)
    data.mkdir(exist_ok=True)
    for name in ("initdb", "pg_ctl", "psql", "postgres"):
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    log.write_text("")
    env = dict(os.environ, PATH="%s:%s" % (bin_dir, os.environ["PATH"]), PGDATA=str(data), LOG=str(log), POSTGRES_USER="app",
               POSTGRES_DB="app", POSTGRES_PASSWORD="pw-s3cret", PGVECTOR=pgvector)
    subprocess.run(["sh", "-c", files.POSTGRES_ENTRYPOINT], env=env, check=True, timeout=30, stdin=subprocess.DEVNULL)
    return log.read_text().splitlines()


COMMANDS = ("initdb", "pg_ctl", "psql", "postgres")


def commands(log: t.List[str]) -> t.List[str]:
    return [line.split()[0] for line in log if line.split() and line.split()[0] in COMMANDS]


def test_the_first_start_initialises_with_the_password_from_a_file_and_sets_it_from_the_environment(tmp_path: pathlib.Path) -> None:
    first = start(tmp_path, "1")
    assert commands(first) == ["initdb", "pg_ctl", "psql", "psql", "psql", "pg_ctl", "postgres"]
    assert not any("pw-s3cret" in line for line in first)  # initdb reads it from a file, psql from its environment
    assert (tmp_path / "data" / "password").read_text() == "pw-s3cret"
    assert 'CREATE ROLE :"user" LOGIN;' in first
    assert any(line.startswith("psql") and "CREATE EXTENSION IF NOT EXISTS vector" in line for line in first)
    assert first[-1] == "postgres -D %s" % (tmp_path / "data")


def test_every_later_start_sets_the_password_of_both_roles_before_postgres_listens(tmp_path: pathlib.Path) -> None:
    start(tmp_path, "1")
    later = start(tmp_path, "1")
    assert commands(later) == ["pg_ctl", "psql", "pg_ctl", "postgres"]
    assert "listen_addresses=''" in later[0]  # no client connects with the previous password meanwhile
    assert later[2:6] == ["\\getenv user POSTGRES_USER", "\\getenv pw POSTGRES_PASSWORD", "ALTER ROLE postgres PASSWORD :'pw';",
                          'ALTER ROLE :"user" PASSWORD :\'pw\';']
    assert not any("pw-s3cret" in line for line in later)
    assert later[-1] == "postgres -D %s" % (tmp_path / "data")


def test_without_pgvector_no_extension_is_created(tmp_path: pathlib.Path) -> None:
    assert not any("CREATE EXTENSION" in line for line in start(tmp_path, "0"))
