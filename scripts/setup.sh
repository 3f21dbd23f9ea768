#!/usr/bin/env bash
# Installs what this project needs on a fresh Debian/Ubuntu machine, and only what is missing,
# so that a machine that already has everything pays a few dpkg queries and nothing more.
# Usage: scripts/setup.sh [build|desktop|all]   (default: all)
set -euo pipefail

want=${1:-all}

# Build: Rust core (SQLCipher with vendored OpenSSL needs a C toolchain and perl) and the
# Tauri 2 shell (WebKitGTK).
build_pkgs=(build-essential pkg-config file perl libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev)
# Running the desktop app headless and looking at it; driving it in the end-to-end tests
# (WebKitWebDriver behind tauri-driver; xdotool answers the native file chooser).
desktop_pkgs=(xvfb xauth x11-apps imagemagick xdotool webkit2gtk-driver)
# UI checks in a real browser (Playwright drives Debian's Chromium; no browser is downloaded).
browser_pkgs=(chromium)
# Real Word and Excel files for the import tests, written by LibreOffice at test time; poppler
# turns exported documents into pictures to look at. The export tests read the exported Word
# files back with LibreOffice (to PDF, then pdftotext) and with python-docx, a second reader;
# Liberation fonts stand in for Arial with the same metrics, so the PDFs lay out as in Word.
office_pkgs=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils python3-docx fonts-liberation2)

pkgs=("${build_pkgs[@]}")
case "$want" in
  build) ;;
  desktop) pkgs+=("${desktop_pkgs[@]}") ;;
  all) pkgs+=("${desktop_pkgs[@]}" "${browser_pkgs[@]}" "${office_pkgs[@]}") ;;
  *) echo "setup: unknown target '$want' (build, desktop or all)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing; install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# The end-to-end tests (src-tauri/tests/e2e.rs) reach WebKitWebDriver through tauri-driver.
if [ "$want" != build ] && ! command -v tauri-driver >/dev/null 2>&1 \
  && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked
fi
