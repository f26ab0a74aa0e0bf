"""A real ROA2WEB on loopback, set up the way a user sets it up, for `load.py` and `chaos.py`.

`roa2web init` in a fresh data dir (demo ledger, databases, first admin), `roa2web users add` for the
bench users, `roa2web serve` on a free 127.0.0.1 port. Loopback only: `require_loopback` refuses any
other target. Also here: kill -9 (TerminateProcess on Windows), an RSS sampler, PRAGMA
integrity_check over every SQLite file of a data dir, and percentiles.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PASSWORD = "parola-bench-123"
# name -> roles; every bench user sees every company
USERS: dict[str, tuple[str, ...]] = {"lector": ("viewer",), "operator": ("operator",), "aprobator": ("approver",)}
SQLITE_MAGIC = b"SQLite format 3\x00"


def require_loopback(host: str) -> str:
    """`host` if it is a loopback address (127.0.0.0/8, ::1, localhost); anything else is refused."""
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:  # a name: only "localhost" is known to be loopback
        pass
    raise SystemExit(f"refusing a non-loopback target {host!r}: these scripts only load 127.0.0.1")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((require_loopback(host), 0))
        return int(probe.getsockname()[1])


@dataclass
class Install:
    """A data dir made by `roa2web init`, its environment and the passwords of its users."""

    root: Path
    data_dir: Path
    env: dict[str, str]
    admin_password: str
    host: str = "127.0.0.1"
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.root / "server.log"

    @property
    def ledger(self) -> Path:
        """The embedded demo ledger `init` generated."""
        return self.data_dir / "ledger-demo.sqlite"


def roa2web(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    """`python -m roa2web ARGS` (the `roa2web` command), its stdout; fails loudly."""
    done = subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"roa2web {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def install(root: Path, data_dir: Path | None = None, host: str = "127.0.0.1", bench_users: bool = True,
            **settings: str) -> Install:
    """`roa2web init` in `data_dir` (default root/data) and the bench users (unless `bench_users` is False).

    Extra settings as env vars. The server will listen on `host`, a loopback address (anything else is refused).
    """
    host = require_loopback(host)
    data_dir = data_dir or root / "data"
    root.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(DATA_DIR=str(data_dir), HOST=host, ROA2WEB_ENV_FILE=str(root / "none.env"),
               LOG_FORMAT="json", **settings)
    output = roa2web(["init"], env)
    match = re.search(r"password: (\S+)", output)
    if match is None:
        raise SystemExit(f"`roa2web init` printed no admin password:\n{output}")
    for name, roles in USERS.items() if bench_users else ():
        role_args = [arg for role in roles for arg in ("--role", role)]
        roa2web(["users", "add", name, *role_args, "--company", "all", "--password-stdin"], env, f"{PASSWORD}\n")
    return Install(root, data_dir, env, match[1], host)


@dataclass
class Server:
    """One `roa2web serve` process of an install."""

    install: Install
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        host = self.install.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def kill9(self) -> None:
        """kill -9: SIGKILL on POSIX, TerminateProcess on Windows; nothing runs on the way out."""
        self.process.kill()
        self.process.wait(30)

    def stop(self) -> int:
        """A graceful stop (SIGTERM / TerminateProcess), then kill after 60 s; the exit code."""
        return stop_process(self.process)


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 60) -> int:
    """A graceful stop (SIGTERM / TerminateProcess), then kill after `timeout_s`; the exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


def serve(inst: Install, timeout_s: float = 120) -> Server:
    """`roa2web serve` on a free loopback port, its output appended to the install's log; once /ready."""
    port = free_port(inst.host)
    with inst.log.open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve", "--host", inst.host, "--port", str(port)],
                                   env=inst.env, stdout=log, stderr=log)
    server = Server(inst, port, process)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see {inst.log}")
        try:
            with urllib.request.urlopen(f"{server.base}/ready", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.05)
    server.kill9()
    raise SystemExit(f"the server was not ready in {timeout_s:.0f} s; see {inst.log}")


def health(base: str) -> dict[str, str]:
    """Each part's status from /health (without a token), plus "overall"."""
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # noqa: S310 - loopback
            body = json.load(response)
    except urllib.error.HTTPError as error:  # 503 still carries the statuses
        body = json.load(error)
    except OSError as error:
        return {"overall": f"unreachable: {error}"}
    return {"overall": body["status"], **{name: part["status"] for name, part in body["modules"].items()}}


def wait_ocr_ready(base: str, timeout_s: float = 180) -> bool:
    """Until /health says OCR is ok (its model loads in the background); False if it never does."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if health(base).get("ocr") == "ok":
            return True
        time.sleep(0.2)
    return False


class RssSampler:
    """The server's resident memory every `interval_s`, in a thread: [(seconds since start, MB)]."""

    def __init__(self, pid: int, interval_s: float = 1.0) -> None:
        self.process = psutil.Process(pid)
        self.interval_s = interval_s
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        started = time.monotonic()
        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss / 1e6
            except psutil.Error:
                return
            self.samples.append((round(time.monotonic() - started, 1), round(rss, 1)))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def sqlite_files(data_dir: Path) -> list[Path]:
    """Every SQLite database file under `data_dir` (by its header, whatever its name)."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", "-journal")):
            with path.open("rb") as handle:
                if handle.read(16) == SQLITE_MAGIC:
                    found.append(path)
    return found


def integrity(data_dir: Path) -> dict[str, str]:
    """PRAGMA integrity_check of every SQLite file under `data_dir` (server stopped): {path: "ok" | problems}."""
    results = {}
    for path in sqlite_files(data_dir):
        with closing(sqlite3.connect(path, timeout=30)) as db:
            rows = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
        results[str(path.relative_to(data_dir))] = "ok" if rows == ["ok"] else "; ".join(rows[:5])
    return results


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of `values` (nearest rank), rounded to 0.1."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.999999) - 1))], 1)

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": round(ordered[-1], 1)}
