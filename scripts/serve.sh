#!/usr/bin/env bash
# Set up (venv, dependencies, data dir, demo ledger, first admin, the web app's build) and serve on the
# embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
PY=$(find_python)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[all]'
.venv/bin/roa2web init
# The web app at http://127.0.0.1:8000/ (SPA_DIR, default frontend/dist): built when npm is here
# (quick when nothing changed); without Node.js the API still serves and / says how to build the app.
if command -v npm >/dev/null 2>&1; then
  bash scripts/build_spa.sh || {
    echo "scripts/serve.sh: the web app was NOT built (see above); serving the API only" \
         "(an earlier build in frontend/dist, if any, is served as it is)" >&2; }
else
  echo "scripts/serve.sh: npm is missing, so the web app is NOT built: serving the API only (/docs)." >&2
  echo "  For the web app at /, install Node.js 20 LTS (>= 20.19) with npm from https://nodejs.org/ or your" \
       "distribution's packages, then run this script again (or: bash scripts/build_spa.sh)." >&2
fi
exec .venv/bin/roa2web serve "$@"
