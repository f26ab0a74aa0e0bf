"""The VAT lines of a receipt checked against each other, TOTAL TVA, the item groups and the rates in force.

Each VAT line is checked against round(gross·r/(100+r)) of its group (the item lines with its letter, when
they add up to TOTAL) and against the rates in force on the receipt date; Σ VAT lines against TOTAL TVA.
What one check pins down is repaired: a confused digit, a misread rate, a line missing or without its letter.
"""

from __future__ import annotations

import datetime as dt

from roa2web.accounting.vat import vat_from_gross, vat_rates_on
from roa2web.data_entry.ocr.arithmetic import several_groups
from roa2web.data_entry.ocr.candidates import digit_variants
from roa2web.data_entry.ocr.fields import Extraction, ItemFound, VatFound
from roa2web.data_entry.ocr.reading import Check, VatLine

_ROUNDING_SLACK = 5
_ANY_RATE = (21, 19, 11, 9, 5)


def rates_on(day: dt.date | None) -> tuple[int, ...]:
    """The VAT rates in force on `day`; every non-zero rate of 2024-2026 when the date was not read."""
    return vat_rates_on(day) if day else _ANY_RATE


def _rates_giving(vat_bani: int, gross: int, day: dt.date | None) -> list[int]:
    """The non-zero rates in force on `day` whose VAT on `gross` is exactly `vat_bani`."""
    return [rate for rate in rates_on(day) if rate and vat_from_gross(gross, rate) == vat_bani]


def _group_gross(found: Extraction, items: list[ItemFound], total: int | None) -> dict[str | None, int]:
    """Gross amount per VAT letter: from the item lines when they add up to TOTAL, else TOTAL for one rate."""
    gross: dict[str | None, int] = {}
    lettered = all(item.letter is not None for item in items)
    if items and lettered and total is not None and sum(item.value_bani for item in items) == total:
        for item in items:
            gross[item.letter] = gross.get(item.letter, 0) + item.value_bani
    if len(found.vat_lines) == 1 and total is not None and _one_rate(found, items, total):
        gross = {found.vat_lines[0].letter: total}
    return gross


def _one_rate(found: Extraction, items: list[ItemFound], total: int) -> bool:
    """Whether one printed VAT line can be the whole story.

    The items carry one letter at most, and TOTAL TVA (when read) equals that line's VAT or its rate's
    VAT on TOTAL.
    """
    if several_groups(items):
        return False
    line = found.vat_lines[0]
    return found.vat_total is None or found.vat_total.value in (line.vat_bani, vat_from_gross(total, line.rate))


def _rest_of_total_vat(
    resolved: list[VatFound], checks: list[Check], found: Extraction, gross: dict[str | None, int],
    day: dt.date | None,
) -> None:
    """When every VAT line but one is confirmed, the last one's VAT is what TOTAL TVA leaves.

    It is taken (with the rate that gives it on its group) when exactly one valid rate does.
    """
    unconfirmed = [index for index, check in enumerate(checks) if check != Check.CONFIRMED]
    if found.vat_total is None or len(unconfirmed) != 1:
        return
    index = unconfirmed[0]
    vat, group = resolved[index], gross.get(resolved[index].letter)
    rest = found.vat_total.value - sum(other.vat_bani for position, other in enumerate(resolved) if position != index)
    if group is None or rest <= 0:
        return
    matching = _rates_giving(rest, group, day)
    if len(matching) == 1:
        resolved[index] = VatFound(vat.letter, matching[0], rest, vat.score, vat.line)
        checks[index] = Check.REPAIRED


def _lettered(vat_lines: list[VatFound], gross: dict[str | None, int]) -> list[VatFound]:
    """The VAT lines, each printed without a group letter given the one group whose VAT at its rate it is."""
    taken = {vat.letter for vat in vat_lines}
    lettered = []
    for vat in vat_lines:
        groups = [letter for letter, amount in gross.items() if letter is not None and letter not in taken
                  and vat_from_gross(amount, vat.rate) == vat.vat_bani] if vat.letter is None else []
        if len(groups) == 1:
            vat = VatFound(groups[0], vat.rate, vat.vat_bani, vat.score, vat.line)
            taken.add(groups[0])
        lettered.append(vat)
    return lettered


