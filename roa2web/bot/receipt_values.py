"""A receipt field's new value as a person types it in the chat → the draft's field changes (domain types).

Dates as 15.09.2025 (or 2025-09-15), money with a decimal comma (1.234,56; 49.93 is read too),
payment methods by their Romanian names. The receipt's own rules (a CIF's checksum, VAT rates
on the date, an expense account of class 6...) are the receipt service's to check.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from roa2web.accounting.vat import vat_from_gross
from roa2web.data_entry.model import PaymentMethod, ReceiptFields, VatLine


class BadValue(ValueError):
    """The typed value cannot be a value of the field; the message (Romanian) says how to write it."""


_DAY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+(,\d{1,2})?")  # 1.234,56
_COMMA = re.compile(r"\d+(,\d{1,2})?")  # 1234,56
_POINT = re.compile(r"\d+\.\d{1,2}")  # 1234.56
_NUMBER = re.compile(r"\d[\d.,]*")
_TEXT_LIMITS = {"supplier_name": 200, "supplier_cif": 20, "document_number": 50, "expense_account": 30}
_PAYMENTS = {
    "numerar": PaymentMethod.CASH, "cash": PaymentMethod.CASH, "casa": PaymentMethod.CASH,
    "card": PaymentMethod.CARD,
    "avans": PaymentMethod.ADVANCE, "avans de trezorerie": PaymentMethod.ADVANCE,
    "furnizor": PaymentMethod.SUPPLIER, "prin furnizor": PaymentMethod.SUPPLIER,
}
BAD_DAY = "Data nu este validă: scrieți-o ca zz.ll.aaaa, de exemplu 15.09.2025."
BAD_AMOUNT = "Suma nu este validă: scrieți-o în lei, cu virgulă la zecimale, de exemplu 1.234,56."
BAD_PAYMENT = "Modul de plată nu este cunoscut: scrieți numerar, card, avans sau furnizor."
BAD_VAT = ("Liniile de TVA nu sunt valide: câte o linie pe rând, cu cota, baza și TVA-ul (de exemplu 21 300,00 63,00) "
           "sau cu cota și valoarea cu TVA (de exemplu 21 363,00).")
MANY_RATES = ("Bonul are mai multe cote de TVA, așa că totalul nu se poate împărți singur: modificați liniile de TVA, "
              "iar totalul devine suma lor.")


def _plain(text: str) -> str:
    """Lower case, without diacritics or extra spaces: "  Prin  Furnizor " → "prin furnizor"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def parse_day(text: str) -> dt.date:
    """'15.09.2025', '1/9/2025' or '2025-09-15' → the date."""
    typed = text.strip()
    try:
        if found := _DAY.fullmatch(typed):
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        if found := _ISO_DAY.fullmatch(typed):
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        pass  # 31.02.2025: numbers of the right shape that are no day
    raise BadValue(BAD_DAY)


def parse_amount(text: str) -> int:
    """'1.234,56', '49,93', '49.93 lei', '12' → bani."""
    typed = _plain(text).removesuffix("lei").removesuffix("ron").replace(" ", "")
    if _THOUSANDS.fullmatch(typed):
        number = typed.replace(".", "").replace(",", ".")
    elif _COMMA.fullmatch(typed):
        number = typed.replace(",", ".")
    elif _POINT.fullmatch(typed):
        number = typed
    else:
        raise BadValue(BAD_AMOUNT)
    return int(Decimal(number).scaleb(2))


def parse_vat_lines(text: str) -> tuple[VatLine, ...]:
    """One line per rate: 'rate base vat' or 'rate gross' (lines apart by new lines or ';')."""
    lines: list[VatLine] = []
    for part in re.split(r"[;\n]", text):
        numbers = _NUMBER.findall(part)
        if not numbers:
            continue
        if len(numbers) not in (2, 3) or not numbers[0].isdigit() or int(numbers[0]) > 100:
            raise BadValue(BAD_VAT)
        rate = int(numbers[0])
        try:
            amounts = [parse_amount(number) for number in numbers[1:]]
        except BadValue:
            raise BadValue(BAD_VAT) from None
        if len(amounts) == 1:
            vat = vat_from_gross(amounts[0], rate)
            lines.append(VatLine(rate, amounts[0] - vat, vat))
        else:
            lines.append(VatLine(rate, amounts[0], amounts[1]))
    if not lines or len(lines) > 10:
        raise BadValue(BAD_VAT)
    return tuple(lines)


def field_changes(field: str, text: str, current: ReceiptFields) -> dict[str, Any]:
    """The draft changes that set `field` (an EDITABLE_FIELDS key) to the typed `text`.

    The total carries a single VAT line along (recomputed at its rate); new VAT lines set the total to their sum.
    """
    typed = " ".join(text.split())
    if field in _TEXT_LIMITS:
        if typed == "-":
            return {field: None}
        if not typed:
            raise BadValue("Scrieți o valoare.")
        if len(typed) > _TEXT_LIMITS[field]:
            raise BadValue(f"Valoarea este prea lungă: cel mult {_TEXT_LIMITS[field]} de caractere.")
        return {field: typed}
    if field == "receipt_date":
        return {"receipt_date": parse_day(typed)}
    if field == "total":
        total = parse_amount(typed)
        if len(current.vat_lines) > 1:
            raise BadValue(MANY_RATES)
        if len(current.vat_lines) == 1:
            rate = current.vat_lines[0].rate
            vat = vat_from_gross(total, rate)
            return {"total_bani": total, "vat_lines": (VatLine(rate, total - vat, vat),)}
        return {"total_bani": total}
    if field == "vat_lines":
        lines = parse_vat_lines(text)
        return {"vat_lines": lines, "total_bani": sum(line.gross_bani for line in lines)}
    if field == "payment_method":
        method = _PAYMENTS.get(_plain(typed))
        if method is None:
            raise BadValue(BAD_PAYMENT)
        return {"payment_method": method}
    raise KeyError(field)
