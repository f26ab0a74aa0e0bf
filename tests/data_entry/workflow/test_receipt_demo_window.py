"""On a demo ledger with the default window, a receipt dated in an open month is accepted (issue 10, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import ValidationFailed
from roa2web.data_entry.model import PaymentMethod, State, VatLine
from roa2web.demo import generate_demo_ledger

TODAY = dt.date(2026, 12, 5)  # fixed: the test never reads the clock
ANA = Principal("u-ana", "ana", "Ana", frozenset({"operator"}), frozenset({1, 2, 3}))
BOGDAN = Principal("u-bogdan", "bogdan", "Bogdan", frozenset({"approver"}), frozenset({1, 2, 3}))


@pytest.fixture(scope="module")
def default_window_ledger(tmp_path_factory):
    """The demo ledger as `roa2web init` writes it on TODAY (no --until)."""
    path = tmp_path_factory.mktemp("default-window") / "ledger-demo.sqlite"
    generate_demo_ledger(path, today=TODAY)
    return path


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url, default_window_ledger):
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url,
                            ledger_path=default_window_ledger)


@pytest.fixture
def receipts(de_app):
    service = de_app.extensions["roa2web"].data_entry.receipts
    service.today = lambda: TODAY
    return service


def telecom_receipt(day: dt.date) -> dict:
    return {"supplier_cif": "RO51392740", "supplier_name": "DOBROGEA TELECOM SA", "receipt_date": day,
            "payment_method": PaymentMethod.CARD, "total_bani": 12100, "vat_lines": (VatLine(21, 10000, 2100),),
            "expense_account": "626", "buyer_cif_present": True}


@pytest.mark.parametrize("day", [TODAY, dt.date(2026, 12, 1), dt.date(2026, 11, 14)], ids=str)
async def test_a_receipt_dated_in_the_current_or_previous_month_is_approved(receipts, day):
    receipt = await receipts.create(ANA, 2, telecom_receipt(day))
    assert receipt.fields.receipt_date == day
    await receipts.submit(ANA, receipt.id)
    approved = await receipts.approve(BOGDAN, receipt.id)
    assert approved.state == State.APPROVED


async def test_a_receipt_dated_before_the_previous_month_falls_in_a_closed_period(receipts):
    with pytest.raises(ValidationFailed) as refused:
        await receipts.create(ANA, 2, telecom_receipt(dt.date(2026, 10, 30)))
    assert [(error.loc, error.type) for error in refused.value.errors or []] == [(("receipt_date",), "period_closed")]
