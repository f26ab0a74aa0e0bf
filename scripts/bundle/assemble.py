"""Write the offline bundle's zip from its parts (run by scripts/build-bundle.sh).

    python scripts/bundle/assemble.py --out ZIP --version V --platform P --extras all,... \
        --wheels DIR --spa DIR --windows DIR --requirements FILE --env-example FILE

The zip holds one folder, roa2web-<version>/, with wheels/, spa/, windows/,
requirements.txt, .env.example and bundle.json. Its entries are sorted and carry one fixed time
(SOURCE_DATE_EPOCH when set), so the same parts give the same zip. Prints the zip's path and size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

# 1980-01-01, the earliest time a zip entry can carry
DEFAULT_EPOCH = 315532800


def bundle_json(version: str, platform: str, extras: list[str], wheels: list[str]) -> bytes:
    """bundle.json: what the bundle is for, and the wheels it carries."""
    manifest = {"version": version, "platform": platform, "python": "3.13", "extras": extras, "wheels": wheels}
    return (json.dumps(manifest, indent=2) + "\n").encode()


def files_under(folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """(name in the zip, file) for every file under `folder`, names under `prefix`."""
    for path in folder.rglob("*"):
        if path.is_file():
            yield f"{prefix}/{path.relative_to(folder).as_posix()}", path


def entry_time() -> tuple[int, int, int, int, int, int]:
    """The one time every entry carries: SOURCE_DATE_EPOCH (UTC) or 1980-01-01."""
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH") or DEFAULT_EPOCH), DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


def write_zip(out: Path, root: str, entries: dict[str, Path | bytes]) -> None:
    """`entries` (name → file or bytes) under `root`/ in `out`: sorted, one time, mode 0644."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp = entry_time()
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=stamp)
            # a wheel is a zip already: deflating it again costs time and saves almost nothing
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".whl") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            content = entries[name]
            archive.writestr(info, content if isinstance(content, bytes) else content.read_bytes())
    partial.replace(out)


def main(argv: list[str] | None = None) -> int:
    """Assemble the zip and print its path and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--platform", required=True)
    parser.add_argument("--extras", default="", help="comma-separated")
    parser.add_argument("--wheels", type=Path, required=True)
    parser.add_argument("--spa", type=Path, required=True)
    parser.add_argument("--requirements", type=Path, required=True)
    parser.add_argument("--env-example", type=Path, required=True)
    parser.add_argument("--windows", type=Path, required=True, help="scripts/windows")
    args = parser.parse_args(argv)

    wheels = sorted(path.name for path in args.wheels.glob("*.whl"))
    extras = [extra.strip() for extra in args.extras.split(",") if extra.strip()]
    entries: dict[str, Path | bytes] = {f"wheels/{name}": args.wheels / name for name in wheels}
    entries.update(files_under(args.spa, "spa"))
    entries.update(files_under(args.windows, "windows"))
    entries["requirements.txt"] = args.requirements
    entries[".env.example"] = args.env_example
    entries["bundle.json"] = bundle_json(args.version, args.platform, extras, wheels)
    write_zip(args.out, f"roa2web-{args.version}", entries)
    size = args.out.stat().st_size
    print(f"{args.out} ({size / 1e6:.1f} MB, {len(wheels)} wheels, {len(entries)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
