"""Receipt field rules (pure): what makes a draft invalid, and what a receipt needs before submission."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from roa2web.accounting.cif import is_valid_cif
from roa2web.accounting.vat import is_rate_valid_on, vat_from_gross, vat_rates_on
from roa2web.data_entry.errors import FieldError
from roa2web.data_entry.labels import field_label
from roa2web.data_entry.model import ReceiptFields
from roa2web.data_entry.workflow.entries import PAID_FROM, PAID_HOW, SETTLEMENT_ACCOUNTS, fits_payment_method
from roa2web.exports.numbers import format_money

EXPENSE_ACCOUNT = re.compile(r"6[0-9]{2,3}(\.[0-9A-Za-z]{1,12})?")
REQUIRED_TO_SUBMIT = ("receipt_date", "total_bani", "payment_method", "expense_account", "vat_lines")


def field_errors(fields: ReceiptFields, *, today: dt.date) -> list[FieldError]:
    """Every rule a receipt breaks with the fields it has (missing fields are not errors here)."""
    errors: list[FieldError] = []
    if fields.supplier_cif is not None and not is_valid_cif(fields.supplier_cif):
        errors.append(FieldError(("supplier_cif",), "CIF-ul nu este valid: cifra de control nu se potrivește "
                                 "sau nu are 2-10 cifre", "cif_invalid"))
    if fields.receipt_date is not None and fields.receipt_date > today:
        errors.append(FieldError(("receipt_date",), "Data bonului este în viitor", "date_in_future"))
    if fields.total_bani is not None and fields.total_bani <= 0:
        errors.append(FieldError(("total",), "Totalul trebuie să fie mai mare decât zero", "total_not_positive"))
    if fields.expense_account is not None and not EXPENSE_ACCOUNT.fullmatch(fields.expense_account):
        errors.append(FieldError(("expense_account",), "Contul de cheltuială este un cont din clasa 6, de exemplu 6022",
                                 "account_invalid"))
    if not fits_payment_method(fields):
        method = fields.payment_method
        paid = "un bon" if method is None else f"un bon plătit {PAID_HOW[method]}"
        accounts = " sau ".join(SETTLEMENT_ACCOUNTS if method is None else PAID_FROM[method])
        errors.append(FieldError(("settlement_account",), f"Contul de decontare: {paid} se plătește din {accounts}",
                                 "settlement_account_invalid"))
    errors.extend(vat_line_errors(fields))
    return errors


def _lei(bani: int) -> str:
    """An amount as the firm writes it: 1.234,50 lei."""
    return f"{format_money(Decimal(bani) / 100)} lei"


def vat_line_errors(fields: ReceiptFields) -> list[FieldError]:
    """VAT rates valid on the date, each line's VAT consistent with its base, lines adding up to the total."""
    errors: list[FieldError] = []
    for index, line in enumerate(fields.vat_lines):
        where = ("vat_lines", str(index))
        if fields.receipt_date is not None and not is_rate_valid_on(line.rate, fields.receipt_date):
            allowed = ", ".join(f"{rate}%" for rate in vat_rates_on(fields.receipt_date))
            errors.append(FieldError((*where, "rate"), f"{line.rate}% nu este o cotă de TVA la "
                                     f"{fields.receipt_date:%d.%m.%Y} (cotele valabile: {allowed})",
                                     "vat_rate_invalid"))
        if line.base_bani < 0 or line.vat_bani < 0:
            errors.append(FieldError(where, "Baza și TVA-ul nu pot fi negative", "vat_line_negative"))
        elif abs(vat_from_gross(line.gross_bani, line.rate) - line.vat_bani) > 1:
            errors.append(FieldError((*where, "vat"), f"TVA-ul nu este {line.rate}% din bază",
                                     "vat_mismatch"))
    if fields.vat_lines and fields.total_bani is not None:
        lines_total = sum(line.gross_bani for line in fields.vat_lines)
        if lines_total != fields.total_bani:
            errors.append(FieldError(("vat_lines",), f"Baza plus TVA-ul liniilor fac {_lei(lines_total)}, iar "
                                     f"totalul este {_lei(fields.total_bani)}", "vat_lines_total_mismatch"))
    return errors


def missing_for_submission(fields: ReceiptFields) -> list[FieldError]:
    """Fields a receipt must have before it is submitted."""
    errors = [
        FieldError(("total" if name == "total_bani" else name,),
                   f"Bonul nu se poate trimite spre aprobare fără {field_label(name)}", "missing")
        for name in REQUIRED_TO_SUBMIT
        if getattr(fields, name) in (None, ())
    ]
    if fields.supplier_partner_id is None and not fields.supplier_name:
        errors.append(FieldError(("supplier_name",), "Bonul nu se poate trimite spre aprobare fără furnizor "
                                 "(partener sau nume)", "missing"))
    return errors


def closed_period_error() -> FieldError:
    """The receipt date falls in a locked accounting month."""
    return FieldError(("receipt_date",), "Luna contabilă a acestei date este închisă", "period_closed")
