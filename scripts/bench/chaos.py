"""Chaos: kill -9 at random moments while OCR jobs, exports and receipts are in flight; the ledger
down mid-load and back; the data dir's disk full. Then: was anything lost, duplicated or corrupted?

    python scripts/bench/chaos.py [--rounds 20] [--json FILE]       # all three parts
    python scripts/bench/chaos.py --rounds 2 --skip-ledger --skip-disk   # CI: the kill part, quickly
    python scripts/bench/chaos.py --only disk                          # one part: kill | ledger | disk

The server is set up as a user sets it up (live_server.py: `roa2web init`, `roa2web users add`,
`roa2web serve` on a free 127.0.0.1 port; nothing else is ever targeted).

kill: each round starts the server, sends over ~4 s OCR uploads, report exports (XLSX, PDF),
receipts exports and receipts walked through create → submit → approve, and kills the server
(SIGKILL; TerminateProcess on Windows) at a random moment of that window. After the last round the
server is started once more and left to finish; then, with it stopped: every job the server
acknowledged (202) and every job in the jobs table is done, once; one output per export (no
`.partial` left, but a killed attempt's older than the output, kept an hour by design); one OCR run per
OCR job; no receipt twice (document numbers), no history action twice on a receipt, VAT lines as posted;
and `PRAGMA integrity_check` passes on every SQLite file of the data dir (app, data entry, queue, cache,
ledger). QUEUE_MAX_ATTEMPTS is raised above the round count: with the default 3 a job killed in three rounds
in a row fails for good, by design.

ledger: load.py with 20 clients for 30 s (--quick: 6 clients, 12 s), the ledger file locked by
another process from second 10 for 10 s: error rates before, during and after, and how fast
/health and fresh reports come back.

disk: the data dir on its own 8 MB tmpfs (`mount -t tmpfs`, needs root on Linux; elsewhere
RLIMIT_FSIZE on the server caps each file it writes instead). A filler file takes the free
space; every kind of write (login, receipt, OCR upload, attachment, exports, an uncached report)
must answer a clear problem+json (4xx, 503 or 507), never a 500; the server log must hold no
traceback of it; once the space is back the same writes succeed, and every SQLite file is intact.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.support

import load
from live_server import PASSWORD, Install, Server, install, integrity, serve

FINAL = {"done", "failed", "cancelled"}
PARTIAL = ".partial"  # an export being written (roa2web/exports/files.py; this script reads the server's files only)
PROBLEM = "application/problem+json"


def read_db(path: Path, sql: str, *binds: Any) -> list[tuple[Any, ...]]:
    """Rows of one read-only query."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)) as db:
        return list(db.execute(sql, binds))


async def tokens(base: str, round_number: int) -> dict[str, dict[str, str]]:
    """Each bench user's bearer header (a login per round, each from its own forwarded address)."""
    async with httpx.AsyncClient(timeout=60) as client:
        return await load.login(client, base, 100 + round_number)


class Ledgerbook:
    """What the server acknowledged: job ids by kind, receipts by document number and how far they got."""

    def __init__(self) -> None:
        self.jobs: dict[str, str] = {}
        self.receipts: dict[str, str] = {}  # document number -> receipt id (201 seen)
        self.steps: Counter[str] = Counter()
        self.in_flight_lost = 0  # requests cut by the kill (no answer): their outcome is unknown to the client
        self.refused: Counter[str] = Counter()


