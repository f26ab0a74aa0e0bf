"""From an OCR reading to the field changes of a DRAFT receipt.

Only fields the user has not edited are filled; values that would make the receipt invalid
(a CIF failing its checksum, a rate not in force on the date, a date in a closed period...) are
left out with a warning, so a stored draft always passes validation. Values read with a confidence
below OCR_MIN_CONFIDENCE are left for the user too, named in a warning; their confidence stays in the
stored reading, so the web form marks them as to be checked. A photo that left most of the fields a
receipt is booked by unread gets the advice to take it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from roa2web.accounting.cif import canonical_cif, is_valid_cif, normalize_cif
from roa2web.data_entry.labels import field_label
from roa2web.data_entry.model import FIELD_NAMES, PaymentMethod, Receipt, VatLine
from roa2web.data_entry.ocr.reading import KEY_FIELDS, ReceiptReading
from roa2web.data_entry.store import receipt_lookups
from roa2web.data_entry.workflow.completion import completed
from roa2web.data_entry.workflow.matching import suggest_expense_account
from roa2web.data_entry.workflow.service import ReceiptService

# field error location → the receipt field to leave out
_ERROR_FIELD = {"total": "total_bani"}
# receipt field → the reading's field it is filled from
_READ_AS = {
    "supplier_name": "supplier_name", "supplier_cif": "supplier_cif", "document_number": "receipt_number",
    "receipt_date": "date", "total_bani": "total", "payment_method": "payment_method",
    "vat_lines": "vat_lines", "buyer_cif_present": "buyer_cif",
}
VOUCHER = "voucher"  # paid with meal tickets or vouchers: no payment method of the receipt model fits
_MAX_ROUNDS = 6
# the reading's field → the receipt field it fills
_FILLS = {reading_name: name for name, reading_name in _READ_AS.items()}
# with fewer than RETAKE_BELOW of the KEY_FIELDS read at SURELY_READ or more, the photo is worth taking
# again (on the tuning set's hard photos: 34 of the 45 misread, none read right)
SURELY_READ = 0.5
RETAKE_BELOW = 3


def read_values(reading: ReceiptReading, min_confidence: float = 0.0) -> tuple[dict[str, Any], list[str]]:
    """The receipt fields a reading gives, in domain types, and warnings for what could not be used.

    A field read with a confidence below `min_confidence` is left for the user, named in a warning.
    """
    unsure = [name for name, reading_name in _READ_AS.items()
              if (found := reading.fields.get(reading_name)) is not None and found.value is not None
              and found.confidence < min_confidence]
    values, warnings = _values(reading)
    for name in unsure:
        values.pop(name, None)
    if unsure:
        labels = ", ".join(field_label(name) for name in unsure)
        warnings.append(f"Valorile citite cu încredere scăzută nu au fost completate: {labels}. "
                        "Completați-le după bon.")
    if retake := retake_hint(reading):
        warnings.append(retake)
    return values, warnings


def retake_hint(reading: ReceiptReading) -> str | None:
    """Advice to photograph the receipt again, when most of the fields it is booked by were not read surely.

    Such a photo is most often shaken or taken from too far: a second one usually reads where no repair can.
    A PDF is not a photo to take again: it gets none.
    """
    if reading.content_type == "application/pdf":
        return None
    missed = [name for name in KEY_FIELDS
              if (found := reading.fields.get(name)) is None or found.value is None or found.confidence < SURELY_READ]
    if len(KEY_FIELDS) - len(missed) >= RETAKE_BELOW:
        return None
    labels = [field_label(_FILLS[name]) for name in missed]
    listed = ", ".join(labels[:-1]) + " și " + labels[-1] if len(labels) > 1 else labels[0]
    return (f"Fotografia s-a citit greu: nu s-au putut citi sigur {listed}. Dacă bonul se citește cu ochiul liber, "
            "fotografiați-l din nou, de aproape, cu telefonul nemișcat, bonul întins și în lumină bună.")


def _values(reading: ReceiptReading) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    warnings: list[str] = []
    if name := reading.value("supplier_name"):
        values["supplier_name"] = str(name).strip()[:200]
    if cif := reading.value("supplier_cif"):
        if is_valid_cif(str(cif)):
            values["supplier_cif"] = canonical_cif(str(cif))
        else:
            warnings.append(f"CIF-ul furnizorului citit de pe bon ({cif}) nu are cifra de control corectă; "
                            "nu a fost completat.")
    if number := reading.value("receipt_number"):
        values["document_number"] = str(number).strip()[:50]
    if day := reading.value("date"):
        values["receipt_date"] = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    total = reading.value("total")
    if isinstance(total, int) and total > 0:
        values["total_bani"] = total
    method = reading.value("payment_method")
    if method in {m.value for m in PaymentMethod}:
        values["payment_method"] = PaymentMethod(method)
    elif method == VOUCHER:
        warnings.append("Bonul a fost plătit cu tichete sau voucher; modul de plată nu a fost completat: "
                        "alegeți-l.")
    values["buyer_cif_present"] = bool(reading.value("buyer_cif"))
    lines = _vat_lines(reading.value("vat_lines"), values.get("total_bani"))
    if lines:
        values["vat_lines"] = lines
    elif reading.value("vat_lines"):
        warnings.append("Bazele de TVA nu au putut fi deosebite; liniile de TVA nu au fost completate.")
    return values, warnings


def _vat_lines(found: Any, total: int | None) -> tuple[VatLine, ...]:
    if not found:
        return ()
    groups = [(int(g["rate"]), g.get("base_bani"), int(g["vat_bani"])) for g in found]
    if len(groups) == 1 and groups[0][1] is None and total is not None:
        rate, _, vat = groups[0]
        return (VatLine(rate, total - vat, vat),)
    if any(base is None for _, base, _ in groups):
        return ()
    return tuple(VatLine(rate, int(base), vat) for rate, base, vat in groups)


def _in_sentence(message: str) -> str:
    """A field message inside a sentence: its first letter lower case, unless it starts an acronym (CIF, TVA)."""
    if len(message) > 1 and message[1].islower():
        return message[0].lower() + message[1:]
    return message


class ReadingFiller:
    """Turns readings into draft changes, with the supplier matched and an expense account suggested."""

    def __init__(self, receipts: ReceiptService, min_confidence: float = 0.0) -> None:
        self.receipts = receipts
        self.nomenclature = receipts.nomenclature
        self.min_confidence = min_confidence

    async def changes(self, receipt: Receipt, reading: ReceiptReading) -> tuple[dict[str, Any], list[str]]:
        """The field changes to apply to `receipt` and the warnings to show with them."""
        values, warnings = read_values(reading, self.min_confidence)
        company_id = receipt.company_id
        read = {name: value for name, value in values.items() if name not in receipt.edited_fields}
        fields = await completed(self.nomenclature, company_id, receipt.fields.merged(read), changed=read.keys(),
                                 kept=receipt.edited_fields)
        partner_id = fields.supplier_partner_id
        approved = await receipt_lookups.supplier_expense_accounts(
            self.receipts.db, company_id=company_id, supplier_cif=fields.supplier_cif, partner_id=partner_id)
        ledger = await self.nomenclature.supplier_history(company_id, partner_id) if partner_id is not None else []
        text = f"{fields.supplier_name or ''}\n{reading.raw_text}"
        account, _ = suggest_expense_account(approved_history=approved, ledger_history=ledger, text=text)
        if "expense_account" not in receipt.edited_fields:
            fields = fields.merged({"expense_account": account})
        warnings += await self._buyer_warning(company_id, reading)

        changes = {name: getattr(fields, name) for name in FIELD_NAMES
                   if getattr(fields, name) != getattr(receipt.fields, name)}
        for _ in range(_MAX_ROUNDS):
            errors = await self.receipts.field_errors(company_id, receipt.fields.merged(changes))
            dropped = {_ERROR_FIELD.get(error.loc[0], error.loc[0]) for error in errors} & changes.keys()
            if not dropped:
                break
            for name in sorted(dropped):
                reasons = "; ".join(_in_sentence(e.msg) for e in errors if _ERROR_FIELD.get(e.loc[0], e.loc[0]) == name)
                warnings.append(f"Valoarea citită de pe bon pentru {field_label(name)} nu a fost completată: "
                                f"{reasons}.")
                del changes[name]
        return changes, warnings

    async def _buyer_warning(self, company_id: int, reading: ReceiptReading) -> list[str]:
        buyer = reading.value("buyer_cif")
        company = await self.nomenclature.company(company_id)
        if not buyer or company is None:
            return []
        if normalize_cif(str(buyer))[0] != normalize_cif(company.cif)[0]:
            return [f"CIF-ul cumpărătorului de pe bon ({buyer}) nu este al firmei ({company.cif})."]
        return []
