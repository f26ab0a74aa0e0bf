"""The whole app on PostgreSQL, as the README's scale-out section sets it up: APP_DB_URL and
DATA_ENTRY_DB_URL on two PostgreSQL databases, every `roa2web` command and the HTTP flows on them.

The CLI runs in-process (`roa2web.cli.main.main`, on a thread of its own as a second terminal
would), the app through its HTTP test client; each step checks the rows PostgreSQL holds. The
receipts' own flows on PostgreSQL are the data-entry tests' `postgresql` parameter.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from quart import Quart

from roa2web.app import create_app
from roa2web.appdb.database import url_without_credentials
from roa2web.cli.main import main
from roa2web.settings import load_settings
from tests.support.cli_env import deployer_env
from tests.support.data_entry import postgres_query, throwaway_postgres_database, wait_for
from tests.support.ports import free_port

pytestmark = pytest.mark.postgres

PASSWORD = "parola-lunga-1"
TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """(app database URL, data-entry database URL): two new PostgreSQL databases."""
    with throwaway_postgres_database() as app_db, throwaway_postgres_database() as data_entry_db:
        yield app_db, data_entry_db


@pytest.fixture
def environment(
    tmp_path: Path, demo_ledger_path: Path, databases: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """The deployer's environment with both databases on PostgreSQL; the database URLs."""
    app_db, data_entry_db = databases
    env = deployer_env(tmp_path, demo_ledger_path, APP_DB_URL=app_db, DATA_ENTRY_DB_URL=data_entry_db,
                       TOKEN_CHECK_CACHE_S="0", LOGIN_RATE_LIMIT="1000", QUEUE_MAX_DELAY_S="0.1")
    for key in set(os.environ) - set(env):
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return databases


