"""`roa2web backup` and `roa2web restore` on the demo data: archive size and wall times. Prints figures.

Usage: python scripts/bench/backup_restore.py [--receipts 50] [--runs 3] [--json OUT]

A `roa2web init` data dir (demo ledger, databases, users) served by a real `roa2web serve` on loopback;
`--receipts` receipts are created through the API, each with a phone-sized JPEG photo, plus a report
export. Then, with the server running and a client creating receipts all along, `roa2web backup` is
timed (the command's wall time, interpreter start included); then, the server stopped, `roa2web
restore ARCHIVE --data-dir` into a fresh folder. Medians of `--runs`; `command_start_s` is what
`roa2web backup --help` takes (interpreter and imports, no work), to subtract.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
from live_server import PASSWORD, install, integrity, serve
from PIL import Image


def phone_photo(seed: int) -> bytes:
    """A 1200x1600 JPEG with noise (so it compresses like a photo, ~0.4 MB)."""
    rng = random.Random(seed)
    image = Image.effect_noise((1200, 1600), 40 + rng.random() * 20).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def receipt(number: str) -> dict[str, Any]:
    """A valid receipt of today (an open month)."""
    return {"company_id": 1, "supplier_name": "ALFA PETROL SRL", "supplier_cif": "RO12345674",
            "document_number": number, "receipt_date": str(dt.date.today()), "payment_method": "card",
            "total": 374.10, "vat_lines": [{"rate": 21, "base": 300.00, "vat": 63.00},
                                           {"rate": 11, "base": 10.00, "vat": 1.10}],
            "expense_account": "6022", "deductible": True, "buyer_cif_present": True}


def login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def fill(base: str, receipts: int) -> None:
    """`receipts` receipts with a photo each, and one report export (waited for)."""
    with closing(login(base, "operator")) as operator, closing(login(base, "lector")) as reader:
        for number in range(receipts):
            created = operator.post("/api/data-entry/receipts", json=receipt(f"BENCH-{number}"))
            created.raise_for_status()
            attached = operator.post(f"/api/data-entry/receipts/{created.json()['id']}/attachments",
                                     files={"file": ("bon.jpg", phone_photo(number), "image/jpeg")})
            attached.raise_for_status()
        today = dt.date.today()
        export = reader.post("/api/reports/exports", json={
            "report": "trial_balance", "format": "xlsx",
            "params": {"company_id": 1, "year": today.year, "month_from": 1, "month_to": today.month}})
        export.raise_for_status()
        deadline = time.monotonic() + 300
        while reader.get(export.json()["status_url"]).json()["state"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                raise SystemExit("the export did not finish in 300 s")
            time.sleep(0.1)


class Writer(threading.Thread):
    """Creates receipts until stopped: the server is being written while the backup runs."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.count = base, threading.Event(), 0

    def run(self) -> None:
        with closing(login(self.base, "operator")) as operator:
            while not self.stop.is_set():
                operator.post("/api/data-entry/receipts", json=receipt(f"W-{self.count}")).raise_for_status()
                self.count += 1


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, capture_output=True, text=True,
                          timeout=1800, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"roa2web {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="roa2web-bench-backup-") as temp:
        root = Path(temp)
        inst = install(root / "install", OCR_ENABLED="false", BNR_RATES_ENABLED="false", LOG_LEVEL="WARNING",
                       RATE_LIMIT_PER_USER_PER_MINUTE="1000000000")
        server = serve(inst)
        backup_s: list[float] = []
        try:
            fill(server.base, args.receipts)
            writer = Writer(server.base)
            writer.start()
            for run in range(args.runs):
                elapsed, output = timed(["backup", "--to", str(root / f"backups-{run}")], inst.env)
                backup_s.append(elapsed)
                archive = Path(output.strip().splitlines()[-1])
            writer.stop.set()
            writer.join(60)
        finally:
            server.stop()
        data_bytes = folder_size(inst.data_dir)
        restore_s = []
        for run in range(args.runs):
            fresh = root / f"restored-{run}" / "data"
            restore_s.append(timed(["restore", str(archive), "--data-dir", str(fresh)], inst.env)[0])
        problems = {name: result for name, result in integrity(fresh).items() if result != "ok"}
        start_s = [timed(["backup", "--help"], inst.env)[0] for _ in range(args.runs)]  # imports, no work
        figures = {
            "receipts_with_photos": args.receipts, "receipts_written_during_backups": writer.count,
            "data_dir_mb": round(data_bytes / 1e6, 2), "archive_mb": round(archive.stat().st_size / 1e6, 2),
            "archive_files": len(json.loads(_manifest(archive))["entries"]),
            "backup_s": {"median": round(statistics.median(backup_s), 2), "runs": [round(s, 2) for s in backup_s]},
            "restore_s": {"median": round(statistics.median(restore_s), 2), "runs": [round(s, 2) for s in restore_s]},
            "command_start_s": round(statistics.median(start_s), 2),
            "restored_integrity": problems or "ok",
        }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


def _manifest(archive: Path) -> bytes:
    with zipfile.ZipFile(archive) as opened:
        return opened.read("manifest.json")


if __name__ == "__main__":
    main()
