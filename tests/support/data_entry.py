"""Shared pieces of the data-entry tests: the data-entry database on SQLite or on the real PostgreSQL
server (a database of its own per test session, wiped before each test), and receipt payloads."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.settings import Settings
from tests.support.rates import load_recorded_rates

PG_HOST = os.environ.get("ROA2WEB_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ROA2WEB_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("ROA2WEB_TEST_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("ROA2WEB_TEST_PG_PASSWORD", "")
ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))
PASSWORD = "parola-test-123"
# name → (roles, companies): ana enters receipts, bogdan approves, carmen does both for company 2 only,
# victor only looks at company 2, dan enters receipts for company 1 only, olga for every company.
ROSTER: dict[str, tuple[frozenset[str], frozenset[int] | None]] = {
    "ana": (frozenset({"operator"}), frozenset({1, 2, 3})),
    "bogdan": (frozenset({"approver"}), frozenset({1, 2, 3})),
    "carmen": (frozenset({"operator", "approver"}), frozenset({2})),
    "victor": (frozenset({"viewer"}), frozenset({2})),
    "dan": (frozenset({"operator"}), frozenset({1})),
    "olga": (frozenset({"operator"}), None),
}


def _connect(dbname: str) -> Any:
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD or None, dbname=dbname,
                           autocommit=True, connect_timeout=5)


@contextlib.contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped on exit; its URL."""
    import psycopg

    name = f"roa2web_test_{uuid.uuid4().hex[:12]}"
    try:
        with _connect("postgres") as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_HOST}:{PG_PORT} is needed for the postgres tests: {error}")
    auth = f"{PG_USER}:{PG_PASSWORD}@" if PG_PASSWORD else f"{PG_USER}@"
    try:
        yield f"postgresql://{auth}{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end; its URL."""
    with throwaway_postgres_database() as url:
        yield url


def postgres_query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one query on the PostgreSQL database at `url` (what a test checks the app wrote)."""
    with _connect(url.rsplit("/", 1)[1]) as connection:
        return list(connection.execute(sql, params).fetchall())


def wipe_postgres(url: str) -> None:
    """Drop every table, so the next app starts from an empty schema and migrates it."""
    name = url.rsplit("/", 1)[1]
    with _connect(name) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture(params=ENGINES)
def data_entry_db_url(request: pytest.FixtureRequest) -> str | None:
    """None (SQLite under the test's data dir) or a wiped PostgreSQL database."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_database")
    wipe_postgres(url)
    return url


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash for every test user (hashing costs ~0.25 s)."""
    return asyncio.run(hash_password(PASSWORD))


@pytest.fixture
def de_settings(settings_factory: Callable[..., Settings], data_entry_db_url: str | None) -> Settings:
    """Test settings with the data-entry database on the engine under test; OCR off (its tests turn it on)."""
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url, ocr_enabled=False)


@pytest.fixture
async def de_app(de_settings: Settings) -> AsyncIterator[Quart]:
    """A started app for data-entry tests, with the recorded BNR rates 2024-2026 (the 100 EUR rule of approvals)."""
    application = create_app(de_settings)
    async with application.test_app():
        await load_recorded_rates(application.extensions["roa2web"].app_db)
        yield application


@pytest.fixture
def de_client(de_app: Quart) -> TestClientProtocol:
    """An HTTP client of `de_app`."""
    return de_app.test_client()


@pytest.fixture
def as_user(
    de_app: Quart, de_client: TestClientProtocol, password_hash: str
) -> Callable[[str], Awaitable[dict[str, str]]]:
    """`await as_user("ana")`: the ROSTER user, created on first use and logged in over HTTP; auth headers."""
    headers: dict[str, dict[str, str]] = {}

    async def login(name: str) -> dict[str, str]:
        if name not in headers:
            roles, companies = ROSTER[name]
            await store.create_user(
                de_app.extensions["roa2web"].app_db, username=name, display_name=name.title(),
                password_hash=password_hash, roles=roles, company_ids=companies)
            response = await de_client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
            assert response.status_code == 200, await response.get_data()
            headers[name] = {"Authorization": f"Bearer {(await response.get_json())['access_token']}"}
        return headers[name]

    return login


def receipt_payload(company_id: int = 2, **overrides: Any) -> dict[str, Any]:
    """A complete, valid receipt: fuel paid by card in December 2025 (21% and 11%)."""
    payload: dict[str, Any] = {
        "company_id": company_id,
        "supplier_name": "ALFA PETROL SRL",
        "supplier_cif": "RO12345674",
        "document_number": "37",
        "receipt_date": "2025-12-15",
        "payment_method": "card",
        "total": 374.10,
        "vat_lines": [{"rate": 21, "base": 300.00, "vat": 63.00}, {"rate": 11, "base": 10.00, "vat": 1.10}],
        "expense_account": "6022",
        "deductible": True,
        "buyer_cif_present": True,
    }
    payload.update(overrides)
    return payload


async def wait_for(check: Any, *, timeout_s: float = 60.0, interval_s: float = 0.1) -> Any:
    """Await `check()` until it returns something truthy (or fail after `timeout_s`)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        await asyncio.sleep(interval_s)
