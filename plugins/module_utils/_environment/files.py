# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build files the docker target writes into its build contexts: app, Postgres and Redis images.

They live in module_utils (not in a role's files/) because the module that renders an environment
runs on the Docker host and has no access to the controller's role files.
"""

from __future__ import annotations

import typing as t

CA_DIR = ".agno-ca"
APP_UID = 10001
# Where an app's code lives in its image, and where docker.reload mounts the app's source instead.
APP_DIR = "/app"
# What docker.reload adds to a Celery worker's image: the watcher that restarts it on a saved file.
RELOAD_PACKAGES = ("watchfiles==1.0.5",)

# Every app image starts with the same layers, so the legacy builder reuses them across apps.
APP_DOCKERFILE = """\
FROM {base_image}
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
# Extra CAs (for networks behind a TLS-intercepting proxy) are trusted by apt, pip and the app alike.
COPY {ca_dir}/ /usr/local/share/ca-certificates/agno/
RUN update-ca-certificates
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \\
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt HOME=/tmp
RUN python3 -m venv /opt/venv
WORKDIR {app_dir}
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt{packages}
COPY . .
RUN useradd --system --uid {uid} --no-create-home --home-dir /tmp app
USER {uid}
"""


def app_dockerfile(base_image: str, packages: t.Sequence[str] = ()) -> str:
    """The Dockerfile of an app whose source has none; packages are installed beside its requirements."""
    return APP_DOCKERFILE.format(base_image=base_image, ca_dir=CA_DIR, uid=APP_UID, app_dir=APP_DIR,
                                 packages="".join(" " + package for package in packages))


POSTGRES_DOCKERFILE = """\
FROM {base_image}
ARG DEBIAN_FRONTEND=noninteractive
ARG PGVECTOR=0
# PostgreSQL 17 and pgvector come from Debian trixie: bookworm ships no pgvector package.
RUN sed -i 's/bookworm/trixie/g' /etc/apt/sources.list && apt-get update \\
 && apt-get install -y --no-install-recommends postgresql-17 $([ "$PGVECTOR" = 1 ] && echo postgresql-17-pgvector) \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /var/lib/postgresql/data /run/postgresql \\
 && chown -R postgres:postgres /var/lib/postgresql /run/postgresql
COPY entrypoint.sh /usr/local/bin/agno-postgres
ENV PATH=/usr/lib/postgresql/17/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
ENTRYPOINT ["sh", "/usr/local/bin/agno-postgres"]
"""

# First start: initdb (the superuser's password from a temporary file), the app's role and database, and pgvector.
# Every start: both roles take POSTGRES_PASSWORD, so that a rotated password reaches a database that exists already
# (the container is recreated with it); psql reads it from the environment (its \getenv), never from its command line.
POSTGRES_ENTRYPOINT = """\
#!/bin/sh
set -eu
first_start=0
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  first_start=1
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
fi
# Local connections only until the password is in place: no client can log in with the previous one meanwhile.
pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w -t 600 start >/dev/null
if [ "$first_start" = 1 ]; then
  psql -q -v ON_ERROR_STOP=1 -U postgres -d postgres <<'SQL'
\\getenv user POSTGRES_USER
\\getenv database POSTGRES_DB
CREATE ROLE :"user" LOGIN;
CREATE DATABASE :"database" OWNER :"user";
SQL
  if [ "${PGVECTOR:-0}" = 1 ]; then
    psql -q -v ON_ERROR_STOP=1 -U postgres -d "$POSTGRES_DB" -c "CREATE EXTENSION IF NOT EXISTS vector"
  fi
fi
psql -q -v ON_ERROR_STOP=1 -U postgres -d postgres <<'SQL'
\\getenv user POSTGRES_USER
\\getenv pw POSTGRES_PASSWORD
ALTER ROLE postgres PASSWORD :'pw';
ALTER ROLE :"user" PASSWORD :'pw';
SQL
pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
exec postgres -D "$PGDATA"
"""

REDIS_DOCKERFILE = """\
FROM {base_image}
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /data && chown redis:redis /data
USER redis
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data", "--appendonly", "yes"]
"""
