"""Build an offline bundle with scripts/build-bundle.sh and unpack it; pip without the machine's configuration."""

from __future__ import annotations

import json
import os
import subprocess
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock

from roa2web import __version__

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Bundle:
    """A built bundle: its zip, the folder it unpacked to (roa2web-<version>/), what the build printed."""

    zip_path: Path
    root: Path
    build_output: str
    build_seconds: float

    @property
    def wheels(self) -> Path:
        """The bundle's wheels/ folder."""
        return self.root / "wheels"


def offline_pip_env(**extra: str) -> dict[str, str]:
    """This environment without any pip configuration: no index, find-links or constraint of the machine's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_") or key == "PIP_CACHE_DIR"}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def build(platform: str, out: Path) -> Bundle:
    """`bash scripts/build-bundle.sh --platform PLATFORM --out OUT` (extras: all), then the zip unpacked."""
    started = time.monotonic()
    done = subprocess.run(["bash", "scripts/build-bundle.sh", "--platform", platform, "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800, check=False)
    seconds = time.monotonic() - started
    assert done.returncode == 0, f"build-bundle.sh failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    zip_path = out / f"roa2web-{__version__}-{platform}.zip"
    assert zip_path.is_file(), done.stdout
    assert str(zip_path) in done.stdout, "the build prints the zip's path"
    unpacked = out / "unpacked"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unpacked)
    return Bundle(zip_path, unpacked / f"roa2web-{__version__}", done.stdout, seconds)


def build_once(platform: str, run_folder: Path) -> Bundle:
    """`build(platform)` once per test run: under pytest-xdist the first worker that asks builds it and the others
    read what it built. One build at a time, as each may rebuild the tools venv (.venv-bundle)."""
    out = run_folder / f"bundle-{platform}"
    record = out / "bundle-build.json"
    with FileLock(run_folder / "build-bundle.lock"):
        if record.exists():
            fields = json.loads(record.read_text(encoding="utf-8"))
            return Bundle(Path(fields["zip_path"]), Path(fields["root"]), fields["build_output"],
                          fields["build_seconds"])
        bundle = build(platform, out)
        record.write_text(json.dumps(asdict(bundle), default=str), encoding="utf-8")
        return bundle
