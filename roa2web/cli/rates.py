"""`roa2web rates import FILE` and `roa2web rates show`: the BNR reference rates in the app database.

`import` loads the bank's yearly XML (nbrfxratesYYYY.xml) or a daily feed saved to a file, for an
install that cannot reach the bank; importing a file again overwrites, never doubles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from roa2web.aio import run_async
from roa2web.databases import database_parts
from roa2web.rates.bnr import MAX_DOCUMENT_BYTES, BnrFeedError
from roa2web.rates.service import ExchangeRates
from roa2web.settings import Settings


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            print(f"{path}: larger than any BNR rate file ({MAX_DOCUMENT_BYTES} bytes)", file=sys.stderr)
            return 1
        document = path.read_bytes()
    except OSError as error:
        print(f"cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 1

    async def work() -> int:
        part = database_parts(settings)["app_db"]
        await part.start()
        try:
            imported = await ExchangeRates(part.db).import_document(document)
        except BnrFeedError as error:
            print(f"{path}: not a BNR reference-rate file: {error}", file=sys.stderr)
            return 1
        finally:
            await part.stop()
        skipped = f", {imported.skipped} without a value skipped" if imported.skipped else ""
        days = f"{imported.days} day{'' if imported.days == 1 else 's'}"
        print(f"loaded {days} and {imported.rates} rates ({imported.first_day} to "
              f"{imported.last_day}){skipped} from {path}")
        return 0

    return run_async(work())


def _show(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        part = database_parts(settings)["app_db"]
        await part.start()
        try:
            rates = ExchangeRates(part.db)
            day = args.day or await rates.latest_day()
            if day is None:
                print("no exchange rate stored yet (roa2web rates import FILE, or let the server fetch them)")
                return 1
            stored = await rates.on(day)
            status = await rates.fetch_status()
        finally:
            await part.stop()
        if not stored:
            print(f"no rate stored for {day} (not a banking day, or not loaded)")
            return 1
        print(f"BNR reference rates of {day} (RON):")
        for rate in stored:
            unit = f"{rate.multiplier} {rate.currency}" if rate.multiplier != 1 else rate.currency
            print(f"  {unit:<8} {rate.rate}")
        if status is not None:
            print(f"last fetch: success {status.last_success_at or 'never'}, "
                  f"error {status.last_error_at or 'never'}{f' ({status.last_error})' if status.last_error else ''}")
        return 0

    return run_async(work())


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `rates import` and `rates show`."""
    rates = subparsers.add_parser("rates", help="BNR exchange rates (the 100 EUR limit of receipts)").add_subparsers(
        dest="rates_command")
    load = rates.add_parser("import", help="load a BNR XML file (yearly nbrfxratesYYYY.xml or the daily feed)")
    load.add_argument("file", help="path of the XML file")
    load.set_defaults(handler=_import)
    show = rates.add_parser("show", help="the rates stored for a day (default: the latest)")
    show.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    show.set_defaults(handler=_show)
