"""`roa2web openapi [--out FILE]`: the API's OpenAPI document, as `/openapi.json` serves it.

The web app's typed client is generated from it (frontend/openapi.json → src/shared/api/schema.d.ts),
so the spec is produced without starting the server: no database, queue or ledger is opened.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from roa2web.aio import run_async
from roa2web.settings import Settings


def openapi_document(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document of an app built from `settings` (nothing is started)."""
    from roa2web.app import create_app

    # A throwaway signing key: without one the app would write DATA_DIR/jwt-secret.
    app = create_app(settings.model_copy(update={"jwt_secret_key": SecretStr(secrets.token_urlsafe(32))}))

    async def fetch() -> dict[str, Any]:
        response = await app.test_client().get("/openapi.json")
        document: dict[str, Any] = await response.get_json()
        return document

    return run_async(fetch())


def render(document: dict[str, Any]) -> str:
    """The document as the frontend keeps it: sorted keys, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _handle(args: argparse.Namespace, settings: Settings) -> int:
    text = render(openapi_document(settings))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: Any) -> None:
    """Add `openapi` to the CLI."""
    parser = subparsers.add_parser("openapi", help="print the OpenAPI document (what /openapi.json serves)")
    parser.add_argument("--out", help="write it to this file instead of standard output")
    parser.set_defaults(handler=_handle)
