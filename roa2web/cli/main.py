"""`roa2web` entry point: one sub-command module per area, each with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from roa2web import __version__
from roa2web.appdb.database import DatabaseUnreachable
from roa2web.settings import SettingsError, load_settings

# Each module defines `register(subparsers)`, which adds its parsers and sets
# `handler(args, settings) -> int` as the parser default.
COMMAND_MODULES = (
    "roa2web.cli.serve",
    "roa2web.cli.init",
    "roa2web.cli.users",
    "roa2web.cli.check",
    "roa2web.cli.db",
    "roa2web.cli.backup",
    "roa2web.cli.worker",
    "roa2web.cli.queue",
    "roa2web.cli.cache",
    "roa2web.cli.rates",
    "roa2web.cli.openapi",
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, every command module registered."""
    parser = argparse.ArgumentParser(prog="roa2web", description="ROA2WEB: reports, data entry and Telegram.")
    parser.add_argument("--version", action="version", version=f"roa2web {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, settings) or 0)
    except SettingsError as exc:  # a setting only a module can check, when the app is assembled
        print(exc, file=sys.stderr)
        return 2
    except DatabaseUnreachable as exc:  # APP_DB_URL / DATA_ENTRY_DB_URL name a server that is not there
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
