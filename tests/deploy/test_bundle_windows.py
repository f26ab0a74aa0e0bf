"""The win_amd64 offline bundle is complete: pip resolves `roa2web[all]` from it alone for Windows.

`pip install --platform` evaluates markers against this (Linux) interpreter, so the issue's command
alone cannot see a missing Windows-only wheel: the bundle's wheels are also walked with a Windows
machine's markers (scripts/bundle/completeness.py), and that walk is shown to catch a missing one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename

from roa2web import __version__
from scripts.bundle import completeness
from tests.deploy.bundles import ROOT, Bundle, offline_pip_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def test_pip_resolves_roa2web_all_for_windows_from_the_bundle_alone(windows_bundle: Bundle, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links", str(windows_bundle.wheels),
         "--platform", "win_amd64", "--python-version", "3.13", "--only-binary=:all:", "--target", str(tmp_path / "t"),
         "roa2web[all]", "--report", str(report), "--quiet"],
        env=offline_pip_env(), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    installs = {item["metadata"]["name"]: item for item in json.loads(report.read_text())["install"]}
    assert installs["roa2web"]["metadata"]["version"] == __version__
    assert {"oracledb", "onnxruntime", "python-telegram-bot", "redis"} <= set(installs), "every extra resolved"
    wheels_url = windows_bundle.wheels.resolve().as_uri()
    assert all(item["download_info"]["url"].startswith(wheels_url) for item in installs.values())


def test_what_only_windows_needs_is_in_the_bundle(windows_bundle: Bundle) -> None:
    report = completeness.check(windows_bundle.wheels, "win_amd64", ["all"])
    assert report.complete, (report.missing, report.incompatible, report.duplicates)
    # setup.cfg's `tzdata; platform_system == "Windows"`; the dependencies' own (colorama for tqdm, ...) too
    assert ("tzdata", "roa2web") in report.target_only
    assert {name for name, _asker in report.target_only} <= report.used
    assert not report.unused, "the bundle carries only what the Windows install needs"


def test_the_walk_notices_a_missing_windows_only_wheel(windows_bundle: Bundle, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    shutil.copytree(windows_bundle.wheels, wheels)
    for wheel in wheels.glob("tzdata-*.whl"):
        wheel.unlink()
    report = completeness.check(wheels, "win_amd64", ["all"])
    assert not report.complete
    assert any(line.startswith("tzdata") and "for roa2web" in line for line in report.missing), report.missing
    assert completeness.check(wheels, "win_amd64", []).missing, "the base install needs it on Windows too"


def test_every_wheel_installs_on_windows_cpython_313(windows_bundle: Bundle) -> None:
    supported = completeness.supported_tags("win_amd64")
    names = sorted(path.name for path in windows_bundle.wheels.glob("*.whl"))
    assert len(names) > 50
    for name in names:
        _project, _version, _build, tags = parse_wheel_filename(name)
        assert tags & supported, f"{name} does not install on CPython 3.13, win_amd64"
        assert all(tag.platform in ("win_amd64", "any") for tag in tags), name
        assert all(tag.abi in ("cp313", "abi3", "none") for tag in tags), name


def test_the_bundle_holds_the_spa_scripts_settings_and_its_manifest(windows_bundle: Bundle) -> None:
    root = windows_bundle.root
    assert (root / "spa" / "index.html").read_bytes() == (ROOT / "frontend" / "dist" / "index.html").read_bytes()
    if (ROOT / "frontend" / "public" / "web.config").is_file():
        assert (root / "spa" / "web.config").is_file()
    assert (root / ".env.example").read_bytes() == (ROOT / ".env.example").read_bytes()
    scripts = ROOT / "scripts" / "windows"
    shipped = sorted(path.relative_to(scripts).as_posix() for path in scripts.rglob("*") if path.is_file())
    bundled = sorted(path.relative_to(root / "windows").as_posix() for path in (root / "windows").rglob("*")
                     if path.is_file())
    assert bundled == shipped
    assert "install-service.ps1" in bundled
    manifest = json.loads((root / "bundle.json").read_text())
    wheels = sorted(path.name for path in windows_bundle.wheels.glob("*.whl"))
    assert manifest == {"version": __version__, "platform": "win_amd64", "python": "3.13", "extras": ["all"],
                        "wheels": wheels}


def test_requirements_pin_every_wheel_of_the_bundle(windows_bundle: Bundle) -> None:
    lines = [line for line in (windows_bundle.root / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#") and not line.startswith(" ")]
    assert lines[0] == f"roa2web[all]=={__version__}"
    pins = {canonicalize_name(line.split("==")[0]): line.split("==")[1] for line in lines[1:]}
    wheels = {parse_wheel_filename(path.name)[0]: str(parse_wheel_filename(path.name)[1])
              for path in windows_bundle.wheels.glob("*.whl")}
    assert pins == {name: version for name, version in wheels.items() if name != "roa2web"}


def test_the_zip_is_sorted_and_timeless(windows_bundle: Bundle) -> None:
    with zipfile.ZipFile(windows_bundle.zip_path) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert all(name.startswith(f"roa2web-{__version__}/") for name in names)
    assert len({entry.date_time for entry in entries}) == 1
