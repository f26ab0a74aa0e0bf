"""`roa2web init` (demo ledger, databases, first admin) and `roa2web demo` (bigger ledgers)."""

from __future__ import annotations

import argparse
import re
import secrets
import time
from pathlib import Path

from roa2web.aio import run_async
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.auth.secret import ensure_secret
from roa2web.cli.cache import clear_after_ledger_replaced
from roa2web.cli.db import up_to_date
from roa2web.databases import database_parts
from roa2web.demo import DEFAULT_MONTHS, YearMonth, generate_demo_ledger
from roa2web.settings import Settings

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def year_month(text: str) -> YearMonth:
    """`--until YYYY-MM` as (year, month); argparse reports anything else as a usage error."""
    match = _YEAR_MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}")
    return int(match[1]), int(match[2])


def month_count(text: str) -> int:
    """`--months N`, N >= 1."""
    if not text.strip().isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of months >= 1, got {text!r}")
    return int(text)


def _generate(path: Path, seed: int, until: YearMonth | None, months: int, lines_per_month: int | None) -> None:
    started = time.perf_counter()
    summary = generate_demo_ledger(path, seed=seed, until=until, months=months, lines_per_month=lines_per_month)
    (first_year, first_month), (last_year, last_month) = summary.first, summary.until
    print(
        f"demo ledger: {path} ({first_year}-{first_month:02d}..{last_year}-{last_month:02d}, "
        f"{summary.line_count} journal lines, sha256 {summary.sha256[:16]}…, {time.perf_counter() - started:.1f} s)"
    )


async def _migrate_and_seed_admin(settings: Settings) -> tuple[str, str] | None:
    parts = database_parts(settings)
    for name, part in parts.items():
        await part.start()
        print(up_to_date(name, part))
    try:
        app_db = parts["app_db"]
        if await store.list_users(app_db.db):
            return None
        password = secrets.token_urlsafe(12)
        await store.create_user(
            app_db.db,
            username="admin",
            display_name="Administrator",
            password_hash=await hash_password(password),
            roles=frozenset({"admin"}),
            company_ids=None,
        )
        return "admin", password
    finally:
        for part in parts.values():
            await part.stop()


def _init(args: argparse.Namespace, settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.files_shared:
        settings.files_root.mkdir(parents=True, exist_ok=True)
        print(f"files: receipts/ and exports/ under {settings.files_root} (FILES_DIR)")
    if settings.oracle_configured:
        print(f"ledger: Oracle at {settings.oracle_connect_dsn} (no demo ledger generated)")
    elif args.force or not settings.embedded_ledger_path.exists():
        _generate(settings.embedded_ledger_path, args.seed, args.until, DEFAULT_MONTHS, None)
        clear_after_ledger_replaced(settings, settings.embedded_ledger_path)
    else:
        print(f"demo ledger: {settings.embedded_ledger_path} exists (use --force to regenerate)")
    secret, written = ensure_secret(settings)
    print(f"jwt secret: {'wrote a new random one to ' if written else ''}{secret.describe()}")
    if secret.weakness:
        print(f"  warning: it {secret.weakness}; `roa2web serve` refuses it off loopback and in production")
    created = run_async(_migrate_and_seed_admin(settings))
    if created:
        username, password = created
        print(
            f"\nadmin user created.\n  username: {username}\n  password: {password}\n"
            f"Log in: curl -s -X POST http://{settings.host}:{settings.port}/api/auth/login "
            f'-H \'Content-Type: application/json\' -d \'{{"username":"{username}","password":"{password}"}}\''
        )
    else:
        print("users: already present (manage them with `roa2web users`)")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    output = Path(args.output) if args.output else settings.embedded_ledger_path
    _generate(output, args.seed, args.until, args.months, args.lines_per_month)
    clear_after_ledger_replaced(settings, output)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `init` and `demo`."""
    init = subparsers.add_parser("init", help="create the data dir, demo ledger, databases and the first admin")
    init.add_argument("--seed", type=int, default=2025, help="demo ledger seed")
    init.add_argument("--force", action="store_true", help="regenerate the demo ledger")
    init.add_argument("--until", type=year_month, metavar="YYYY-MM",
                      help=f"last month of the demo ledger's {DEFAULT_MONTHS} months (default: the current month)")
    init.set_defaults(handler=_init)

    demo = subparsers.add_parser("demo", help="generate a demo ledger (deterministic for a seed)")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--until", type=year_month, metavar="YYYY-MM",
                      help="last month generated, left open with the month before (default: the current month)")
    demo.add_argument("--months", type=month_count, default=DEFAULT_MONTHS, help="how many months end at --until")
    demo.add_argument("--lines-per-month", type=int, default=None, help="scale the volume up")
    demo.add_argument("--output", help="file to write (default: the embedded ledger path)")
    demo.set_defaults(handler=_demo)
