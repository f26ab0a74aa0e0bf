# Sourced by the scripts: find a Python 3.13 (PATH, pyenv, or $PYTHON) and make a fresh or reused venv.
find_python() {
  for candidate in "${PYTHON:-}" python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Python 3.13 not found: install it or set PYTHON=/path/to/python3.13" >&2
  return 1
}
