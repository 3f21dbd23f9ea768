#!/usr/bin/env bash
# Start-up time and memory of the RELEASE desktop app, measured under its own Xvfb display
# with a throwaway home folder per launch (no recent files, no WebKit caches), so the user's
# data is never touched. Launches the app on the demo review and on the size-L bench review
# (target/bench-data/L-v1.threadline, generated when missing), each as the command-line
# argument, the way a file manager opens a file; then, to tell apart what costs what, the app
# with no review (its welcome screen), the Tauri floor (src-tauri/examples/tauri_floor.rs: Tauri
# with one window showing a heading and a line) and the WebKitGTK floor (examples/webkit_floor.rs:
# the same page in a bare GTK window). Prints a Markdown table, also written to
# target/desktop-bench.md, and leaves the settled screens in target/desktop-bench-*.png.
#
# Usage: scripts/desktop-bench.sh [runs]      (default 5 launches per review)
# The environment reaches the app; WEBKIT_*, JSC_*, GDK_GL and MALLOC_* variables are named in
# the report (the app sets its own rendering defaults only for those the user has not set; see
# src-tauri/src/webview.rs).
#
# Times, from launch:
#   title   a window whose title names the review file exists (the shell sets the title
#           once the review is open); polled with `xdotool search --name`;
#   paint   the page has painted: the window's area below the menu bar has more than 16
#           colours (the first frame is the UI's "Opening Threadline…" line);
#   panel   the Overview panel is complete: from this capture on, the screen looks like the
#           settled one (at most 0.2% of pixels differ by more than 2%).
# The screen is captured with `xwd -root` from the moment of launch, every 60-70 ms (50 ms
# of sleep plus the capture), until it has not changed for 5 s; a time is when the first
# capture showing the state ended, so it errs late by up to one interval, and the capture
# loop competes with the app for the cores.
#
# Memory, when the screen has been still for 5 s, summed over the app and the processes it
# started (WebKitWebProcess, WebKitNetworkProcess), in MiB:
#   VmRSS   resident pages; libraries the three processes share are counted in each;
#   Pss     shared pages divided among the processes mapping them (other WebKit programs
#           running on the machine lower it);
#   private Private_Clean + Private_Dirty: what quitting the app gives back.
# The last launch on each review also writes where the memory is, per process and mapping, to
# target/desktop-bench-{demo,large,welcome,tauri,floor}-memory.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "desktop-bench: runs must be a positive number" >&2; exit 2; }

scripts/setup.sh desktop
scripts/ui.sh build
nice -n 10 cargo build --release --locked -p threadline -p threadline-desktop --bins
# Apart: building the examples turns on the dev-dependencies' features (tokio's among them),
# which would change the app's symbol names and so its start-up layout (src-tauri/build.rs).
nice -n 10 cargo build --release --locked -p threadline-desktop --example webkit_floor --example tauri_floor
app=$root/target/release/threadline-desktop
floor_app=$root/target/release/examples/webkit_floor
tauri_floor_app=$root/target/release/examples/tauri_floor
large=$root/target/bench-data/L-v1.threadline
if [ ! -f "$large" ]; then
  echo "desktop-bench: generating the size-L review (about a minute)"
  nice -n 10 cargo bench --locked --bench scale -- L
fi

work=$(mktemp -d)
app_pid=
xvfb_pid=
cleanup() {
  if [ -n "$app_pid" ]; then stop_app; fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$root/target/release/threadline" demo "$work/demo.threadline" >/dev/null
# The app may write to the file it opens (journal, recent state); keep the cached L pristine.
cp "$large" "$work/large.threadline"

exec 3< <(exec Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
xvfb_pid=$!
read -r display <&3
export DISPLAY=":$display"

now_ms() { date +%s%3N; }


# The app's process and every process below it (the WebKit processes it starts).
tree_pids() {
  local pids=("$1") i=0 child
  while [ $i -lt ${#pids[@]} ]; do
    for child in $(pgrep -P "${pids[$i]}" || true); do pids+=("$child"); done
    i=$((i + 1))
  done
  echo "${pids[@]}"
}

# What is launched: a review file (the app opens it), "welcome" (the app with no review: its
# welcome screen), "tauri" (the Tauri floor) or "floor" (the WebKitGTK floor).
launch() { # review-file | welcome | tauri | floor
  local home
  home=$(mktemp -d "$work/home.XXXXXX")
  # A returning author: with no profile the window asks who is working, and the caret blinking
  # in that field keeps the screen from ever settling.
  mkdir -p "$home/config/org.threadline.desktop"
  echo '{"name": "Alison Greaves", "role": "author"}' >"$home/config/org.threadline.desktop/profile.json"
  local command
  case $1 in
    floor) command=("$floor_app") ;;
    tauri) command=("$tauri_floor_app") ;;
    welcome) command=("$app") ;;
    *) command=("$app" "$1") ;;
  esac
  HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
    "${command[@]}" >"$home/app.log" 2>&1 &
  app_pid=$!
}

