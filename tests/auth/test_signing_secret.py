"""H2: no install signs tokens with a public secret; init writes one, serve refuses weak ones off loopback."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys

import pytest

from roa2web.app import create_app
from roa2web.auth.principal import Principal
from roa2web.auth.secret import SECRET_FILE_NAME, configured_secret, refusal
from roa2web.auth.tokens import issue_access_token
from roa2web.settings import DEFAULT_JWT_SECRET, load_settings
from tests.support.cli_env import deployer_env

SERVE_TIMEOUT_S = 120


def roa2web(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], capture_output=True, text=True, env=env,
                          timeout=SERVE_TIMEOUT_S, check=False)


def forged_admin_token(secret: str) -> str:
    """The attack: a token in the app's own format (the source is public) for an admin who does not exist."""
    ghost = Principal(user_id="ghost", username="ghost", display_name="Ghost", roles=frozenset({"admin"}),
                      company_ids=None)
    return issue_access_token(ghost, secret, dt.timedelta(minutes=10))


async def test_a_default_install_refuses_a_token_forged_with_the_public_development_secret(tmp_path, demo_ledger_path):
    settings = load_settings(data_dir=tmp_path / "data", ledger_path=demo_ledger_path, ocr_enabled=False)
    assert settings.jwt_secret_key is None  # nothing configured, as after `roa2web init` + `roa2web serve`
    app = create_app(settings)
    async with app.test_app():
        reply = await app.test_client().get(
            "/api/tasks", headers={"Authorization": f"Bearer {forged_admin_token(DEFAULT_JWT_SECRET)}"})
        assert reply.status_code == 401
    secret = configured_secret(settings)
    assert secret is not None and secret.value != DEFAULT_JWT_SECRET and secret.weakness is None


def test_init_writes_a_random_owner_only_secret_once(tmp_path, demo_ledger_path):
    env = deployer_env(tmp_path, demo_ledger_path)
    first = roa2web(env, "init")
    assert first.returncode == 0, first.stderr
    path = tmp_path / "data" / SECRET_FILE_NAME
    value = path.read_text().strip()
    assert len(value) >= 32 and value != DEFAULT_JWT_SECRET
    assert value not in first.stdout and "jwt secret: wrote a new random one to file" in first.stdout
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = roa2web(env, "init")
    assert again.returncode == 0 and path.read_text().strip() == value  # kept: tokens stay valid


def test_init_writes_no_file_when_jwt_secret_key_is_set(tmp_path, demo_ledger_path):
    result = roa2web(deployer_env(tmp_path, demo_ledger_path, JWT_SECRET_KEY="k" * 40), "init")
    assert result.returncode == 0, result.stderr
    assert "jwt secret: JWT_SECRET_KEY (sha256 " in result.stdout
    assert not (tmp_path / "data" / SECRET_FILE_NAME).exists()


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, "no JWT secret (HOST=0.0.0.0)"),
    ({"JWT_SECRET_KEY": DEFAULT_JWT_SECRET}, "is the public development value"),
    ({"JWT_SECRET_KEY": "short"}, "is shorter than 32 characters"),
])
def test_serve_refuses_a_missing_or_weak_secret_off_loopback(tmp_path, demo_ledger_path, extra, expected):
    result = roa2web(deployer_env(tmp_path, demo_ledger_path, **extra), "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "refusing to start" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / SECRET_FILE_NAME).exists()


def test_production_refuses_to_serve_without_a_secret_even_on_loopback(tmp_path, demo_ledger_path):
    result = roa2web(deployer_env(tmp_path, demo_ledger_path, ENV="production"), "serve", "--port", "0")
    assert result.returncode == 2 and "no JWT secret (ENV=production)" in result.stderr, result.stderr


def test_the_refusal_rule(tmp_path):
    def settings(**values: object):
        return load_settings(data_dir=tmp_path, **values)

    assert refusal(None, settings(host="127.0.0.1")) is None  # serve writes a random one
    assert refusal(None, settings(host="localhost")) is None
    assert refusal(None, settings(host="::1")) is None
    assert "no JWT secret" in (refusal(None, settings(host="192.168.1.10")) or "")
    assert "no JWT secret" in (refusal(None, settings(host="server.firm.local")) or "")
    strong = settings(host="0.0.0.0", jwt_secret_key="s" * 40)
    assert refusal(configured_secret(strong), strong) is None
    weak = settings(host="127.0.0.1", jwt_secret_key=DEFAULT_JWT_SECRET)
    assert refusal(configured_secret(weak), weak) is None  # development on loopback: warned, not refused


def test_check_names_the_secret_in_use_never_its_value(tmp_path, demo_ledger_path):
    env = deployer_env(tmp_path, demo_ledger_path)
    assert roa2web(env, "init").returncode == 0
    value = (tmp_path / "data" / SECRET_FILE_NAME).read_text().strip()
    result = roa2web(env, "check")
    line = next(line for line in result.stdout.splitlines() if "jwt secret:" in line)
    assert line.startswith("OK") and f"file {tmp_path / 'data' / SECRET_FILE_NAME} (sha256 " in line
    assert value not in result.stdout + result.stderr

    exposed_env = deployer_env(tmp_path, demo_ledger_path, JWT_SECRET_KEY=DEFAULT_JWT_SECRET, HOST="0.0.0.0")
    exposed = roa2web(exposed_env, "check")
    line = next(line for line in exposed.stdout.splitlines() if "jwt secret:" in line)
    assert exposed.returncode == 1 and line.startswith("FAIL") and "public development value" in line
    assert DEFAULT_JWT_SECRET not in exposed.stdout


def test_check_creates_nothing_when_the_data_dir_is_missing(tmp_path, demo_ledger_path):
    env = deployer_env(tmp_path, demo_ledger_path)
    result = roa2web(env, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "does not exist: run `roa2web init`" in result.stdout
    assert not (tmp_path / "data").exists()
