"""Choose between candidate readings of TOTAL and TOTAL TVA with the receipt's arithmetic.

TOTAL is checked against independent witnesses: the subtotal, the payment (cash minus change), the
sum of the item lines, and the VAT (round(TOTAL·r/(100+r)) = TOTAL TVA for a single rate). Every
candidate of TOTAL (candidates.py) is scored by how many witnesses agree with it; the one most
witnesses agree with wins, the cheapest (closest to what was printed) among equals. A witness never
confirms a candidate read from its own line. Without a TOTAL line (its label misread), the amounts of
lines that name nothing are candidates too, confirmed by TOTAL TVA as read or by the same amount on
another such line (TOTAL and the payment print the same amount).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from roa2web.accounting.vat import vat_from_gross
from roa2web.data_entry.ocr.candidates import widen
from roa2web.data_entry.ocr.fields import Extraction, ItemFound
from roa2web.data_entry.ocr.found import Found
from roa2web.data_entry.ocr.reading import Check

_NO_LINE = -1
UNLABELLED = "unlabelled"


@dataclass(frozen=True)
class Choice:
    """The chosen value, its OCR score, what the checks said, how many witnesses agree, and its cost."""

    value: int | None
    score: float
    check: Check
    support: int = 0
    cost: int = 0


Readings = dict[int, Found[int]]


def _paid(found: Extraction) -> Readings:
    """What the payment says TOTAL is: the amount paid, less the change when change was read."""
    paid = widen(found.amounts.get("payment", []))
    change = widen(found.amounts.get("change", []))
    if not change:
        return paid
    best: Readings = {}
    for payment in paid.values():
        for back in change.values():
            value, cost = payment.value - back.value, payment.cost + back.cost
            if value > 0 and cost <= 2 and (value not in best or cost < best[value].cost):
                best[value] = Found(value, min(payment.score, back.score), payment.line, cost)
    return best


def _item_sums(items: list[ItemFound]) -> Readings:
    """The item lines' sum as read, and (cost 1) with each value recomputed from quantity × unit price.

    A single item's sum is that item's line, so it never confirms an amount read off that same line.
    """
    if not items:
        return {}
    score = min(item.score for item in items)
    line = items[0].line if len(items) == 1 else _NO_LINE
    read = sum(item.value_bani for item in items)
    sums = {read: Found(read, score, line)}
    recomputed = sum(line_value(item) for item in items)
    sums.setdefault(recomputed, Found(recomputed, score, line, 1))
    return sums


def line_value(item: ItemFound) -> int:
    """The item's value recomputed from quantity × unit price (as read when either is missing)."""
    if item.quantity_milli is None or item.unit_price_bani is None:
        return item.value_bani
    return (item.quantity_milli * item.unit_price_bani * 2 + 1000) // 2000


def witnesses(found: Extraction, items: list[ItemFound]) -> dict[str, Readings]:
    """The amounts that should equal TOTAL, by where they come from (only those read)."""
    sources = {
        "subtotal": widen(found.amounts.get("subtotal", [])),
        "payment": _paid(found),
        "items": _item_sums(items),
    }
    return {name: readings for name, readings in sources.items() if readings}


def _vat_readings(found: Extraction) -> Readings:
    """What TOTAL TVA may be: its readings, and the single VAT line's amount when only one was read."""
    readings = list(found.amounts.get("vat_total", []))
    if len(found.vat_lines) == 1:
        line = found.vat_lines[0]
        readings.append(Found(line.vat_bani, line.score, line.line))
    return widen(readings)


def several_groups(items: list[ItemFound]) -> bool:
    """Whether the item lines name two or more VAT groups (by their letters)."""
    return len({item.letter for item in items if item.letter}) > 1


def _single_rates(found: Extraction, rates: Iterable[int]) -> tuple[int, ...]:
    """The rates a single-rate receipt may have: the printed one when all VAT lines agree, else `rates`."""
    printed = {vat.rate for vat in found.vat_lines}
    if len(printed) > 1:
        return ()
    return tuple(printed) if printed else tuple(rate for rate in rates if rate)


def _agreement(candidate: Found[int], readings: Readings) -> Found[int] | None:
    match = readings.get(candidate.value)
    return match if match is not None and match.line != candidate.line else None


