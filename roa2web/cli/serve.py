"""`roa2web serve`: the whole backend in one process."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from roa2web.auth.secret import configured_secret, refusal
from roa2web.backup.in_use import DataDirInUse
from roa2web.jobs.instances import InstanceRefused
from roa2web.logs import configure_logging
from roa2web.server import run_server, run_with_reload
from roa2web.server_config import (
    HypercornFile,
    ServerConfigError,
    hypercorn_config,
    read_hypercorn_file,
    resolve_bind,
)
from roa2web.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    overrides = {key: value for key, value in (("host", args.host), ("port", args.port)) if value is not None}
    settings = settings.model_copy(update=overrides)  # given on the command line: they win over the file
    file: HypercornFile | None = None
    if args.config is not None:
        try:
            file = read_hypercorn_file(args.config)
            settings = resolve_bind(settings, file)
            hypercorn_config(settings, file)  # what contradicts the settings is refused before anything starts
        except ServerConfigError as exc:
            print(f"roa2web serve: refusing to start: {exc}", file=sys.stderr)
            return 2
    reason = refusal(configured_secret(settings), settings)
    if reason:
        print(f"roa2web serve: refusing to start: {reason}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    if args.reload:
        return run_with_reload(settings, file)
    try:
        run_server(settings, file)
    except (InstanceRefused, DataDirInUse) as exc:
        print(f"roa2web serve: refusing to start: {exc}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve`."""
    parser = subparsers.add_parser("serve", help="serve the API on HOST:PORT (default 127.0.0.1:8000)")
    parser.add_argument("--host", help="override HOST (and the --config file's bind)")
    parser.add_argument("--port", type=int, help="override PORT (and the --config file's bind)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="a Hypercorn TOML file (scripts/windows/hypercorn.toml); HOST, PORT and "
                             "SHUTDOWN_TIMEOUT_S win over it when set")
    parser.add_argument("--reload", action="store_true", help="restart on source changes (development)")
    parser.set_defaults(handler=_serve)
