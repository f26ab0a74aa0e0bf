"""OCR output is read with ASCII digits only: '²', '١' or '１' never become part of a CIF, amount or date."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roa2web.data_entry.ocr.cif_repair import read_cif
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.reading import Check
from roa2web.data_entry.ocr.repair import resolve_fields
from tests.support.ocr_text import text_lines

STORED_CIF = re.compile(r"(RO)?[0-9]{2,10}", flags=re.ASCII)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TOKENS = st.one_of(st.text(), st.text(alphabet="0123456789²³١٢٣٤٥٦٧٨٩٠RO OILSB-", max_size=14))


@given(TOKENS, st.booleans())
def test_reading_a_cif_never_raises_and_gives_ascii_digits(token: str, repair: bool) -> None:
    value, _ = read_cif(token, repair)
    assert value is None or STORED_CIF.fullmatch(value)


@pytest.mark.parametrize("token", ["1234567²", "RO1234567²", "123456²4", "١٢٣٤٥٦٧٤", "RO ١٢٣٤٥٦٧٤"])
@pytest.mark.parametrize("repair", [True, False])
def test_superscript_and_arabic_indic_digits_are_not_read_as_a_cif(token: str, repair: bool) -> None:
    value, check = read_cif(token, repair)
    assert value is None or STORED_CIF.fullmatch(value)
    assert check is not Check.CONFIRMED


def test_a_receipt_in_arabic_indic_digits_gives_no_cif_total_or_date() -> None:
    receipt = "ALFA PETROL SRL\nCIF: RO12345674\nTOTAL 374,10\nCARD 374,10\n15-09-2025 14:32"
    fields = resolve_fields(extract_fields(text_lines(receipt.translate(ARABIC_INDIC))))
    assert fields["supplier_cif"].value is None
    assert fields["total"].value is None
    assert fields["date"].value is None


@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40), max_size=8))
def test_any_ocr_text_is_read_without_raising(rows: list[str]) -> None:
    text = "\n".join(row.replace("\n", " ") for row in rows)
    fields = resolve_fields(extract_fields(text_lines(text)))
    cif = fields["supplier_cif"].value
    assert cif is None or STORED_CIF.fullmatch(cif)
