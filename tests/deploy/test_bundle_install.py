"""A Linux bundle installs into a fresh venv with no index at all, and what it installed serves.

The same steps as on Windows: a venv, `pip install --no-index --find-links wheels "roa2web[all]==<version>"`,
`roa2web init`, `roa2web serve --config windows/hypercorn.toml` with the bundle's .env.example and its
spa/ folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from roa2web import __version__
from tests.deploy.bundles import Bundle, offline_pip_env
from tests.jobs.server_process import free_port, wait_ready

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def venv_with_the_bundle(bundle: Bundle, venv: Path) -> Path:
    """A fresh venv with the bundle installed offline as install-service.ps1 does it; its bin/ folder."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    done = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(bundle.wheels),
         f"roa2web[all]=={__version__}"],
        cwd=bundle.root, env=offline_pip_env(), capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir


def test_a_linux_bundle_installs_offline_and_serves(linux_bundle: Bundle, tmp_path: Path) -> None:
    bin_dir = venv_with_the_bundle(linux_bundle, tmp_path / "venv")
    where = subprocess.run([str(bin_dir / "python"), "-I", "-c", "import roa2web, telegram, onnxruntime, oracledb, "
                            "psycopg, redis; print(roa2web.__version__, roa2web.__file__)"],
                           capture_output=True, text=True, timeout=120, check=True).stdout.split()
    assert where[0] == __version__
    assert Path(where[1]).is_relative_to(tmp_path / "venv"), "roa2web comes from the bundle's wheel"

    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(ROA2WEB_ENV_FILE=str(linux_bundle.root / ".env.example"), DATA_DIR=str(tmp_path / "data"),
               SPA_DIR=str(linux_bundle.root / "spa"), OCR_ENABLED="false", BNR_RATES_ENABLED="false")
    init = subprocess.run([str(bin_dir / "roa2web"), "init"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert init.returncode == 0, init.stdout + init.stderr
    assert "password: " in init.stdout

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("ab") as handle:
        # as the Windows service runs it: the bundle's hypercorn.toml, its bind overridden by --host/--port
        server = subprocess.Popen([str(bin_dir / "roa2web"), "serve", "--config",
                                   str(linux_bundle.root / "windows" / "hypercorn.toml"),
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=tmp_path, env=env, stdout=handle, stderr=handle)
    try:
        wait_ready(port, server, timeout_s=180)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.read() == (linux_bundle.root / "spa" / "index.html").read_bytes()
    except AssertionError:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0, log.read_text(errors="replace")[-4000:]
