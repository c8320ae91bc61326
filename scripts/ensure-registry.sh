#!/usr/bin/env bash
# Start a local Docker registry (Debian's docker-registry, distribution 2.x) for the push tests: install it (and
# htpasswd) when missing, serve DIR's filesystem storage on 127.0.0.1:PORT with bcrypt htpasswd basic auth for USER,
# whose password is read from the REGISTRY_PASSWORD environment variable (never from the command line), and log to
# DIR/registry.log. Prints the registry's process id once it answers; the caller stops it (kill PID).
# Usage: REGISTRY_PASSWORD=... scripts/ensure-registry.sh DIR PORT USER
set -euo pipefail

dir="$1" port="$2" user="$3"
: "${REGISTRY_PASSWORD:?set REGISTRY_PASSWORD to the password of $user}"

if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1; then
  echo "ensure-registry: installing Debian's docker-registry and apache2-utils" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >/dev/null
fi

mkdir -p "$dir/storage"
printf '%s' "$REGISTRY_PASSWORD" | htpasswd -Bin "$user" >"$dir/htpasswd" 2>/dev/null
cat >"$dir/config.yml" <<CONFIG
version: 0.1
log: {level: info}
storage: {filesystem: {rootdirectory: $dir/storage}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
auth: {htpasswd: {realm: agno-it, path: $dir/htpasswd}}
CONFIG

setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 100); do
  # Any HTTP answer (401 without credentials) means it serves.
  if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" 2>/dev/null | grep -q '^[1-5]'; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "ensure-registry: the registry exited; see $dir/registry.log" >&2
    exit 1
  fi
  sleep 0.1
done
kill "$pid"
echo "ensure-registry: the registry did not answer on 127.0.0.1:$port within 10 s; see $dir/registry.log" >&2
exit 1
