#!/usr/bin/env bash
# Sets up whatever is missing, then runs every check and test: formatting, clippy with
# warnings as errors, and the whole workspace's tests. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh all

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
echo "== all checks passed"
