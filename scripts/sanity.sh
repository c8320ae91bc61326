#!/usr/bin/env bash
# Run every `ansible-test sanity` test, with no ignore file, on a copy of the collection laid out
# as ansible_collections/agno/infra. ansible-test fetches get-pip from a host this network cannot
# reach, so a stand-in that uses ensurepip is put in its cache first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache="${AGNO_CACHE:-$HOME/.cache/agno-infra}"

# The pip version ansible-test bootstraps is pinned in its source as `pip='X.Y'`.
pip_version=$(sed -n "s/^ *pip='\([0-9.]*\)',\?$/\1/p" \
  "$("$root/.venv/bin/python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -n1)
stand_in_dir="$HOME/.ansible/test/cache"
mkdir -p "$stand_in_dir"
stand_in='import subprocess, sys
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
'
if [ -z "$pip_version" ]; then
  echo "sanity: cannot find the pip version ansible-test bootstraps" >&2; exit 1
fi
printf '%s' "$stand_in" >"$stand_in_dir/get_pip_${pip_version//./_}.py"

# ansible-test skips its shellcheck test when the program is missing: install it so that every test runs.
if ! command -v shellcheck >/dev/null 2>&1; then
  (apt-get install -y -qq shellcheck || { apt-get update -qq && apt-get install -y -qq shellcheck; }) >/dev/null
fi

mkdir -p "$cache"
run_dir=$(mktemp -d "$cache/sanity.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT
copy="$run_dir/ansible_collections/agno/infra"
mkdir -p "$copy"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$copy" -xf -
cd "$copy"
rm -rf .git && git init -q && git add -A >/dev/null
"$root/.venv/bin/ansible-test" sanity --venv --python 3.11 --color no "$@"
