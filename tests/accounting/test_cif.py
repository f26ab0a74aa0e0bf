"""The CIF check: only ASCII digits are digits, and any text gives True or False, never an exception."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roa2web.accounting.cif import is_valid_cif

# digits that str.isdigit() or re's \d take but a CIF never holds
FOREIGN_DIGITS = "²³¹０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९"


def recomputed(text: str) -> bool:
    """ROMANIAN_ACCOUNTING.md §3 written again: strip RO and punctuation, pad, weigh, mod 11."""
    cleaned = re.sub(r"[\s.\-/]", "", text).upper()
    digits = cleaned.removeprefix("RO")
    if re.fullmatch(r"[0-9]{2,10}", digits, flags=re.ASCII) is None:
        return False
    body, check = digits[:-1].rjust(9, "0"), ord(digits[-1]) - ord("0")
    total = sum((ord(d) - ord("0")) * k for d, k in zip(body, (7, 5, 3, 2, 1, 7, 5, 3, 2), strict=True))
    return total * 10 % 11 % 10 == check


@pytest.mark.parametrize(("text", "valid"), [
    ("12345674", True), ("13548146", True), ("41700010", True), ("RO12345674", True), ("ro 1234-5674", True),
    ("19", True), ("12345678", False), ("41700011", False), ("1", False), ("12345678901", False),
    ("1234567²", False), ("123456²4", False), ("²", False),
    ("１２３４５６７４", False), ("RO１２３４５６７４", False), ("1234567４", False),
    ("١٢٣٤٥٦٧٤", False), ("۱۲۳۴۵۶۷۴", False), ("१२३४५६७४", False), ("", False), ("RO", False),
])
def test_the_named_cases(text: str, valid: bool) -> None:
    assert is_valid_cif(text) is valid


CIF_LIKE = st.builds(
    lambda prefix, body, noise: prefix + noise.join(body),
    st.sampled_from(["", "RO", "ro ", "R0"]),
    st.lists(st.sampled_from("0123456789" + FOREIGN_DIGITS), min_size=1, max_size=11),
    st.sampled_from(["", " ", "-", "."]),
)


@given(st.one_of(st.text(), CIF_LIKE))
def test_any_text_gives_true_or_false_and_only_checksummed_ascii_digits_pass(text: str) -> None:
    valid = is_valid_cif(text)
    assert valid is recomputed(text)
    if valid:
        digits = re.sub(r"[\s.\-/]", "", text).upper().removeprefix("RO")
        assert digits.isascii() and digits.isdigit()
