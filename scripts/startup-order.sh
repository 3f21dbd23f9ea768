#!/usr/bin/env bash
# Writes src-tauri/startup-order.txt: the functions of the release desktop binary that run
# from launch until the demo's Overview panel has settled, found by running the app once under
# valgrind's callgrind on its own Xvfb display, with a throwaway home folder.
#
# The release link places these functions first and together (src-tauri/build.rs), so that
# start-up maps a few megabytes of the binary's code rather than most of its pages. The names
# carry the hashes of this compiler and these dependency versions; after a compiler or
# dependency update, names no longer found are skipped by the linker and the layout gets
# worse, which scripts/desktop-bench.sh and scripts/package.sh report ("start-up layout:
# N of the M functions … are in threadline-desktop").
# Run this script again then, and commit the new list.
#
# Usage: scripts/startup-order.sh            write the list
#        scripts/startup-order.sh check BIN  print how many listed functions BIN has
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/src-tauri/startup-order.txt

# The listed names (file $1) that binary $2's symbol table has, one per line.
found_in() {
  grep -v '^#' "$1" | LC_ALL=C sort -u \
    | LC_ALL=C comm -12 - <(nm --defined-only "$2" 2>/dev/null | awk '{print $3}' | LC_ALL=C sort -u)
}

if [ "${1:-}" = check ]; then
  [ -f "${2:-}" ] || { echo "startup-order: usage: scripts/startup-order.sh check BINARY" >&2; exit 2; }
  echo "$(found_in "$out" "$2" | wc -l) of the $(grep -vc '^#' "$out") functions in" \
    "src-tauri/startup-order.txt are in $(basename "$2")"
  exit 0
fi

scripts/setup.sh desktop
command -v valgrind >/dev/null || {
  echo "startup-order: valgrind is needed (apt install valgrind)" >&2
  exit 1
}
scripts/ui.sh build
cargo build --release --locked -p threadline -p threadline-desktop --bins
app=$root/target/release/threadline-desktop
if ! nm "$app" >/dev/null 2>&1; then
  echo "startup-order: $app has no symbol table (the release profile must keep symbols)" >&2
  exit 1
fi

work=$(mktemp -d)
vg_pid=
xvfb_pid=
cleanup() {
  if [ -n "$vg_pid" ]; then
    pkill -P "$vg_pid" 2>/dev/null || true
    kill "$vg_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$root/target/release/threadline" demo "$work/demo.threadline" >/dev/null
exec 3< <(exec Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
xvfb_pid=$!
read -r display <&3
export DISPLAY=":$display"

home=$work/home
mkdir -p "$home/config/org.threadline.desktop"
# A returning author, as in desktop-bench: no who-is-working prompt.
echo '{"name": "Alison Greaves", "role": "author"}' >"$home/config/org.threadline.desktop/profile.json"
HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.%p" \
  "$app" "$work/demo.threadline" >"$work/valgrind.log" 2>&1 &
vg_pid=$!

# Settled: the window exists and the screen has not changed for 10 s (captures 2 s apart).
echo "startup-order: launching the app under callgrind (a minute or two)" >&2
prev='' still=0 waited=0
while [ $still -lt 10 ]; do
  sleep 2
  waited=$((waited + 2))
  if [ $waited -ge 300 ]; then
    echo "startup-order: the window did not settle in 5 minutes; valgrind said:" >&2
    tail -20 "$work/valgrind.log" >&2
    exit 1
  fi
  xdotool search --name demo.threadline >/dev/null 2>&1 || continue
  shot=$(xwd -root -silent | md5sum)
  if [ "$shot" = "$prev" ]; then still=$((still + 2)); else still=0; fi
  prev=$shot
done
callgrind_control --dump "$vg_pid" >/dev/null

# Function names that had a cost in the desktop binary itself ("ob=" names the object of the
# "fn=" lines below it; names are given once, with their number, then by number alone).
# Callgrind marks recursion depth with 'N; addresses without a symbol are dropped.
{
  echo "# Functions of threadline-desktop run from launch to the demo's settled Overview panel,"
  echo "# for the linker's --symbol-ordering-file (src-tauri/build.rs)."
  echo "# Written by scripts/startup-order.sh with $(rustc --version | cut -d' ' -f1-2)."
  awk '
    FNR == 1 { delete obname; delete fnname; ours = 0 }
    /^c?(ob|fn)=\(/ {
      lp = index($0, "("); rp = index($0, ")")
      id = substr($0, lp + 1, rp - lp - 1)
      name = substr($0, rp + 2)
      if ($0 ~ /^c?ob=/) {
        if (name != "") obname[id] = name
        if ($0 ~ /^ob=/) ours = (obname[id] ~ /threadline-desktop$/)
      } else {
        if (name != "") fnname[id] = name
        if ($0 ~ /^fn=/ && ours) print fnname[id]
      }
    }
  ' "$work"/callgrind.* | sed "s/'[0-9]*\$//" | grep -v -e '^0x' -e '^(' | LC_ALL=C sort -u
} >"$work/order.txt"

found=$(found_in "$work/order.txt" "$app" | wc -l)
total=$(grep -vc '^#' "$work/order.txt")
if [ "$total" -lt 500 ]; then
  echo "startup-order: only $total functions were recorded; the list was not written" >&2
  exit 1
fi
mv "$work/order.txt" "$out"
echo "startup-order: $total functions ($found found in the binary's symbol table) in $out" >&2
