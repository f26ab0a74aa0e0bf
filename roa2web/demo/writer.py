"""Write a DemoLedger as the contract tables (roa2web/ledger/schema.sql) into one SQLite file.

Byte-identical output for the same data: fixed page size, fixed insertion order, no
timestamps (the generation id the report cache is keyed on is derived from the tables' bytes,
`roa2web.ledger.identity`). Fast for millions of lines: no journal, no fsync while writing, one
transaction, indexes built after the rows. The file is written beside the target and
renamed over it, so readers never see a half-written ledger.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from roa2web.demo.model import DemoLedger
from roa2web.ledger.identity import generation_id_for, stamp_generation

_COMMENT = re.compile(r"--[^\n]*")
_INSERTS = {
    "r2w_companies": "company_id, name, cif, vat_payer",
    "r2w_partners": "company_id, partner_id, name, cif, kind",
    "r2w_accounts": "company_id, account, name, function, synthetic, parent, is_analytic, partner_id",
    "r2w_opening_balances": "company_id, fiscal_year, account, debit_bani, credit_bani",
    "r2w_journal_lines": "company_id, line_id, doc_type, doc_number, doc_date, period_year, period_month, "
    "debit_account, credit_account, amount_bani, partner_id, is_closing, description",
    "r2w_invoices": "company_id, invoice_id, kind, number, issue_date, due_date, partner_id, total_bani, vat_bani",
    "r2w_invoice_payments": "company_id, payment_id, invoice_id, pay_date, amount_bani",
    "r2w_periods": "company_id, year, month, closed",
    "r2w_user_companies": "username, company_id",
}


def contract_statements() -> tuple[list[str], list[str]]:
    """The contract DDL split into (CREATE TABLE statements, CREATE INDEX statements)."""
    text = importlib.resources.files("roa2web.ledger").joinpath("schema.sql").read_text(encoding="utf-8")
    statements = [part.strip() for part in _COMMENT.sub("", text).split(";") if part.strip()]
    indexes = [s for s in statements if s.upper().startswith("CREATE INDEX")]
    return [s for s in statements if s not in indexes], indexes


def _rows(ledger: DemoLedger, table: str) -> Iterator[tuple[Any, ...]]:
    open_periods = ledger.open_periods
    for company in ledger.companies:
        profile = company.profile
        company_id = profile.company_id
        if table == "r2w_companies":
            yield company_id, profile.name, profile.cif, int(profile.vat_payer)
        elif table == "r2w_partners":
            yield from ((p.company_id, p.partner_id, p.name, p.cif, p.kind) for p in company.partners)
        elif table == "r2w_accounts":
            yield from ((a.company_id, a.account, a.name, a.function, a.synthetic, a.parent, a.is_analytic,
                         a.partner_id) for a in company.accounts)
        elif table == "r2w_opening_balances":
            for fiscal_year, balances in sorted(company.opening.items()):
                yield from ((company_id, fiscal_year, account, max(amount, 0), max(-amount, 0))
                            for account, amount in balances.items() if amount)
        elif table == "r2w_journal_lines":
            yield from company.lines
        elif table == "r2w_invoices":
            yield from ((i.company_id, i.invoice_id, i.kind, i.number, i.issue_date.isoformat(),
                         i.due_date.isoformat(), i.partner_id, i.total, i.vat) for i in company.invoices)
        elif table == "r2w_invoice_payments":
            yield from ((p.company_id, p.payment_id, p.invoice_id, p.pay_date.isoformat(), p.amount)
                        for p in company.payments)
        elif table == "r2w_periods":
            yield from ((company_id, y, m, int((y, m) not in open_periods)) for y, m in ledger.periods)
    if table == "r2w_user_companies":
        yield from ledger.user_companies


def _insert(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    columns = _INSERTS[table]
    marks = ", ".join("?" for _ in columns.split(","))
    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _stamp_generation(conn: sqlite3.Connection, path: Path) -> None:
    """Record the ledger's generation id, derived from the tables' bytes (the output stays deterministic)."""
    conn.execute("BEGIN")
    stamp_generation(conn, generation_id_for(file_sha256(path)))
    conn.execute("COMMIT")


def write_ledger(ledger: DemoLedger, path: Path) -> None:
    """Write the ledger to `path` (replaced atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    tables, indexes = contract_statements()
    try:
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            for pragma in ("page_size = 4096", "journal_mode = OFF", "synchronous = OFF",
                           "temp_store = MEMORY", "cache_size = -32768"):
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("BEGIN")
            for statement in tables:
                conn.execute(statement)
            for table in _INSERTS:
                _insert(conn, table, _rows(ledger, table))
            for statement in indexes:
                conn.execute(statement)
            conn.execute("COMMIT")
            _stamp_generation(conn, temporary)
        finally:
            conn.close()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
