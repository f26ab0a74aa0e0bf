"""The nginx stand-in's template renders into a configuration nginx accepts, and a missing nginx skips the
stand-in test unless ROA2WEB_REQUIRE_BROWSER is set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support import nginx_front


def test_the_rendered_template_is_a_configuration_nginx_accepts(tmp_path: Path):
    binary = nginx_front.require_nginx()
    (tmp_path / "temp").mkdir()
    (tmp_path / "site").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_front.render(tmp_path, tmp_path / "site", 8000, 18080, 18443), encoding="utf-8")
    checked = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "error.log")],
                             capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "listen 127.0.0.1:18443;" in config.read_text(encoding="utf-8")


def test_a_missing_nginx_skips_but_fails_when_required(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(nginx_front, "nginx_binary", lambda: None)
    monkeypatch.delenv("ROA2WEB_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install nginx"):
        nginx_front.require_nginx()
    monkeypatch.setenv("ROA2WEB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="ROA2WEB_REQUIRE_BROWSER"):
        nginx_front.require_nginx()
