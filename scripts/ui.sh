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

# Rebuild ui/dist only when a source is newer than it: the desktop shell embeds ui/dist, so a
# needless rebuild would make cargo recompile the shell.
build_if_stale() {
  if [ -f dist/index.html ] && [ -z "$(find src index.html package-lock.json vite.config.ts \
    svelte.config.js tsconfig.json -newer dist/index.html -print -quit 2>/dev/null)" ]; then
    echo "ui: dist is up to date"
  else
    npm run --silent build
  fi
}

case "${1:-build}" in
  build) build_if_stale ;;
  check)
    npm run --silent check
    npm test --silent
    build_if_stale
    npm run --silent e2e
    ;;
  *) echo "ui: unknown step '$1' (build or check)" >&2; exit 2 ;;
esac