async def roa2web(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run `roa2web ARGS` in this process, on a thread (its own event loop): (exit code, stdout, stderr)."""
    capsys.readouterr()
    previous = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = await asyncio.to_thread(main, list(args))
    finally:
        sys.stdin = previous
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def started(**overrides: Any) -> AbstractAsyncContextManager[Quart]:
    """The app as `roa2web serve` assembles it from this environment (started while the context is open)."""
    return create_app(load_settings(**overrides)).test_app()  # type: ignore[return-value]


async def login(app: Quart, username: str, password: str = PASSWORD) -> tuple[int, dict[str, Any]]:
    response = await app.test_client().post("/api/auth/login", json={"username": username, "password": password})
    return response.status_code, await response.get_json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
async def initialised(environment: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> AsyncIterator[str]:
    """`roa2web init` done; the admin's password."""
    code, out, err = await roa2web(capsys, "init")
    assert code == 0, err
    app_db, data_entry_db = environment
    assert f"app_db: up to date ({app_db.split('@')[-1]})" in out.splitlines()  # where they are, not DATA_DIR
    assert f"data_entry_db: up to date ({data_entry_db.split('@')[-1]})" in out.splitlines()
    yield next(line.split(": ", 1)[1] for line in out.splitlines() if line.strip().startswith("password: "))


async def test_init_users_and_sessions(environment, initialised, capsys):
    app_db, data_entry_db = environment
    assert postgres_query(app_db, "SELECT username, roles, company_ids, disabled, token_version FROM users") == [
        ("admin", "admin", "*", False, 0)]
    components = {row[0] for row in postgres_query(app_db, "SELECT DISTINCT component FROM schema_versions")}
    assert {"auth", "jobs", "queue_consumers"} <= components and "data_entry" not in components
    assert postgres_query(data_entry_db, "SELECT DISTINCT component FROM schema_versions") == [("data_entry",)]
    assert (await roa2web(capsys, "init"))[1].count("users: already present") == 1

    code, out, err = await roa2web(capsys, "users", "add", "maria", "--role", "operator", "--role", "approver",
                                   "--company", "1,2", "--password-stdin", stdin=PASSWORD + "\n")
    assert (code, out.strip()) == (0, "user maria created (roles: approver, operator)"), err
    code, _, err = await roa2web(capsys, "users", "add", "maria", "--password-stdin", stdin=PASSWORD + "\n")
    assert (code, err.strip()) == (1, "user maria already exists")
    listed = (await roa2web(capsys, "users", "list"))[1].splitlines()
    assert [line.split()[0] for line in listed] == ["admin", "maria"]
    assert listed[1].split()[1:] == ["approver,operator", "companies=1,2", "local", "active"]

    async with started() as app:
        client = app.test_client()
        assert (await login(app, "admin", initialised))[0] == 200
        status, tokens = await login(app, "maria")
        assert status == 200 and tokens["user"]["company_ids"] == [1, 2]
        me = await client.get("/api/auth/me", headers=bearer(tokens))
        assert (await me.get_json())["username"] == "maria"

        refreshed = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 200
        rotated = await refreshed.get_json()
        families = postgres_query(app_db, "SELECT family_id, spent_at IS NOT NULL, revoked_at IS NULL FROM "
                                          "refresh_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = "
                                          "'maria' ORDER BY issued_at")
        assert len(families) == 2 and families[0][0] == families[1][0]  # one family: the old token spent, one live
        assert [row[1:] for row in families] == [(True, True), (False, True)]

        code, _, err = await roa2web(capsys, "users", "passwd", "maria", "--password-stdin",
                                     stdin="alta-parola-2\n")
        assert code == 0, err
        assert maria(app_db) == (1, False, 0)  # version raised, every refresh token revoked
        assert (await client.get("/api/auth/me", headers=bearer(rotated))).status_code == 401
        assert (await client.post("/api/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
                ).status_code == 401
        assert (await login(app, "maria"))[0] == 401
        status, tokens = await login(app, "maria", "alta-parola-2")
        assert status == 200

        assert (await roa2web(capsys, "users", "disable", "maria"))[0] == 0
        assert maria(app_db) == (2, True, 0)
        assert (await client.get("/api/auth/me", headers=bearer(tokens))).status_code == 401
        assert (await login(app, "maria", "alta-parola-2"))[0] == 401
        assert (await roa2web(capsys, "users", "enable", "maria"))[0] == 0
        status, tokens = await login(app, "maria", "alta-parola-2")
        assert status == 200 and maria(app_db) == (3, False, 1)

        assert (await roa2web(capsys, "users", "logout", "maria"))[0] == 0
        assert maria(app_db) == (4, False, 0)
        assert (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
                ).status_code == 401
        logout_status, tokens = await login(app, "maria", "alta-parola-2")
        logged_out = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]},
                                       headers=bearer(tokens))
        assert logout_status == 200 and logged_out.status_code == 204 and maria(app_db)[2] == 0

    code, out, err = await roa2web(capsys, "db", "upgrade")
    assert code == 0, err
    assert out.splitlines()[:2] == [f"app_db: up to date ({app_db.split('@')[-1]})",
                                    f"data_entry_db: up to date ({data_entry_db.split('@')[-1]})"]
    code, out, err = await roa2web(capsys, "check", "--timeout", "10")
    assert code == 0, out + err
    assert "OK   app_db: engine=postgresql" in out and "OK   data_entry_db: engine=postgresql" in out
    code, out, err = await roa2web(capsys, "db", "status")
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == f"app_db: {url_without_credentials(app_db)} (postgresql)" and "@" not in out
    assert f"data_entry_db: {url_without_credentials(data_entry_db)} (postgresql)" in lines
    assert any(line.startswith("  data_entry: applied 1-") and line.endswith(", up to date") for line in lines)
    assert lines[-1] == "every database is up to date"


def maria(url: str) -> tuple[int, bool, int]:
    """(token version, disabled, live refresh tokens) of maria, as PostgreSQL holds them."""
    rows = postgres_query(url, "SELECT u.token_version, u.disabled, COUNT(t.id) FILTER (WHERE t.revoked_at IS NULL "
                               "AND t.spent_at IS NULL) FROM users u LEFT JOIN refresh_tokens t ON t.user_id = u.id "
                               "WHERE u.username = 'maria' GROUP BY u.id")
    return rows[0][0], rows[0][1], rows[0][2]


