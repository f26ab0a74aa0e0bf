"""Every ledger statement is Oracle SQL that sqlglot parses and that runs on SQLite once transpiled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import roa2web.ledger
from roa2web.ledger.embedded import to_sqlite
from roa2web.ledger.statements import STATEMENTS

SCHEMA = Path(roa2web.ledger.__file__).with_name("schema.sql")
# Date arithmetic that would not transpile faithfully to SQLite; report SQL uses periods and binds.
DATE_FUNCTIONS = {"ADD_MONTHS", "MONTHS_BETWEEN", "LAST_DAY", "TRUNC", "TO_DATE", "SYSDATE", "EXTRACT",
                  "CURRENT_DATE", "CURRENT_TIMESTAMP", "NEXT_DAY"}


def bind_names(sql: str) -> set[str]:
    """The `:name` binds of an Oracle statement."""
    return {node.name for node in sqlglot.parse_one(sql, read="oracle").find_all(exp.Placeholder)}


@pytest.fixture(scope="module")
def empty_ledger() -> sqlite3.Connection:
    """The contract schema, no rows."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA.read_text(encoding="utf-8"))
    return db


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_statement_parses_as_oracle(name):
    tree = sqlglot.parse_one(STATEMENTS[name], read="oracle")
    assert isinstance(tree, exp.Query)
    assert bind_names(STATEMENTS[name]) or name == "companies.all"


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_statement_transpiles_and_runs_on_sqlite(name, empty_ledger):
    sql = to_sqlite(STATEMENTS[name])
    binds: dict[str, object] = dict.fromkeys(bind_names(STATEMENTS[name]))
    if "page_size" in binds:
        binds["page_size"] = 10  # LIMIT refuses NULL
    cursor = empty_ledger.execute(sql, binds)
    assert cursor.description and cursor.fetchall() in ([], [(None, None, None)], [(0, 0, 0)], [(0,)])


@pytest.mark.parametrize("name", sorted(n for n in STATEMENTS if n.startswith("reports.")))
def test_report_statements_use_no_date_arithmetic(name):
    tree = sqlglot.parse_one(STATEMENTS[name], read="oracle")
    used = {type(node).__name__.upper() for node in tree.find_all(exp.Func)}
    used |= {node.name.upper() for node in tree.find_all(exp.Anonymous)}
    assert not used & DATE_FUNCTIONS, used & DATE_FUNCTIONS
    assert "SYSDATE" not in STATEMENTS[name].upper()
