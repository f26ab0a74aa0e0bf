"""The accounting entries a receipt produces (ROMANIAN_ACCOUNTING.md §5), as journal lines `D = C amount`.

- cash `… = 5311`, card `… = 5121`, employee advance `… = 542`, through the supplier `… = 401`
  followed by the settlement `401 = 5311`;
- with a deduction right (the company pays VAT, the receipt shows the buyer's CIF, and the expense
  is deductible) each VAT group books its base to the expense account and its VAT to 4426;
- otherwise the gross amount goes to the expense account and there is no 4426 line.

Every line is one debit and one credit of the same positive amount, so Σ debit = Σ credit always.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from roa2web.accounting.vat import is_rate_valid_on
from roa2web.data_entry.model import PaymentMethod, ReceiptFields

DEDUCTIBLE_VAT = "4426"
SUPPLIERS = "401"
CASH_DESK = "5311"
CREDIT_ACCOUNTS = {
    PaymentMethod.CASH: CASH_DESK,
    PaymentMethod.CARD: "5121",
    PaymentMethod.ADVANCE: "542",
    PaymentMethod.SUPPLIER: SUPPLIERS,
}
_PAID_WITH = {
    PaymentMethod.CASH: "numerar",
    PaymentMethod.CARD: "card",
    PaymentMethod.ADVANCE: "avans de trezorerie",
    PaymentMethod.SUPPLIER: "prin furnizor",
}


class EntriesUnavailable(ValueError):
    """The receipt lacks what its entries need, or its amounts are inconsistent."""


@dataclass(frozen=True, slots=True)
class EntryLine:
    """One journal line: debit account, credit account, amount in bani (> 0), explanation (Romanian)."""

    debit: str
    credit: str
    amount_bani: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Entries:
    """A receipt's entries, and whether its VAT was deducted."""

    lines: tuple[EntryLine, ...]
    vat_deducted: bool

    def by_account(self) -> dict[str, tuple[int, int]]:
        """Debit and credit turnover per account."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for line in self.lines:
            totals[line.debit][0] += line.amount_bani
            totals[line.credit][1] += line.amount_bani
        return {account: (debit, credit) for account, (debit, credit) in sorted(totals.items())}


def deducts_vat(fields: ReceiptFields, *, vat_payer: bool) -> bool:
    """VAT goes to 4426 only for a VAT-paying company, a receipt showing its CIF, and a deductible expense."""
    return vat_payer and fields.buyer_cif_present and fields.deductible


def receipt_entries(fields: ReceiptFields, *, vat_payer: bool) -> Entries:
    """The balanced entries of a complete receipt (raises EntriesUnavailable otherwise)."""
    total, method, expense, day = fields.total_bani, fields.payment_method, fields.expense_account, fields.receipt_date
    if total is None or total <= 0 or method is None or expense is None or day is None:
        raise EntriesUnavailable("entries need the date, a positive total, the payment method and the expense account")
    groups = fields.vat_lines
    if groups and sum(line.gross_bani for line in groups) != total:
        raise EntriesUnavailable("the VAT lines do not add up to the total")
    for line in groups:
        if not is_rate_valid_on(line.rate, day):
            raise EntriesUnavailable(f"{line.rate}% is not a VAT rate on {day.isoformat()}")
        if line.base_bani < 0 or line.vat_bani < 0:
            raise EntriesUnavailable("VAT lines may not be negative")

    credit = CREDIT_ACCOUNTS[method]
    paid = _PAID_WITH[method]
    document = f"bon {fields.document_number or 'fără număr'}"
    deducted = deducts_vat(fields, vat_payer=vat_payer) and any(line.vat_bani for line in groups)
    lines: list[EntryLine] = []
    if deducted:
        for group in groups:
            lines.append(EntryLine(expense, credit, group.base_bani,
                                   f"Cheltuială {document}, cota {group.rate}%, {paid}"))
            lines.append(EntryLine(DEDUCTIBLE_VAT, credit, group.vat_bani,
                                   f"TVA deductibilă {group.rate}% {document}, {paid}"))
    else:
        reason = "fără drept de deducere a TVA" if any(line.vat_bani for line in groups) else "fără TVA"
        lines.append(EntryLine(expense, credit, total, f"Cheltuială {document} (valoare brută, {reason}), {paid}"))
    if method is PaymentMethod.SUPPLIER:
        lines.append(EntryLine(SUPPLIERS, CASH_DESK, total, f"Plată furnizor {document}, numerar"))
    return Entries(tuple(line for line in lines if line.amount_bani > 0), deducted)