async def one_submission(client: httpx.AsyncClient, base: str, auth: dict[str, dict[str, str]], kind: str,
                         number: str, photo: bytes, book: Ledgerbook, rng: random.Random) -> None:
    """One user action of `kind`, recorded in `book` when the server acknowledges it."""
    company = rng.choice(load.COMPANIES)
    today = dt.date.today()
    try:
        if kind == "ocr":
            response = await client.post(f"{base}/api/data-entry/ocr", headers=auth["operator"],
                                         data={"company_id": str(company)},
                                         files={"photo": ("bon.jpg", photo, "image/jpeg")})
        elif kind == "report_export":
            response = await client.post(f"{base}/api/reports/exports", headers=auth["lector"], json={
                "report": "trial_balance", "format": rng.choice(("xlsx", "pdf")),
                "params": {"company_id": company, "year": today.year, "month_from": 1, "month_to": today.month,
                           "level": "analytic"}})
        elif kind == "receipts_export":
            response = await client.post(f"{base}/api/data-entry/exports", headers=auth["aprobator"],
                                         json={"company_id": company, "date_from": f"{today.year - 1}-01-01",
                                               "date_to": str(today)})
        else:
            await receipt_walk(client, base, auth, company, number, book)
            return
    except httpx.HTTPError:
        book.in_flight_lost += 1
        return
    if response.status_code == 202:
        book.jobs[str(response.json()["job_id"])] = kind
    else:
        book.refused[f"{kind} {response.status_code}"] += 1


async def receipt_walk(client: httpx.AsyncClient, base: str, auth: dict[str, dict[str, str]], company: int,
                       number: str, book: Ledgerbook) -> None:
    """Create, submit, approve one receipt (four eyes: the operator enters, the approver approves)."""
    created = await client.post(f"{base}/api/data-entry/receipts", headers=auth["operator"],
                                json=load.receipt_payload(company, number, dt.date.today()))
    if created.status_code != 201:
        book.refused[f"receipt {created.status_code}"] += 1
        return
    receipt_id = str(created.json()["id"])
    book.receipts[number] = receipt_id
    book.steps["created"] += 1
    for step, who in (("submit", "operator"), ("approve", "aprobator")):
        response = await client.post(f"{base}/api/data-entry/receipts/{receipt_id}/{step}", headers=auth[who])
        if response.status_code != 200:
            book.refused[f"{step} {response.status_code}"] += 1
            return
        book.steps[step] += 1


async def round_traffic(server: Server, round_number: int, args: argparse.Namespace, photos: list[bytes],
                        book: Ledgerbook, rng: random.Random) -> float:
    """Submissions spread over the window; the kill at a random moment of it. Seconds from start to kill."""
    auth = await tokens(server.base, round_number)
    kinds = ["ocr"] * args.per_round + ["report_export"] * args.per_round + ["receipts_export"] * args.per_round \
        + ["receipt"] * args.per_round
    kill_at = rng.uniform(0.2, args.window)

    async def later(delay: float, kind: str, index: int) -> None:
        await asyncio.sleep(delay)
        number = f"CHAOS-{round_number:02d}-{index:02d}"
        await one_submission(client, server.base, auth, kind, number, rng.choice(photos), book, rng)

    async with httpx.AsyncClient(timeout=30) as client:
        started = time.monotonic()
        tasks = [asyncio.create_task(later(rng.uniform(0, args.window), kind, index))
                 for index, kind in enumerate(kinds)]
        await asyncio.sleep(kill_at)
        server.kill9()
        await asyncio.gather(*tasks)  # the rest fail fast: nobody listens any more
        return time.monotonic() - started


def wait_all_final(inst: Install, timeout_s: float) -> dict[str, int]:
    """Until every job in the jobs table is done, failed or cancelled (the server running); states."""
    deadline = time.monotonic() + timeout_s
    while True:
        states = dict(read_db(inst.data_dir / "app.db", "SELECT state, COUNT(*) FROM jobs GROUP BY state"))
        if set(states) <= FINAL or time.monotonic() > deadline:
            return {str(key): int(value) for key, value in states.items()}
        time.sleep(0.5)


