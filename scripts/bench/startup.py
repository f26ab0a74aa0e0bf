"""Time from `roa2web serve` to /ready = 200, and the process's RSS at idle. Prints figures.

Usage: python scripts/bench/startup.py [--runs 5]
Needs a demo ledger; one is generated in a temp dir.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from roa2web.demo import generate_demo_ledger


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_run(ledger: Path, data_dir: Path, idle_s: float) -> tuple[float, float]:
    port = free_port()
    env = dict(
        os.environ,
        DATA_DIR=str(data_dir),
        LEDGER_PATH=str(ledger),
        PORT=str(port),
        LOG_LEVEL="WARNING",
        ROA2WEB_ENV_FILE=str(data_dir / "none.env"),
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "roa2web", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.01)
        ready_s = time.perf_counter() - started
        time.sleep(idle_s)
        rss_mb = psutil.Process(process.pid).memory_info().rss / 2**20
        return ready_s, rss_mb
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds to wait before reading RSS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger.sqlite"
        generate_demo_ledger(ledger, until=(2025, 12), months=12)
        results = [one_run(ledger, Path(tmp) / f"data{i}", args.idle) for i in range(args.runs)]
    ready = [r for r, _ in results]
    rss = [m for _, m in results]
    print(
        f"time to /ready: median {statistics.median(ready) * 1000:.0f} ms "
        f"(min {min(ready) * 1000:.0f}, max {max(ready) * 1000:.0f}) over {args.runs} runs"
    )
    print(f"RSS at idle after {args.idle:.0f} s: median {statistics.median(rss):.0f} MB (max {max(rss):.0f})")


if __name__ == "__main__":
    main()
