#!/usr/bin/env bash
# Fuzzes the readers of untrusted files with cargo fuzz (libFuzzer, nightly toolchain).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 600 seconds each, every target)
# Targets: docx, csv, xlsx, text (the import readers), load (JSON dumps) and markdown (a report
# section body through the citation scanner, the renderer and every report export) and pack
# (a return pack merged into a review, twice).
#
# Each run starts from the committed seeds (fuzz/seeds/TARGET) plus what earlier local runs
# found (fuzz/corpus/TARGET, not committed). A crash stops the run and is saved under
# fuzz/artifacts/TARGET/; copy it into fuzz/seeds/TARGET/ so the normal test run
# (tests/fuzz_seeds.rs) replays it for ever, then fix the reader.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(docx csv xlsx text load markdown pack)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 2
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== fuzz $t for ${seconds}s"
  # -rss_limit_mb: a reader that holds more than 2 GB for any input is a failure too.
  if ! (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1); then
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/" >&2
    status=1
  fi
done
exit $status
