"""Without a built SPA (or Chromium, or Playwright) the browser tests skip, and fail when ROA2WEB_REQUIRE_BROWSER is
set, naming what is missing and how to build the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.spa import spa_kit


def test_an_unbuilt_spa_skips_but_fails_when_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       request: pytest.FixtureRequest) -> None:
    require_spa = request.getfixturevalue("spa_requirement")
    monkeypatch.setattr(spa_kit, "SPA_DIST", tmp_path / "dist")
    monkeypatch.delenv("ROA2WEB_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"build_spa\.sh"):
        require_spa()
    monkeypatch.setenv("ROA2WEB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"built SPA .*ROA2WEB_REQUIRE_BROWSER"):
        require_spa()
