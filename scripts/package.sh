#!/usr/bin/env bash
# Builds the release desktop app and packages it as a Debian package with the Tauri bundler,
# then checks what the package holds. Prints the path of the .deb at the end.
#
#   scripts/package.sh            -> target/release/bundle/deb/Threadline_<version>_amd64.deb
#   sudo apt install ./target/release/bundle/deb/Threadline_<version>_amd64.deb
#
# The package installs /usr/bin/threadline-desktop, a desktop entry that opens `.threadline`
# files (MimeType=application/x-threadline, Exec=... %f), the icon in four sizes, and a
# shared-mime-info definition so the desktop recognises `*.threadline` files (by name, and by
# content: an SQLite file whose application id is "THLN"). Debian's triggers refresh the MIME
# and desktop databases on install and removal; no maintainer scripts are needed.
#
# The Tauri CLI is the npm package (it ships a prebuilt binary; `cargo install tauri-cli`
# takes minutes), installed into target/tauri-cli so the UI's package.json stays as it is.
# Only the deb is built: the AppImage bundler downloads tools from the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cli_version=2.12.5
cli_dir=$root/target/tauri-cli
cli=$cli_dir/node_modules/.bin/tauri
gen=$root/target/package

scripts/setup.sh build
scripts/ui.sh build

if [ ! -x "$cli" ] || [ "$("$cli" --version 2>/dev/null)" != "tauri-cli $cli_version" ]; then
  echo "package: installing @tauri-apps/cli@$cli_version into target/tauri-cli"
  mkdir -p "$cli_dir"
  npm install --prefix "$cli_dir" --no-audit --no-fund --loglevel=error \
    "@tauri-apps/cli@$cli_version"
fi

version=$(node -p 'require("./src-tauri/tauri.conf.json").version')
product=$(node -p 'require("./src-tauri/tauri.conf.json").productName')
mime_type=application/x-threadline
bin=threadline-desktop

# The two packaging files the bundler does not write itself, and the configuration that adds
# them to the deb (merged over src-tauri/tauri.conf.json for this build only).
mkdir -p "$gen"

# The desktop entry (a Handlebars template filled in by the bundler). The default template
# has no field code in Exec, so a file manager could not hand the app the file to open; %f
# passes one local path, which the app opens at start.
cat >"$gen/desktop.hbs" <<'EOF'
[Desktop Entry]
Type=Application
Name={{name}}
GenericName=Case review workbench
{{#if comment}}
Comment={{comment}}
{{/if}}
Exec={{exec}} %f
TryExec={{exec}}
Icon={{icon}}
Terminal=false
Categories={{categories}}
Keywords=safeguarding;case review;chronology;findings;recommendations;
StartupWMClass={{exec}}
{{#if mime_type}}
MimeType={{mime_type}};
{{/if}}
EOF

# shared-mime-info: `*.threadline` by name; by content, an SQLite 3 file whose header carries
# the application id "THLN" (offset 68, big-endian), above plain SQLite's priority of 50.
cat >"$gen/threadline-mime.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="$mime_type">
    <comment>Threadline review</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="$bin"/>
    <glob pattern="*.threadline"/>
    <magic priority="60">
      <match type="string" value="SQLite format 3" offset="0">
        <match type="big32" value="0x54484c4e" offset="68"/>
      </match>
    </magic>
  </mime-type>
</mime-info>
EOF

cat >"$gen/deb.json" <<EOF
{
  "bundle": {
    "linux": {
      "deb": {
        "desktopTemplate": "$gen/desktop.hbs",
        "files": {
          "/usr/share/mime/packages/$bin.xml": "$gen/threadline-mime.xml"
        }
      }
    }
  }
}
EOF

# The CLI finds src-tauri/tauri.conf.json by searching below the working directory; running
# it from src-tauri leaves no doubt. Arguments after `--` go to `cargo build --release`.
# Niced: on a shared machine the long release build should not starve other work.
(cd src-tauri && nice -n 10 "$cli" build --ci --bundles deb --config "$gen/deb.json" -- --locked)

deb=$root/target/release/bundle/deb/${product}_${version}_amd64.deb
[ -f "$deb" ] || { echo "package: expected $deb, not found" >&2; exit 1; }

# Check the package: unpack it into a throwaway folder and look for every promised part.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
dpkg-deb -x "$deb" "$check"
fail() { echo "package: $*" >&2; exit 1; }
desktop=$check/usr/share/applications/$product.desktop
[ -x "$check/usr/bin/$bin" ] || fail "no /usr/bin/$bin in the package"
[ -f "$desktop" ] || fail "no desktop entry usr/share/applications/$product.desktop"
grep -qx "MimeType=$mime_type;" "$desktop" || fail "the desktop entry lacks MimeType=$mime_type;"
grep -qx "Exec=$bin %f" "$desktop" || fail "the desktop entry's Exec does not take a file (%f)"
grep -qx "Icon=$bin" "$desktop" || fail "the desktop entry names no icon"
for size in 32x32 64x64 128x128 256x256; do
  [ -f "$check/usr/share/icons/hicolor/$size/apps/$bin.png" ] || fail "no $size icon"
done
grep -q '<glob pattern="\*.threadline"/>' "$check/usr/share/mime/packages/$bin.xml" \
  || fail "no shared-mime-info definition for *.threadline"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends
echo "package: contents checked"
# The start-up layout (src-tauri/build.rs) holds as long as the binary has the listed names.
echo "package: start-up layout: $(scripts/startup-order.sh check "$root/target/release/$bin")"
echo "$deb"
