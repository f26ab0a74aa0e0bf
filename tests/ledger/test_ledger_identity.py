"""The ledger's identity, which the report cache is keyed on: a location, and the generation found there."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from roa2web.demo import generate_demo_ledger
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.ledger.identity import GENERATION_TABLE, LedgerIdentity, embedded_identity
from roa2web.ledger.oracle import OracleLedger
from tests.support.demo_window import MONTHS, UNTIL


def test_a_generated_ledger_carries_its_generation(tmp_path: Path) -> None:
    first = generate_demo_ledger(tmp_path / "a.sqlite", seed=5, until=UNTIL, months=MONTHS)
    again = generate_demo_ledger(tmp_path / "b.sqlite", seed=5, until=UNTIL, months=MONTHS)
    other = generate_demo_ledger(tmp_path / "c.sqlite", seed=6, until=UNTIL, months=MONTHS)
    generations = [embedded_identity(summary.path).generation for summary in (first, again, other)]
    assert generations[0] is not None and generations[0].startswith("generation:")
    assert generations[0] == generations[1]  # the same content (byte-identical file): the same generation
    assert generations[2] != generations[0]
    assert first.sha256 == again.sha256
    assert embedded_identity(first.path).location == f"embedded:{first.path.resolve()}"


def drop_generation(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"DROP TABLE {GENERATION_TABLE}")
        db.commit()


def test_an_older_ledger_without_a_generation_is_known_by_its_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    generate_demo_ledger(path, seed=5, until=UNTIL, months=MONTHS)
    drop_generation(path)
    identity = embedded_identity(path)
    assert identity.generation is not None and identity.generation.startswith("file:")
    assert embedded_identity(path) == identity  # stable while the file is unchanged

    replacement = tmp_path / "replacement.sqlite"
    generate_demo_ledger(replacement, seed=6, until=UNTIL, months=MONTHS)
    drop_generation(replacement)
    os.replace(replacement, path)
    assert embedded_identity(path) != identity


def test_a_missing_or_unreadable_ledger_has_no_known_generation(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    assert embedded_identity(missing).generation is None
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    assert embedded_identity(garbage) == LedgerIdentity(f"embedded:{garbage.resolve()}", None)


def test_the_ledger_reads_its_identity_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    generate_demo_ledger(path, seed=5, until=UNTIL, months=MONTHS)
    ledger = EmbeddedLedger(path)
    identity = ledger.identity
    shutil.copy(generate_demo_ledger(tmp_path / "other.sqlite", seed=6, until=UNTIL, months=MONTHS).path, path)
    assert ledger.identity == identity  # the process keeps the identity it started with
    assert EmbeddedLedger(path).identity != identity
    assert ledger.stats()["identity"] == str(identity)


def test_oracle_is_known_by_its_dsn_and_schema() -> None:
    one = OracleLedger(dsn="db1:1521/ROA", user="roa", password="x")
    assert one.identity.generation is not None  # one living ledger: always known
    assert one.identity == OracleLedger(dsn="db1:1521/ROA", user="ROA", password="other").identity
    assert one.identity != OracleLedger(dsn="db2:1521/ROA", user="roa", password="x").identity
    assert one.identity != OracleLedger(dsn="db1:1521/ROA", user="roa_test", password="x").identity
