#!/usr/bin/env bash
# From scratch: a new venv, every dependency, then ruff, mypy, the import contracts (.importlinter),
# the web app's checks and build (scripts/build_spa.sh --check: API types, vue-tsc, eslint, vitest,
# vite build) and the whole test suite.
# PostgreSQL and Redis on 127.0.0.1 are used by the scale-out tests (both run on CI machines).
# Then the optional paddleocr engine's tests, in their own venv (scripts/test_paddleocr.sh), and the
# base install without extras, started for real (scripts/check_no_extras.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
PY=$(find_python)
# Debian packages the suite runs for real, never skipping: Chromium (the browser tests, marker `browser`)
# and nginx (the IIS stand-in test, tests/deploy/test_nginx_front.py, which runs it as its own child on its
# own ports and prefix; a system nginx the package may start is left alone).
need_debian_package() {  # need_debian_package PACKAGE FILE-IT-INSTALLS WHAT-NEEDS-IT
  [ -e "$2" ] && return 0
  command -v apt-get >/dev/null || {
    echo "scripts/test.sh: $2 is missing and there is no apt-get to install it;" \
         "install Debian's $1 package ($3 needs it)" >&2; exit 1; }
  echo "== installing $1 (apt-get) for $3"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" \
    || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1"; } || {
    echo "scripts/test.sh: apt-get could not install $1 (run as root, or install it first)" >&2; exit 1; }
}
need_debian_package chromium /usr/bin/chromium "the browser tests"
need_debian_package nginx /usr/sbin/nginx "the IIS stand-in test"
# The varied receipt generator (tests/support/receipts/fonts.py) prints in DejaVu and Liberation fonts; a missing
# font fails its tests by name rather than falling back.
need_debian_package fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf "the receipt generator"
need_debian_package fonts-liberation /usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf "the receipt generator"
# The web app is built and checked (scripts/build_spa.sh --check) before pytest: Node.js >= 20.19 and npm.
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "== installing nodejs and npm (apt-get) for the web app"
  install_node() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
  install_node || { apt-get update -q && install_node; } || echo "scripts/test.sh: apt-get could not install nodejs npm" >&2
fi
command -v npm >/dev/null 2>&1 || {
  echo "scripts/test.sh: npm is missing; the web app's build and checks need Node.js 20 LTS (>= 20.19) with npm," \
       "from https://nodejs.org/ or your distribution's packages" >&2; exit 1; }
export ROA2WEB_REQUIRE_BROWSER=1
rm -rf .venv-test .mypy_cache .import_linter_cache
"$PY" -m venv .venv-test
.venv-test/bin/python -m pip install --quiet --upgrade pip
.venv-test/bin/python -m pip install --quiet -e '.[all,test]'
echo "== ruff"; .venv-test/bin/ruff check roa2web tests scripts
echo "== mypy"; .venv-test/bin/mypy
echo "== import contracts"; .venv-test/bin/lint-imports
echo "== web app (scripts/build_spa.sh --check)"; bash scripts/build_spa.sh --check
# two workers (pytest-xdist), each handed the next tests in collection order. Not --dist loadfile/loadscope/
# loadgroup: they key tests by node id, and schemathesis gives each operation of a fuzz test the same one, so
# all but one operation would silently not run (tests/security/test_fuzz_openapi.py).
echo "== pytest"; .venv-test/bin/pytest -m "not oracle and not paddleocr" -n 2 --dist load "$@"
echo "== pytest -m paddleocr (the optional engine, in its own venv)"; bash scripts/test_paddleocr.sh
echo "== no extras (pip install . in a fresh venv, then init and serve)"; bash scripts/check_no_extras.sh