def check_kill(inst: Install, book: Ledgerbook) -> dict[str, Any]:
    """Everything the kill part promises, read from the stopped server's files."""
    app_db, receipts_db = inst.data_dir / "app.db", inst.data_dir / "receipts.db"
    jobs = {row[0]: row for row in read_db(app_db, "SELECT id, kind, state, attempts, error, max_attempts, params "
                                                   "FROM jobs")}
    # retired by design: a job whose every attempt died with its worker fails (a poison job must not loop)
    retired = {job_id for job_id, row in jobs.items()
               if row[2] == "failed" and row[3] >= row[5] and "exited during attempt" in (row[4] or "")}
    lost = sorted(job_id for job_id in book.jobs
                  if job_id not in jobs or (jobs[job_id][2] != "done" and job_id not in retired))
    not_done = {job_id: f"{row[1]} {row[2]} after {row[3]} attempts: {row[4]}" for job_id, row in jobs.items()
                if row[2] != "done" and job_id not in retired}
    export_problems, export_debris = {}, 0
    for job_id, row in jobs.items():
        if row[1] not in ("report_export", "receipts_export") or row[2] != "done":
            continue
        folder = inst.data_dir / "exports" / job_id
        paths = sorted(folder.iterdir()) if folder.is_dir() else []
        temporary = [path for path in paths if path.name.endswith(PARTIAL)]
        outputs = [path for path in paths if path not in temporary]
        # a killed attempt's temporary file is kept until it is an hour old (exports/files.py: on a shared
        # FILES_DIR a fresh one may be another instance's work): debris, when it was last written before the output
        output_written = min((path.stat().st_mtime for path in outputs), default=None)
        debris = [path for path in temporary if output_written is not None and path.stat().st_mtime <= output_written]
        export_debris += len(debris)
        files = [path.name for path in paths if path not in debris]
        suffixes = [Path(name).suffix for name in files]
        expected = 1 if row[1] == "report_export" else 2  # one XLSX or PDF; a receipts export writes XLSX + CSV
        if len(files) != expected or len(set(suffixes)) != len(suffixes) or any(PARTIAL in n for n in files):
            export_problems[job_id] = files
    run_ids = {row[0] for row in read_db(receipts_db, "SELECT id FROM receipt_ocr_runs")}
    linked = Counter(row[0] for row in read_db(receipts_db,
                                               "SELECT job_id FROM receipt_ocr_runs WHERE job_id IS NOT NULL"))
    ocr_problems = {job_id: f"run {json.loads(row[6]).get('run_id')}, linked by {linked[job_id]} runs"
                    for job_id, row in jobs.items() if row[1] == "ocr"
                    and (json.loads(row[6]).get("run_id") not in run_ids or linked[job_id] > 1)}
    duplicate_numbers = read_db(receipts_db, "SELECT company_id, document_number, COUNT(*) FROM receipts "
                                "WHERE document_number LIKE 'CHAOS-%' GROUP BY 1, 2 HAVING COUNT(*) > 1")
    present = {row[0] for row in read_db(receipts_db, "SELECT id FROM receipts")}
    missing_receipts = sorted(number for number, receipt_id in book.receipts.items() if receipt_id not in present)
    history_twice = read_db(receipts_db, "SELECT receipt_id, action, COUNT(*) FROM receipt_history "
                            "WHERE action IN ('create', 'submit', 'approve', 'ocr') GROUP BY 1, 2 HAVING COUNT(*) > 1")
    vat_lines = read_db(receipts_db, "SELECT r.id, COUNT(v.position) FROM receipts r LEFT JOIN receipt_vat_lines v "
                        "ON v.receipt_id = r.id WHERE r.document_number LIKE 'CHAOS-%' GROUP BY r.id "
                        "HAVING COUNT(v.position) != 2")
    orphan_runs = read_db(receipts_db, "SELECT COUNT(*) FROM receipt_ocr_runs WHERE job_id IS NULL")[0][0]
    empty_ocr_receipts = read_db(receipts_db, EMPTY_OCR_RECEIPTS)[0][0]
    leftover_messages = read_db(inst.data_dir / "queue.db", "SELECT COUNT(*) FROM task")[0][0]
    checks = integrity(inst.data_dir)
    return {
        "acknowledged_jobs": dict(Counter(book.jobs.values())), "jobs_in_table": len(jobs),
        "job_states": dict(Counter(row[2] for row in jobs.values())),
        "attempts": dict(Counter(str(row[3]) for row in jobs.values())),
        "lost": lost, "not_done": not_done, "retired_after_worker_deaths": len(retired),
        "export_problems": export_problems, "export_debris_of_killed_attempts": export_debris,
        "ocr_run_problems": ocr_problems,
        "duplicate_receipts": [list(row) for row in duplicate_numbers], "missing_receipts": missing_receipts,
        "history_twice": [list(row) for row in history_twice], "vat_line_problems": [list(row) for row in vat_lines],
        "receipt_steps": dict(book.steps), "requests_cut_by_kill": book.in_flight_lost, "refused": dict(book.refused),
        "ocr_runs_without_job": orphan_runs, "ocr_receipts_without_photo": empty_ocr_receipts,
        "queue_messages_left": leftover_messages, "integrity": checks,
        "ok": not (lost or not_done or export_problems or ocr_problems or duplicate_numbers or missing_receipts
                   or history_twice or vat_lines) and all(value == "ok" for value in checks.values()),
    }


