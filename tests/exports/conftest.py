"""Export fixtures: a real report (trial balance Q1 2025 of company 1) built from the demo ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roa2web.exports import ExportDocument, report_document
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import REPORTS

PARAMS = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}


@pytest.fixture
async def trial_balance(demo_ledger_path: Path):
    """(spec, result) of the trial balance the export tests render."""
    ledger = EmbeddedLedger(demo_ledger_path)
    spec = REPORTS["trial_balance"]
    result = await spec.run(ledger, PARAMS)
    await ledger.close()
    return spec, result


@pytest.fixture
def document(trial_balance) -> ExportDocument:
    """The trial balance as an export document."""
    spec, result = trial_balance
    return report_document(spec, result, company="ALFA COMERT SRL", company_cif="RO28461357",
                           generated_at=dt.datetime(2025, 4, 3, 12, 30, tzinfo=dt.UTC))
