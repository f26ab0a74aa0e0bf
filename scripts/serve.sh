#!/usr/bin/env bash
# Set up (venv, dependencies, data dir, demo ledger, first admin) and serve on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
PY=$(find_python)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[all]'
.venv/bin/roa2web init
exec .venv/bin/roa2web serve "$@"