def kill_part(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """The kill -9 rounds, the final drain and the checks."""
    inst = install(root / "kill", host=args.host, QUEUE_MAX_ATTEMPTS=str(args.rounds + 3), LOG_LEVEL="WARNING",
                   RATE_LIMIT_PER_USER_PER_MINUTE="1000000000")
    photos = load.receipt_photos()
    rng = random.Random(args.seed)
    book = Ledgerbook()
    moments = []
    for round_number in range(1, args.rounds + 1):
        server = serve(inst)
        moments.append(round(asyncio.run(round_traffic(server, round_number, args, photos, book, rng)), 2))
        print(f"  round {round_number:>2}/{args.rounds}: killed after {moments[-1]:.2f} s; acknowledged so far: "
              f"{len(book.jobs)} jobs, {len(book.receipts)} receipts", flush=True)
    server = serve(inst)
    started = time.monotonic()
    states = wait_all_final(inst, args.drain_timeout)
    drained_s = time.monotonic() - started
    exit_code = server.stop()
    result = check_kill(inst, book)
    result.update(rounds=args.rounds, kill_moments_s=moments, drain_s=round(drained_s, 1), states_after_drain=states,
                  final_exit_code=exit_code)
    return result


def ledger_part(args: argparse.Namespace) -> dict[str, Any]:
    """load.py with the ledger locked in the middle of the run."""
    clients, seconds, at, hold = (6, 12, 4, 4) if args.quick else (20, 30, 10, 10)
    argv = ["--host", args.host, "--clients", str(clients), "--seconds", str(seconds), "--think-ms", "500",
            "--ledger-down", f"{at}:{hold}"]
    print(f"  load.py {' '.join(argv)}", flush=True)
    result = load.main(argv)
    return {"clients": clients, "seconds": seconds, "error_rate": result["error_rate"], "errors": result["errors"],
            "requests": result["requests"], "ledger_down": result["ledger_down"]}


def mount_small_fs(path: Path, size: str = "8m") -> bool:
    """A tmpfs of `size` at `path` (Linux, root); False when that is not possible here."""
    path.mkdir(parents=True, exist_ok=True)
    if sys.platform != "linux" or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True,
                          check=False)
    return done.returncode == 0


def fill(directory: Path) -> int:
    """Write a filler file until the file system is full (or a file may grow no more); bytes written."""
    written = 0
    chunk = b"\0" * 65536
    with (directory / "filler.bin").open("wb", buffering=0) as handle:
        while True:
            try:
                written += handle.write(chunk)
            except OSError as error:
                if error.errno not in (errno.ENOSPC, errno.EFBIG):
                    raise
                for size in (4096, 512, 1):  # the last crumbs
                    with suppress(OSError):
                        while True:
                            written += handle.write(b"\0" * size)
                return written


