"""Receipt validation, the workflow's permission rules and supplier/account matching, as plain calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from roa2web.accounting.cif import canonical_cif
from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import Conflict, Forbidden, FourEyes
from roa2web.data_entry.model import PaymentMethod, Receipt, ReceiptFields, State, VatLine
from roa2web.data_entry.workflow.matching import account_by_keywords, match_supplier, suggest_expense_account
from roa2web.data_entry.workflow.nomenclature import Partner, vat_rates
from roa2web.data_entry.workflow.rules import ensure_can_decide, ensure_can_edit, transition_for
from roa2web.data_entry.workflow.validation import field_errors, missing_for_submission

TODAY = dt.date(2026, 1, 20)


def errors_of(**changes):
    return {(".".join(e.loc), e.type) for e in field_errors(ReceiptFields().merged(changes), today=TODAY)}


def test_cif_checksum_is_checked():
    assert errors_of(supplier_cif="RO12345674") == set()
    assert errors_of(supplier_cif="41700010") == set()
    assert errors_of(supplier_cif="12345678") == {("supplier_cif", "cif_invalid")}
    assert errors_of(supplier_cif="1") == {("supplier_cif", "cif_invalid")}
    for foreign in ("1234567²", "１２３４５６７４", "١٢٣٤٥٦٧٤"):
        assert errors_of(supplier_cif=foreign) == {("supplier_cif", "cif_invalid")}


def test_cifs_have_one_canonical_form():
    for spelling in ("RO12345674", "RO-12345674", "ro 12345674", "Ro.1234/5674", " RO 1234 5674 "):
        assert canonical_cif(spelling) == "RO12345674"
    assert canonical_cif("1234-5674") == "12345674"


def test_vat_rates_follow_the_date():
    before, after = dt.date(2025, 7, 31), dt.date(2025, 8, 1)
    for rate in (19, 9, 5, 0):
        assert errors_of(receipt_date=before, vat_lines=(VatLine(rate, 10000, rate * 100),)) == set()
    for rate in (21, 11):
        assert errors_of(receipt_date=after, vat_lines=(VatLine(rate, 10000, rate * 100),)) == set()
    assert errors_of(receipt_date=before, vat_lines=(VatLine(21, 10000, 2100),)) == {
        ("vat_lines.0.rate", "vat_rate_invalid")}
    assert errors_of(receipt_date=after, vat_lines=(VatLine(9, 10000, 900),)) == {
        ("vat_lines.0.rate", "vat_rate_invalid")}


def test_vat_lines_must_add_up_to_the_total_and_match_their_rate():
    lines = (VatLine(21, 30000, 6300), VatLine(11, 1000, 110))
    assert errors_of(receipt_date=TODAY, total_bani=37410, vat_lines=lines) == set()
    assert errors_of(receipt_date=TODAY, total_bani=37400, vat_lines=lines) == {
        ("vat_lines", "vat_lines_total_mismatch")}
    assert errors_of(vat_lines=(VatLine(21, 30000, 6000),)) == {("vat_lines.0.vat", "vat_mismatch")}
    # a cash register's rounding (VAT from the gross) is within one ban of base × rate
    assert errors_of(vat_lines=(VatLine(21, 8265, 1736),)) == set()


def test_other_field_rules():
    assert errors_of(receipt_date=TODAY + dt.timedelta(days=1)) == {("receipt_date", "date_in_future")}
    assert errors_of(total_bani=0) == {("total", "total_not_positive")}
    assert errors_of(expense_account="6022") == set()
    assert errors_of(expense_account="623.01") == set()
    assert errors_of(expense_account="5311") == {("expense_account", "account_invalid")}
    for typed in ("6٠٢٢", "６０２２", "602²", "6022\n"):
        assert errors_of(expense_account=typed) == {("expense_account", "account_invalid")}


@pytest.mark.parametrize(("method", "fitting", "other"), [
    (PaymentMethod.CASH, ("5311",), ("5121", "5125", "542")),
    (PaymentMethod.CARD, ("5121", "5125"), ("5311", "542")),
    (PaymentMethod.ADVANCE, ("542",), ("5311", "5121", "5125")),
    (PaymentMethod.SUPPLIER, ("5311", "5121"), ("5125", "542")),
])
def test_the_settlement_account_is_one_its_payment_method_is_paid_from(method, fitting, other):
    assert ReceiptFields().settlement_account is None
    assert errors_of(payment_method=method) == set()
    for account in fitting:
        assert errors_of(payment_method=method, settlement_account=account) == set()
    for account in other:
        assert errors_of(payment_method=method, settlement_account=account) == {
            ("settlement_account", "settlement_account_invalid")}
    assert errors_of(settlement_account="4111") == {("settlement_account", "settlement_account_invalid")}


def test_submission_needs_the_essential_fields():
    missing = {e.loc[0] for e in missing_for_submission(ReceiptFields())}
    assert missing == {"receipt_date", "total", "payment_method", "expense_account", "vat_lines", "supplier_name"}
    complete = ReceiptFields(supplier_partner_id=3, receipt_date=TODAY, payment_method=PaymentMethod.CASH,
                             total_bani=100, vat_lines=(VatLine(0, 100, 0),), expense_account="6028")
    assert missing_for_submission(complete) == []


def test_vat_rates_nomenclature():
    assert [r.rate for r in vat_rates(dt.date(2025, 7, 31))] == [19, 9, 5, 0]
    assert [r.rate for r in vat_rates(dt.date(2025, 8, 1))] == [21, 11, 0]


def _receipt(state: State, created_by: str = "u1") -> Receipt:
    now = dt.datetime(2026, 1, 1)
    return Receipt("r1", 1, state, 1, "manual", ReceiptFields(), frozenset(), created_by, "ana", now, now)


def _user(user_id: str, *roles: str, companies: frozenset[int] | None = frozenset({1})) -> Principal:
    return Principal(user_id, user_id, user_id, frozenset(roles), companies)


def test_four_eyes_and_roles():
    pending = _receipt(State.PENDING)
    ensure_can_decide(_user("u2", "approver"), pending, "approve")
    with pytest.raises(Forbidden, match="pe care l-ați creat: trebuie aprobat de altcineva"):
        ensure_can_decide(_user("u1", "approver", "operator"), pending, "approve")
    with pytest.raises(Forbidden, match="pe care l-ați creat: trebuie aprobat de altcineva"):
        ensure_can_decide(_user("u1", "admin"), pending, "approve")
    ensure_can_decide(_user("u1", "approver"), pending, "reject")
    with pytest.raises(Forbidden):
        ensure_can_decide(_user("u2", "operator"), pending, "approve")
    with pytest.raises(Forbidden):
        ensure_can_decide(_user("u2", "approver", companies=frozenset({2})), pending, "approve")


def test_four_eyes_keeps_the_last_editor_and_the_submitter_from_approving():
    pending = replace(_receipt(State.PENDING), last_edited_by="u2", submitted_by="u3")
    for user_id, why in (("u2", "pe care l-ați modificat ultimul:"), ("u3", "pe care l-ați trimis spre aprobare:")):
        with pytest.raises(FourEyes, match=why):
            ensure_can_decide(_user(user_id, "approver", "operator"), pending, "approve")
        ensure_can_decide(_user(user_id, "approver"), pending, "reject")  # sending it back stays open to them
    everything = replace(pending, last_edited_by="u1", submitted_by="u1")
    with pytest.raises(FourEyes, match="l-ați creat, l-ați modificat ultimul și l-ați trimis spre aprobare:"):
        ensure_can_decide(_user("u1", "approver"), everything, "approve")
    ensure_can_decide(_user("u4", "approver"), pending, "approve")


def test_edits_are_for_the_creator_or_an_operator():
    draft = _receipt(State.DRAFT)
    ensure_can_edit(_user("u1", "viewer"), draft)  # the creator
    ensure_can_edit(_user("u3", "operator"), draft)
    with pytest.raises(Forbidden):
        ensure_can_edit(_user("u3", "viewer", "approver"), draft)


@pytest.mark.parametrize(("action", "allowed"), [
    ("submit", {State.DRAFT, State.REJECTED}),
    ("approve", {State.PENDING}),
    ("reject", {State.PENDING}),
    ("export", {State.APPROVED}),
])
def test_transitions_from_each_state(action, allowed):
    for state in State:
        if state in allowed:
            transition_for(action, _receipt(state))
        else:
            with pytest.raises(Conflict):
                transition_for(action, _receipt(state))


PARTNERS = [
    Partner(1, "ALFA PETROL SRL", "RO12345674", "S"),
    Partner(2, "BETA MARKET S.R.L.", "13548146", "S"),
    Partner(3, "CLIENT SRL", "41700010", "C"),
]


def test_supplier_matched_by_cif_then_by_name():
    assert match_supplier(PARTNERS, cif="12345674", name="whatever").partner_id == 1
    assert match_supplier(PARTNERS, cif="RO 13548146", name=None).partner_id == 2
    assert match_supplier(PARTNERS, cif="19", name="Beta Market SRL").partner_id == 2
    assert match_supplier(PARTNERS, cif=None, name="GAMA FARM SRL") is None
    assert match_supplier(PARTNERS, cif=None, name="SRL") is None


def test_expense_account_suggestions():
    assert account_by_keywords("MOTORINA 50,00 L x 7,26") == "6022"
    assert account_by_keywords("benzină standard") == "6022"
    assert account_by_keywords("PIESE AUTO SRL") == "6024"
    assert account_by_keywords("TELEKOM ROMANIA - abonament") == "626"
    assert account_by_keywords("PAINE ALBA") == "6028"
    assert suggest_expense_account(approved_history=["6024"], ledger_history=["6022"], text="MOTORINA") == (
        "6024", "supplier-receipts")
    assert suggest_expense_account(approved_history=[], ledger_history=["626"], text="MOTORINA") == (
        "626", "supplier-ledger")
    assert suggest_expense_account(approved_history=[], ledger_history=[], text="MOTORINA") == ("6022", "keywords")
