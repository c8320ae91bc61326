#!/usr/bin/env bash
# Make sure a Docker engine answers on the local socket: install Debian's engine and start
# dockerd in the background when none runs (CI machines and fresh developer machines have none).
set -euo pipefail

log_dir="${AGNO_CACHE:-$HOME/.cache/agno-infra}"
mkdir -p "$log_dir"

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing Debian's docker.io engine" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: $log_dir/dockerd.log)" >&2
  nohup dockerd >"$log_dir/dockerd.log" 2>&1 &
fi

for _ in $(seq 1 60); do
  if engine_answers; then
    exit 0
  fi
  sleep 1
done
echo "ensure-docker: the Docker engine did not answer within 60 s; see $log_dir/dockerd.log" >&2
exit 1
