"""Helpers for the /api/reports tests: users on apps built by hand, URLs, and independent SQL figures."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from quart import Quart

from roa2web.auth import store
from roa2web.auth.passwords import hash_password

PASSWORD = "parola-rapoarte-123"
YEAR = 2025
CLOSED_TB = {"company_id": 1, "year": YEAR, "month_from": 1, "month_to": 11, "level": "analytic"}


def url(path: str, **params: Any) -> str:
    """`/api/reports/<path>?<params>`."""
    return f"/api/reports/{path}?{urlencode(params)}"


async def create_user(app: Quart, username: str, *, roles: set[str], company_ids: set[int] | None = None) -> None:
    """A local user in the app's database."""
    await store.create_user(
        app.extensions["roa2web"].app_db,
        username=username,
        display_name=username.title(),
        password_hash=await hash_password(PASSWORD),
        roles=frozenset(roles),
        company_ids=None if company_ids is None else frozenset(company_ids),
    )


async def sign_in(app: Quart, username: str, *, roles: set[str], company_ids: set[int] | None = None) -> dict[str, str]:
    """Create a user and log in over HTTP; the Authorization header."""
    await create_user(app, username, roles=roles, company_ids=company_ids)
    response = await app.test_client().post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, await response.get_data()
    return {"Authorization": f"Bearer {(await response.get_json())['access_token']}"}


def bani(value: Any) -> int:
    """A JSON money value (parsed as Decimal) in integer bani."""
    return int(Decimal(str(value)) * 100)


def ledger_sum(path: Path, sql: str, *binds: Any) -> int:
    """One integer from a query against the ledger file (read-only): independent figures."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        (value,) = db.execute(sql, binds).fetchone()
    return int(value or 0)


def turnover(path: Path, company_id: int, side: str, month_from: int, month_to: int, prefix: str = "") -> int:
    """Debit or credit turnover of accounts starting with `prefix` (class 8 left out), closing lines included."""
    return ledger_sum(
        path,
        f"SELECT SUM(amount_bani) FROM r2w_journal_lines WHERE company_id = ? AND period_year = ? "
        f"AND period_month BETWEEN ? AND ? AND {side}_account LIKE ? AND {side}_account NOT LIKE '8%'",
        company_id, YEAR, month_from, month_to, prefix + "%",
    )


def revenue_without_closing(path: Path, company_id: int, month_from: int, month_to: int) -> int:
    """Class 7 credit minus debit turnover (709 discounts reduce it), closing lines left out, from the journal."""
    return ledger_sum(
        path,
        "SELECT SUM(CASE WHEN credit_account LIKE '7%' THEN amount_bani ELSE 0 END) "
        "- SUM(CASE WHEN debit_account LIKE '7%' THEN amount_bani ELSE 0 END) FROM r2w_journal_lines "
        "WHERE company_id = ? AND period_year = ? AND period_month BETWEEN ? AND ? AND is_closing = 0",
        company_id, YEAR, month_from, month_to,
    )


def closing_balance(path: Path, company_id: int, prefix: str, month_to: int) -> int:
    """Debit-minus-credit balance of accounts under `prefix` at the end of `month_to` (opening included)."""
    opening = ledger_sum(
        path,
        "SELECT SUM(debit_bani - credit_bani) FROM r2w_opening_balances WHERE company_id = ? AND fiscal_year = ? "
        "AND account LIKE ?",
        company_id, YEAR, prefix + "%",
    )
    return opening + turnover(path, company_id, "debit", 1, month_to, prefix) - turnover(
        path, company_id, "credit", 1, month_to, prefix
    )
