#!/usr/bin/env bash
# Build the web app (frontend/ → frontend/dist, which `roa2web serve` serves at / via SPA_DIR).
#   bash scripts/build_spa.sh           install dependencies when needed, build, print the initial JS size
#   bash scripts/build_spa.sh --check   also: the API types match frontend/openapi.json, type check, lint, unit tests
# Needs Node.js >= 20.19 and npm; without them it says how to get them and exits 3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CHECK=0
case "${1:-}" in
  "") ;;
  --check) CHECK=1 ;;
  *) echo "usage: bash scripts/build_spa.sh [--check]" >&2; exit 2 ;;
esac

no_node() {
  echo "scripts/build_spa.sh: $1" >&2
  echo "  The web app needs Node.js 20 LTS (>= 20.19) with npm: install it from https://nodejs.org/" \
       "or your distribution's packages (e.g. apt-get install nodejs npm, when it offers version 20 or later)," >&2
  echo "  then run: bash scripts/build_spa.sh" >&2
  exit 3
}
command -v node >/dev/null 2>&1 || no_node "node is not installed"
command -v npm >/dev/null 2>&1 || no_node "npm is not installed"
node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
         process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)' \
  || no_node "node $(node --version) is too old"

cd frontend
# npm writes node_modules/.package-lock.json on every install: older than package-lock.json means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (frontend)"
  npm ci --no-audit --no-fund
fi

if [ "$CHECK" = 1 ]; then
  echo "== the API types are generated from frontend/openapi.json"
  npm run --silent gen:api
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git diff --exit-code -- src/shared/api/schema.d.ts || {
      echo "scripts/build_spa.sh: src/shared/api/schema.d.ts is not what 'npm run gen:api' makes of openapi.json;" \
           "commit the regenerated file (and fix the web app where its types no longer fit)" >&2; exit 1; }
  fi
  echo "== type check (vue-tsc)"; npm run --silent typecheck
  echo "== lint (eslint)"; npm run --silent lint
  echo "== unit tests (vitest)"; npm run --silent test
fi

echo "== build (vite) → frontend/dist"
npm run --silent build
cd "$ROOT"
. scripts/_python.sh
PY=$(find_python 2>/dev/null || command -v python3)  # spa_size.py needs only the standard library
"$PY" scripts/spa_size.py frontend/dist
