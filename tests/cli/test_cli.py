"""The `roa2web` command line, run as a user would: in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from roa2web import __version__


def run_cli(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "roa2web", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path, demo_ledger_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "DATA_"))}
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        LEDGER_PATH=str(demo_ledger_path),
        ROA2WEB_ENV_FILE=str(tmp_path / "none.env"),
        OCR_ENABLED="false",
        BNR_RATES_ENABLED="false",
    )
    return env


def test_version(cli_env):
    result = run_cli("--version", env=cli_env)
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_init_creates_admin_once(cli_env):
    first = run_cli("init", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "username: admin" in first.stdout and "password: " in first.stdout
    second = run_cli("init", env=cli_env)
    assert second.returncode == 0
    assert "already present" in second.stdout


def test_users_add_list_passwd_disable(cli_env):
    added = run_cli(
        "users",
        "add",
        "maria",
        "--role",
        "operator",
        "--role",
        "approver",
        "--company",
        "1,2",
        "--password-stdin",
        env=cli_env,
        stdin="parola-lunga-1\n",
    )
    assert added.returncode == 0, added.stderr
    duplicate = run_cli("users", "add", "maria", "--password-stdin", env=cli_env, stdin="parola-lunga-1\n")
    assert duplicate.returncode == 1
    short = run_cli("users", "add", "ion", "--password-stdin", env=cli_env, stdin="short\n")
    assert short.returncode != 0
    assert run_cli("users", "passwd", "maria", "--password-stdin", env=cli_env, stdin="alta-parola-2\n").returncode == 0
    assert run_cli("users", "disable", "maria", env=cli_env).returncode == 0
    listed = run_cli("users", "list", env=cli_env)
    line = next(line for line in listed.stdout.splitlines() if line.startswith("maria"))
    assert "approver,operator" in line and "companies=1,2" in line and "disabled" in line


def test_users_passwd_and_logout_end_every_session(cli_env, tmp_path):
    assert run_cli("users", "add", "maria", "--password-stdin", env=cli_env, stdin="parola-lunga-1\n").returncode == 0
    database = tmp_path / "data" / "app.db"

    def seed_sessions() -> None:  # two devices' refresh tokens, as logins would store them
        with closing(sqlite3.connect(database)) as db, db:
            user_id = db.execute("SELECT id FROM users WHERE username = 'maria'").fetchone()[0]
            for family in ("phone", "laptop"):
                db.execute(
                    "INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, issued_at, expires_at) "
                    "VALUES (?, ?, ?, ?, '2026-01-01 00:00:00', '2999-01-01 00:00:00')",
                    (f"{family}-{os.urandom(4).hex()}", os.urandom(16).hex(), family, user_id),
                )

    def state() -> tuple[int, int]:
        with closing(sqlite3.connect(database)) as db:
            version = db.execute("SELECT token_version FROM users WHERE username = 'maria'").fetchone()[0]
            live = db.execute("SELECT COUNT(*) FROM refresh_tokens WHERE revoked_at IS NULL").fetchone()[0]
        return version, live

    seed_sessions()
    assert state() == (0, 2)
    passwd = run_cli("users", "passwd", "maria", "--password-stdin", env=cli_env, stdin="alta-parola-2\n")
    assert passwd.returncode == 0, passwd.stderr
    assert state() == (1, 0)  # access tokens refused (version), refresh tokens revoked
    seed_sessions()
    assert run_cli("users", "logout", "maria", env=cli_env).returncode == 0
    assert state() == (2, 0)


def test_check_reports_each_part(cli_env):
    assert run_cli("init", env=cli_env).returncode == 0
    result = run_cli("check", "--timeout", "5", env=cli_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK   settings" in result.stdout
    assert "OK   jwt secret: file " in result.stdout
    assert "OK   ledger" in result.stdout
    assert "OK   app_db" in result.stdout


def test_check_fails_on_a_missing_ledger(cli_env, tmp_path):
    (tmp_path / "data").mkdir()
    cli_env["LEDGER_PATH"] = str(tmp_path / "missing.sqlite")
    result = run_cli("check", "--timeout", "5", env=cli_env)
    assert result.returncode == 1
    assert "FAIL ledger" in result.stdout


def test_bad_settings_exit_with_a_clear_message(cli_env):
    cli_env["PORT"] = "not-a-port"
    result = run_cli("check", env=cli_env)
    assert result.returncode == 2
    assert "PORT" in result.stderr


def test_demo_is_deterministic(cli_env, tmp_path):
    outputs = []
    for name in ("a.sqlite", "b.sqlite"):
        result = run_cli("demo", "--seed", "7", "--until", "2025-02", "--months", "2", "--output", str(tmp_path / name),
                         env=cli_env)
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def _periods(path: Path) -> list[tuple[int, int, int]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT year, month, closed FROM r2w_periods WHERE company_id = 1 ORDER BY 1, 2").fetchall()


def test_demo_until_sets_the_last_month_and_months_counts_back_from_it(cli_env, tmp_path):
    output = tmp_path / "window.sqlite"
    result = run_cli("demo", "--until", "2026-03", "--months", "4", "--output", str(output), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert _periods(output) == [(2025, 12, 1), (2026, 1, 1), (2026, 2, 0), (2026, 3, 0)]
    assert "2025-12..2026-03" in result.stdout
    refused = run_cli("demo", "--until", "2026-13", "--output", str(output), env=cli_env)
    assert refused.returncode == 2 and "expected YYYY-MM" in refused.stderr
    refused = run_cli("demo", "--months", "0", "--output", str(output), env=cli_env)
    assert refused.returncode == 2 and "months >= 1" in refused.stderr


def test_init_generates_24_months_up_to_until(cli_env, tmp_path):
    cli_env["LEDGER_PATH"] = str(tmp_path / "data" / "ledger-demo.sqlite")
    result = run_cli("init", "--until", "2026-12", env=cli_env)
    assert result.returncode == 0, result.stderr
    periods = _periods(tmp_path / "data" / "ledger-demo.sqlite")
    assert [(y, m) for y, m, _ in periods] == [(y, m) for y in (2025, 2026) for m in range(1, 13)]
    assert [(y, m) for y, m, closed in periods if not closed] == [(2026, 11), (2026, 12)]
