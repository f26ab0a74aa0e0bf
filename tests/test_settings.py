"""Settings: old names, CSV lists, clear errors, and production refusing a weak secret."""

from __future__ import annotations

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


@pytest.mark.parametrize("secret", [None, "short-secret"])
def test_production_refuses_weak_jwt_secret(tmp_path, monkeypatch, secret):
    monkeypatch.chdir(tmp_path)
    overrides = {"env": "production"} | ({"jwt_secret_key": secret} if secret else {})
    with pytest.raises(SettingsError, match="JWT_SECRET_KEY"):
        load_settings(**overrides)


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
    assert settings.jwt_secret_key.get_secret_value()  # an empty value means "use the default", never ""
    assert settings.log_file is None
