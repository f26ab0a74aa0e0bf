"""A CIF as OCR read it → the CIF, checked with its check digit and repaired when one digit is misread."""

from __future__ import annotations

import re

from roa2web.accounting.cif import is_ascii_digits, is_valid_cif
from roa2web.data_entry.ocr.engine import Glyph
from roa2web.data_entry.ocr.reading import Check

_RO_PREFIX = re.compile(r"^[RP]\s?[O0Q]\s?(?=[0-9OILSBZ])")
# 'RO' read as '80' (R as 8, O as 0): taken as the prefix only when the digits are too many for a CIF
_RO_AS_DIGITS = re.compile(r"^80(?=[0-9]{9,10}$)")
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "Q": "0", "I": "1", "l": "1", "L": "1", "S": "5", "B": "8", "Z": "2"})
# digits the recogniser mistakes for one another on receipt fonts (read → could have been)
CONFUSIONS: dict[str, str] = {"0": "869", "8": "0693", "6": "085", "9": "08", "5": "63", "3": "85"}
# A runner-up fix needs odds (runner-up probability / read probability) at least MIN_ODDS, and
# ODDS_LEAD times those of any other runner-up fix (chosen on the tuning set's hard photos).
MIN_ODDS = 0.2
ODDS_LEAD = 1.5


def split_ro(token: str) -> tuple[bool, str]:
    """(printed with an RO prefix, the rest of the token), reading 'R0', 'R O' and 'P0' as RO.

    '80' before 9 or 10 more digits is RO too: no CIF has more than 10 digits.
    """
    text = token.strip()
    if match := _RO_PREFIX.match(text.upper()):
        return True, text[match.end():]
    compact = text.replace(" ", "")
    if match := _RO_AS_DIGITS.match(compact):
        return True, compact[match.end():]
    return False, text


def _chunks(rest: str) -> list[str]:
    """The token's chunks that hold a digit, joined, then the first chunk alone."""
    parts = [part for part in rest.split() if any(is_ascii_digits(char) for char in part)]
    joined = "".join(parts)
    return [joined] if len(parts) <= 1 else [joined, parts[0]]


def one_digit_fixes(digits: str) -> list[str]:
    """Every checksum-valid number that differs from `digits` by one commonly confused digit."""
    found = []
    for position, digit in enumerate(digits):
        for replacement in CONFUSIONS.get(digit, ""):
            candidate = digits[:position] + replacement + digits[position + 1:]
            if is_valid_cif(candidate):
                found.append(candidate)
    return found


def runner_up_fix(digits: str, glyphs: list[Glyph | None]) -> str | None:
    """The one-digit fix (of `one_digit_fixes`) the recogniser's own second choices point to, when one stands out.

    Each digit whose runner-up is a digit it is commonly confused with (CONFUSIONS) gives a candidate;
    a checksum-valid one is scored by the odds of that runner-up against the digit read. The best is
    taken when its odds reach MIN_ODDS and lead every other valid candidate's by ODDS_LEAD.
    """
    fixes = set(one_digit_fixes(digits))
    scored = []
    for position, glyph in enumerate(glyphs):
        if glyph is None:
            continue
        candidate = digits[:position] + glyph.runner_up.translate(_AS_DIGIT) + digits[position + 1:]
        if candidate in fixes:
            scored.append((glyph.runner_up_probability / max(glyph.probability, 1e-6), candidate))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < MIN_ODDS or (len(scored) > 1 and scored[0][0] < ODDS_LEAD * scored[1][0]):
        return None
    return scored[0][1]


def _digit_glyphs(token: str, glyphs: tuple[Glyph | None, ...], digits: str) -> list[Glyph | None] | None:
    """The glyphs of `digits` where they stand in `token` (read as digits); None when they cannot be told."""
    if len(glyphs) != len(token):
        return None
    kept = [(char.translate(_AS_DIGIT), glyph) for char, glyph in zip(token, glyphs, strict=True)]
    kept = [(char, glyph) for char, glyph in kept if is_ascii_digits(char)]
    at = "".join(char for char, _ in kept).rfind(digits)
    return None if at < 0 else [glyph for _, glyph in kept[at:at + len(digits)]]


def read_cif(token: str, repair: bool = True, glyphs: tuple[Glyph | None, ...] = ()) -> tuple[str | None, Check]:
    """The CIF in `token` (with 'RO' when printed) and what its check digit said.

    Without `repair` the digits are taken as read. With it, letters that look like digits are read
    as digits; zeros in front are dropped (no CIF starts with one, and one in front leaves the check digit
    as it is: 'RO 039172621' is RO39172621 with its O read twice); and an invalid number is replaced by
    its one-digit fix (0/8/6/9/5/3 confusions) when exactly one such fix passes the checksum; else, with
    the token's `glyphs`, by the fix the recogniser's second choices point to (runner_up_fix).
    """
    has_ro, rest = split_ro(token)
    prefix = "RO" if has_ro else ""
    chunks = _chunks(rest)
    if not repair:
        digits = chunks[0]
        if not is_ascii_digits(digits) or not 2 <= len(digits) <= 10:
            return None, Check.UNCHECKED
        return prefix + digits, Check.CONFIRMED if is_valid_cif(digits) else Check.CONTRADICTED
    readable = [chunk.translate(_AS_DIGIT) for chunk in chunks]
    readable = [chunk for chunk in readable if is_ascii_digits(chunk) and 2 <= len(chunk.lstrip("0")) <= 10]
    for digits in readable:
        if is_valid_cif(significant := digits.lstrip("0")):
            return prefix + significant, Check.CONFIRMED
    for digits in readable:
        fixes = one_digit_fixes(digits)
        if len(fixes) == 1:
            return prefix + fixes[0].lstrip("0"), Check.REPAIRED
    for digits in readable:
        aligned = _digit_glyphs(token.strip(), glyphs, digits)
        if aligned is not None and (fix := runner_up_fix(digits, aligned)) is not None:
            return prefix + fix.lstrip("0"), Check.REPAIRED
    if not readable:
        return None, Check.UNCHECKED
    return prefix + readable[0], Check.CONTRADICTED