def _groups_without_line(vat_lines: list[VatFound], gross: dict[str | None, int]) -> list[str]:
    """The item groups (by letter) no VAT line names."""
    named = {vat.letter for vat in vat_lines}
    return [letter for letter in gross if letter is not None and letter not in named]


def _missing_group(
    resolved: list[VatFound], checks: list[Check], found: Extraction, gross: dict[str | None, int],
    day: dt.date | None,
) -> None:
    """A VAT line that was not read at all, rebuilt: what TOTAL TVA leaves, on the one item group without a line.

    Only when the item lines carry their group letters and add up to TOTAL (so each group's gross is
    known), every VAT line read names its group, and exactly one valid rate gives that VAT on that group.
    """
    if found.vat_total is None or not resolved or any(vat.letter not in gross for vat in resolved):
        return
    missing = _groups_without_line(resolved, gross)
    rest = found.vat_total.value - sum(vat.vat_bani for vat in resolved)
    if len(missing) != 1 or rest <= 0:
        return
    group = gross[missing[0]]
    matching = _rates_giving(rest, group, day)
    if len(matching) == 1:
        resolved.append(VatFound(missing[0], matching[0], rest, found.vat_total.score, found.vat_total.line))
        checks.append(Check.REPAIRED)


def resolve_vat(
    found: Extraction, items: list[ItemFound], total: int | None, day: dt.date | None, repair: bool,
    total_trusted: bool,
) -> tuple[list[VatLine], Check, float]:
    """The receipt's VAT lines (rate, base, VAT), what the checks said of them, and their weakest OCR score.

    `total_trusted`: TOTAL was confirmed or repaired, so a group's gross worked out from it may fix a VAT
    amount. Without `repair` the lines are as read and unchecked.
    """
    gross = _group_gross(found, items, total)
    if not repair:
        lines = [_vat_line(vat, gross) for vat in found.vat_lines]
        return lines, Check.UNCHECKED, min((vat.score for vat in found.vat_lines), default=0.0)
    vat_lines, summed = _summing_to_total_vat(found)
    summed_lines = {vat.line for vat in summed}
    vat_lines = _lettered(vat_lines, gross)
    printed_sum = sum(vat.vat_bani for vat in vat_lines)
    sums_agree = found.vat_total is not None and found.vat_total.value == printed_sum
    checks, resolved = [], []
    for vat in vat_lines:
        fixed, check = _check_vat(vat, gross.get(vat.letter), day, total_trusted, sums_agree)
        resolved.append(fixed)
        checks.append(Check.REPAIRED if vat.line in summed_lines and check != Check.CONTRADICTED else check)
    _rest_of_total_vat(resolved, checks, found, gross, day)
    _missing_group(resolved, checks, found, gross, day)
    if not resolved:
        rebuilt = _vat_from_total_vat(found, total, day) or _vat_from_rate(found, total, day, total_trusted)
        if rebuilt is None:
            return [], Check.UNCHECKED, 0.0
        resolved, checks, gross = [rebuilt], [Check.REPAIRED], {None: total or 0}
    sum_vat = sum(vat.vat_bani for vat in resolved)
    if found.vat_total is not None and found.vat_total.value == sum_vat:
        checks = [Check.CONFIRMED if check == Check.UNCHECKED else check for check in checks]
    elif found.vat_total is not None:
        checks.append(Check.CONTRADICTED)
    if _groups_without_line(resolved, gross):
        checks.append(Check.UNCHECKED)  # an item group no VAT line was read for: the lines may be incomplete
    score = min(vat.score for vat in resolved)
    return [_vat_line(vat, gross) for vat in resolved], _worst(checks), score


