#!/usr/bin/env bash
# The offline install bundle: dist/roa2web-<version>-<platform>.zip, one folder roa2web-<version>/ with
#   wheels/           the project's wheel and every dependency's, for CPython 3.13 on the platform
#   requirements.txt  roa2web[<extras>]==<version> and the exact version of every dependency
#   spa/              the built web app (frontend/dist, with web.config), for IIS
#   windows/          scripts/windows/ (install-service.ps1, hypercorn.toml, ...)
#   .env.example, bundle.json  ({"version", "platform", "python": "3.13", "extras", "wheels"})
# Installed offline with: pip install --no-index --find-links wheels -r requirements.txt
#
#   bash scripts/build-bundle.sh [--extras all] [--platform win_amd64|linux] [--out DIR]
#     --extras    comma-separated extras of roa2web (oracle, ocr, telegram, scale, all); "" for none
#     --platform  win_amd64 (default): 64-bit Windows; linux: this machine (the install test uses it)
#     --out       where the zip goes (default dist/)
# Needs Python 3.13 and the package index (PyPI or the mirror pip and uv are configured for); builds
# the web app with scripts/build_spa.sh (Node.js) when frontend/dist is missing or older than frontend/.
#
# `pip download --platform` evaluates environment markers against THIS interpreter (Linux), so it
# alone would leave out what only Windows needs (tzdata, colorama, ...). uv resolves for the target
# instead (`uv pip compile --python-platform`), pip downloads exactly that list, and
# scripts/bundle/completeness.py walks the requirements again with the target's markers before zipping.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EXTRAS=all
PLATFORM=win_amd64
OUT=dist
usage() { echo "usage: bash scripts/build-bundle.sh [--extras LIST] [--platform win_amd64|linux] [--out DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --extras) [ $# -ge 2 ] || usage; EXTRAS=$2; shift 2 ;;
    --platform) [ $# -ge 2 ] || usage; PLATFORM=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
case "$PLATFORM" in win_amd64|linux) ;; *) echo "--platform must be win_amd64 or linux, not '$PLATFORM'" >&2; exit 2 ;; esac
EXTRAS=$(printf '%s' "$EXTRAS" | tr -d ' ')
if ! ls scripts/windows/*.ps1 >/dev/null 2>&1; then
  echo "scripts/windows/ has no PowerShell scripts: the bundle's windows/ folder would be empty" >&2
  exit 1
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STARTED=$SECONDS
# the commit's time in the project's wheel and on every zip entry: the same commit gives the same files
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export SOURCE_DATE_EPOCH

. scripts/_python.sh
PY=$(find_python)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roa2web-bundle.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "== tools (.venv-bundle: scripts/bundle/tools.txt)"
TOOLS="$ROOT/.venv-bundle"
if [ ! -f "$TOOLS/tools.txt" ] || ! cmp -s scripts/bundle/tools.txt "$TOOLS/tools.txt" || ! "$TOOLS/bin/uv" --version >/dev/null 2>&1; then
  rm -rf "$TOOLS"
  "$PY" -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install --quiet -r scripts/bundle/tools.txt
  cp scripts/bundle/tools.txt "$TOOLS/tools.txt"
fi
"$TOOLS/bin/uv" --version

echo "== web app (frontend/dist)"
if [ ! -f frontend/dist/index.html ] || [ -n "$(find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune \
     -o -type f -newer frontend/dist/index.html -print -quit)" ]; then
  bash scripts/build_spa.sh
else
  echo "frontend/dist is newer than every file of frontend/: not rebuilt"
fi
if [ -f frontend/public/web.config ] && [ ! -f frontend/dist/web.config ]; then
  echo "frontend/dist has no web.config although frontend/public has one: rebuild it (bash scripts/build_spa.sh)" >&2
  exit 1
fi

echo "== the project's wheel"
# from a copy of the sources git knows (tracked or not ignored): no stale build/ can slip into the wheel
mkdir "$WORK/src" "$WORK/wheels"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
"$TOOLS/bin/python" -m pip wheel --quiet --no-deps --no-build-isolation -w "$WORK/wheels" "$WORK/src" >"$WORK/wheel.log" 2>&1 \
  || { tail -n 40 "$WORK/wheel.log"; echo "building the project's wheel failed" >&2; exit 1; }
WHEEL=$(ls "$WORK"/wheels/roa2web-*.whl)
VERSION=$(basename "$WHEEL" | cut -d- -f2)
echo "$(basename "$WHEEL")"
"$TOOLS/bin/python" - "$WHEEL" "$EXTRAS" <<'PY'
import sys
from pathlib import Path

sys.path.insert(0, "scripts/bundle")
from completeness import read_wheel

known = read_wheel(Path(sys.argv[1])).extras
unknown = sorted({extra.strip() for extra in sys.argv[2].split(",") if extra.strip()} - known)
if unknown:
    sys.exit(f"--extras: roa2web has no extra {', '.join(unknown)} (it has {', '.join(sorted(known))})")
PY

echo "== resolve roa2web[$EXTRAS] for $PLATFORM, CPython 3.13 (uv pip compile)"
if [ "$PLATFORM" = win_amd64 ]; then
  TARGET=(--python-platform x86_64-pc-windows-msvc)
  PIP_TARGET=(--platform win_amd64 --python-version 3.13 --implementation cp)
else
  TARGET=()  # this machine: markers and tags of the interpreter uv is given
  PIP_TARGET=()
fi
REQUIREMENT="roa2web${EXTRAS:+[$EXTRAS]}"
echo "$REQUIREMENT @ file://$WHEEL" >"$WORK/requirements.in"
UV_PYTHON_DOWNLOADS=never "$TOOLS/bin/uv" pip compile --quiet "$WORK/requirements.in" --python "$PY" \
  --python-version 3.13 "${TARGET[@]}" --only-binary :all: --no-emit-package roa2web --no-header \
  -o "$WORK/pins.txt"
{
  echo "# roa2web $VERSION for $PLATFORM, CPython 3.13, extras: ${EXTRAS:-none} (made by scripts/build-bundle.sh)"
  echo "# pip install --no-index --find-links wheels -r requirements.txt"
  echo "$REQUIREMENT==$VERSION"
  cat "$WORK/pins.txt"
} >"$WORK/requirements.txt"
echo "$(grep -c '==' "$WORK/pins.txt") dependencies pinned"

echo "== download the wheels (pip download --only-binary=:all:)"
"$TOOLS/bin/python" -m pip download --quiet --no-deps --only-binary=:all: "${PIP_TARGET[@]}" \
  -d "$WORK/wheels" -r "$WORK/pins.txt"

echo "== check: every requirement of $REQUIREMENT met by a wheel that installs on $PLATFORM"
"$TOOLS/bin/python" scripts/bundle/completeness.py "$WORK/wheels" --platform "$PLATFORM" --extras "$EXTRAS"

echo "== zip"
"$TOOLS/bin/python" scripts/bundle/assemble.py --out "$OUT/roa2web-$VERSION-$PLATFORM.zip" --version "$VERSION" \
  --platform "$PLATFORM" --extras "$EXTRAS" --wheels "$WORK/wheels" --spa frontend/dist \
  --requirements "$WORK/requirements.txt" --env-example .env.example --windows scripts/windows
echo "built in $((SECONDS - STARTED)) s"
