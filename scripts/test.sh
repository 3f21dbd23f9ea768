#!/usr/bin/env bash
# Sets up whatever is missing, then runs every check and test: formatting, clippy with
# warnings as errors, and the whole workspace's tests. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh all

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
echo "== UI: svelte-check, vitest, build"
scripts/ui.sh check
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
echo "== generated IPC types are committed and current"
if ! git diff --quiet -- ui/src/lib/types || [ -n "$(git ls-files --others --exclude-standard ui/src/lib/types)" ]; then
  git status --short -- ui/src/lib/types
  echo "test: ui/src/lib/types is stale: run cargo test and commit the regenerated files" >&2
  exit 1
fi
echo "== the browser checks' fixture matches what the core answers"
ui/e2e/fixtures/regenerate.sh --check
echo "== all checks passed"
