#!/usr/bin/env bash
# Sets up whatever is missing, builds the desktop app and opens it on the bundled demo review
# (written to the user's data folder on first run). Pass a review file to open that instead.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh all
scripts/ui.sh build
cargo build -p threadline-desktop --locked
app=target/debug/threadline-desktop

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; running inside a virtual one (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$app" "$@"
fi
exec "$app" "$@"
