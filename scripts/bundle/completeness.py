"""Is a folder of wheels a complete install of `roa2web[extras]` for a target platform?

Reads every wheel's name and tags from its file name and its requirements from its METADATA, then
walks the requirements from `roa2web[extras]` with the TARGET's environment markers (a Windows
machine's for win_amd64, whatever `pip download --platform` evaluates them against): every
requirement met must be a wheel of the folder in a version it accepts, and every wheel must install
on CPython 3.13 there. Also names the requirements only the target needs (the markers true there and
false on the other platform), so a build that forgets them (as `pip download --platform` alone does)
is caught.

    python scripts/bundle/completeness.py WHEELS_DIR --platform win_amd64 --extras all
prints what it found and exits 1 when something is missing or would not install.
"""

from __future__ import annotations

import argparse
import email.parser
import platform
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags, sys_tags
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

PROJECT = canonicalize_name("roa2web")
PLATFORMS = ("win_amd64", "linux")
PYTHON = (3, 13)


def windows_environment() -> dict[str, str]:
    """The environment markers of CPython 3.13 on 64-bit Windows (what `sys.platform` etc. say there)."""
    full = f"{PYTHON[0]}.{PYTHON[1]}.0"
    return {
        "implementation_name": "cpython", "implementation_version": full, "os_name": "nt",
        "platform_machine": "AMD64", "platform_python_implementation": "CPython", "platform_release": "10",
        "platform_system": "Windows", "platform_version": "10.0.20348", "python_full_version": full,
        "python_version": f"{PYTHON[0]}.{PYTHON[1]}", "sys_platform": "win32",
    }


def marker_environment(target: str) -> dict[str, str]:
    """The marker environment of `target`: Windows' for win_amd64, this machine's for linux."""
    if target == "win_amd64":
        return windows_environment()
    return {key: str(value) for key, value in default_environment().items()}


def supported_tags(target: str) -> set[Tag]:
    """The wheel tags CPython 3.13 installs on `target` (win_amd64, or this Linux machine)."""
    if target == "linux":
        return set(sys_tags())
    interpreter = f"cp{PYTHON[0]}{PYTHON[1]}"
    return {*cpython_tags(PYTHON, abis=[interpreter, "abi3", "none"], platforms=["win_amd64"]),
            *compatible_tags(PYTHON, interpreter, platforms=["win_amd64"])}


@dataclass(frozen=True)
class Wheel:
    """One wheel file: its project, version, tags and requirements."""

    path: Path
    name: NormalizedName
    version: Version
    tags: frozenset[Tag]
    requires: tuple[Requirement, ...]
    extras: frozenset[NormalizedName]


def read_wheel(path: Path) -> Wheel:
    """A wheel's name, version and tags (from its file name) and Requires-Dist/Provides-Extra (METADATA)."""
    name, version, _build, tags = parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as archive:
        metadata_name = next(entry for entry in archive.namelist()
                             if entry.count("/") == 1 and entry.endswith(".dist-info/METADATA"))
        metadata = email.parser.BytesHeaderParser().parsebytes(archive.read(metadata_name))
    requires = tuple(Requirement(line) for line in metadata.get_all("Requires-Dist") or [])
    extras = frozenset(canonicalize_name(extra) for extra in metadata.get_all("Provides-Extra") or [])
    return Wheel(path, name, version, frozenset(tags), requires, extras)


def applies(requirement: Requirement, environment: dict[str, str], extra: str) -> bool:
    """Whether `requirement` is asked for in `environment` by the base install ("") or by `extra` alone.

    A requirement whose marker does not name an extra belongs to the base install only.
    """
    if requirement.marker is None or "extra" not in str(requirement.marker):
        return extra == "" and (requirement.marker is None or requirement.marker.evaluate(environment))
    return requirement.marker.evaluate({**environment, "extra": extra})


