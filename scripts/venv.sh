#!/usr/bin/env bash
# Create (or reuse) the project's virtualenv, keyed by the hash of requirements-dev.txt, and link it
# as .venv. Cached under $AGNO_CACHE so reruns and CI on the same machine skip the install.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${AGNO_CACHE:-$HOME/.cache/agno-infra}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3
key=$( (cat requirements-dev.txt; "$python" --version) | sha256sum | cut -c1-12)
venv="$cache/venv-$key"

if [ ! -x "$venv/bin/ansible-playbook" ] || [ ! -f "$venv/.complete" ]; then
  echo "venv: creating $venv" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r requirements-dev.txt
  touch "$venv/.complete"
fi
ln -sfn "$venv" .venv

# The collection must sit at ansible_collections/agno/infra for Ansible to load it from source.
mkdir -p .build/collections/ansible_collections/agno
ln -sfn "$PWD" .build/collections/ansible_collections/agno/infra
