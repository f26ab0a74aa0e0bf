"""CIF/CUI validation (control key 753217532), as in ROMANIAN_ACCOUNTING.md §3."""

from __future__ import annotations

import re

_KEY = (7, 5, 3, 2, 1, 7, 5, 3, 2)
_NOISE = re.compile(r"[\s.\-/]")
# Only ASCII digits: str.isdigit() and re's \d also take '²', '١' or '１', which int() reads or refuses.
_DIGITS = re.compile(r"[0-9]+")


def is_ascii_digits(text: str) -> bool:
    """True when `text` is one or more of the ASCII digits 0-9 and nothing else."""
    return _DIGITS.fullmatch(text) is not None


def normalize_cif(text: str) -> tuple[str, bool]:
    """Strip spaces, punctuation and an `RO` prefix; return (digits, had_ro_prefix)."""
    cleaned = _NOISE.sub("", text).upper()
    has_ro = cleaned.startswith("RO")
    return (cleaned[2:] if has_ro else cleaned), has_ro


def canonical_cif(text: str) -> str:
    """How a CIF is stored: upper case, without spaces or punctuation, its RO prefix kept.

    "ro 123-45674" → "RO12345674", so lookups by CIF find every spelling of it.
    """
    digits, has_ro = normalize_cif(text)
    return f"RO{digits}" if has_ro else digits


def check_digit(body: str) -> int:
    """The check digit for a CIF body (all digits but the last, 1 to 9 of them)."""
    if not is_ascii_digits(body) or not 1 <= len(body) <= 9:
        raise ValueError(f"a CIF body has 1 to 9 digits, got {body!r}")
    padded = body.rjust(9, "0")
    total = sum(int(digit) * weight for digit, weight in zip(padded, _KEY, strict=True))
    remainder = total * 10 % 11
    return 0 if remainder == 10 else remainder


def is_valid_cif(text: str) -> bool:
    """True when `text` (with or without RO) is 2 to 10 ASCII digits whose last digit checks; never raises."""
    digits, _ = normalize_cif(text)
    if not is_ascii_digits(digits) or not 2 <= len(digits) <= 10:
        return False
    return check_digit(digits[:-1]) == int(digits[-1])


def make_cif(body: int | str) -> str:
    """Append the check digit to a numeric body (1234567 → '12345674')."""
    text = str(body)
    return f"{text}{check_digit(text)}"
