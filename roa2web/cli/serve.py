"""`roa2web serve`: the whole backend in one process."""

from __future__ import annotations

import argparse
import sys

from roa2web.auth.secret import configured_secret, refusal
from roa2web.jobs.instances import InstanceRefused
from roa2web.logs import configure_logging
from roa2web.server import run_server, run_with_reload
from roa2web.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    overrides = {key: value for key, value in (("host", args.host), ("port", args.port)) if value is not None}
    settings = settings.model_copy(update=overrides)
    reason = refusal(configured_secret(settings), settings)
    if reason:
        print(f"roa2web serve: refusing to start: {reason}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    if args.reload:
        return run_with_reload(settings)
    try:
        run_server(settings)
    except InstanceRefused as exc:
        print(f"roa2web serve: refusing to start: {exc}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve`."""
    parser = subparsers.add_parser("serve", help="serve the API on HOST:PORT (default 127.0.0.1:8000)")
    parser.add_argument("--host", help="override HOST")
    parser.add_argument("--port", type=int, help="override PORT")
    parser.add_argument("--reload", action="store_true", help="restart on source changes (development)")
    parser.set_defaults(handler=_serve)
