#!/usr/bin/env bash
# The base install, no extras: `pip install .` into a fresh venv (no setuptools warning about
# packages it "would ignore"; every data file of roa2web/ - docs page, Swagger UI, fonts, SQL -
# installed), then `roa2web init` and `roa2web serve` on a temporary DATA_DIR and a free port;
# scripts/check_no_extras.py then checks /health (degraded, OCR says the `ocr` extra is missing), a
# login, and the 503 of an OCR upload.
# The sources are copied first so no stale build/ of an earlier run can slip into the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
PY=$(find_python)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roa2web-no-extras.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
"$PY" -m venv "$WORK/venv"
if ! { "$WORK/venv/bin/python" -m pip install --quiet --upgrade pip \
       && "$WORK/venv/bin/python" -m pip install --quiet "$WORK/src"; } >"$WORK/pip.log" 2>&1; then
  echo "pip install . (no extras) failed:"; tail -n 40 "$WORK/pip.log"; exit 1
fi
if grep -E "BuildBackendWarning|would be ignored" "$WORK/pip.log"; then
  echo "pip install . printed setuptools warnings (see above; setup.cfg's packages and package_data)"; exit 1
fi
# -I: the installed copy, not the source tree in the current directory
"$WORK/venv/bin/python" -I - "$WORK/src/roa2web" <<'PY'
import sys
from importlib.resources import files
from pathlib import Path

source = Path(sys.argv[1])
installed = files("roa2web")
data = sorted(path.relative_to(source).as_posix() for path in source.rglob("*")
              if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts)
missing = [name for name in data if not installed.joinpath(*name.split("/")).is_file()]
if not any(name.startswith("assets/docs/swagger-ui/") for name in data) or missing:
    sys.exit(f"data files missing from the installed package: {missing or 'the vendored Swagger UI'}")
print(f"installed package holds all {len(data)} data files of roa2web/")
PY

# BNR_RATES_ENABLED=false: no bank is reachable here (the fetch is tested against a feed served on loopback)
export DATA_DIR="$WORK/data" ENV=development BNR_RATES_ENABLED=false
PORT=$("$WORK/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$WORK/venv/bin/roa2web" init >"$WORK/init.log"
PASSWORD=$(sed -n 's/^  password: //p' "$WORK/init.log")
"$WORK/venv/bin/roa2web" serve --host 127.0.0.1 --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
if ! "$WORK/venv/bin/python" scripts/check_no_extras.py "http://127.0.0.1:$PORT" admin "$PASSWORD"; then
  echo "--- roa2web serve's log:"; tail -n 60 "$WORK/serve.log"
  exit 1
fi
kill "$SERVER_PID"
wait "$SERVER_PID" || { echo "roa2web serve did not stop cleanly:"; tail -n 30 "$WORK/serve.log"; exit 1; }
SERVER_PID=""
echo "no extras: install, init and serve work; OCR is reported missing"
