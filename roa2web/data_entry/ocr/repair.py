"""Cross-check the fields read from a receipt with arithmetic, repair what one check pins down, and score.

Checks: CIF check digit (cif_repair.py); TOTAL against subtotal, payment, cash minus change and the item
lines (arithmetic.py); the VAT lines against their groups, TOTAL TVA and the rates in force
(vat_repair.py); the date against the VAT rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from roa2web.accounting.vat import is_rate_valid_on
from roa2web.data_entry.ocr.arithmetic import Choice, choose_total, choose_vat_total, line_value
from roa2web.data_entry.ocr.calibration import calibrate
from roa2web.data_entry.ocr.cif_repair import read_cif
from roa2web.data_entry.ocr.fields import Extraction, ItemFound, name_check
from roa2web.data_entry.ocr.found import Found
from roa2web.data_entry.ocr.reading import Check, FieldReading, ItemLine, VatLine, field_reading
from roa2web.data_entry.ocr.vat_repair import rates_on, resolve_vat


def resolve_fields(found: Extraction, repair: bool = True) -> dict[str, FieldReading]:
    """Every field's final value and confidence; `repair=False` keeps values exactly as read."""
    day = plausible_day(found.date.value) if found.date and repair else None
    rates = rates_on(day)
    if repair:
        total = choose_total(found, found.items, rates)
        found = replace(found, vat_total=choose_vat_total(found, total.value, rates))
    else:
        printed = found.total
        total = Choice(printed.value, printed.score, Check.UNCHECKED) if printed else Choice(None, 0.0, Check.UNCHECKED)
    items = _resolve_items(found.items, total.value, repair)
    trusted = total.check in (Check.CONFIRMED, Check.REPAIRED)
    vat, vat_check, vat_score = resolve_vat(found, items, total.value, day, repair, trusted)
    fields = {
        "supplier_name": _name(found.supplier_name, repair),
        "supplier_cif": _cif(found.supplier_cif, repair),
        "receipt_number": _plain(found.receipt_number),
        "date": _date(found, vat, repair),
        "time": _plain(found.time),
        "total": field_reading(total.value, total.score, total.check, total.support),
        "vat_lines": field_reading(vat or None, vat_score, vat_check),
        "payment_method": _plain(found.payment_method),
        "buyer_cif": _cif(found.buyer_cif, repair),
        "items": _items_reading(items, total.value, repair),
    }
    return calibrate(fields) if repair else fields


def _name(found: Found[str] | None, repair: bool) -> FieldReading:
    """The supplier's name, confirmed by a legal form, contradicted by a time, a date or mostly digits."""
    if found is None or not repair:
        return _plain(found)
    looks = name_check(found.value)
    check = Check.UNCHECKED if looks is None else (Check.CONFIRMED if looks else Check.CONTRADICTED)
    return field_reading(found.value, found.score, check)


def _plain(found: Found[str] | None) -> FieldReading:
    return field_reading(found.value if found else None, found.score if found else 0.0, Check.UNCHECKED)


def _cif(found: Found[str] | None, repair: bool) -> FieldReading:
    if found is None:
        return field_reading(None, 0.0, Check.UNCHECKED)
    value, check = read_cif(found.value, repair, found.glyphs)
    return field_reading(value, found.score, check if repair else Check.UNCHECKED)


def _resolve_items(items: list[ItemFound], total: int | None, repair: bool) -> list[ItemFound]:
    """The item lines, a value that disagrees with its quantity × price recomputed (with `repair`).

    Recomputed only when that makes the lines add up to TOTAL.
    """
    if not repair or total is None or sum(item.value_bani for item in items) == total:
        return items
    fixed = [
        ItemFound(line_value(item), item.letter, item.quantity_milli, item.unit_price_bani, item.score, item.line)
        for item in items
    ]
    return fixed if sum(item.value_bani for item in fixed) == total else items


def plausible_day(day: dt.date, today: dt.date | None = None) -> dt.date | None:
    """`day`, or `day` with the year's second digit read as 0 ('2625' → 2025); None when neither is plausible.

    The second is tried when the year is outside 2000..next year.
    """
    last_year = (today or dt.date.today()).year + 1
    if 2000 <= day.year <= last_year:
        return day
    year = int(f"{str(day.year)[0]}0{str(day.year)[2:]}")
    if 2000 <= year <= last_year:
        try:
            return day.replace(year=year)
        except ValueError:
            return None
    return None


def _date(found: Extraction, vat: list[VatLine], repair: bool) -> FieldReading:
    if found.date is None:
        return field_reading(None, 0.0, Check.UNCHECKED)
    if not repair:
        return field_reading(found.date.value.isoformat(), found.date.score, Check.UNCHECKED)
    day = plausible_day(found.date.value)
    if day is None:
        return field_reading(found.date.value.isoformat(), found.date.score, Check.CONTRADICTED)
    check = Check.REPAIRED if day != found.date.value or found.date.cost else Check.UNCHECKED
    if vat:
        valid = all(is_rate_valid_on(line["rate"], day) for line in vat)
        check = Check.CONTRADICTED if not valid else (Check.CONFIRMED if check == Check.UNCHECKED else check)
    return field_reading(day.isoformat(), found.date.score, check)


def _items_reading(items: list[ItemFound], total: int | None, repair: bool) -> FieldReading:
    if not items:
        return field_reading(None, 0.0, Check.UNCHECKED)
    lines: list[ItemLine] = [
        {"value_bani": item.value_bani, "letter": item.letter, "quantity_milli": item.quantity_milli,
         "unit_price_bani": item.unit_price_bani}
        for item in items
    ]
    adds_up = total is not None and sum(item.value_bani for item in items) == total
    check = (Check.CONFIRMED if adds_up else Check.CONTRADICTED) if repair else Check.UNCHECKED
    return field_reading(lines, min(item.score for item in items), check)
