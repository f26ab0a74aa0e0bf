"""HTTP benchmark: the cached trial balance through the real app vs a bare Quart route vs the old FastAPI way.

    python scripts/bench/reports_http.py [--duration 10] [--rounds 3] [--connections 50] [--threads 2] [--rows 300]

One run, side by side, on this machine. Every server is started once; then, in each round, each
target is loaded in turn by `wrk` with the same settings (interleaved rounds, so that background
load drifting over the run hits every target alike); the median of the rounds is reported.

1. real app: `python -m roa2web serve` (temp DATA_DIR, generated demo ledger with extra customers so
   the analytic trial balance has ~300 rows), a viewer logged in, the report warmed into L1: every
   measured request is an L1 hit, checked for its token, company and per-user limit, with its
   request id, security and cache headers, all through Quart's route and hooks;
2. bare Quart: one route returning the same bytes, on Hypercorn configured like `roa2web serve`;
3. bare Quart returning a small {"ok": true} (context: the figure in NOTES.md);
4. FastAPI + uvicorn the way the old app did it (reports_http_targets.py): JWT dependency, pydantic
   response model built from a cached report object and serialized per request.

Access logs are off everywhere (LOG_LEVEL=WARNING here; uvicorn access_log=False); OCR is off in the
real app and the per-user rate limit raised so the limiter runs but never refuses. Target (DESIGN
§13, issue 9): the real app >= 3x FastAPI+uvicorn, through its one request path; the bare Quart
routes are context (what the framework alone costs).

Needs `wrk` (Debian/Ubuntu: `apt-get install -y wrk`; macOS: `brew install wrk`) and, for target 4,
the bench-only `pip install fastapi uvicorn` into this venv.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports_http_targets import MONTH_TO, YEAR, add_customers

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import issue_access_token
from roa2web.demo import generate_demo_ledger

HERE = Path(__file__).resolve().parent
DEMO_ANALYTIC_ROWS = 60  # company 1, analytic level, before the bench customers
QUERY = f"company_id=1&year={YEAR}&month_from=1&month_to={MONTH_TO}&level=analytic"
PASSWORD = "parola-bench-123"


@dataclass
class Target:
    """A running server and the request wrk sends it."""

    name: str
    url: str
    headers: dict[str, str]
    body: bytes = b""
    rates: list[float] | None = None
    p50s: list[float] | None = None
    p99s: list[float] | None = None
    errors: int = 0

    def median(self) -> tuple[float, float, float]:
        """Median requests/s, p50 and p99 (ms) over the rounds."""
        return statistics.median(self.rates or [0]), statistics.median(self.p50s or [0]), statistics.median(
            self.p99s or [0]
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            http(url)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up in {timeout_s:.0f} s")


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, terminated (then killed) on the way out."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(target: Target, args: argparse.Namespace, seconds: int) -> str:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    for header, value in target.headers.items():
        command += ["-H", f"{header}: {value}"]
    return subprocess.run([*command, target.url], capture_output=True, text=True, check=True).stdout


def measure(target: Target, args: argparse.Namespace) -> None:
    """One measured wrk run; appends requests/s, p50 and p99 to the target."""
    output = run_wrk(target, args, args.duration)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    target.errors += (int(bad.group(1)) if bad else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    for attribute, value in (("rates", rate), ("p50s", p50), ("p99s", p99)):
        values = getattr(target, attribute) or []
        values.append(value)
        setattr(target, attribute, values)
    print(f"    {target.name:<38} {rate:>8,.0f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")


def real_app_env(tmp: Path, ledger: Path, secret: str, port: int) -> dict[str, str]:
    return dict(os.environ, DATA_DIR=str(tmp / "data"), LEDGER_PATH=str(ledger), PORT=str(port), LOG_LEVEL="WARNING",
                ROA2WEB_ENV_FILE=str(tmp / "none.env"), JWT_SECRET_KEY=secret, OCR_ENABLED="false",
                RATE_LIMIT_PER_USER_PER_MINUTE="1000000000", ACCESS_TOKEN_MINUTES="120")


def prepare_real_app(port: int, process: subprocess.Popen[bytes]) -> Target:
    """Log the viewer in and warm the report into L1."""
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/ready", process)
    login = http(f"{base}/api/auth/login", data=json.dumps({"username": "bench", "password": PASSWORD}).encode(),
                 headers={"Content-Type": "application/json"})[2]
    headers = {"Authorization": f"Bearer {json.loads(login)['access_token']}"}
    url = f"{base}/api/reports/trial-balance?{QUERY}"
    outcomes = [http(url, headers=headers)[1]["X-Cache"] for _ in range(3)]
    _, response_headers, body = http(url, headers=headers)
    assert response_headers["X-Cache"] == "HIT-L1", (outcomes, response_headers)
    print(f"real app warmed: {outcomes} -> {response_headers['X-Cache']}; "
          f"{len(json.loads(body)['rows'])} rows, {len(body):,} bytes")
    return Target("real app, L1 hit (Hypercorn)", url, headers, body)


def comparison(
    name: str, target: str, extra: list[str], headers: dict[str, str], path: str
) -> tuple[Target, list[str]]:
    """A comparison target of reports_http_targets.py and the command that starts it."""
    port = free_port()
    command = [sys.executable, str(HERE / "reports_http_targets.py"), target, "--port", str(port), *extra]
    return Target(name, f"http://127.0.0.1:{port}{path}", headers), command


def same_figures(ours: bytes, theirs: bytes) -> bool:
    """Whether two trial balance bodies carry the same numbers (the old app wrote floats)."""
    a, b = json.loads(ours), json.loads(theirs)
    rows_match = all(abs(float(x[k]) - float(y[k])) < 0.005 for x, y in zip(a["rows"], b["rows"], strict=True)
                     for k in x if isinstance(x[k], float))
    return rows_match and a["totals"] == {k: float(v) for k, v in b["totals"].items()}


def run(args: argparse.Namespace, has_fastapi: bool) -> list[Target]:
    """Start every server, check their answers, warm each up, then measure in interleaved rounds."""
    secret = secrets.token_urlsafe(48)
    principal = Principal("bench", "bench", "Bench", frozenset({"viewer"}), frozenset({1}))
    token = {"Authorization": f"Bearer {issue_access_token(principal, secret, dt.timedelta(hours=2))}"}
    with tempfile.TemporaryDirectory(prefix="roa2web-bench-") as name, contextlib.ExitStack() as stack:
        tmp = Path(name)
        ledger = tmp / "ledger-demo.sqlite"
        generate_demo_ledger(ledger, until=(YEAR + 1, 1), months=13)  # November closed, as the query wants
        add_customers(ledger, max(0, args.rows - DEMO_ANALYTIC_ROWS))
        port = free_port()
        env = real_app_env(tmp, ledger, secret, port)
        subprocess.run([sys.executable, "-m", "roa2web", "users", "add", "bench", "--role", "viewer", "--company", "1",
                        "--password-stdin"], input=f"{PASSWORD}\n".encode(), env=env, check=True, capture_output=True)
        real = prepare_real_app(port, stack.enter_context(server([sys.executable, "-m", "roa2web", "serve"], env)))
        (tmp / "body.json").write_bytes(real.body)
        plans = [comparison("bare Quart, same bytes (Hypercorn)", "bare-quart", ["--body", str(tmp / "body.json")],
                            {}, "/json"),
                 comparison('bare Quart, {"ok": true} (Hypercorn)', "bare-quart-small", [], {}, "/json")]
        if has_fastapi:
            plans.append(comparison("FastAPI + pydantic (uvicorn)", "fastapi",
                                    ["--ledger", str(ledger), "--secret", secret], token,
                                    f"/api/reports/trial-balance?{QUERY}"))
        targets = [real]
        for target, command in plans:
            process = stack.enter_context(server(command))
            wait_until_up(target.url.split("/api/")[0] + "/docs" if target.headers else target.url, process)
            target.body = http(target.url, headers=target.headers)[2]
            targets.append(target)
        assert targets[1].body == real.body, "the bare Quart target answers other bytes"
        if has_fastapi:
            assert same_figures(real.body, targets[-1].body), "the FastAPI target answers other figures"
        for target in targets:
            run_wrk(target, args, 3)  # warm-up, not measured
        for round_number in range(1, args.rounds + 1):
            print(f"  round {round_number}/{args.rounds}")
            for target in targets:
                measure(target, args)
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=300, help="analytic trial balance rows wanted")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`")
    has_fastapi = all(importlib.util.find_spec(name) for name in ("fastapi", "uvicorn"))
    if not has_fastapi:
        print("FastAPI/uvicorn missing: `pip install fastapi uvicorn` (bench-only) to measure the old way; skipping it")
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s x {args.rounds} interleaved rounds, "
          f"{os.cpu_count()} CPUs shared by the servers and wrk")
    targets = run(args, has_fastapi)
    print(f"median of {args.rounds} rounds:")
    for target in targets:
        rate, p50, p99 = target.median()
        print(f"  {target.name:<38} {rate:>8,.0f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   "
              f"non-2xx/socket errors {target.errors}")
    real, bare, small = (target.median()[0] for target in targets[:3])
    print("ratios (median requests/s):")
    print(f"  real app / bare Quart, same bytes    {real / bare:5.2f}   (context: what the framework alone costs)")
    print(f"  real app / bare Quart, small JSON    {real / small:5.2f}")
    if has_fastapi:
        fastapi = targets[3].median()[0]
        print(f"  real app / FastAPI+uvicorn           {real / fastapi:5.2f}   (target >= 3.00, DESIGN §13)")


if __name__ == "__main__":
    main()