# SIGTERM to the app and the WebKit processes it started; waits until they are gone.
stop_app() {
  local pids p alive
  pids=$(tree_pids "$app_pid")
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive=0
    for p in $pids; do
      if [ -e "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]; then alive=1; fi
    done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

# "rss pss uss processes": VmRSS, Pss and private (Private_Clean + Private_Dirty) memory in
# KiB, summed over the app's live processes.
memory() {
  local p rss=0 pss=0 uss=0 n=0 v w u
  for p in $(tree_pids "$app_pid"); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    w=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    u=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    [ -n "$v" ] && [ -n "$w" ] && [ -n "$u" ] || continue
    rss=$((rss + v))
    pss=$((pss + w))
    uss=$((uss + u))
    n=$((n + 1))
  done
  echo "$rss $pss $uss $n"
}

# How many processes outside the app's tree map WebKitGTK (another WebKit app, or another test
# suite's app): they share library pages with the app's processes and so lower its Pss and
# private figures (VmRSS does not change).
others() {
  local mine f p n=0
  mine=" $(tree_pids "$app_pid") "
  for f in /proc/[0-9]*/maps; do
    p=${f#/proc/}
    p=${p%/maps}
    case "$mine" in *" $p "*) continue ;; esac
    if grep -qs libwebkit2gtk "$f"; then n=$((n + 1)); fi
  done
  echo "$n"
}

# Where each process's memory is: per process its totals, then the mappings with the most Pss
# (files by name; anonymous memory, heap and stacks together), in MiB.
breakdown() {
  local p
  for p in $(tree_pids "$app_pid"); do
    [ -r "/proc/$p/smaps" ] || continue
    awk -v comm="$(cat "/proc/$p/comm" 2>/dev/null)" -v pid="$p" '
      /^[0-9a-f]+-[0-9a-f]+ / {
        name = $6
        if (name == "" || name ~ /^\[(heap|stack|anon)/) name = "[anonymous, heap, stacks]"
        else if (name ~ /^\//) { n = split(name, parts, "/"); name = parts[n] }
        next
      }
      $1 == "Rss:" { rss[name] += $2; trss += $2 }
      $1 == "Pss:" { pss[name] += $2; tpss += $2 }
      $1 == "Private_Clean:" || $1 == "Private_Dirty:" { prv[name] += $2; tprv += $2 }
      END {
        printf "%s (pid %s): VmRSS %.1f, Pss %.1f, private %.1f\n", comm, pid, trss / 1024, tpss / 1024, tprv / 1024
        for (k in pss) printf "%10.1f %10.1f %10.1f  %s\n", pss[k] / 1024, rss[k] / 1024, prv[k] / 1024, k | "sort -rn | head -12"
        close("sort -rn | head -12")
      }' "/proc/$p/smaps"
  done
}

# Unique colours in the window's area below the menu bar.
colours() { /usr/bin/convert "$1" -crop 1280x760+0+40 +repage -format %k info:; }
# True when at most 0.2% of the pixels differ by more than 2% of the colour range.
alike() {
  local ae
  ae=$(/usr/bin/compare -metric AE -fuzz 2% "$1" "$2" null: 2>&1 || true)
  awk -v ae="${ae%% *}" -v limit=$((1280 * 800 * 2 / 1000)) 'BEGIN {exit !(ae + 0 <= limit)}'
}

# One launch on a review file; the screen is captured until it has not changed for 5 s,
# keeping only the captures that differ from the one before. Prints
# "title_ms paint_ms panel_ms rss_kib pss_kib uss_kib processes others" into $result (not a subshell, so that
# the exit trap can stop the app), leaves the settled screen in $2 and where the memory is in $3.
run() { # review-file settled.png memory-breakdown.txt
  local file=$1 name frames t0 t t_title='' i=0 last=0 prev='' mem
  name=$(basename "$file")
  case $file in
    floor) name="WebKitGTK floor" ;;
    tauri) name="Tauri floor" ;;
    welcome) name="Threadline" ;;
  esac
  frames=$work/frames
  rm -rf "$frames"
  mkdir -p "$frames"
  t0=$(now_ms)
  launch "$file"
  while :; do
    xwd -root -silent >"$frames/$i.xwd"
    t=$(($(now_ms) - t0))
    if [ -n "$prev" ] && cmp -s "$frames/$i.xwd" "$prev"; then
      rm "$frames/$i.xwd"
    else
      echo "$i $t" >>"$frames/changes"
      prev=$frames/$i.xwd
      last=$t
    fi
    if [ -z "$t_title" ] && xdotool search --name "$name" >/dev/null 2>&1; then
      t_title=$(($(now_ms) - t0))
    fi
    i=$((i + 1))
    if [ -n "$t_title" ] && [ $((t - last)) -ge 5000 ] && [ "$(colours "$prev")" -gt 16 ]; then break; fi
    if [ "$t" -ge 90000 ]; then echo "desktop-bench: $name: the window did not settle in 90 s" >&2; exit 1; fi
    sleep 0.05
  done
  # Memory is measured alone: wait (up to 2 min) while other WebKit programs run.
  local others_now waited=0
  others_now=$(others)
  while [ "$others_now" -gt 0 ] && [ $waited -lt 120 ]; do
    sleep 2
    waited=$((waited + 2))
    others_now=$(others)
  done
  mem="$(memory) $others_now"
  { echo "     Pss      VmRSS    private  mapping (MiB)"; breakdown; } >"$3"
  stop_app
  local final=$prev t_paint='' t_panel='' k ft
  /usr/bin/convert "$final" "$2"
  while read -r k ft; do
    if [ "$(colours "$frames/$k.xwd")" -gt 16 ]; then t_paint=$ft; break; fi
  done <"$frames/changes"
  # The earliest capture from which the screen already looks settled.
  while read -r k ft; do
    alike "$frames/$k.xwd" "$final" || break
    t_panel=$ft
  done < <(tac "$frames/changes")
  rm -rf "$frames"
  result="$t_title $t_paint $t_panel $mem"
}

# "median max" of the numbers on stdin.
stats() { sort -n | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %d\n", m, v[NR]}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

results=$root/target/desktop-bench.md
{
  echo "Release build, Xvfb 1280×800×24, a fresh home folder per launch; $runs launches each."
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%d);" \
    "load average before the runs $(cut -d' ' -f1-3 /proc/loadavg)."
  webkit_env=$(env | grep -E '^(WEBKIT_|JSC_|GDK_GL=|MALLOC_)' | sort | paste -sd' ' || true)
  [ -z "$webkit_env" ] || echo "Rendering and engine settings from the environment: \`$webkit_env\`."
  # The release link lays out these functions first (src-tauri/build.rs); names the binary no
  # longer has (after a compiler or dependency update) are skipped: scripts/startup-order.sh.
  echo "Start-up layout: $(scripts/startup-order.sh check "$app")."
  echo
  echo "| review | measure | median | max | runs |"
  echo "|---|---|---:|---:|---|"
} >"$results"

for review in demo large welcome tauri floor; do
  file=$work/$review.threadline
  case $review in welcome | tauri | floor) file=$review ;; esac
  size=$([ -f "$file" ] && du -h "$file" | cut -f1 || echo "no review")
  echo "desktop-bench: $runs launches on $review ($size)" >&2
  : >"$work/$review.runs"
  for n in $(seq 1 "$runs"); do
    run "$file" "$root/target/desktop-bench-$review.png" "$root/target/desktop-bench-$review-memory.txt"
    line=$result
    echo "  run $n: title ${line%% *} ms; $(echo "$line" | awk '{printf "paint %s ms, panel %s ms, RSS %.0f MiB, PSS %.0f MiB, private %.0f MiB, %s processes, %s other WebKit processes", $2, $3, $4/1024, $5/1024, $6/1024, $7, $8}')" >&2
    echo "$line" >>"$work/$review.runs"
  done
  case $review in
    demo) label="demo (S)" ;;
    large) label="size L ($(du -h "$large" | cut -f1))" ;;
    welcome) label="no review (welcome screen)" ;;
    tauri) label="Tauri floor" ;;
    floor) label="webview floor" ;;
  esac
  col() { awk -v c="$1" '{print $c}' "$work/$review.runs"; }
  each() { col "$1" | paste -sd, | sed 's/,/, /g'; }
  row() { # column label unit
    local s m x
    s=$(col "$1" | stats)
    m=${s% *}
    x=${s#* }
    if [ "$3" = MiB ]; then
      # A run measured while other WebKit programs ran is marked with *.
      echo "| $label | $2 | $(mib "$m") MiB | $(mib "$x") MiB | $(awk -v c="$1" '{printf "%.0f%s\n", $c / 1024, ($8 > 0 ? "*" : "")}' "$work/$review.runs" | paste -sd, | sed 's/,/, /g') |"
    else
      echo "| $label | $2 | $m ms | $x ms | $(each "$1") |"
    fi
  }
  titled="launch → window titled with the file"
  complete="launch → Overview panel complete"
  if [ ! -f "$file" ]; then
    titled="launch → window titled"
    complete="launch → page complete"
  fi
  {
    row 1 "$titled" ms
    row 2 "launch → first paint of the page" ms
    row 3 "$complete" ms
    row 4 "resident memory (VmRSS sum, 5 s after settled)" MiB
    row 5 "proportional memory (Pss sum)" MiB
    row 6 "private memory (Private_Clean + Private_Dirty sum)" MiB
  } >>"$results"
done
echo >>"$results"
if cat "$work"/*.runs | awk '$8 > 0 {found = 1} END {exit !found}'; then
  echo "Runs marked * were measured while other programs using WebKitGTK were running (they" \
    "share library pages with the app, which lowers its Pss and private figures)." >>"$results"
fi
echo "Settled screens: target/desktop-bench-{demo,large,welcome,tauri,floor}.png;" \
  "where the memory is (last launch of each): target/desktop-bench-{demo,large,welcome,tauri,floor}-memory.txt." >>"$results"
cat "$results"