def _check_vat(
    vat: VatFound, gross: int | None, day: dt.date | None, may_fix: bool, sums_agree: bool
) -> tuple[VatFound, Check]:
    """One VAT line checked against its group's gross amount and the date's rates.

    A misread rate is repaired when exactly one valid rate explains the printed VAT. With `may_fix`
    (the gross is trusted), a misread VAT is recomputed from the gross, unless TOTAL TVA agrees with
    the printed lines and the gap is small enough to be per-line rounding.
    """
    valid_rate = vat.rate in rates_on(day)
    if gross is None:
        return vat, Check.UNCHECKED if valid_rate else Check.CONTRADICTED
    expected = vat_from_gross(gross, vat.rate)
    if valid_rate and expected == vat.vat_bani:
        return vat, Check.CONFIRMED
    matching = _rates_giving(vat.vat_bani, gross, day)
    if len(matching) == 1:
        return VatFound(vat.letter, matching[0], vat.vat_bani, vat.score, vat.line), Check.REPAIRED
    if valid_rate and may_fix and not (sums_agree and abs(expected - vat.vat_bani) <= _ROUNDING_SLACK):
        return VatFound(vat.letter, vat.rate, expected, vat.score, vat.line), Check.REPAIRED
    return vat, Check.UNCHECKED if valid_rate else Check.CONTRADICTED


def _vat_from_total_vat(found: Extraction, total: int | None, day: dt.date | None) -> VatFound | None:
    """A single VAT line rebuilt from TOTAL and TOTAL TVA when the per-rate line was not read."""
    if found.vat_total is None or total is None:
        return None
    matching = _rates_giving(found.vat_total.value, total, day)
    if len(matching) != 1:
        return None
    return VatFound(None, matching[0], found.vat_total.value, found.vat_total.score, found.vat_total.line)


def _vat_from_rate(found: Extraction, total: int | None, day: dt.date | None, total_trusted: bool) -> VatFound | None:
    """A single VAT line whose rate was read without its amount: the VAT of that rate in a trusted TOTAL."""
    rates = {vat.rate for vat in found.vat_rates}
    if not total_trusted or total is None or len(rates) != 1:
        return None
    rate = rates.pop()
    if rate not in rates_on(day):
        return None
    first = found.vat_rates[0]
    return VatFound(first.letter, rate, vat_from_gross(total, rate), first.score, first.line)


def _summing_to_total_vat(found: Extraction) -> tuple[list[VatFound], list[VatFound]]:
    """The VAT lines, and the one changed to make them add up to TOTAL TVA (to be marked repaired).

    A line's amount is changed by one confused digit when exactly one such change makes the sum; otherwise
    the lines are as read.
    """
    lines = found.vat_lines
    if found.vat_total is None or len(lines) < 2:
        return lines, []
    rest = found.vat_total.value - sum(vat.vat_bani for vat in lines)
    if rest == 0:
        return lines, []
    fixes = [(index, value) for index, vat in enumerate(lines)
             for value in digit_variants(vat.vat_bani) if value - vat.vat_bani == rest]
    if len(fixes) != 1:
        return lines, []
    index, value = fixes[0]
    vat = lines[index]
    fixed = VatFound(vat.letter, vat.rate, value, vat.score, vat.line)
    return [*lines[:index], fixed, *lines[index + 1:]], [fixed]


def _vat_line(vat: VatFound, gross: dict[str | None, int]) -> VatLine:
    group = gross.get(vat.letter)
    return {"rate": vat.rate, "base_bani": None if group is None else group - vat.vat_bani, "vat_bani": vat.vat_bani}


def _worst(checks: list[Check]) -> Check:
    order = (Check.CONTRADICTED, Check.REPAIRED, Check.UNCHECKED, Check.CONFIRMED)
    return next((check for check in order if check in checks), Check.UNCHECKED)
