"""In-process: one cached report reply (L1 hit) through the app's ASGI callable, without a server.

    python scripts/bench/report_hit_inprocess.py [--requests 2000] [--rounds 9] [--rows 300]

Two ways to the same bytes, called alternately in rounds (the median of each round's median):
1. the real app: Quart's report route with its hooks (request id, token, rate limit, headers);
2. a bare Quart app with one route returning the same bytes.
No sockets, no Hypercorn or h11: this isolates what each costs per request in Python, where
`reports_http.py` measures whole requests over loopback. The real app runs its Huey consumer
threads as `roa2web serve` does; the heap is frozen after warm-up, as the server does after startup.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from reports_http_targets import MONTH_TO, YEAR, add_customers

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import issue_access_token
from roa2web.demo import generate_demo_ledger

DEMO_ANALYTIC_ROWS = 60
QUERY = f"company_id=1&year={YEAR}&month_from=1&month_to={MONTH_TO}&level=analytic".encode()


def http_scope(path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """An ASGI HTTP scope as Hypercorn would pass it."""
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench"), *headers],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "extensions": {}, "state": {},
    }  # fmt: skip


async def call(app: Any, scope: dict[str, Any]) -> list[dict[str, Any]]:
    """One request: the body arrives at once; the client disconnects once the reply is complete."""
    sent: list[dict[str, Any]] = []
    complete = asyncio.Event()
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            complete.set()

    await app(scope, receive, send)
    return sent


async def median_us(app: Any, scope: dict[str, Any], count: int) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await call(app, scope)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


async def run(args: argparse.Namespace, tmp: Path) -> None:
    from quart import Quart, Response

    from roa2web.app import create_app

    ledger = tmp / "ledger-demo.sqlite"
    generate_demo_ledger(ledger, until=(YEAR + 1, 1), months=13)  # November closed, as the query wants
    add_customers(ledger, max(0, args.rows - DEMO_ANALYTIC_ROWS))
    secret = secrets.token_urlsafe(48)
    os.environ.update(DATA_DIR=str(tmp / "data"), LEDGER_PATH=str(ledger), ROA2WEB_ENV_FILE=str(tmp / "none.env"),
                      JWT_SECRET_KEY=secret, OCR_ENABLED="false", LOG_LEVEL="WARNING",
                      RATE_LIMIT_PER_USER_PER_MINUTE="1000000000")  # fmt: skip
    principal = Principal("bench", "bench", "Bench", frozenset({"viewer"}), frozenset({1}))
    token = issue_access_token(principal, secret, dt.timedelta(hours=2))
    real = create_app()
    await real.startup()
    try:
        scope = http_scope("/api/reports/trial-balance", QUERY, [(b"authorization", f"Bearer {token}".encode())])
        outcomes = [dict((await call(real, scope))[0]["headers"])[b"x-cache"].decode() for _ in range(3)]
        body = b"".join(m.get("body", b"") for m in await call(real, scope) if m["type"] == "http.response.body")
        bare = Quart("bare")

        @bare.get("/json")
        async def same_bytes() -> Response:
            return Response(body, content_type="application/json")

        await bare.startup()
        bare_scope = http_scope("/json", b"", [])
        for target, target_scope in ((real, scope), (bare, bare_scope)):
            await median_us(target, target_scope, 300)
        gc.collect()
        gc.freeze()
        print(f"warm-up: {outcomes}; {len(body):,} bytes; {args.rounds} rounds x {args.requests} requests each")
        figures: dict[str, list[float]] = {"real app (report route)": [], "bare Quart": []}
        for _ in range(args.rounds):
            figures["real app (report route)"].append(await median_us(real, scope, args.requests))
            figures["bare Quart"].append(await median_us(bare, bare_scope, args.requests))
        bare_us = statistics.median(figures["bare Quart"])
        print("median µs per request (and time relative to the bare Quart route):")
        for name, values in figures.items():
            median = statistics.median(values)
            print(f"  {name:<36} {median:7.1f} µs   x{median / bare_us:4.2f}")
        await bare.shutdown()
    finally:
        await real.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per target and round")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--rows", type=int, default=300, help="analytic trial balance rows wanted")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roa2web-bench-") as name:
        asyncio.run(run(args, Path(name)))


if __name__ == "__main__":
    main()
