"""The embedded ledger turns every SQLite failure, opening a corrupt file included, into a LedgerError."""

from __future__ import annotations

import pytest

from roa2web.ledger.base import LedgerError, LedgerUnavailable
from roa2web.ledger.embedded import EmbeddedLedger

GARBAGE = b"this is not an SQLite database, only bytes that look like nothing at all\n" * 64


@pytest.fixture
async def corrupt_ledger(tmp_path):
    path = tmp_path / "ledger-demo.sqlite"
    path.write_bytes(GARBAGE)
    ledger = EmbeddedLedger(path, timeout_s=5)
    yield ledger
    await ledger.close()


async def test_a_corrupt_file_is_a_ledger_error_on_fetch_and_ping(corrupt_ledger):
    with pytest.raises(LedgerUnavailable, match="cannot be read"):
        await corrupt_ledger.fetch("companies.all")
    with pytest.raises(LedgerError):  # again: no half-open connection was kept for the thread
        await corrupt_ledger.fetch("companies.all")
    with pytest.raises(LedgerUnavailable):
        await corrupt_ledger.ping()


async def test_a_missing_file_is_unavailable(tmp_path):
    ledger = EmbeddedLedger(tmp_path / "absent.sqlite")
    try:
        with pytest.raises(LedgerUnavailable, match="does not exist"):
            await ledger.ping()
    finally:
        await ledger.close()
