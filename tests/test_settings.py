"""Settings: old names, CSV lists, clear errors, and production refusing a weak secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from roa2web.settings import SettingsError, load_settings


def test_defaults_are_the_embedded_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert not settings.oracle_configured
    assert settings.embedded_ledger_path.name == "ledger-demo.sqlite"
    assert settings.app_database_url.startswith("sqlite:///")


def test_env_file_and_environment(tmp_path, monkeypatch):
    env_file = tmp_path / "custom.env"
    env_file.write_text("PORT=9001\nALLOWED_ORIGINS=https://a.example, https://b.example\nORACLE_HOST=db\n")
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(env_file))
    monkeypatch.setenv("ORACLE_SERVICE", "ROA")
    settings = load_settings()
    assert settings.port == 9001
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]
    assert settings.oracle_configured and settings.oracle_connect_dsn == "db:1521/ROA"
    assert settings.use_oracle_auth


def test_bad_values_are_named(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORT", "eighty")
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "PORT" in str(raised.value) and "LOG_FORMAT" in str(raised.value)


@pytest.mark.parametrize("secret", ["short-secret", "dev-only-change-me-dev-only-change-me"])
def test_production_refuses_weak_jwt_secret(tmp_path, monkeypatch, secret):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match="JWT_SECRET_KEY"):
        load_settings(env="production", jwt_secret_key=secret)


def test_production_accepts_strong_secret(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(env="production", jwt_secret_key="s" * 48).env == "production"


def test_env_example_documents_every_setting_and_loads(tmp_path, monkeypatch):
    from pathlib import Path

    from roa2web.settings import Settings

    example = Path(__file__).resolve().parent.parent / ".env.example"
    names = {line.split("=", 1)[0] for line in example.read_text().splitlines() if line and not line.startswith("#")}
    assert names == {name.upper() for name in Settings.model_fields}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(example))
    settings = load_settings()
    assert settings.port == 8000 and not settings.oracle_configured
    assert settings.jwt_secret_key is None  # an empty value means "DATA_DIR/jwt-secret", never ""
    assert settings.log_file is None


@pytest.mark.parametrize(("env", "level"), [
    ({"DEBUG": "true"}, "DEBUG"),
    ({"DEBUG": "true", "LOG_LEVEL": "WARNING"}, "DEBUG"),
    ({"DEBUG": "false", "LOG_LEVEL": "WARNING"}, "WARNING"),
    ({}, "INFO"),
])
def test_debug_switch_resolves_the_log_level(tmp_path, monkeypatch, env, level):
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.log_level == settings.effective_log_level == level


def test_debug_true_makes_the_asgi_entry_point_log_at_debug(tmp_path):
    """`hypercorn roa2web.asgi:app` (and the reloader) configure logging from the settings."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = os.environ | {"DEBUG": "true", "LOG_LEVEL": "INFO", "DATA_DIR": str(tmp_path / "data"),
                        "PYTHONPATH": str(root), "ROA2WEB_ENV_FILE": str(tmp_path / "none.env"),
                        "OCR_ENABLED": "false"}
    code = "import logging, roa2web.asgi; print(logging.getLevelName(logging.getLogger().level))"
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG"


def test_trusted_proxies_must_be_addresses_or_networks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, iis-box")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert "TRUSTED_PROXIES" in message and "'iis-box' is not an IP address or network" in message
    monkeypatch.setenv("TRUSTED_PROXIES", "10.1.2.3/8, ::1, 192.168.0.0/24, fe80::/10")
    assert load_settings().trusted_proxies == ["10.1.2.3/8", "::1", "192.168.0.0/24", "fe80::/10"]


def test_report_ttl_overrides_parse_and_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTS_TTL_OVERRIDES", " trial_balance:closed=604800, dashboard=60 ,invoices:open=30")
    settings = load_settings()
    assert settings.reports_ttl_overrides == {
        "trial_balance:closed": 604800, "dashboard:open": 60, "dashboard:closed": 60, "invoices:open": 30}
    assert load_settings(reports_ttl_overrides={"treasury:open": 5}).reports_ttl_overrides == {"treasury:open": 5}
    # report names are the reports module's to check: tests/blueprints/test_reports_ttl_overrides.py
    assert load_settings(reports_ttl_overrides="balance_sheet=60").reports_ttl_overrides == {
        "balance_sheet:open": 60, "balance_sheet:closed": 60}


@pytest.mark.parametrize(("value", "complaint"), [
    (":closed=60", "names no report"),
    ("trial_balance:frozen=60", "'open' or 'closed', not 'frozen'"),
    ("dashboard=soon", "'soon' is not a whole number of seconds"),
    ("dashboard:open=0", "at least 1 second"),
    ("dashboard", "has no '=seconds'"),
])
def test_bad_report_ttl_overrides_are_named(tmp_path, monkeypatch, value, complaint):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTS_TTL_OVERRIDES", value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "REPORTS_TTL_OVERRIDES" in str(raised.value) and complaint in str(raised.value)
