"""Entries of a receipt (ROMANIAN_ACCOUNTING.md §5): balanced for every payment method and VAT case."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roa2web.accounting.vat import vat_from_gross, vat_rates_on
from roa2web.data_entry.model import PaymentMethod, ReceiptFields, VatLine
from roa2web.data_entry.workflow.entries import (
    PAID_FROM,
    SIMPLIFIED_INVOICE_LIMIT_EUR,
    Entries,
    EntriesUnavailable,
    ExchangeRateMissing,
    fits_payment_method,
    paid_from,
    receipt_entries,
    simplified_invoice_limit_bani,
)

AUG_2025 = dt.date(2025, 9, 15)
JUL_2025 = dt.date(2025, 7, 15)
RATE = Decimal("5.0968")  # RON per EUR: 100 EUR = 509,68 RON
CREDIT = {PaymentMethod.CASH: "5311", PaymentMethod.CARD: "5121", PaymentMethod.ADVANCE: "542",
          PaymentMethod.SUPPLIER: "401"}


def group(gross: int, rate: int) -> VatLine:
    vat = vat_from_gross(gross, rate)
    return VatLine(rate, gross - vat, vat)


def receipt(method: PaymentMethod, *, day: dt.date = AUG_2025, groups: tuple[VatLine, ...] | None = None,
            buyer: bool = True, deductible: bool = True, account: str = "6022") -> ReceiptFields:
    lines = groups if groups is not None else (group(36300, 21), group(1110, 11))
    return ReceiptFields(
        supplier_name="ALFA PETROL SRL", supplier_cif="RO12345674", document_number="37", receipt_date=day,
        payment_method=method, total_bani=sum(line.gross_bani for line in lines), vat_lines=lines,
        expense_account=account, deductible=deductible, buyer_cif_present=buyer)


def assert_balanced(entries: Entries) -> None:
    accounts = entries.by_account()
    assert sum(debit for debit, _ in accounts.values()) == sum(credit for _, credit in accounts.values())
    assert all(line.amount_bani > 0 for line in entries.lines)


def test_card_receipt_matches_the_reference_example():
    entries = receipt_entries(receipt(PaymentMethod.CARD), vat_payer=True, ron_per_eur=RATE)
    assert [(line.debit, line.credit, line.amount_bani) for line in entries.lines] == [
        ("6022", "5121", 30000), ("4426", "5121", 6300), ("6022", "5121", 1000), ("4426", "5121", 110),
    ]
    assert entries.vat_deducted
    assert entries.by_account()["5121"] == (0, 37410)
    assert entries.by_account()["4426"] == (6410, 0)
    assert_balanced(entries)


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_each_payment_method_credits_its_account(method):
    entries = receipt_entries(receipt(method), vat_payer=True, ron_per_eur=RATE)
    assert_balanced(entries)
    accounts = entries.by_account()
    assert accounts["6022"] == (31000, 0)
    assert accounts["4426"] == (6410, 0)
    if method is PaymentMethod.SUPPLIER:
        # booked on 401, then settled from the cash desk: 401 nets to zero
        assert accounts["401"] == (37410, 37410)
        assert accounts["5311"] == (0, 37410)
    else:
        assert accounts[CREDIT[method]] == (0, 37410)
        assert "401" not in accounts


@pytest.mark.parametrize(("settlement", "explanation"), [("5311", "numerar"), ("5121", "prin bancă")])
def test_a_supplier_is_settled_from_the_cash_desk_or_the_bank(settlement, explanation):
    fields = receipt(PaymentMethod.SUPPLIER).merged({"settlement_account": settlement})
    entries = receipt_entries(fields, vat_payer=True, ron_per_eur=RATE)
    assert_balanced(entries)
    assert [(line.debit, line.credit, line.amount_bani) for line in entries.lines] == [
        ("6022", "401", 30000), ("4426", "401", 6300), ("6022", "401", 1000), ("4426", "401", 110),
        ("401", settlement, 37410)]
    assert entries.lines[-1].explanation.endswith(explanation)
    accounts = entries.by_account()
    assert accounts["401"] == (37410, 37410)
    assert accounts[settlement] == (0, 37410)
    assert ({"5311", "5121"} - {settlement}).isdisjoint(accounts)


@pytest.mark.parametrize(("method", "named", "paid", "credit"), [
    (PaymentMethod.CASH, None, "5311", "5311"),
    (PaymentMethod.CARD, None, "5121", "5121"),
    (PaymentMethod.CARD, "5125", "5125", "5125"),
    (PaymentMethod.ADVANCE, None, "542", "542"),
    (PaymentMethod.SUPPLIER, None, "5311", "401"),
    (PaymentMethod.SUPPLIER, "5121", "5121", "401"),
])
def test_the_settlement_account_follows_the_payment_method(method, named, paid, credit):
    fields = receipt(method).merged({"settlement_account": named})
    assert paid_from(fields) == paid
    assert fits_payment_method(fields)
    entries = receipt_entries(fields, vat_payer=True, ron_per_eur=RATE)
    assert_balanced(entries)
    accounts = entries.by_account()
    assert accounts[credit][1] == 37410
    assert accounts[paid] == (0, 37410)
    assert ({"5311", "5121", "5125", "542"} - {paid}).isdisjoint(accounts)


@pytest.mark.parametrize(("method", "named"), [
    (PaymentMethod.CARD, "5311"), (PaymentMethod.CASH, "5121"), (PaymentMethod.ADVANCE, "5311"),
    (PaymentMethod.SUPPLIER, "5125"), (PaymentMethod.SUPPLIER, "542"),
])
def test_a_settlement_account_of_another_payment_method_gives_no_entries(method, named):
    fields = receipt(method).merged({"settlement_account": named})
    assert not fits_payment_method(fields)
    with pytest.raises(EntriesUnavailable, match=" sau ".join(PAID_FROM[method])):
        receipt_entries(fields, vat_payer=True, ron_per_eur=RATE)


def test_a_receipt_without_a_payment_method_is_paid_from_no_account_yet():
    assert paid_from(ReceiptFields()) is None
    assert paid_from(ReceiptFields(payment_method=PaymentMethod.CARD)) == "5121"


@pytest.mark.parametrize(("vat_payer", "buyer", "deductible"),
                         [c for c in itertools.product((True, False), repeat=3) if c != (True, True, True)])
def test_without_a_deduction_right_the_gross_goes_to_the_expense(vat_payer, buyer, deductible):
    entries = receipt_entries(receipt(PaymentMethod.CASH, buyer=buyer, deductible=deductible), vat_payer=vat_payer,
                              ron_per_eur=RATE)
    assert [(line.debit, line.credit, line.amount_bani) for line in entries.lines] == [("6022", "5311", 37410)]
    assert not entries.vat_deducted
    assert "4426" not in entries.by_account()


def test_rates_before_august_2025_use_19_9_5():
    lines = (group(11900, 19), group(1090, 9), group(2100, 5))
    entries = receipt_entries(receipt(PaymentMethod.CARD, day=JUL_2025, groups=lines), vat_payer=True,
                              ron_per_eur=RATE)
    assert entries.by_account()["4426"] == (1900 + 90 + 100, 0)
    assert_balanced(entries)
    with pytest.raises(EntriesUnavailable, match="21% nu este o cotă de TVA"):
        receipt_entries(receipt(PaymentMethod.CARD, day=JUL_2025), vat_payer=True, ron_per_eur=RATE)
    with pytest.raises(EntriesUnavailable, match="19% nu este o cotă de TVA"):
        receipt_entries(receipt(PaymentMethod.CARD, groups=(group(11900, 19),)), vat_payer=True, ron_per_eur=RATE)


def test_exempt_and_receipts_without_vat_lines_book_the_gross():
    exempt = receipt_entries(receipt(PaymentMethod.CASH, groups=(VatLine(0, 5000, 0),)), vat_payer=True,
                             ron_per_eur=RATE)
    assert [(line.debit, line.credit, line.amount_bani) for line in exempt.lines] == [("6022", "5311", 5000)]
    assert not exempt.vat_deducted
    no_lines = ReceiptFields(receipt_date=AUG_2025, payment_method=PaymentMethod.CARD, total_bani=2500,
                             expense_account="626", buyer_cif_present=True)
    entries = receipt_entries(no_lines, vat_payer=True, ron_per_eur=RATE)
    assert [(x.debit, x.credit, x.amount_bani) for x in entries.lines] == [
        ("626", "5121", 2500)]


def test_mixed_exempt_and_taxed_groups_keep_the_exempt_base():
    entries = receipt_entries(receipt(PaymentMethod.CARD, groups=(group(12100, 21), VatLine(0, 800, 0))),
                              vat_payer=True, ron_per_eur=RATE)
    assert entries.by_account()["6022"] == (10000 + 800, 0)
    assert entries.by_account()["4426"] == (2100, 0)
    assert_balanced(entries)


def test_incomplete_or_inconsistent_receipts_have_no_entries():
    complete = receipt(PaymentMethod.CASH)
    for missing in ("total_bani", "payment_method", "expense_account", "receipt_date"):
        with pytest.raises(EntriesUnavailable):
            receipt_entries(complete.merged({missing: None}), vat_payer=True, ron_per_eur=RATE)
    with pytest.raises(EntriesUnavailable, match="nu însumează totalul"):
        receipt_entries(complete.merged({"total_bani": 1}), vat_payer=True, ron_per_eur=RATE)


@given(
    grosses=st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=3),
    after=st.booleans(),
    method=st.sampled_from(list(PaymentMethod)),
    vat_payer=st.booleans(),
    buyer=st.booleans(),
    deductible=st.booleans(),
)
def test_entries_always_balance(grosses, after, method, vat_payer, buyer, deductible):
    day = AUG_2025 if after else JUL_2025
    rates = vat_rates_on(day)
    lines = tuple(group(gross, rates[i % len(rates)]) for i, gross in enumerate(grosses))
    fields = receipt(method, day=day, groups=lines, buyer=buyer, deductible=deductible)
    entries = receipt_entries(fields, vat_payer=vat_payer, ron_per_eur=RATE)
    assert_balanced(entries)
    expense_and_vat = sum(debit for account, (debit, _) in entries.by_account().items() if account in ("6022", "4426"))
    assert expense_and_vat == fields.total_bani
    simplified = fields.total_bani <= simplified_invoice_limit_bani(RATE)
    assert entries.by_account().get("4426", (0, 0))[0] == (
        sum(line.vat_bani for line in lines) if vat_payer and buyer and deductible and simplified else 0)


def test_the_simplified_invoice_limit_is_100_eur_at_the_given_rate():
    assert SIMPLIFIED_INVOICE_LIMIT_EUR == 100
    assert simplified_invoice_limit_bani(RATE) == 50968
    assert simplified_invoice_limit_bani(Decimal("4.97675")) == 49767  # 497,675 RON: rounded down to the ban
    with pytest.raises(ValueError):
        simplified_invoice_limit_bani(Decimal(0))


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_vat_is_deducted_up_to_100_eur_and_not_above(method):
    rate = Decimal("5.0000")  # 100 EUR = 500,00 RON
    at_limit = receipt(method, groups=(group(50000, 21),))
    under = receipt(method, groups=(group(49999, 21),))
    over = receipt(method, groups=(group(50001, 21),))
    for fields in (at_limit, under):
        entries = receipt_entries(fields, vat_payer=True, ron_per_eur=rate)
        assert entries.vat_deducted
        assert entries.by_account()["4426"] == (fields.vat_lines[0].vat_bani, 0)
        assert_balanced(entries)
    entries = receipt_entries(over, vat_payer=True, ron_per_eur=rate)
    assert not entries.vat_deducted
    assert "4426" not in entries.by_account()
    assert entries.by_account()["6022"] == (50001, 0)  # the gross goes to the expense
    assert "peste 100 EUR" in entries.lines[0].explanation
    assert_balanced(entries)
    # the same receipt is within the limit at a higher rate (100 EUR = 510,00 RON)
    assert receipt_entries(over, vat_payer=True, ron_per_eur=Decimal("5.10")).vat_deducted


def test_without_a_rate_the_entries_are_unavailable_when_the_limit_decides_them():
    fields = receipt(PaymentMethod.CARD)
    with pytest.raises(ExchangeRateMissing, match="cursul euro al BNR") as missing:
        receipt_entries(fields, vat_payer=True, ron_per_eur=None)
    assert "15.09.2025" in str(missing.value)
    assert isinstance(missing.value, EntriesUnavailable)


@pytest.mark.parametrize(("vat_payer", "buyer", "deductible", "groups"), [
    (False, True, True, None),
    (True, False, True, None),
    (True, True, False, None),
    (True, True, True, (VatLine(0, 5000, 0),)),  # no VAT to deduct
])
def test_without_a_rate_entries_that_the_limit_does_not_decide_are_the_same(vat_payer, buyer, deductible, groups):
    fields = receipt(PaymentMethod.CASH, buyer=buyer, deductible=deductible, groups=groups)
    without = receipt_entries(fields, vat_payer=vat_payer, ron_per_eur=None)
    assert without == receipt_entries(fields, vat_payer=vat_payer, ron_per_eur=RATE)
    assert not without.vat_deducted
