"""Load: a realistic mix of requests from N clients against a real server on 127.0.0.1, bounded in time.

    python scripts/bench/load.py [--clients 50] [--seconds 60] [--think-ms 1000] [--json FILE]
    python scripts/bench/load.py --quick                       # 4 clients, 6 s: does it still work?
    python scripts/bench/load.py --ledger-down 20:15            # the ledger locked from second 20 for 15 s

The server is set up as a user sets it up (live_server.py: `roa2web init` in a temp data dir with
the demo ledger, `roa2web users add`, `roa2web serve` on a free loopback port; nothing else is
ever targeted). Each client is a person at a browser: it picks a request from the mix, waits for
the answer, thinks (exponential, mean --think-ms; 0 = as fast as it can), and again, until the
time is up:

    70% cached reports    dashboard, trial balance, invoices, aging, treasury (warmed before the run)
    10% uncached reports  treasury / trial balance / invoices with parameters never asked before
    10% receipts          half create a DRAFT receipt, half list the company's receipts
     5% OCR uploads       a generated receipt photo (202 + a job)
     5% exports           half a report export (XLSX), half a receipts export (202 + a job)

Printed: requests, error rate (5xx and transport errors; 4xx are counted apart), p50/p95/p99 per
route, the server's RSS over time, the jobs the run queued and how many were done when it ended.
With --ledger-down AT:FOR another process holds an exclusive lock on the ledger file (readers see
"database is locked", like a ledger whose file is being replaced) for FOR seconds from second AT;
then the run reports errors before/during/after and how long the app took to serve fresh reports
again. The per-user rate limit is raised (as in reports_http.py): a few bench users stand for many.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import ssl
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.support

from live_server import (
    PASSWORD,
    USERS,
    Install,
    RssSampler,
    Server,
    health,
    install,
    percentiles,
    serve,
    wait_ocr_ready,
)

MIX = {"cached": 70, "uncached": 10, "receipt": 10, "ocr": 5, "export": 5}
COMPANIES = (1, 2, 3)
SERVER_SETTINGS = {"RATE_LIMIT_PER_USER_PER_MINUTE": "1000000000", "LOG_LEVEL": "WARNING"}
OK = {200, 201, 202, 304}


@dataclass
class Sample:
    """One request: when it started and ended (s since the run began), what it was, how it went."""

    route: str
    kind: str
    started: float
    ended: float
    status: int  # 0: a transport error or timeout
    cache: str = ""
    job_id: str = ""
    problem: str = ""  # a refusal's or failure's problem type and title

    @property
    def ms(self) -> float:
        """Latency in milliseconds."""
        return (self.ended - self.started) * 1000


@dataclass
class Plan:
    """What the clients ask for: tokens, the warmed report URLs, photos, and parameters already used."""

    base: str
    tokens: dict[str, dict[str, str]]
    cached: list[tuple[str, str]]  # (route, url)
    photos: list[bytes]
    today: dt.date
    used: set[str] = field(default_factory=set)
    counter: int = 0

    def fresh(self, rng: random.Random) -> tuple[str, str]:
        """An uncached report: (route, url) with parameters no request of this run has used."""
        for _ in range(100):
            company = rng.choice(COMPANIES)
            choice = rng.random()
            if choice < 0.5:
                first = self.today - dt.timedelta(days=rng.randrange(1, 700))
                year_end = min(self.today, dt.date(first.year, 12, 31))  # a treasury range stays in one year
                last = first + dt.timedelta(days=rng.randrange(0, (year_end - first).days + 1))
                route, query = "/api/reports/treasury", f"company_id={company}&date_from={first}&date_to={last}"
            elif choice < 0.75:
                year = rng.choice((self.today.year - 1, self.today.year))
                month_from = rng.randrange(1, 13)
                month_to = rng.randrange(month_from, 13)
                level, hide = rng.choice(("synthetic", "analytic")), rng.choice(("true", "false"))
                route = "/api/reports/trial-balance"
                query = (f"company_id={company}&year={year}&month_from={month_from}&month_to={month_to}"
                         f"&level={level}&hide_zero={hide}")
            else:
                as_of = self.today - dt.timedelta(days=rng.randrange(0, 700))
                kind, status = rng.choice(("sales", "purchases")), rng.choice(("unpaid", "overdue", "all"))
                route = "/api/reports/invoices"
                query = f"company_id={company}&kind={kind}&status={status}&as_of={as_of}"
            if query not in self.used:
                self.used.add(query)
                return route, f"{route}?{query}"
        raise RuntimeError("no fresh report parameters left")


def cached_urls(today: dt.date) -> list[tuple[str, str]]:
    """The reports everyone looks at (warmed into the cache before the run)."""
    urls = []
    for company in COMPANIES:
        urls += [
            ("/api/reports/dashboard", f"company_id={company}&year={today.year}&month={today.month}"),
            ("/api/reports/trial-balance",
             f"company_id={company}&year={today.year}&month_from=1&month_to={today.month}"),
            ("/api/reports/invoices", f"company_id={company}&kind=sales&status=unpaid"),
            ("/api/reports/invoices/aging", f"company_id={company}&as_of={today}"),
            ("/api/reports/treasury", f"company_id={company}&date_from={today.year}-01-01&date_to={today}"),
        ]
    return [(route, f"{route}?{query}") for route, query in urls]


def receipt_payload(company_id: int, number: str, day: dt.date) -> dict[str, Any]:
    """A complete, valid receipt of `day` (an open month; fuel by card, 21% and 11%), unique by its number."""
    return {"company_id": company_id, "supplier_name": "ALFA PETROL SRL", "supplier_cif": "RO12345674",
            "document_number": number, "receipt_date": str(day), "payment_method": "card", "total": 374.10,
            "vat_lines": [{"rate": 21, "base": 300.00, "vat": 63.00}, {"rate": 11, "base": 10.00, "vat": 1.10}],
            "expense_account": "6022", "deductible": True, "buyer_cif_present": True}


def receipt_photos(count: int = 3) -> list[bytes]:
    """Generated receipt photos (the OCR tests' generator), degraded like a phone picture."""
    from tests.support.receipt_images import receipt_sample

    return [receipt_sample(seed, "degraded").data for seed in range(count)]


async def login(client: httpx.AsyncClient, base: str, index: int) -> dict[str, dict[str, str]]:
    """A bearer header per bench user; each logs in from its own address, as IIS would forward it."""
    tokens = {}
    for number, name in enumerate(USERS, start=1):
        response = await client.post(f"{base}/api/auth/login", json={"username": name, "password": PASSWORD},
                                     headers={"X-Forwarded-For": f"10.{index}.0.{number}"})
        response.raise_for_status()
        tokens[name] = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return tokens


async def request(client: httpx.AsyncClient, plan: Plan, kind: str, rng: random.Random,
                  t0: float) -> Sample:
    """One request of `kind`, timed."""
    company = rng.choice(COMPANIES)
    job = False
    if kind == "cached":
        route, url = rng.choice(plan.cached)
        call = client.build_request("GET", plan.base + url, headers=plan.tokens["lector"])
    elif kind == "uncached":
        route, url = plan.fresh(rng)
        call = client.build_request("GET", plan.base + url, headers=plan.tokens["lector"])
    elif kind == "receipt" and rng.random() < 0.5:
        plan.counter += 1
        route = "POST /api/data-entry/receipts"
        call = client.build_request("POST", f"{plan.base}/api/data-entry/receipts", headers=plan.tokens["operator"],
                                    json=receipt_payload(company, f"LOAD-{plan.counter}", plan.today))
    elif kind == "receipt":
        route = "/api/data-entry/receipts"
        call = client.build_request("GET", f"{plan.base}/api/data-entry/receipts?company_id={company}&limit=50",
                                    headers=plan.tokens["operator"])
    elif kind == "ocr":
        route, job = "POST /api/data-entry/ocr", True
        call = client.build_request("POST", f"{plan.base}/api/data-entry/ocr", headers=plan.tokens["operator"],
                                    data={"company_id": str(company)},
                                    files={"photo": ("bon.jpg", rng.choice(plan.photos), "image/jpeg")})
    elif rng.random() < 0.5:
        route, job = "POST /api/reports/exports", True
        call = client.build_request("POST", f"{plan.base}/api/reports/exports", headers=plan.tokens["lector"], json={
            "report": "trial_balance", "format": "xlsx",
            "params": {"company_id": company, "year": plan.today.year, "month_from": 1, "month_to": plan.today.month}})
    else:
        route, job = "POST /api/data-entry/exports", True
        call = client.build_request("POST", f"{plan.base}/api/data-entry/exports", headers=plan.tokens["aprobator"],
                                    json={"company_id": company, "date_from": "2025-01-01", "date_to": str(plan.today)})
    if not route.startswith("POST"):
        route = f"GET {route} ({kind})"
    started = time.monotonic() - t0
    try:
        response = await client.send(call)
    except httpx.HTTPError:
        return Sample(route, kind, started, time.monotonic() - t0, 0)
    job_id = problem = ""
    if job and response.status_code == 202:
        job_id = str(response.json().get("job_id", ""))
    elif response.status_code >= 400:
        problem = describe(response)
    return Sample(route, kind, started, time.monotonic() - t0, response.status_code,
                  response.headers.get("X-Cache", ""), job_id, problem)


def describe(response: httpx.Response) -> str:
    """A refusal in a few words: status, content type, the problem's type and title (or the body's start)."""
    try:
        body = response.json()
        text = f"{body.get('type', '')} {body.get('title', '')} {body.get('detail', '')} {body.get('errors', '')}"[:300]
    except ValueError:
        text = response.text[:120]
    return f"{response.status_code} {response.headers.get('content-type', '')}: {text}"


def browser(args: argparse.Namespace, tls: ssl.SSLContext) -> httpx.AsyncClient:
    """One person's HTTP client (two connections, like a browser's few).

    Made before the clock starts, with one shared TLS context: building httpx's default context
    loads the CA bundle (tens of ms of CPU each), which for 200 clients would block the bench's
    event loop for seconds inside the measured time, though the requests are plain http.
    """
    return httpx.AsyncClient(timeout=args.timeout, limits=httpx.Limits(max_connections=2), verify=tls)


async def client_loop(index: int, client: httpx.AsyncClient, plan: Plan, args: argparse.Namespace, t0: float,
                      samples: list[Sample]) -> None:
    """One person: pick, ask, wait, think; until the run's time is up."""
    rng = random.Random(args.seed * 100_003 + index)
    kinds, weights = list(MIX), list(MIX.values())
    async with client:
        while time.monotonic() - t0 < args.seconds:
            samples.append(await request(client, plan, rng.choices(kinds, weights)[0], rng, t0))
            if args.think_ms:
                await asyncio.sleep(min(rng.expovariate(1000 / args.think_ms), max(0.0, args.seconds - (
                    time.monotonic() - t0))))


class LedgerLock:
    """Another process's exclusive lock on the ledger file from second `at` for `hold` seconds of the run."""

    def __init__(self, ledger: Path, at: float, hold: float, t0: float) -> None:
        self.ledger, self.at, self.hold, self.t0 = ledger, at, hold, t0
        self.locked_at = self.released_at = -1.0
        self.thread = threading.Thread(target=self._run, name="ledger-lock", daemon=True)

    def _run(self) -> None:
        time.sleep(max(0.0, self.at - (time.monotonic() - self.t0)))
        with closing(sqlite3.connect(self.ledger, timeout=60, isolation_level=None)) as db:
            db.execute("BEGIN EXCLUSIVE")
            self.locked_at = time.monotonic() - self.t0
            time.sleep(self.hold)  # the fault itself: the file stays locked this long
            db.execute("COMMIT")
            self.released_at = time.monotonic() - self.t0


def health_watch(base: str, t0: float, until: float, out: list[tuple[float, str]]) -> None:
    """/health's ledger status every 0.5 s (in a thread): [(s since start, status)]."""
    while time.monotonic() - t0 < until:
        status = health(base).get("ledger", "?")
        out.append((round(time.monotonic() - t0, 2), status))
        time.sleep(0.5)


def route_table(samples: list[Sample]) -> dict[str, dict[str, Any]]:
    """Per route: count, errors (5xx/transport), other non-2xx/304, statuses, cache outcomes, latency."""
    by_route: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_route[sample.route].append(sample)
    table = {}
    for route, rows in sorted(by_route.items()):
        errors = sum(1 for row in rows if row.status == 0 or row.status >= 500)
        table[route] = {"count": len(rows), "errors": errors,
                        "refused": sum(1 for row in rows if 400 <= row.status < 500),
                        "statuses": dict(Counter(str(row.status) for row in rows)),
                        "cache": dict(Counter(row.cache for row in rows if row.cache)),
                        "problems": dict(Counter(row.problem for row in rows if row.problem).most_common(3)),
                        **percentiles([row.ms for row in rows if row.status in OK])}
    return table


def window(samples: list[Sample], start: float, end: float) -> dict[str, Any]:
    """Figures of the uncached and cached reports that started in [start, end)."""
    figures = {}
    for kind in ("uncached", "cached"):
        rows = [row for row in samples if row.kind == kind and start <= row.started < end]
        figures[kind] = {"count": len(rows), "errors": sum(1 for row in rows if row.status == 0 or row.status >= 500),
                         "statuses": dict(Counter(str(row.status) for row in rows)),
                         "cache": dict(Counter(row.cache for row in rows if row.cache)),
                         **percentiles([row.ms for row in rows if row.status in OK])}
    return figures


def ledger_figures(samples: list[Sample], lock: LedgerLock, watch: list[tuple[float, str]],
                   seconds: float) -> dict[str, Any]:
    """Before / during / after the lock, and how fast fresh reports and /health came back."""
    fresh = sorted(row.ended for row in samples
                   if row.kind == "uncached" and row.status == 200 and row.cache == "MISS"
                   and row.started >= lock.released_at)
    down = [t for t, status in watch if lock.locked_at <= t < lock.released_at and status != "ok"]
    back = [t for t, status in watch if t >= lock.released_at and status == "ok"]
    return {"locked_at_s": round(lock.locked_at, 1), "released_at_s": round(lock.released_at, 1),
            "before": window(samples, 0, lock.locked_at),
            "during": window(samples, lock.locked_at, lock.released_at),
            "after": window(samples, lock.released_at, seconds + 1),
            "health_saw_it_down_after_s": round(down[0] - lock.locked_at, 1) if down else None,
            "health_ok_again_after_s": round(back[0] - lock.released_at, 1) if back else None,
            "fresh_report_after_s": round(fresh[0] - lock.released_at, 1) if fresh else None}


def job_states(inst: Install, job_ids: set[str]) -> dict[str, dict[str, int]]:
    """The run's jobs by kind and state, read from the app database."""
    states: dict[str, Counter[str]] = defaultdict(Counter)
    with closing(sqlite3.connect(f"{(inst.data_dir / 'app.db').as_uri()}?mode=ro", uri=True, timeout=30)) as db:
        for job_id, kind, state in db.execute("SELECT id, kind, state FROM jobs"):
            if job_id in job_ids:
                states[kind][state] += 1
    return {kind: dict(counter) for kind, counter in states.items()}


async def prepare(server: Server, photos: list[bytes], index: int) -> Plan:
    """Log the users in and warm every cached report (twice: L2 then L1)."""
    today = dt.date.today()
    async with httpx.AsyncClient(timeout=60) as client:
        plan = Plan(server.base, await login(client, server.base, index), cached_urls(today), photos, today)
        for _ in range(2):
            for _, url in plan.cached:
                response = await client.get(server.base + url, headers=plan.tokens["lector"])
                response.raise_for_status()
    return plan


async def drive(server: Server, args: argparse.Namespace, plan: Plan) -> tuple[list[Sample], dict[str, Any]]:
    """The clients, the RSS sampler and (with --ledger-down) the lock and the /health watch."""
    samples: list[Sample] = []
    extra: dict[str, Any] = {}
    tls = ssl.create_default_context()
    browsers = [browser(args, tls) for _ in range(args.clients)]
    t0 = time.monotonic()
    lock = watch = None
    if args.ledger_down:
        at, hold = (float(part) for part in args.ledger_down.split(":"))
        lock = LedgerLock(server.install.ledger, at, hold, t0)
        watch = []
        watcher = threading.Thread(target=health_watch, args=(server.base, t0, args.seconds, watch), daemon=True)
        lock.thread.start()
        watcher.start()
    with RssSampler(server.process.pid) as rss:
        clients = [asyncio.create_task(client_loop(i, client, plan, args, t0, samples))
                   for i, client in enumerate(browsers)]
        done, pending = await asyncio.wait(clients, timeout=args.seconds + args.timeout + 10)
        for task in pending:
            task.cancel()
        for task in done:
            task.result()
    extra["elapsed_s"] = round(time.monotonic() - t0, 1)
    extra["rss_mb"] = rss.samples
    if lock is not None and watch is not None:
        lock.thread.join(args.seconds + 60)
        extra["ledger_down"] = ledger_figures(samples, lock, watch, args.seconds)
    return samples, extra


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Install, serve, load, report (a dict, also what --json writes)."""
    inst = install(root, host=args.host, **SERVER_SETTINGS)
    photos = receipt_photos()
    server = serve(inst)
    try:
        ocr_ready = wait_ocr_ready(server.base)
        plan = asyncio.run(prepare(server, photos, 1))
        samples, extra = asyncio.run(drive(server, args, plan))
        jobs = job_states(inst, {row.job_id for row in samples if row.job_id})
        final_health = health(server.base)
    finally:
        exit_code = server.stop()
    total = len(samples)
    errors = sum(1 for row in samples if row.status == 0 or row.status >= 500)
    rss = [mb for _, mb in extra["rss_mb"]]
    return {
        "clients": args.clients, "seconds": args.seconds, "think_ms": args.think_ms, "ocr_ready": ocr_ready,
        "requests": total, "rate_per_s": round(total / max(extra["elapsed_s"], 0.001), 1),
        "errors": errors, "error_rate": round(errors / total, 5) if total else 0.0,
        "refused_4xx": sum(1 for row in samples if 400 <= row.status < 500),
        "routes": route_table(samples), "jobs": jobs, "health_at_end": final_health,
        "rss_mb": {"start": rss[0] if rss else 0, "max": max(rss, default=0), "end": rss[-1] if rss else 0,
                   "series": extra["rss_mb"]},
        "ledger_down": extra.get("ledger_down"), "server_exit_code": exit_code, "elapsed_s": extra["elapsed_s"],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def print_report(result: dict[str, Any]) -> None:
    """The figures, as a table."""
    print(f"{result['clients']} clients x {result['seconds']} s (think {result['think_ms']} ms): "
          f"{result['requests']:,} requests, {result['rate_per_s']:,.1f}/s, errors {result['errors']} "
          f"({result['error_rate']:.3%}), 4xx {result['refused_4xx']}, OCR ready: {result['ocr_ready']}")
    print(f"  {'route':<52} {'count':>6} {'err':>4} {'4xx':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for route, row in result["routes"].items():
        print(f"  {route:<52} {row['count']:>6} {row['errors']:>4} {row['refused']:>4} {row['p50']:>8.1f} "
              f"{row['p95']:>8.1f} {row['p99']:>8.1f} {row['max']:>8.1f}  {row['cache'] or ''}")
        for problem, count in row["problems"].items():
            print(f"      {count} x {problem}")
    series = result["rss_mb"]["series"]
    step = max(1, len(series) // 12)
    print(f"  RSS MB: start {result['rss_mb']['start']}, max {result['rss_mb']['max']}, end {result['rss_mb']['end']}; "
          + ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in series[::step]))
    print(f"  jobs of the run by state at its end: {json.dumps(result['jobs'])}; /health: {result['health_at_end']}")
    ledger = result.get("ledger_down")
    if ledger:
        print(f"  ledger locked {ledger['locked_at_s']}..{ledger['released_at_s']} s: /health saw it after "
              f"{ledger['health_saw_it_down_after_s']} s, ok again {ledger['health_ok_again_after_s']} s after; "
              f"first fresh (MISS) report {ledger['fresh_report_after_s']} s after the release")
        for phase in ("before", "during", "after"):
            for kind in ("uncached", "cached"):
                row = ledger[phase][kind]
                print(f"    {phase:<7} {kind:<9} {row['count']:>5} req, errors {row['errors']:>4}, "
                      f"p50 {row['p50']:>8.1f}"
                      f" p99 {row['p99']:>8.1f} ms, statuses {row['statuses']}, cache {row['cache']}")
    print(f"  server exit code {result['server_exit_code']}; {result['date']}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-ms", type=float, default=1000, help="mean think time between requests (0: none)")
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    parser.add_argument("--quick", action="store_true", help="4 clients for 6 s (CI: does it still work)")
    parser.add_argument("--ledger-down", metavar="AT:FOR", help="lock the ledger file from second AT for FOR seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on (anything else: refused)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.seconds = 4, 6
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run once and print; returns the figures."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="roa2web-load-") as name:
        result = run(args, Path(name))
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
