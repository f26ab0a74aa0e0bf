"""The accounting entries a receipt produces (ROMANIAN_ACCOUNTING.md §5), as journal lines `D = C amount`.

- cash `… = 5311`, card `… = 5121` (or `… = 5125` where card payments pass through "sums in
  transit" until the bank settles them), employee advance `… = 542`, through the supplier `… = 401`
  followed by the settlement `401 = 5311` (cash desk) or `401 = 5121` (bank): the receipt's
  settlement account is the one it is paid from, one of its payment method's (`PAID_FROM`), the
  first of them unless the receipt names another;
- with a deduction right (the company pays VAT, the receipt shows the buyer's CIF, the expense is
  deductible, and the receipt is a simplified invoice: at most 100 EUR, VAT included, §4) each VAT
  group books its base to the expense account and its VAT to 4426;
- otherwise the gross amount goes to the expense account and there is no 4426 line.

Every line is one debit and one credit of the same positive amount, so Σ debit = Σ credit always.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from roa2web.accounting.vat import is_rate_valid_on
from roa2web.data_entry.model import PaymentMethod, ReceiptFields

# A receipt counts as a simplified invoice (its VAT deductible) up to this value, VAT included:
# art. 319(12) of the Fiscal Code (Law 227/2015), converted at the BNR reference rate published
# before the receipt's date (art. 290): the caller looks that rate up and passes it as `ron_per_eur`.
# There is no default rate: when the limit decides the entries and no rate is given, they are
# unavailable (ExchangeRateMissing), never computed at a guessed rate.
SIMPLIFIED_INVOICE_LIMIT_EUR = Decimal(100)
DEDUCTIBLE_VAT = "4426"
SUPPLIERS = "401"
CASH_DESK = "5311"
BANK = "5121"
CARD_IN_TRANSIT = "5125"
ADVANCES = "542"
# the accounts a receipt may be paid from, by payment method, the usual one first (for a receipt
# booked through the supplier: the account that settles 401)
PAID_FROM: dict[PaymentMethod, tuple[str, ...]] = {
    PaymentMethod.CASH: (CASH_DESK,),
    PaymentMethod.CARD: (BANK, CARD_IN_TRANSIT),
    PaymentMethod.ADVANCE: (ADVANCES,),
    PaymentMethod.SUPPLIER: (CASH_DESK, BANK),
}
SETTLEMENT_ACCOUNTS: tuple[str, ...] = tuple(dict.fromkeys(a for accounts in PAID_FROM.values() for a in accounts))
# how a supplier (401) is paid: the settlement account → how the explanation says it
_SUPPLIER_PAID = {CASH_DESK: "numerar", BANK: "prin bancă"}
_PAID_WITH = {
    PaymentMethod.CASH: "numerar",
    PaymentMethod.CARD: "card",
    PaymentMethod.ADVANCE: "avans de trezorerie",
    PaymentMethod.SUPPLIER: "prin furnizor",
}
# how a sentence says a receipt was paid ("un bon plătit cu cardul")
PAID_HOW = {
    PaymentMethod.CASH: "în numerar",
    PaymentMethod.CARD: "cu cardul",
    PaymentMethod.ADVANCE: "din avans de trezorerie",
    PaymentMethod.SUPPLIER: "prin furnizor",
}


class EntriesUnavailable(ValueError):
    """The receipt lacks what its entries need, or its amounts are inconsistent."""


class ExchangeRateMissing(EntriesUnavailable):
    """The 100 EUR limit decides the receipt's entries, and no EUR rate was given for its date."""

    def __init__(self, day: dt.date | None) -> None:
        """The receipt is dated `day`."""
        when = f"dinaintea datei de {day:%d.%m.%Y}" if day else "dinaintea datei bonului"
        super().__init__(f"Lipsește cursul euro al BNR din ultima zi bancară {when}: plafonul de 100 EUR "
                         "al bonului cu CIF nu poate fi verificat. Importați cursurile BNR "
                         "(roa2web rates import) sau așteptați preluarea lor automată.")
        self.day = day


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


def paid_from(fields: ReceiptFields) -> str | None:
    """The account the receipt is paid from: the one it names, else its payment method's usual one."""
    if fields.payment_method is None:
        return fields.settlement_account
    return fields.settlement_account or PAID_FROM[fields.payment_method][0]


def fits_payment_method(fields: ReceiptFields) -> bool:
    """Whether the settlement account the receipt names (if any) is one its payment method is paid from."""
    accounts = SETTLEMENT_ACCOUNTS if fields.payment_method is None else PAID_FROM[fields.payment_method]
    return fields.settlement_account is None or fields.settlement_account in accounts


