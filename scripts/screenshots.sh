#!/usr/bin/env bash
# Writes a PNG of every panel of the real app, opened on the demo review (with a first draft
# issued and two verdicts on it), the publication view, the Review panel, the search palette,
# the Export dialog and the two import dialogs (a Word IMR's summary, a spreadsheet chronology's mapping preview) to
# docs/screenshots/ (or the folder given). Runs the debug build under its own Xvfb display with a
# throwaway home folder, so the user's recent files and data are never touched.
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
# A first draft issued by the author, and the chair's verdicts on two of its sections.
target/debug/threadline draft issue "$work/demo.threadline" --as "Alison Greaves" --role author >/dev/null
target/debug/threadline approve "$work/demo.threadline" --section "Why this review was undertaken" \
  --draft 1 --state approved --as "Martin Osei" --role chair >/dev/null
target/debug/threadline approve "$work/demo.threadline" --section "What must change" --draft 1 \
  --state changes-requested --note "Say which actions are complete." --as "Martin Osei" --role chair >/dev/null
# Who is working, as on a machine past its first start (the app asks otherwise).
mkdir -p "$work/config/org.threadline.desktop"
echo '{"name": "Alison Greaves", "role": "author"}' >"$work/config/org.threadline.desktop/profile.json"
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
for panel in overview terms-of-reference sources chronology findings recommendations; do
  xdotool key "ctrl+$n"
  sleep 1.5
  shot "$n-$panel"
  n=$((n + 1))
done
xdotool key ctrl+9
sleep 1.5
shot "7-search"
xdotool key ctrl+7
sleep 2
shot "11-report"
xdotool key ctrl+shift+p
sleep 2
shot "15-publication-view"
xdotool key ctrl+shift+p
sleep 0.5
xdotool key ctrl+8
sleep 2
shot "12-checks"
xdotool key ctrl+1
sleep 0.5
xdotool key ctrl+k
sleep 0.5
xdotool type --delay 40 "referral"
sleep 1.5
shot "8-search-palette"
xdotool key Escape
sleep 0.5

# The import dialogs. Files to import: a Word document LibreOffice wrote (the docx fuzzer's seed),
# named as the police's re-issued IMR, and a spreadsheet chronology from a new agency.
cp fuzz/seeds/docx/libreoffice.docx "$work/Northmoor Police IMR v2.docx"
cat >"$work/housing chronology.csv" <<'CSV'
Date;Agency;What happened;Reference;Significance
14/01/2019;Moorland Homes;Tenancy started: mother and Sibling 1 moved into the flat.;Housing file 1;Routine
Sept 2019;Moorland Homes;Neighbour complained of shouting late at night and a letter was sent to the tenant.;Housing file 4;Significant
03/02/2020;Moorland Homes;Repairs visit: officer saw a hole in a bedroom door and did not ask how it was made.;Repairs log 211;Significant
c. summer 2020;Moorland Homes;Rent arrears letter. The mother said a partner was helping with money.;Housing file 9;Routine
?/10/2020;Moorland Homes;Second noise complaint logged and no visit made.;Housing file 12;Significant
12/03/2021;Moorland Homes;Tenancy review at the flat. Adult D was present and answered for the mother.;Housing file 15;Key practice episode
early 2022;Moorland Homes;Gas safety check. The engineer noted a child's cot in the living room.;Gas log 88;Routine
31/02/2022;Moorland Homes;Letter about a broken window.;Housing file 19;Routine
CSV

# The native file chooser titled "Import a file": type the path, as a user would.
choose_import() {
  local win=""
  for _ in $(seq 1 40); do
    win=$(xdotool search --onlyvisible --name '^Import a file$' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 0.25
  done
  [ -n "$win" ] || { echo "screenshots: the import chooser did not open" >&2; exit 1; }
  xdotool windowfocus "$win"; sleep 0.3
  xdotool key --clearmodifiers ctrl+l; sleep 0.4
  xdotool key --clearmodifiers ctrl+a
  xdotool type --delay 20 "$1"; sleep 0.4
  xdotool key Return
  sleep 0.5
}
# Keys for the app's window (the menu's accelerators need it focused once a chooser is gone).
app_keys() {
  xdotool windowfocus "$(xdotool search --onlyvisible --name 'Threadline$' | head -1)"
  sleep 0.2
  xdotool key --clearmodifiers "$@"
}

app_keys ctrl+3
sleep 1
app_keys ctrl+i
choose_import "$work/Northmoor Police IMR v2.docx"
xdotool mousemove 1279 799
sleep 1.5
app_keys Return   # the form's title field has the focus: Enter imports
sleep 2.5
shot "9-import-document-summary"
app_keys Escape
sleep 0.5
app_keys ctrl+4
sleep 1
app_keys ctrl+i
choose_import "$work/housing chronology.csv"
# The pointer away from the dialog, so no tooltip of the panel under it shows.
xdotool mousemove 1279 799
sleep 2
shot "10-import-chronology-preview"
app_keys Escape
sleep 0.5

# The register, from the View menu (it has no Ctrl+digit), then File › Export….
app_keys alt+v
sleep 0.5
xdotool key --clearmodifiers n
sleep 2
shot "13-register"
app_keys ctrl+e
sleep 2
shot "14-export"
app_keys Escape
sleep 0.5

# The Review panel, from the View menu: issue a draft first so there is one to read.
app_keys alt+v
sleep 0.5
xdotool key --clearmodifiers v
sleep 2
shot "16-review"
