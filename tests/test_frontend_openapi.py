"""frontend/openapi.json is the app's current OpenAPI document: the web app's types are generated from it."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from roa2web.cli.openapi import openapi_document, render
from roa2web.settings import Settings, load_settings

COMMITTED = Path(__file__).resolve().parents[1] / "frontend" / "openapi.json"
REFRESH = ("run `roa2web openapi --out frontend/openapi.json && (cd frontend && npm run gen:api)` "
           "and fix the web app's types where they no longer fit")


def test_frontend_openapi_json_is_the_apps_current_document(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in Settings.model_fields:  # default settings, whatever this machine's environment says
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(tmp_path / "none.env"))
    current = render(openapi_document(load_settings(data_dir=tmp_path / "data")))
    committed = COMMITTED.read_text(encoding="utf-8")
    if committed != current:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(keepends=True), current.splitlines(keepends=True),
                                                 "frontend/openapi.json", "the app's document"))[:60])
        pytest.fail(f"frontend/openapi.json differs from the app's OpenAPI document: {REFRESH}.\n{diff}", pytrace=False)
