#!/usr/bin/env bash
# Build the collection tarball, install it into a fresh collections path, and render every
# module's documentation from there with ansible-doc: what a user installing the release sees.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.venv/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only the installed tarball may be visible, not the source checkout that `make` exports.
export ANSIBLE_COLLECTIONS_PATH="$work/collections"

"$bin/ansible-galaxy" collection build --force --output-path "$work" . >/dev/null
"$bin/ansible-galaxy" collection install --force -p "$work/collections" "$work"/agno-infra-*.tar.gz >/dev/null

count=0
for module in plugins/modules/*.py; do
  name=$(basename "$module" .py)
  # ansible-doc exits 0 with a warning for an unknown module: require its documentation heading too.
  if ! "$bin/ansible-doc" -t module "agno.infra.$name" >"$work/doc.txt" 2>&1 \
    || ! grep -q "agno.infra.$name" "$work/doc.txt" || grep -q "was not found" "$work/doc.txt"; then
    cat "$work/doc.txt"
    echo "check-docs: ansible-doc failed for agno.infra.$name" >&2
    exit 1
  fi
  if ! grep -q "EXAMPLES" "$work/doc.txt" || ! grep -q "RETURN VALUES" "$work/doc.txt"; then
    echo "check-docs: agno.infra.$name lacks EXAMPLES or RETURN" >&2
    exit 1
  fi
  count=$((count + 1))
done
echo "check-docs: ansible-doc rendered $count modules from the installed tarball"