def _vat_agreement(candidate: Found[int], vat: Readings, rates: tuple[int, ...]) -> Found[int] | None:
    matches = [match for rate in rates if (match := _agreement(
        Found(vat_from_gross(candidate.value, rate), 0.0, candidate.line), vat)) is not None]
    return min(matches, key=lambda match: match.cost, default=None)


@dataclass(frozen=True)
class _Scored:
    candidate: Found[int]
    source: str
    support: int
    cost: int


def choose_total(found: Extraction, items: list[ItemFound], rates: Iterable[int]) -> Choice:
    """TOTAL: the candidate the most witnesses agree with (see the module's docstring)."""
    sources = witnesses(found, items)
    vat, single_rates = _vat_readings(found), _single_rates(found, rates)
    printed = widen(found.amounts.get("total", []))
    pool = [(candidate, "total") for candidate in printed.values()]
    unlabelled = found.amounts.get("unlabelled", [])
    if found.total is None:
        pool += [(Found(value.value, value.score, value.line, value.cost + 1), name)
                 for name, readings in sources.items() for value in readings.values()]
        pool += [(candidate, UNLABELLED) for candidate in unlabelled]
    scored = []
    for candidate, source in pool:
        agreeing = [match for name, readings in sources.items()
                    if name != source and (match := _agreement(candidate, readings)) is not None]
        vat_match = _vat_agreement(candidate, vat, single_rates) if vat and single_rates else None
        if vat_match is not None and (source != UNLABELLED or vat_match.cost == 0):
            agreeing.append(vat_match)
        if source == UNLABELLED:
            agreeing += [other for other in unlabelled
                         if other.value == candidate.value and other.line != candidate.line][:1]
        cost = candidate.cost + sum(match.cost for match in agreeing)
        scored.append(_Scored(candidate, source, len(agreeing), cost))
    if not scored:
        return Choice(None, 0.0, Check.UNCHECKED)
    best = max(scored, key=lambda item: (item.support, -item.cost, item.candidate.score))
    rivals = {item.candidate.value for item in scored if (item.support, item.cost) == (best.support, best.cost)}
    if best.support and len(rivals) == 1:
        as_printed = best.source == "total" and best.candidate.cost == 0
        check = Check.CONFIRMED if as_printed else Check.REPAIRED
        return Choice(best.candidate.value, best.candidate.score, check, best.support, best.cost)
    first = found.total
    if first is not None:
        return Choice(first.value, first.score, Check.CONTRADICTED if sources else Check.UNCHECKED)
    told = [item.candidate for item in scored if item.source != "total"]
    if not told:
        return Choice(None, 0.0, Check.UNCHECKED)
    fallback = min(told, key=lambda candidate: candidate.cost)
    return Choice(fallback.value, min(fallback.score, 0.5), Check.UNCHECKED)


def choose_vat_total(found: Extraction, total: int | None, rates: Iterable[int]) -> Found[int] | None:
    """TOTAL TVA: the reading that equals the VAT lines' sum or, for one rate, the VAT in TOTAL.

    The first reading when none does (or several different ones do). Without any reading (its label
    misread too), an unlabelled amount below TOTAL that is the VAT in TOTAL at one rate.
    """
    readings = widen(found.amounts.get("vat_total", []))
    if not readings:
        return found.vat_total or _unlabelled_vat_total(found, total, rates)
    targets = {sum(vat.vat_bani for vat in found.vat_lines)} if found.vat_lines else set()
    if total is not None:
        targets |= {vat_from_gross(total, rate) for rate in _single_rates(found, rates)}
    agreeing = [reading for value, reading in readings.items() if value in targets]
    cheapest = min((reading.cost for reading in agreeing), default=None)
    chosen = [reading for reading in agreeing if reading.cost == cheapest]
    if len(chosen) == 1 and (found.vat_total is None or found.vat_total.value not in targets):
        return chosen[0]
    return found.vat_total


def _unlabelled_vat_total(found: Extraction, total: int | None, rates: Iterable[int]) -> Found[int] | None:
    """TOTAL TVA printed with its label misread: the one amount below TOTAL that is the VAT in TOTAL at a rate.

    Only on a receipt whose items name one VAT group at most and whose VAT lines were not read either.
    """
    if total is None or found.vat_lines or several_groups(found.items):
        return None
    vat_in_total = {vat_from_gross(total, rate) for rate in rates if rate}
    matching = {amount.value: amount for amount in found.amounts.get("below_total", []) if amount.value in vat_in_total}
    return next(iter(matching.values())) if len(matching) == 1 else None
