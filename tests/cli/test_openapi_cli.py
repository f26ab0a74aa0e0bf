"""`roa2web openapi`: the document /openapi.json serves, written without starting the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roa2web.cli.main import main


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    return tmp_path


def test_out_writes_the_document_and_no_signing_secret(isolated: Path) -> None:
    target = isolated / "openapi.json"
    assert main(["openapi", "--out", str(target)]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.")
    assert {"/api/auth/login", "/api/reports/trial-balance", "/api/tasks/mine"} <= set(document["paths"])
    assert not any(path == "/" or path.startswith("/assets") for path in document["paths"])  # the SPA is hidden
    assert not (isolated / "data" / "jwt-secret").exists()  # a throwaway key, nothing written for it


def test_without_out_it_prints_the_same_text(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = isolated / "openapi.json"
    assert main(["openapi", "--out", str(target)]) == 0
    assert main(["openapi"]) == 0
    assert capsys.readouterr().out == target.read_text(encoding="utf-8")
