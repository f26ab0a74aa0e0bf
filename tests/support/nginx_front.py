"""nginx standing in for IIS (tests/support/nginx/roa2web.conf.template): rendered into a temporary prefix
and run in the foreground as a child of the test, with its own pid file, logs and temp folders.

Without nginx the tests that need it skip, unless ROA2WEB_REQUIRE_BROWSER is set (scripts/test.sh sets it
and installs Debian's nginx): then they fail and say how to get it.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.ports import free_ports as free_ports

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "roa2web.conf.template"
DEBIAN_NGINX = Path("/usr/sbin/nginx")


def nginx_binary() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH), or None."""
    return shutil.which("nginx") or (str(DEBIAN_NGINX) if DEBIAN_NGINX.exists() else None)


def require_nginx() -> str:
    """The nginx binary; skip without one (fail when ROA2WEB_REQUIRE_BROWSER is set)."""
    found = nginx_binary()
    if found:
        return found
    message = "nginx is not installed (Debian: apt-get install nginx; scripts/test.sh installs it)"
    if os.environ.get("ROA2WEB_REQUIRE_BROWSER"):
        pytest.fail(message + " (ROA2WEB_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(message)


def render(prefix: Path, spa_root: Path, app_port: int, http_port: int, https_port: int) -> str:
    """The template with its @NAMES@ filled in."""
    values = {"PREFIX": prefix.as_posix(), "SPA_ROOT": spa_root.as_posix(), "APP_PORT": str(app_port),
              "HTTP_PORT": str(http_port), "HTTPS_PORT": str(https_port), "USER": getpass.getuser()}
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    assert not left, f"placeholders of the nginx template left unfilled: {left}"
    return text


@dataclass(frozen=True)
class NginxFront:
    """A running nginx: `http_port` as IIS over HTTP, `https_port` as IIS over HTTPS (X-Forwarded-Proto: https)."""

    http_port: int
    https_port: int
    prefix: Path

    def error_log(self) -> str:
        """What nginx wrote to its error log so far."""
        path = self.prefix / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def nginx_front(prefix: Path, spa_root: Path, app_port: int, timeout_s: float = 60) -> Iterator[NginxFront]:
    """nginx in front of the service on `app_port`, serving `spa_root`, until the block ends."""
    binary = require_nginx()
    http_port, https_port = free_ports(2)
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(render(prefix, spa_root, app_port, http_port, https_port), encoding="utf-8")
    front = NginxFront(http_port, https_port, prefix)
    with (prefix / "nginx.out").open("wb") as output:
        process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while not (_accepts(http_port) and _accepts(https_port)):
            assert process.poll() is None, f"nginx exited with {process.returncode}:\n{front.error_log()}"
            assert time.monotonic() < deadline, f"nginx did not listen within {timeout_s:.0f} s:\n{front.error_log()}"
            time.sleep(0.05)
        yield front
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
