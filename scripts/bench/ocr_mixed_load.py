"""Mixed load: a cached report's latency and throughput alone, then while two OCR uploads are always in flight.

    python scripts/bench/ocr_mixed_load.py [--rounds 2] [--seconds 15] [--clients 4] [--json FILE]
        [--config NAME=ENV=VAL,ENV=VAL ...]
    python scripts/bench/ocr_mixed_load.py --quick        # 1 round of 2 s windows: does it still work?

OCR runs in threads of the web process (issue 16, item 4), so a photo being read takes CPU from
every request. The server is set up as a user sets it up (live_server.py: `roa2web init` in a temp
data dir, `roa2web serve` on a free loopback port). For each configuration — a name and the settings
the server gets, e.g. `--config threads1=OCR_THREADS=1` (`--config base=` for none) — a server is
started (with QUEUE_IN_PROCESS=false, a `roa2web worker` process beside it reads the photos), one photo read
to warm OCR, the dashboard warmed into the L1 cache, and then measured:

  (a) alone       --clients closed-loop clients GET the cached dashboard for --seconds (each pausing
                  --think-ms between requests; 0, the default, saturates the CPU as the issue measured);
  (b) under OCR   the same, while two OCR uploads are always in flight (each client uploads a
                  generated receipt photo, polls its job until done, uploads the next).

Printed per configuration: p50/p99 (ms) and requests/s of (a) and (b), the p99 ratio b/a, the
throughput ratio b/a and OCR photos/s during (b). Configurations alternate (A B A B ...) over
--rounds rounds, each round a fresh server, so the shared machine's drift hits all alike; the
medians of the rounds are reported (ratios: the median of each round's ratio).
Target (issue 16): p99 ratio <= 2.0. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.support

from live_server import PASSWORD, Install, Server, install, percentiles, serve, stop_process, wait_ocr_ready

SERVER_SETTINGS = {"RATE_LIMIT_PER_USER_PER_MINUTE": "1000000000", "LOG_LEVEL": "WARNING"}
OCR_IN_FLIGHT = 2
POLL_S = 0.25
COMPANY = 1
TARGET_P99_RATIO = 2.0


def parse_config(text: str) -> tuple[str, dict[str, str]]:
    """`NAME=ENV=VAL,ENV=VAL` (or `NAME=`) -> (NAME, {ENV: VAL})."""
    name, _, rest = text.partition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=ENV=VAL,... (or NAME=)")
    settings = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"{item!r} in {text!r}: expected ENV=VAL")
        settings[key] = value
    return name, settings


def receipt_photos(count: int = 4) -> list[bytes]:
    """Generated receipt photos (the OCR tests' generator), degraded like a phone picture."""
    from tests.support.receipt_images import receipt_sample

    return [receipt_sample(seed, "degraded").data for seed in range(count)]


async def token(client: httpx.AsyncClient, base: str, user: str) -> dict[str, str]:
    """A bearer header for a bench user."""
    response = await client.post(f"{base}/api/auth/login", json={"username": user, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def dashboard_url(base: str) -> str:
    """The cached report measured: company 1's dashboard of this month."""
    today = dt.date.today()
    return f"{base}/api/reports/dashboard?company_id={COMPANY}&year={today.year}&month={today.month}"


async def report_clients(client: httpx.AsyncClient, url: str, headers: dict[str, str], clients: int,
                         seconds: float, think_s: float = 0.0) -> dict[str, Any]:
    """`clients` closed loops GETting `url` for `seconds`, each waiting `think_s` between its requests.

    Returns p50/p99 (ms), requests/s, errors, and answers that were not L1 cache hits.
    """
    latencies: list[float] = []
    errors = 0
    misses = 0
    t0 = time.monotonic()

    async def loop() -> None:
        nonlocal errors, misses
        while time.monotonic() - t0 < seconds:
            started = time.perf_counter()
            try:
                response = await client.get(url, headers=headers)
            except httpx.HTTPError:
                errors += 1
                continue
            if response.status_code != 200:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            misses += response.headers.get("X-Cache") != "HIT-L1"
            if think_s:
                await asyncio.sleep(think_s)

    await asyncio.gather(*(loop() for _ in range(clients)))
    elapsed = time.monotonic() - t0
    figures = percentiles(latencies)
    return {"requests": len(latencies), "rate": round(len(latencies) / elapsed, 1), "p50": figures["p50"],
            "p99": figures["p99"], "errors": errors, "not_l1": misses}


class OcrLoad:
    """Two uploaders, each: upload a photo, poll its job until it ends, upload the next; photos done counted."""

    def __init__(self, client: httpx.AsyncClient, base: str, headers: dict[str, str], photos: list[bytes]) -> None:
        self.client, self.base, self.headers, self.photos = client, base, headers, photos
        self.finished: list[tuple[float, str]] = []  # (monotonic time, state)
        self.errors = 0
        self.running = asyncio.Event()
        self._stop = False
        self._tasks: list[asyncio.Task[None]] = []

    async def _uploader(self, index: int) -> None:
        count = index
        while not self._stop:
            photo = self.photos[count % len(self.photos)]
            count += OCR_IN_FLIGHT
            try:
                response = await self.client.post(f"{self.base}/api/data-entry/ocr", headers=self.headers,
                                                   data={"company_id": str(COMPANY)},
                                                   files={"photo": ("bon.jpg", photo, "image/jpeg")})
                if response.status_code != 202:
                    self.errors += 1
                    await asyncio.sleep(POLL_S)
                    continue
                status_url = self.base + response.json()["status_url"]
                while True:  # also after stop(): a job left running would load the next phase or server
                    body = (await self.client.get(status_url, headers=self.headers)).json()
                    if body["state"] == "running":
                        self.running.set()
                    if body["state"] in ("done", "failed", "cancelled"):
                        self.finished.append((time.monotonic(), body["state"]))
                        break
                    await asyncio.sleep(POLL_S)
            except httpx.HTTPError:
                self.errors += 1

    def start(self) -> None:
        """Start both uploaders."""
        self._tasks = [asyncio.create_task(self._uploader(index)) for index in range(OCR_IN_FLIGHT)]

    async def stop(self) -> None:
        """Upload no more; wait until the photos in flight are read."""
        self._stop = True
        await asyncio.wait_for(asyncio.gather(*self._tasks), 300)

    def done_between(self, start: float, end: float) -> tuple[int, int]:
        """Photos whose job ended in [start, end): (done, failed or cancelled)."""
        states = [state for at, state in self.finished if start <= at < end]
        return states.count("done"), len(states) - states.count("done")


async def measure(server: Server, args: argparse.Namespace, photos: list[bytes]) -> dict[str, Any]:
    """(a) the cached dashboard alone, then (b) the same with two OCR uploads always in flight."""
    limits = httpx.Limits(max_connections=args.clients + 2 * OCR_IN_FLIGHT)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        viewer, operator = await token(client, server.base, "lector"), await token(client, server.base, "operator")
        url = dashboard_url(server.base)
        for _ in range(3):  # L2, then L1
            (await client.get(url, headers=viewer)).raise_for_status()
        await report_clients(client, url, viewer, args.clients, min(1.0, args.seconds))  # warm-up, not measured
        alone = await report_clients(client, url, viewer, args.clients, args.seconds, args.think_ms / 1000)
        ocr = OcrLoad(client, server.base, operator, photos)
        ocr.start()
        await asyncio.wait_for(ocr.running.wait(), 120)
        started = time.monotonic()
        mixed = await report_clients(client, url, viewer, args.clients, args.seconds, args.think_ms / 1000)
        ended = time.monotonic()
        done, failed = ocr.done_between(started, ended)
        await ocr.stop()
    mixed.update(ocr_done=done, ocr_failed=failed, ocr_errors=ocr.errors,
                 ocr_per_s=round(done / (ended - started), 3))
    return {"alone": alone, "mixed": mixed, "p99_ratio": round(mixed["p99"] / max(alone["p99"], 0.001), 2),
            "p50_ratio": round(mixed["p50"] / max(alone["p50"], 0.001), 2),
            "rate_ratio": round(mixed["rate"] / max(alone["rate"], 0.001), 2)}


def in_worker(settings: dict[str, str]) -> bool:
    """Whether `settings` leave the OCR jobs to a `roa2web worker` process (QUEUE_IN_PROCESS=false)."""
    return settings.get("QUEUE_IN_PROCESS", "").strip().lower() in ("false", "0", "no", "off")


def start_worker(inst: Install) -> subprocess.Popen[bytes]:
    """`roa2web worker` on the install's data dir, its output appended to the install's log."""
    with inst.log.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "roa2web", "worker"], env=inst.env, stdout=log, stderr=log)


async def read_one(server: Server, photo: bytes) -> None:
    """Upload one photo and wait until its job ends: the OCR engine, wherever it runs, is loaded and warm."""
    async with httpx.AsyncClient(timeout=120) as client:
        operator = await token(client, server.base, "operator")
        response = await client.post(f"{server.base}/api/data-entry/ocr", headers=operator,
                                     data={"company_id": str(COMPANY)},
                                     files={"photo": ("bon.jpg", photo, "image/jpeg")})
        response.raise_for_status()
        status_url = server.base + response.json()["status_url"]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if (await client.get(status_url, headers=operator)).json()["state"] in ("done", "failed", "cancelled"):
                return
            await asyncio.sleep(POLL_S)
        raise SystemExit(f"the warm-up OCR job did not end in 300 s; see {server.install.log}")


def one_round(inst: Install, settings: dict[str, str], args: argparse.Namespace, photos: list[bytes]) -> dict[str, Any]:
    """A fresh server with `settings` (and a `roa2web worker` beside it when they ask), OCR warm, measured, stopped."""
    inst = dataclasses.replace(inst, env={**inst.env, **settings})
    server = serve(inst)
    worker = start_worker(inst) if in_worker(settings) else None
    try:
        if worker is None and not wait_ocr_ready(server.base):
            raise SystemExit(f"OCR never became ready with {settings}; see {inst.log}")
        asyncio.run(read_one(server, photos[0]))
        return asyncio.run(measure(server, args, photos))
    finally:
        server.stop()
        if worker is not None:
            stop_process(worker)


def median_of(rounds: list[dict[str, Any]], *path: str) -> float:
    """The median over the rounds of the figure at `path`."""
    values = []
    for row in rounds:
        value: Any = row
        for key in path:
            value = value[key]
        values.append(float(value))
    return round(statistics.median(values), 3)


def summarize(rounds: list[dict[str, Any]]) -> dict[str, float]:
    """Medians of every figure over the rounds."""
    summary = {f"{phase}_{key}": median_of(rounds, phase, key) for phase in ("alone", "mixed")
               for key in ("p50", "p99", "rate")}
    summary.update({key: median_of(rounds, key) for key in ("p50_ratio", "p99_ratio", "rate_ratio")})
    summary["ocr_per_s"] = median_of(rounds, "mixed", "ocr_per_s")
    return summary


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Install once; then the configurations in turn, round after round."""
    inst = install(root, **SERVER_SETTINGS)
    photos = receipt_photos()
    results: dict[str, dict[str, Any]] = {name: {"settings": settings, "rounds": []} for name, settings in args.config}
    for round_number in range(1, args.rounds + 1):
        for name, settings in args.config:
            row = one_round(inst, settings, args, photos)
            results[name]["rounds"].append(row)
            alone, mixed = row["alone"], row["mixed"]
            print(f"  round {round_number}/{args.rounds} {name:<16} alone p50 {alone['p50']:6.1f} "
                  f"p99 {alone['p99']:6.1f} ms {alone['rate']:7.1f}/s | under OCR p50 {mixed['p50']:6.1f} "
                  f"p99 {mixed['p99']:6.1f} ms "
                  f"{mixed['rate']:7.1f}/s, {mixed['ocr_per_s']:.2f} photos/s | p99 x{row['p99_ratio']:.2f} "
                  f"throughput x{row['rate_ratio']:.2f}", flush=True)
    for result in results.values():
        result["median"] = summarize(result["rounds"])
    return {"configs": results, "rounds": args.rounds, "seconds": args.seconds, "clients": args.clients,
            "think_ms": args.think_ms,
            "ocr_in_flight": OCR_IN_FLIGHT, "cpus": os.cpu_count(), "target_p99_ratio": TARGET_P99_RATIO,
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def print_report(result: dict[str, Any]) -> None:
    """The medians, one line per configuration."""
    print(f"median of {result['rounds']} rounds, {result['clients']} clients (think {result['think_ms']} ms) "
          f"x {result['seconds']} s per phase, "
          f"{result['ocr_in_flight']} OCR uploads in flight, {result['cpus']} CPUs shared with the bench client:")
    print(f"  {'config':<16} {'alone p50/p99 ms':>17} {'req/s':>7} | {'OCR p50/p99 ms':>15} {'req/s':>7} | "
          f"{'p99 ratio':>9} {'thr ratio':>9} {'photos/s':>8}  settings")
    for name, row in result["configs"].items():
        m = row["median"]
        print(f"  {name:<16} {m['alone_p50']:>8.1f}/{m['alone_p99']:<8.1f} {m['alone_rate']:>7.1f} | "
              f"{m['mixed_p50']:>6.1f}/{m['mixed_p99']:<8.1f} {m['mixed_rate']:>7.1f} | "
              f"x{m['p99_ratio']:>8.2f} x{m['rate_ratio']:>8.2f} {m['ocr_per_s']:>8.2f}  "
              f"{','.join(f'{k}={v}' for k, v in row['settings'].items()) or '(defaults)'}")
    print(f"  target: p99 ratio <= {result['target_p99_ratio']:.1f}; {result['date']}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every configuration, alternated")
    parser.add_argument("--seconds", type=float, default=15, help="seconds of each phase (alone, under OCR)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients of the cached report")
    parser.add_argument("--think-ms", type=float, default=0,
                        help="each client's pause between requests (0: as fast as it can, the CPU saturated)")
    parser.add_argument("--config", type=parse_config, action="append", metavar="NAME=ENV=VAL,...",
                        help="a configuration: its name and server settings (repeat; default: base=)")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s phases, 2 clients (CI: does it work)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.config = args.config or [("base", {})]
    if len({name for name, _ in args.config}) != len(args.config):
        parser.error("configuration names must differ")
    if args.quick:
        args.rounds, args.seconds, args.clients = 1, 2.0, 2
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run and print; returns the figures."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="roa2web-ocrmix-") as name:
        result = run(args, Path(name))
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
