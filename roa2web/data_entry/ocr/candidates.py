"""Other ways to read a printed amount: the digits the recogniser confuses on receipt fonts.

A candidate carries a cost: 0 for the amount as printed, one more for each place it departs from
that (a confused digit, a neighbouring line's amount, a lost decimal comma). The receipt's
arithmetic chooses between candidates (arithmetic.py); the cost only breaks ties.
"""

from __future__ import annotations

from collections.abc import Iterable

from roa2web.data_entry.ocr.found import Found

# digits the recogniser mistakes for one another on amounts (read → could have been)
AMOUNT_CONFUSIONS: dict[str, str] = {
    "0": "869", "8": "0369", "6": "0589", "9": "086", "5": "683", "3": "85", "1": "7", "7": "1",
}
MAX_COST = 2


def digit_variants(bani: int) -> list[int]:
    """Every amount that differs from `bani` by one commonly confused digit (no leading zero made)."""
    digits = f"{bani:03d}"
    found = []
    for position, digit in enumerate(digits):
        for replacement in AMOUNT_CONFUSIONS.get(digit, ""):
            if position == 0 and replacement == "0" and len(digits) > 3:
                continue
            found.append(int(digits[:position] + replacement + digits[position + 1:]))
    return found


def widen(readings: Iterable[Found[int]], max_cost: int = MAX_COST) -> dict[int, Found[int]]:
    """Candidates by value: the readings, then their one-digit variants; the cheapest of each value.

    Among equally cheap ones the first is kept, and a reading before any variant.
    """
    printed = [reading for reading in readings if reading.cost <= max_cost]
    variants = [Found(value, reading.score, reading.line, reading.cost + 1)
                for reading in printed if reading.cost < max_cost for value in digit_variants(reading.value)]
    best: dict[int, Found[int]] = {}
    for candidate in printed + variants:
        held = best.get(candidate.value)
        if held is None or candidate.cost < held.cost:
            best[candidate.value] = candidate
    return best
