"""Canonical spelling of an OCR'd receipt line, so the field rules can match labels exactly.

Compatibility forms are folded (full-width ':' → ':'), text is upper-cased, and a word one letter
away from a receipt keyword (POTAL, F1SCAL, CLTENT, CAND) is replaced by the keyword. Every change
keeps the string's length, so character offsets still point at the same OCR boxes.
"""

from __future__ import annotations

import re
import unicodedata

from roa2web.accounting.cif import is_ascii_digits

KEYWORDS = ("TOTAL", "SUBTOTAL", "FISCAL", "CLIENT", "CARD", "NUMERAR", "PLATA", "BANCAR", "ARTICOLE")
_WORD = re.compile(r"[A-Z0-9]{4,}")


def _fold(char: str) -> str:
    """One character, upper-cased and NFKC-folded, unless either would turn it into several."""
    for candidate in (unicodedata.normalize("NFKC", char).upper(), char.upper()):
        if len(candidate) == 1:
            return candidate
    return char


def _near_keyword(word: str) -> str | None:
    if is_ascii_digits(word):
        return None
    for keyword in KEYWORDS:
        if len(keyword) == len(word) and sum(a != b for a, b in zip(keyword, word, strict=True)) == 1:
            return keyword
    return None


def canonical(text: str) -> str:
    """`text` upper-cased, compatibility forms folded and near-miss keywords corrected, same length."""
    folded = "".join(_fold(char) for char in text)
    return _WORD.sub(lambda match: _near_keyword(match.group()) or match.group(), folded)