async def test_report_export_job_and_the_queue_commands(environment, initialised, capsys):
    app_db, _ = environment
    async with started() as app:
        _, tokens = await login(app, "admin", initialised)
        client = app.test_client()
        accepted = await client.post("/api/reports/exports", headers=bearer(tokens),
                                     json={"report": "trial_balance", "params": TB, "format": "xlsx"})
        assert accepted.status_code == 202, await accepted.get_data()
        status_url = (await accepted.get_json())["status_url"]

        async def finished() -> dict[str, Any] | None:
            status: dict[str, Any] = await (await client.get(status_url, headers=bearer(tokens))).get_json()
            return status if status["state"] in {"done", "failed", "cancelled"} else None

        status = await wait_for(finished, timeout_s=120)
        assert (status["state"], status["progress"], status["error"]) == ("done", 100, None), status
        download = await client.get(status["downloads"]["xlsx"], headers=bearer(tokens))
        assert download.status_code == 200
        rows = list(openpyxl.load_workbook(io.BytesIO(await download.get_data())).active.iter_rows(values_only=True))
        assert rows[-1][0] == "TOTAL" and any(row[0] == "Cont" for row in rows)
        export_id = status["job_id"]
        [(state, attempts, result_ref, worker)] = postgres_query(
            app_db, "SELECT state, attempts, result_ref, worker FROM jobs WHERE id = %s", (export_id,))
        assert (state, attempts) == ("done", 1) and result_ref and worker
        # the consumer of this process reports itself in the app database (the dashboard's workers)
        assert postgres_query(app_db, "SELECT COUNT(*) FROM queue_consumers WHERE stopped_at IS NULL") == [(1,)]

    async with started(queue_in_process=False) as app:  # a server that only accepts: the job stays queued
        _, tokens = await login(app, "admin", initialised)
        accepted = await app.test_client().post("/api/reports/exports", headers=bearer(tokens),
                                                json={"report": "trial_balance", "params": TB, "format": "xlsx"})
        queued_id = (await accepted.get_json())["job_id"]

    code, out, _ = await roa2web(capsys, "queue", "list", "--json")
    assert code == 0 and {job["id"]: job["state"] for job in json.loads(out)} == {export_id: "done",
                                                                                  queued_id: "queued"}
    code, out, _ = await roa2web(capsys, "queue", "show", queued_id, "--json")
    assert code == 0 and (json.loads(out)["kind"], json.loads(out)["params"]["report"]) == ("report_export",
                                                                                           "trial_balance")
    code, out, _ = await roa2web(capsys, "queue", "cancel", queued_id)
    assert (code, out.strip()) == (0, f"job {queued_id} (report_export) cancelled")
    assert postgres_query(app_db, "SELECT state, cancel_requested FROM jobs WHERE id = %s", (queued_id,)) == [
        ("cancelled", True)]
    code, out, _ = await roa2web(capsys, "queue", "retry", queued_id)
    assert (code, out.strip()) == (0, f"job {queued_id} (report_export) is queued again")
    assert postgres_query(app_db, "SELECT state, attempts, cancel_requested FROM jobs WHERE id = %s",
                          (queued_id,)) == [("queued", 0, False)]

    code, out, _ = await roa2web(capsys, "queue", "dashboard", "--once", "--json")
    figures = json.loads(out)
    assert code == 0 and figures["jobs"] == {"queued": 1, "running": 0, "done": 1, "failed": 0, "cancelled": 0}
    assert figures["workers_alive"] == 0  # the first server's consumer stopped and said so

    code, out, _ = await roa2web(capsys, "queue", "purge", "--state", "done", "--older-than", "0s")
    assert code == 0 and out.startswith("purged 1 job(s) (done)")
    assert postgres_query(app_db, "SELECT id, state FROM jobs") == [(queued_id, "queued")]


async def test_a_database_server_that_is_not_there_is_said_at_once(environment, initialised, capsys, monkeypatch):
    """A wrong APP_DB_URL: the command says which server refused and why, instead of a PoolTimeout 30 s later."""
    port = free_port()  # nothing listens there
    monkeypatch.setenv("APP_DB_URL", f"postgresql://postgres@127.0.0.1:{port}/roa2web")
    code, _, err = await roa2web(capsys, "users", "list")
    assert code == 1 and err.startswith(f"PostgreSQL at 127.0.0.1:{port}/roa2web did not accept a connection: ")
    assert "Traceback" not in err
    code, out, _ = await roa2web(capsys, "check", "--timeout", "20")
    assert code != 0 and f"FAIL startup: RuntimeError: app_db failed to start: PostgreSQL at 127.0.0.1:{port}" in out
    monkeypatch.setenv("APP_DB_URL", environment[0].replace("postgres@", "nobody@"))
    code, _, err = await roa2web(capsys, "users", "list")
    assert code == 1 and 'role "nobody" does not exist' in err
