"""Opt-in (`pytest -m oracle`): every ledger statement runs against a real Oracle.

Needs ORACLE_DSN, ORACLE_USER and ORACLE_PASSWORD for a schema that has the contract views
(scripts/oracle/ledger_contract_views.sql) or tables (ledger_contract_tables.sql). The login check
calls ROA's verification function (ORACLE_AUTH_FUNCTION, default pack_drepturi.verificautilizator);
with ORACLE_TEST_USER and ORACLE_TEST_PASSWORD (a ROA user) it also checks a right password.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

import pytest
import sqlglot
from sqlglot import exp

from roa2web.ledger.statements import STATEMENTS

if TYPE_CHECKING:
    from roa2web.ledger.oracle import OracleLedger

SAMPLE_BINDS: dict[str, object] = {
    "company_id": 1,
    "username": "ADMIN",
    "year": 2025,
    "month": 6,
    "month_from": 1,
    "month_to": 12,
    "date_from": dt.date(2025, 1, 1),
    "date_to": dt.date(2025, 12, 31),
    "as_of": dt.date(2025, 12, 31),
    "kind": "S",
    "partner_id": None,
    "account_prefix": "4",
    "q": "%",
    "limit": 10,
    "fiscal_year": 2025,
    "first_year": 2024,
    "last_year": 2025,
    "first_period": 202407,
    "last_period": 202506,
    "status": "all",
    "after_date": None,
    "after_id": None,
    "page_size": 10,
    "basis": "due_date",
    "cut_30": dt.date(2025, 12, 1),
    "cut_60": dt.date(2025, 11, 1),
    "cut_90": dt.date(2025, 10, 2),
}


def bind_names(sql: str) -> set[str]:
    """The `:name` binds a statement uses."""
    tree = sqlglot.parse_one(sql, read="oracle")
    return {str(node.this) for node in tree.find_all(exp.Placeholder) if node.this}


def sample_binds(sql: str) -> dict[str, object]:
    """Sample values for every bind of `sql` (KeyError names a bind without a sample)."""
    return {name: SAMPLE_BINDS[name] for name in bind_names(sql)}


def live_ledger() -> OracleLedger:
    """An OracleLedger on ORACLE_DSN (the test is skipped without it)."""
    if not os.environ.get("ORACLE_DSN"):
        pytest.skip("set ORACLE_DSN, ORACLE_USER and ORACLE_PASSWORD to run the live Oracle tests")
    from roa2web.ledger.oracle import OracleLedger

    return OracleLedger(
        dsn=os.environ["ORACLE_DSN"],
        user=os.environ.get("ORACLE_USER", ""),
        password=os.environ.get("ORACLE_PASSWORD", ""),
        pool_min=1,
        pool_max=2,
        verify_function=os.environ.get("ORACLE_AUTH_FUNCTION", "pack_drepturi.verificautilizator"),
    )


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_statement_runs_on_oracle(name: str) -> None:
    ledger = live_ledger()
    await ledger.start()
    try:
        rows = await ledger.fetch(name, **sample_binds(STATEMENTS[name]))
        assert isinstance(rows, list)
    finally:
        await ledger.close()


@pytest.mark.oracle
@pytest.mark.parametrize("name", ["reports.journal", "reports.invoices_all"])
async def test_a_streamed_statement_reads_the_same_rows_in_batches(name: str) -> None:
    ledger = live_ledger()
    await ledger.start()
    try:
        binds = sample_binds(STATEMENTS[name])
        batches = [batch async for batch in ledger.stream(name, batch_rows=7, **binds)]
        assert all(len(batch) == 7 for batch in batches[:-1]) and all(batches)
        assert [row for batch in batches for row in batch] == await ledger.fetch(name, **binds)
        assert ledger.stats()["pool_busy"] in (0, None)  # the streaming connection went back to the pool
    finally:
        await ledger.close()


@pytest.mark.oracle
async def test_verify_user_calls_roas_function() -> None:
    """ROA's function answers: a wrong password is refused; a known user's right one accepted."""
    ledger = live_ledger()
    await ledger.start()
    try:
        username = os.environ.get("ORACLE_TEST_USER", "ROA2WEB_NO_SUCH_USER")
        assert await ledger.verify_user(username, "not-the-password-" + "x" * 12) is False
        password = os.environ.get("ORACLE_TEST_PASSWORD")
        if "ORACLE_TEST_USER" in os.environ and password:
            assert await ledger.verify_user(username, password) is True
    finally:
        await ledger.close()


def test_every_bind_has_a_sample_value() -> None:
    """Keeps the live test runnable: a new bind name needs a sample above."""
    for name, sql in STATEMENTS.items():
        missing = bind_names(sql) - SAMPLE_BINDS.keys()
        assert not missing, f"{name}: no sample for binds {missing}"
