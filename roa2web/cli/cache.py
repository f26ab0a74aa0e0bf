"""`roa2web cache stats|clear`: look at and empty the report cache file (DATA_DIR/cache.db).

These work on the SQLite tier only: with QUEUE_BACKEND=sqlite a running server keeps what its
memory tier holds until CACHE_L1_TTL_S passes. With QUEUE_BACKEND=redis `clear` also announces
the invalidation on the cache bus (`roa2web.cache.bus`): every running instance, on this machine
or another, drops the same entries from both its tiers.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import orjson

from roa2web.cache.bus_message import Kind, draft, new_origin
from roa2web.cache.store import SqliteTier
from roa2web.settings import Settings


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _print_summary(summary: dict[str, Any]) -> None:
    print(f"cache file: {summary['path']}")
    print(f"entries:    {summary['entries']} ({summary['expired']} expired, kept for STALE)")
    print(f"size:       {_size(summary['bytes'])}")
    if summary["reports"]:
        print("by report:")
        for report, figures in summary["reports"].items():
            line = f"{figures['entries']:>6} entries {_size(figures['bytes']):>10}  {figures['expired']:>6} expired"
            print(f"  {report:<28} {line}")
    if summary["companies"]:
        print("by company:")
        for company, count in summary["companies"].items():
            print(f"  {company:<28} {count:>6} entries")


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    path = settings.data_path("cache.db")
    if not path.exists():
        print(f"no report cache yet at {path}")
        return 0
    store = SqliteTier(path)
    try:
        summary = store.summary(time.time())
    finally:
        store.close()
    if args.json:
        print(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode())
    else:
        _print_summary(summary)
    return 0


def _clear(args: argparse.Namespace, settings: Settings) -> int:
    path = settings.data_path("cache.db")
    if not path.exists():
        print(f"no report cache yet at {path}")
        return _announce(settings, "invalidate", args.company_id, args.report)
    store = SqliteTier(path)
    try:
        removed = store.invalidate(args.company_id, args.report)
    finally:
        store.close()
    scope = ", ".join(
        part
        for part in (
            f"company {args.company_id}" if args.company_id is not None else "",
            f"report {args.report}" if args.report else "",
        )
        if part
    )
    print(f"removed {len(removed)} entries ({scope or 'all'}) from {path}")
    return _announce(settings, "invalidate", args.company_id, args.report)


def _announce(settings: Settings, kind: Kind, company_id: int | None = None, report: str | None = None) -> int:
    """Tell running instances over Redis (QUEUE_BACKEND=redis); 1 when Redis could not be told."""
    if settings.queue_backend != "redis":
        return 0
    import redis

    from roa2web.cache.bus import announce_once

    try:
        epoch = announce_once(settings.queue_url, settings.queue_name, draft(kind, new_origin(), company_id, report))
    except redis.RedisError as exc:
        print(f"could not tell the running instances over Redis ({exc}): they keep their copies until their "
              "TTL ends, or until they next reconnect to Redis")
        return 1
    print(f"told the running instances over Redis (cache bus epoch {epoch})")
    return 0


def clear_after_ledger_replaced(settings: Settings, written: Path) -> None:
    """Empty the report cache file when `written` is the ledger this data dir serves (it was just replaced).

    The cache is keyed on the ledger's identity, so nothing of the old ledger would be served
    anyway; this frees the file of entries no one can read any more. With QUEUE_BACKEND=redis,
    running instances are told to re-read their ledger's identity at once.
    """
    if settings.oracle_configured or written.resolve() != settings.embedded_ledger_path.resolve():
        return
    _announce(settings, "ledger")
    path = settings.data_path("cache.db")
    if not path.exists():
        return
    store = SqliteTier(path)
    try:
        removed = store.invalidate()
    finally:
        store.close()
    print(f"report cache: removed {len(removed)} entries of the replaced ledger from {path}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `cache stats` and `cache clear`."""
    cache = subparsers.add_parser("cache", help="report cache figures and invalidation").add_subparsers(
        dest="cache_command"
    )
    stats = cache.add_parser("stats", help="entries, size and counts per report and company in the cache file")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.set_defaults(handler=_stats)
    clear = cache.add_parser(
        "clear",
        help="delete cached reports (all, or one company and/or report); with QUEUE_BACKEND=redis running "
        "instances drop theirs at once, otherwise a running server drops its memory copies after CACHE_L1_TTL_S",
    )
    clear.add_argument("--company-id", type=int, help="only this company")
    clear.add_argument("--report", help="only this report (e.g. trial_balance)")
    clear.set_defaults(handler=_clear)
