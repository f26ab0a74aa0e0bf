"""A receipt field's value as typed in the chat, and the receipt as the bot shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.bot.receipt_texts import (
    EDITABLE_FIELDS,
    field_buttons,
    prompt,
    receipt_buttons,
    receipt_text,
    too_large,
    unsure_fields,
)
from roa2web.bot.receipt_values import (
    BAD_AMOUNT,
    BAD_DAY,
    BAD_PAYMENT,
    BAD_VAT,
    MANY_RATES,
    BadValue,
    field_changes,
    parse_amount,
    parse_day,
)
from roa2web.data_entry.model import PaymentMethod, Receipt, ReceiptFields, State, VatLine

RECEIPT_ID = "f" * 32
NOW = dt.datetime(2026, 12, 6, 9, 0)


@pytest.mark.parametrize(("typed", "bani"), [
    ("49,93", 4993), ("1.234,56", 123456), ("1234,5", 123450), ("49.93", 4993), ("12", 1200),
    (" 55,50 lei ", 5550), ("1.234", 123400), ("1.234.567,89 RON", 123456789), ("0,05", 5),
])
def test_amounts_as_the_firm_writes_them(typed: str, bani: int) -> None:
    assert parse_amount(typed) == bani


@pytest.mark.parametrize("typed", ["cincizeci", "", "12,345", "1,234.56", "-5", "1.23.4", "12 lei 50"])
def test_what_is_no_amount(typed: str) -> None:
    with pytest.raises(BadValue) as bad:
        parse_amount(typed)
    assert str(bad.value) == BAD_AMOUNT


@pytest.mark.parametrize(("typed", "day"), [
    ("15.09.2025", dt.date(2025, 9, 15)), ("1.2.2026", dt.date(2026, 2, 1)), ("01/02/2026", dt.date(2026, 2, 1)),
    ("2025-09-15", dt.date(2025, 9, 15)), (" 29.02.2024 ", dt.date(2024, 2, 29)),
])
def test_days(typed: str, day: dt.date) -> None:
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["31.02.2026", "15.13.2025", "15.09.25", "ieri", "2025-02-30"])
def test_what_is_no_day(typed: str) -> None:
    with pytest.raises(BadValue) as bad:
        parse_day(typed)
    assert str(bad.value) == BAD_DAY


def test_the_total_carries_a_single_vat_line_along_and_refuses_to_split_two() -> None:
    one = ReceiptFields(total_bani=4993, vat_lines=(VatLine(11, 4498, 495),))
    assert field_changes("total", "55,50", one) == {"total_bani": 5550, "vat_lines": (VatLine(11, 5000, 550),)}
    assert field_changes("total", "10", ReceiptFields()) == {"total_bani": 1000}
    two = ReceiptFields(total_bani=38209, vat_lines=(VatLine(21, 30588, 6423), VatLine(11, 1079, 119)))
    with pytest.raises(BadValue) as bad:
        field_changes("total", "400", two)
    assert str(bad.value) == MANY_RATES


def test_vat_lines_set_the_total_to_their_sum() -> None:
    changes = field_changes("vat_lines", "21% 300,00 63,00\n11 11,10", ReceiptFields())
    assert changes == {"vat_lines": (VatLine(21, 30000, 6300), VatLine(11, 1000, 110)), "total_bani": 37410}
    assert field_changes("vat_lines", "21 121,00; ", ReceiptFields())["vat_lines"] == (VatLine(21, 10000, 2100),)
    for typed in ("", "21", "21 1 2 3", "210 100", "21 abc", "cota 21"):
        with pytest.raises(BadValue) as bad:
            field_changes("vat_lines", typed, ReceiptFields())
        assert str(bad.value) == BAD_VAT, typed


def test_payment_methods_by_their_romanian_names() -> None:
    for typed, method in [("numerar", PaymentMethod.CASH), ("Card", PaymentMethod.CARD),
                          ("Avans de trezorerie", PaymentMethod.ADVANCE), ("prin  furnizor", PaymentMethod.SUPPLIER)]:
        assert field_changes("payment_method", typed, ReceiptFields()) == {"payment_method": method}
    with pytest.raises(BadValue) as bad:
        field_changes("payment_method", "cec", ReceiptFields())
    assert str(bad.value) == BAD_PAYMENT


def test_text_fields_are_kept_as_typed_or_cleared_with_a_dash() -> None:
    assert field_changes("supplier_name", "  SIGMA   FOOD SRL ", ReceiptFields()) == {"supplier_name": "SIGMA FOOD SRL"}
    assert field_changes("supplier_cif", "-", ReceiptFields()) == {"supplier_cif": None}
    assert field_changes("expense_account", "6022", ReceiptFields()) == {"expense_account": "6022"}
    with pytest.raises(BadValue, match="prea lungă: cel mult 50 de caractere"):
        field_changes("document_number", "1" * 51, ReceiptFields())
    with pytest.raises(BadValue, match="Scrieți o valoare"):
        field_changes("supplier_name", "   ", ReceiptFields())


def receipt_of(fields: ReceiptFields, edited: frozenset[str] = frozenset(), state: State = State.DRAFT) -> Receipt:
    return Receipt(id=RECEIPT_ID, company_id=2, state=state, version=3, source="ocr", fields=fields,
                   edited_fields=edited, created_by="u1", created_by_name="Ana", created_at=NOW, updated_at=NOW)


def test_the_fields_message_marks_what_ocr_was_unsure_of() -> None:
    fields = ReceiptFields(supplier_name="SIGMA <FOOD> SRL", supplier_cif="RO420681090", document_number="1861",
                           receipt_date=dt.date(2026, 2, 1), payment_method=PaymentMethod.CARD, total_bani=123456,
                           vat_lines=(VatLine(21, 102029, 21427),), expense_account="6028")
    read = {"receipt_number": {"value": "1861", "confidence": 0.5}, "total": {"value": 123456, "confidence": 0.95},
            "date": {"value": "2026-02-01", "confidence": 0.4}, "time": {"value": "12:00", "confidence": 0.1},
            "buyer_cif": {"value": None, "confidence": 0.0}}
    unsure = unsure_fields(read, edited={"receipt_date"})
    assert unsure == {"document_number", "time"}
    text = receipt_text(receipt_of(fields), "BETA & CO SRL", unsure=unsure, warnings=["CIF <x>"])
    assert text.splitlines() == [
        "<b>Bonul citit</b> · BETA &amp; CO SRL", "",
        "Furnizor: SIGMA &lt;FOOD&gt; SRL",
        "CIF furnizor: RO420681090",
        "Număr bon: 1861 <i>(verificați)</i>",
        "Data: 01.02.2026",
        "Total: <b>1.234,56 lei</b>",
        "TVA 21%: bază 1.020,29 lei, TVA 214,27 lei",
        "Plată: card",
        "Cont de cheltuială: 6028", "",
        "Stare: ciornă", "",
        "⚠️ CIF &lt;x&gt;",
    ]
    empty = receipt_text(receipt_of(ReceiptFields(), state=State.PENDING), "X", unsure={"total_bani"})
    assert "Total: —\n" in empty and "TVA: —" in empty and "verificați" not in empty
    assert "Stare: în așteptarea aprobării" in empty


def test_buttons_fit_telegram_and_prompts_say_how_to_write() -> None:
    actions = receipt_buttons(RECEIPT_ID).inline_keyboard
    assert [[button.text for button in row] for row in actions] == [["Confirmă", "Editează"], ["Trimite", "Renunță"]]
    fields = [button for row in field_buttons(RECEIPT_ID).inline_keyboard for button in row]
    assert [button.callback_data for button in fields] == [f"rf:{name}:{RECEIPT_ID}" for name in EDITABLE_FIELDS]
    assert all(len(str(button.callback_data).encode()) <= 64 for button in fields)
    assert prompt("receipt_date") == "Scrieți noua valoare pentru data bonului (zz.ll.aaaa, de exemplu 15.09.2025)."
    assert prompt("supplier_cif").endswith("Scrieți - ca să goliți câmpul.")
    assert too_large(16 * 1024 * 1024 + 300_000, 15) == "Fișierul are 16,3 MB; primesc fișiere de cel mult 15 MB."
