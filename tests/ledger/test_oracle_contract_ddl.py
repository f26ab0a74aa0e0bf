"""The Oracle DDL (scripts/oracle) carries exactly the contract of roa2web/ledger/schema.sql."""

from __future__ import annotations

from pathlib import Path

import sqlglot
from sqlglot import exp

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "roa2web" / "ledger" / "schema.sql"
TABLES = ROOT / "scripts" / "oracle" / "ledger_contract_tables.sql"
VIEWS = ROOT / "scripts" / "oracle" / "ledger_contract_views.sql"


def _parse(path: Path, dialect: str) -> list[exp.Expr]:
    return [s for s in sqlglot.parse(path.read_text(encoding="utf-8"), read=dialect) if s is not None]


def _tables(statements: list[exp.Expr]) -> dict[str, list[exp.ColumnDef]]:
    return {
        s.this.this.name.lower(): [c for c in s.this.expressions if isinstance(c, exp.ColumnDef)]
        for s in statements if isinstance(s, exp.Create) and s.args.get("kind") == "TABLE"
    }


def _indexes(statements: list[exp.Expr]) -> dict[str, tuple[str, list[str]]]:
    """index name -> (table, columns in order)."""
    return {
        s.this.name.lower(): (s.this.args["table"].name.lower(), [c.name.lower() for c in s.this.find_all(exp.Column)])
        for s in statements if isinstance(s, exp.Create) and s.args.get("kind") == "INDEX"
    }


def _comments(statements: list[exp.Expr], kind: str) -> set[str]:
    return {s.this.sql(dialect="oracle").lower().replace('"', "") for s in statements
            if isinstance(s, exp.Comment) and s.args.get("kind") == kind}


def test_tables_have_the_contract_columns_in_order():
    contract = {name: [c.name.lower() for c in cols] for name, cols in _tables(_parse(SCHEMA, "sqlite")).items()}
    oracle = _tables(_parse(TABLES, "oracle"))
    assert {name: [c.name.lower() for c in cols] for name, cols in oracle.items()} == contract
    assert _indexes(_parse(TABLES, "oracle")) == _indexes(_parse(SCHEMA, "sqlite"))
    for table, columns in oracle.items():
        for column in columns:
            kind = column.args["kind"].sql(dialect="oracle")
            if column.name.endswith("_bani"):
                assert kind == "NUMBER(18)", (table, column.name)
            if column.name.endswith("_date"):
                assert kind == "DATE", (table, column.name)


def test_every_table_and_column_is_commented():
    statements = _parse(TABLES, "oracle")
    columns = {f"{table}.{column.name.lower()}" for table, cols in _tables(statements).items() for column in cols}
    assert _comments(statements, "COLUMN") == columns
    assert _comments(statements, "TABLE") == set(_tables(statements))


def test_views_select_the_contract_columns_in_order():
    contract = {name: [c.name.lower() for c in cols] for name, cols in _tables(_parse(SCHEMA, "sqlite")).items()}
    statements = _parse(VIEWS, "oracle")
    views = {
        s.this.name.lower(): s.expression
        for s in statements if isinstance(s, exp.Create) and s.args.get("kind") == "VIEW"
    }
    assert {name: [e.alias_or_name.lower() for e in select.expressions] for name, select in views.items()} == contract
    assert _comments(statements, "TABLE") == set(contract)
    for name, select in views.items():
        for projection in select.expressions:
            if projection.alias_or_name.endswith("_bani"):  # lei -> bani, exact
                assert projection.find(exp.Round) is not None and "* 100" in projection.sql(dialect="oracle"), name
    assert '"NUMBER"' in views["r2w_invoices"].sql(dialect="oracle")  # reserved word, quoted as the reports use it