@dataclass
class Report:
    """What the walk found: the wheels used, the problems, and what only the target needs."""

    used: set[NormalizedName] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    incompatible: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    target_only: set[tuple[NormalizedName, str]] = field(default_factory=set)
    unused: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing missing, nothing that would not install, one version of each project."""
        return not (self.missing or self.incompatible or self.duplicates)


def index_wheels(wheels: Iterable[Wheel], report: Report) -> dict[NormalizedName, Wheel]:
    """The wheels by project name; two versions of one project is a problem of the report."""
    by_name: dict[NormalizedName, Wheel] = {}
    for wheel in sorted(wheels, key=lambda each: each.path.name):
        if wheel.name in by_name:
            report.duplicates.append(f"{by_name[wheel.name].path.name} and {wheel.path.name}")
        by_name[wheel.name] = wheel
    return by_name


@dataclass(frozen=True)
class Need:
    """A requirement met on the way: who asks, for which of its extras ("" for its base), and what."""

    asker: str
    extra: str
    requirement: Requirement


def walk(root: Requirement, by_name: dict[NormalizedName, Wheel], environment: dict[str, str]) -> Iterator[Need]:
    """Each requirement met from `root` under `environment`'s markers, every (project, extra) expanded once."""
    expanded: set[tuple[NormalizedName, str]] = set()
    pending = [Need("the installer", "", root)]
    while pending:
        need = pending.pop()
        yield need
        wheel = by_name.get(canonicalize_name(need.requirement.name))
        if wheel is None or not need.requirement.specifier.contains(wheel.version, prereleases=True):
            continue
        for extra in ("", *sorted(need.requirement.extras)):
            if (wheel.name, extra) in expanded:
                continue
            expanded.add((wheel.name, extra))
            asker = f"{wheel.name}[{extra}]" if extra else str(wheel.name)
            pending.extend(Need(asker, extra, child) for child in wheel.requires if applies(child, environment, extra))


def check(wheels_dir: Path, target: str, extras: Iterable[str]) -> Report:
    """Walk `roa2web[extras]` over the wheels of `wheels_dir` with `target`'s markers and tags."""
    report = Report()
    by_name = index_wheels((read_wheel(path) for path in wheels_dir.glob("*.whl")), report)
    project = by_name.get(PROJECT)
    extras = sorted(set(map(canonicalize_name, extras)))
    unknown = [extra for extra in extras if project is None or extra not in project.extras]
    report.missing.extend(f"roa2web has no extra {extra!r}" for extra in unknown)
    root = Requirement(f"roa2web[{','.join(extras)}]" if extras else "roa2web")
    other = marker_environment("linux" if target == "win_amd64" else "win_amd64")
    for need in walk(root, by_name, marker_environment(target)):
        wheel = by_name.get(canonicalize_name(need.requirement.name))
        if wheel is None or not need.requirement.specifier.contains(wheel.version, prereleases=True):
            found = f" (the folder has {wheel.version})" if wheel else ""
            report.missing.append(f"{need.requirement} for {need.asker}{found}")
            continue
        report.used.add(wheel.name)
        if need.requirement.marker is not None and not applies(need.requirement, other, need.extra):
            report.target_only.add((wheel.name, need.asker))
    tags = supported_tags(target)
    report.incompatible.extend(wheel.path.name for wheel in by_name.values() if not wheel.tags & tags)
    report.unused = sorted(by_name[name].path.name for name in set(by_name) - report.used)
    return report


def main(argv: list[str] | None = None) -> int:
    """Check a wheels folder; print the findings; 0 when complete."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", type=Path)
    parser.add_argument("--platform", choices=PLATFORMS, required=True)
    parser.add_argument("--extras", default="all", help="comma-separated extras of roa2web (empty: none)")
    args = parser.parse_args(argv)
    extras = [extra.strip() for extra in args.extras.split(",") if extra.strip()]
    report = check(args.wheels, args.platform, extras)
    where = "Windows (win_amd64)" if args.platform == "win_amd64" else f"this machine ({platform.machine()} Linux)"
    print(f"{len(report.used)} projects needed on {where} with CPython 3.13, all present as wheels"
          if report.complete else f"the wheels in {args.wheels} are NOT a complete install:")
    only = ", ".join(f"{name} (for {asker})" for name, asker in sorted(report.target_only))
    print(f"needed on this platform only (markers): {only or 'none'}")
    for title, lines in (("missing", report.missing), ("will not install there", report.incompatible),
                         ("two versions", report.duplicates), ("not needed (left in)", report.unused)):
        for line in lines:
            print(f"  {title}: {line}")
    return 0 if report.complete else 1


if __name__ == "__main__":
    sys.exit(main())