async def writes(base: str, auth: dict[str, dict[str, str]], photo: bytes, tag: str) -> dict[str, dict[str, str]]:
    """Every kind of write once: {what: {status, content type, problem}}."""
    today = dt.date.today()
    outcomes: dict[str, dict[str, str]] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        def record(what: str, response: httpx.Response) -> None:
            kind = response.headers.get("content-type", "")
            body = response.json() if kind.startswith(("application/json", PROBLEM)) else {}
            outcomes[what] = {"status": str(response.status_code), "content_type": kind.split(";")[0],
                              "problem": f"{body.get('type', '')} {body.get('title', '')}".strip()
                              if response.status_code >= 400 else "",
                              "request_id": response.headers.get("X-Request-ID", "")}

        record("login", await client.post(f"{base}/api/auth/login", json={
            "username": "operator", "password": PASSWORD}, headers={"X-Forwarded-For": f"10.200.{len(tag)}.1"}))
        created = await client.post(f"{base}/api/data-entry/receipts", headers=auth["operator"],
                                    json=load.receipt_payload(1, f"DISK-{tag}", today))
        record("create receipt", created)
        if created.status_code == 201:
            receipt_id = created.json()["id"]
            record("attachment", await client.post(
                f"{base}/api/data-entry/receipts/{receipt_id}/attachments", headers=auth["operator"],
                files={"file": ("bon.jpg", photo, "image/jpeg")}))
        record("OCR upload", await client.post(f"{base}/api/data-entry/ocr", headers=auth["operator"],
                                                     data={"company_id": "1"},
                                                     files={"photo": ("bon.jpg", photo, "image/jpeg")}))
        record("report export", await client.post(f"{base}/api/reports/exports", headers=auth["lector"], json={
            "report": "trial_balance", "format": "xlsx",
            "params": {"company_id": 1, "year": today.year, "month_from": 1, "month_to": today.month}}))
        record("receipts export", await client.post(f"{base}/api/data-entry/exports", headers=auth["aprobator"],
                                                          json={"company_id": 1, "date_from": f"{today.year}-01-01",
                                                                "date_to": str(today)}))
        month = 1 + len(tag) % 12
        record("uncached report", await client.get(
            f"{base}/api/reports/trial-balance?company_id=2&year={today.year - 1}&month_from={month}&month_to=12"
            f"&level=analytic&hide_zero={'true' if tag == 'full' else 'false'}", headers=auth["lector"]))
    return outcomes


def tracebacks(log: Path, since: int, level: str) -> list[str]:
    """Log lines of `level` after byte `since` that carry a traceback."""
    text = log.read_bytes()[since:].decode("utf-8", "replace")
    return [line[:300] for line in text.splitlines() if "Traceback" in line and f'"level":"{level}"' in line]


EMPTY_OCR_RECEIPTS = ("SELECT COUNT(*) FROM receipts r WHERE r.source = 'ocr' AND NOT EXISTS "
                      "(SELECT 1 FROM receipt_attachments a WHERE a.receipt_id = r.id)")


