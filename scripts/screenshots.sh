#!/usr/bin/env bash
# Writes a PNG of every panel of the real app, opened on the demo review, to docs/screenshots/
# (or the folder given). Runs the debug build under its own Xvfb display with a throwaway
# home folder, so the user's recent files and data are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}

scripts/setup.sh all
scripts/ui.sh build
cargo build -p threadline-desktop -p threadline --locked
mkdir -p "$out"

work=$(mktemp -d)
cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/threadline demo "$work/demo.threadline" >/dev/null
exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
xvfb_pid=$!
read -r display <&3
export DISPLAY=":$display"

HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  target/debug/threadline-desktop "$work/demo.threadline" >"$work/app.log" 2>&1 &
app_pid=$!

# Wait for the window to show the review's title bar.
for _ in $(seq 1 60); do
  if xdotool search --name "demo.threadline" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
sleep 2

shot() { xwd -root -display "$DISPLAY" | /usr/bin/convert xwd:- "$out/$1.png"; echo "wrote $out/$1.png"; }
n=1
for panel in overview terms-of-reference sources chronology findings recommendations search; do
  xdotool key "ctrl+$n"
  sleep 1.5
  shot "$n-$panel"
  n=$((n + 1))
done
xdotool key ctrl+1
sleep 0.5
xdotool key ctrl+k
sleep 0.5
xdotool type --delay 40 "referral"
sleep 1.5
shot "8-search-palette"
