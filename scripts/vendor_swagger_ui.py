"""Vendor Swagger UI's browser files from npm into roa2web/assets/docs/swagger-ui/.

Usage: python scripts/vendor_swagger_ui.py [VERSION]   (default: the newest swagger-ui-dist)

`npm pack` downloads swagger-ui-dist (npm checks the tarball against the registry's integrity
hash); the few files /docs needs are copied byte for byte, with the licenses, and the version is
written to VERSION. Needs npm on PATH; only the standard library otherwise (runs on Windows too).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "swagger-ui-dist"
FILES = ("swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui.css", "favicon-32x32.png",
         "LICENSE", "NOTICE")
TARGET = Path(__file__).resolve().parent.parent / "roa2web" / "assets" / "docs" / "swagger-ui"


def npm(*args: str) -> str:
    """Run npm (npm.cmd on Windows) and return its standard output."""
    executable = shutil.which("npm")
    if executable is None:
        sys.exit("npm is not on PATH")
    return subprocess.run([executable, *args], check=True, capture_output=True, text=True).stdout


def vendor(version: str) -> None:
    """Replace the vendored files with those of swagger-ui-dist `version`."""
    with tempfile.TemporaryDirectory() as scratch:
        packed = json.loads(npm("pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", scratch))[0]
        with tarfile.open(Path(scratch) / packed["filename"]) as tarball:
            contents = {name: tarball.extractfile(f"package/{name}") for name in FILES}
            data = {name: member.read() for name, member in contents.items() if member is not None}
        missing = set(FILES) - set(data)
        if missing:
            sys.exit(f"{PACKAGE} {packed['version']} lacks {', '.join(sorted(missing))}")
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for name, content in data.items():
        (TARGET / name).write_bytes(content)
    (TARGET / "VERSION").write_text(f"{packed['version']}\n", encoding="utf-8")
    print(f"vendored {PACKAGE} {packed['version']} ({packed['integrity']}) into {TARGET}")


def main() -> None:
    """Vendor the version named on the command line, else the newest."""
    version = sys.argv[1] if len(sys.argv) > 1 else npm("view", PACKAGE, "version").strip()
    vendor(version)


if __name__ == "__main__":
    main()