def disk_part(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """The data dir's disk full, then space back."""
    mount = root / "small-disk"
    mounted = mount_small_fs(mount)
    if not mounted:
        return {"skipped": "cannot mount a tmpfs here (needs root on Linux)"}
    try:
        inst = install(root / "disk", data_dir=mount / "data", host=args.host, LOG_LEVEL="WARNING")
        photo = load.receipt_photos(1)[0]
        server = serve(inst)
        try:
            auth = asyncio.run(tokens(server.base, 900))
            since = inst.log.stat().st_size
            filled = fill(mount)
            full = asyncio.run(writes(server.base, auth, photo, "full"))
            health_full = load.health(server.base)
            traces = tracebacks(inst.log, since, "ERROR")
            warnings = tracebacks(inst.log, since, "WARNING")
            (mount / "filler.bin").unlink()
            freed = asyncio.run(writes(server.base, auth, photo, "space-back"))
            health_back = load.health(server.base)
        finally:
            exit_code = server.stop()
        checks = integrity(inst.data_dir)
        empty = read_db(inst.data_dir / "receipts.db", EMPTY_OCR_RECEIPTS)[0][0]
    finally:
        subprocess.run(["umount", str(mount)], check=False)
    clear = all((row["status"] in ("400", "409", "413", "422", "503", "507") and row["content_type"] == PROBLEM)
                or row["status"] in ("200", "201", "202") for row in full.values())
    return {"filesystem": "tmpfs 8 MB", "filler_bytes": filled, "while_full": full, "health_while_full": health_full,
            "tracebacks_while_full": traces, "warnings_with_traceback": warnings,
            "ocr_receipts_without_photo": empty, "after_space_back": freed, "health_after": health_back,
            "integrity": checks, "exit_code": exit_code,
            "ok": clear and not traces and all(row["status"] in ("200", "201", "202") for row in freed.values())
            and all(value == "ok" for value in checks.values())}


def print_kill(result: dict[str, Any]) -> None:
    """The kill part's figures."""
    print(f"kill -9 x {result['rounds']}: acknowledged jobs {result['acknowledged_jobs']}, jobs in the table "
          f"{result['jobs_in_table']} -> {result['job_states']} (attempts {result['attempts']}); drained in "
          f"{result['drain_s']} s")
    print(f"  lost {len(result['lost'])}, not done {len(result['not_done'])} (besides "
          f"{result['retired_after_worker_deaths']} retired: every attempt died with its worker), export problems "
          f"{len(result['export_problems'])} (debris of killed attempts {result['export_debris_of_killed_attempts']}), "
          f"OCR run problems {len(result['ocr_run_problems'])}, duplicate receipts "
          f"{len(result['duplicate_receipts'])}, missing receipts {len(result['missing_receipts'])}, history actions "
          f"twice {len(result['history_twice'])}, VAT line problems {len(result['vat_line_problems'])}")
    print(f"  receipts {result['receipt_steps']}; requests cut by the kill {result['requests_cut_by_kill']}; refused "
          f"{result['refused']}; OCR runs without a job (uploads cut mid-request) {result['ocr_runs_without_job']}, "
          f"OCR receipts without their photo "
          f"{result['ocr_receipts_without_photo']}; queue messages left {result['queue_messages_left']}")
    print(f"  integrity_check: {result['integrity']}")
    for job_id, why in list(result["not_done"].items())[:5]:
        print(f"    not done: {job_id} {why}")
    print(f"  kill: {'OK' if result['ok'] else 'FAILED'}")


def print_disk(result: dict[str, Any]) -> None:
    """The disk part's figures."""
    if "skipped" in result:
        print(f"disk full: skipped ({result['skipped']})")
        return
    print(f"disk full ({result['filesystem']}, filler {result['filler_bytes']:,} bytes):")
    for phase in ("while_full", "after_space_back"):
        for what, row in result[phase].items():
            print(f"  {phase:<16} {what:<16} {row['status']} {row['content_type']:<26} {row['problem']}")
    print(f"  /health while full {result['health_while_full']}; after {result['health_after']}")
    print(f"  errors with a traceback in the log while full: {len(result['tracebacks_while_full'])}; warnings "
          f"with one: {len(result['warnings_with_traceback'])}; OCR receipts left without their photo: "
          f"{result['ocr_receipts_without_photo']}")
    for line in (result["tracebacks_while_full"] + result["warnings_with_traceback"])[:3]:
        print(f"    {line}")
    print(f"  integrity_check: {result['integrity']}; disk: {'OK' if result['ok'] else 'FAILED'}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=3, help="of each kind: OCR, report/receipts export, receipt")
    parser.add_argument("--window", type=float, default=4.0, help="seconds over which a round submits; kill inside")
    parser.add_argument("--drain-timeout", type=float, default=900)
    parser.add_argument("--only", choices=("kill", "ledger", "disk"))
    parser.add_argument("--skip-ledger", action="store_true")
    parser.add_argument("--skip-disk", action="store_true")
    parser.add_argument("--quick", action="store_true", help="shorter ledger part")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CHAOS_SEED", "11")))
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on (anything else: refused)")
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the parts asked for, print their figures; returns them."""
    args = parse_args(argv)
    parts = [args.only] if args.only else [
        part for part, skip in (("kill", False), ("ledger", args.skip_ledger), ("disk", args.skip_disk)) if not skip]
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="roa2web-chaos-") as name:
        root = Path(name)
        if "kill" in parts:
            print(f"kill -9 x {args.rounds} (seed {args.seed})", flush=True)
            results["kill"] = kill_part(args, root)
            print_kill(results["kill"])
        if "ledger" in parts:
            print("ledger down mid-load", flush=True)
            results["ledger"] = ledger_part(args)
        if "disk" in parts:
            results["disk"] = disk_part(args, root)
            print_disk(results["disk"])
    results["ok"] = all(results[part].get("ok", True) for part in parts if part in ("kill", "disk"))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return results


if __name__ == "__main__":
    sys.exit(0 if main()["ok"] else 1)