def simplified_invoice_limit_bani(ron_per_eur: Decimal) -> int:
    """SIMPLIFIED_INVOICE_LIMIT_EUR in bani at `ron_per_eur`, rounded down (a total up to it qualifies)."""
    if ron_per_eur <= 0:
        raise ValueError(f"an exchange rate must be positive, got {ron_per_eur}")
    return int((SIMPLIFIED_INVOICE_LIMIT_EUR * ron_per_eur * 100).to_integral_value(ROUND_FLOOR))


def is_simplified_invoice(total_bani: int, ron_per_eur: Decimal) -> bool:
    """True when a receipt's total (VAT included) is within the simplified-invoice limit."""
    return total_bani <= simplified_invoice_limit_bani(ron_per_eur)


def limit_matters(fields: ReceiptFields, *, vat_payer: bool) -> bool:
    """Whether the 100 EUR limit decides the receipt's entries (so they need the EUR rate).

    Only for a VAT-paying company, a receipt showing its CIF, a deductible expense, with a total
    and some VAT: otherwise no VAT is deducted whatever the total.
    """
    return (vat_payer and fields.buyer_cif_present and fields.deductible and fields.total_bani is not None
            and any(line.vat_bani for line in fields.vat_lines))


def deducts_vat(fields: ReceiptFields, *, vat_payer: bool, ron_per_eur: Decimal | None) -> bool:
    """Whether the VAT goes to 4426: the limit matters (see `limit_matters`) and the total is within it.

    `ron_per_eur` is the BNR rate of the last banking day before the receipt's date; without it,
    when the limit matters, ExchangeRateMissing.
    """
    if not limit_matters(fields, vat_payer=vat_payer):
        return False
    if ron_per_eur is None:
        raise ExchangeRateMissing(fields.receipt_date)
    assert fields.total_bani is not None  # limit_matters
    return is_simplified_invoice(fields.total_bani, ron_per_eur)


def receipt_entries(fields: ReceiptFields, *, vat_payer: bool, ron_per_eur: Decimal | None) -> Entries:
    """The balanced entries of a complete receipt (raises EntriesUnavailable otherwise).

    `ron_per_eur` (the BNR rate of the last banking day before the receipt's date, None when there
    is none) converts the 100 EUR simplified-invoice limit; ExchangeRateMissing when the limit
    decides the entries and it is None.
    """
    total, method, expense, day = fields.total_bani, fields.payment_method, fields.expense_account, fields.receipt_date
    if total is None or total <= 0 or method is None or expense is None or day is None:
        raise EntriesUnavailable("notele contabile cer data, un total pozitiv, modul de plată și contul de cheltuială")
    groups = fields.vat_lines
    if groups and sum(line.gross_bani for line in groups) != total:
        raise EntriesUnavailable("liniile de TVA nu însumează totalul bonului")
    for line in groups:
        if not is_rate_valid_on(line.rate, day):
            raise EntriesUnavailable(f"{line.rate}% nu este o cotă de TVA la {day:%d.%m.%Y}")
        if line.base_bani < 0 or line.vat_bani < 0:
            raise EntriesUnavailable("liniile de TVA nu pot fi negative")
    settlement = paid_from(fields)
    if settlement not in PAID_FROM[method]:
        raise EntriesUnavailable(f"un bon plătit {PAID_HOW[method]} se plătește din "
                                 f"{' sau '.join(PAID_FROM[method])}, nu din {settlement}")

    credit = SUPPLIERS if method is PaymentMethod.SUPPLIER else settlement
    paid = _PAID_WITH[method]
    document = f"bon {fields.document_number or 'fără număr'}"
    has_vat = any(line.vat_bani for line in groups)
    deducted = deducts_vat(fields, vat_payer=vat_payer, ron_per_eur=ron_per_eur)
    lines: list[EntryLine] = []
    if deducted:
        for group in groups:
            lines.append(EntryLine(expense, credit, group.base_bani,
                                   f"Cheltuială {document}, cota {group.rate}%, {paid}"))
            lines.append(EntryLine(DEDUCTIBLE_VAT, credit, group.vat_bani,
                                   f"TVA deductibilă {group.rate}% {document}, {paid}"))
    else:
        reason = "fără TVA"
        if has_vat:
            over = limit_matters(fields, vat_payer=vat_payer)  # it mattered, and the total is above it
            reason = "bon peste 100 EUR, fără drept de deducere a TVA" if over else "fără drept de deducere a TVA"
        lines.append(EntryLine(expense, credit, total, f"Cheltuială {document} (valoare brută, {reason}), {paid}"))
    if method is PaymentMethod.SUPPLIER:
        lines.append(EntryLine(SUPPLIERS, settlement, total,
                               f"Plată furnizor {document}, {_SUPPLIER_PAID[settlement]}"))
    return Entries(tuple(line for line in lines if line.amount_bani > 0), deducted)
