#!/usr/bin/env bash
# Installs the UI's npm packages (the locked versions) when they are missing or out of date,
# then builds the UI into ui/dist, which the desktop shell embeds at compile time.
# Usage: scripts/ui.sh [build|check]   check = svelte-check + vitest + build + browser checks
set -euo pipefail
cd "$(dirname "$0")/../ui"

stamp=node_modules/.threadline-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "ui: installing npm packages"
  # `npm install`, not `npm ci`: this machine's npm leaves other platforms' optional packages
  # (rollup's native builds) out of the lock file, which `npm ci` then refuses.
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

case "${1:-build}" in
  build) npm run --silent build ;;
  check)
    npm run --silent check
    npm test --silent
    npm run --silent build
    npm run --silent e2e
    ;;
  *) echo "ui: unknown step '$1' (build or check)" >&2; exit 2 ;;
esac
