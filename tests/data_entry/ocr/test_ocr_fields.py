"""Field extraction from receipt text: label variants, decimals, dates, items, OCR misspellings."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.data_entry.ocr.fields import extract_fields, parse_amount
from roa2web.data_entry.ocr.normalize import canonical
from tests.support.ocr_text import text_lines

EXAMPLE = """
ALFA PETROL SRL
STR. EXEMPLU 1, BUCURESTI
CIF: RO12345674
50,00 L x 7,26
MOTORINA                     363,00 A
2 BUC x 5,55
APA PLATA 0,5L                11,10 B
TOTAL                        374,10
CARD                         374,10
TOTAL TVA                     64,10
TVA A 21,00%                  63,00
TVA B 11,00%                   1,10
CIF CLIENT: RO28461357
Z: 0154  BF: 0037  15-09-2025 14:32
"""


def test_reads_the_reference_receipt() -> None:
    found = extract_fields(text_lines(EXAMPLE))
    assert found.supplier_name and found.supplier_name.value == "ALFA PETROL SRL"
    assert found.supplier_cif and found.supplier_cif.value == "RO12345674"
    assert found.buyer_cif and found.buyer_cif.value == "RO28461357"
    assert found.receipt_number and found.receipt_number.value == "37"
    assert found.date and found.date.value == dt.date(2025, 9, 15)
    assert found.time and found.time.value == "14:32"
    assert found.total and found.total.value == 37410
    assert found.vat_total and found.vat_total.value == 6410
    assert [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines] == [("A", 21, 6300), ("B", 11, 110)]
    assert found.payment_method and found.payment_method.value == "card"
    assert [(i.value_bani, i.letter, i.quantity_milli, i.unit_price_bani) for i in found.items] == [
        (36300, "A", 50000, 726), (1110, "B", 2000, 555)]


@pytest.mark.parametrize("line", [
    "CIF: RO12345674", "C.I.F. RO12345674", "COD FISCAL: RO 12345674", "CUI RO12345674",
    "C.U.I.: RO12345674", "CIF R012345674", "CIFR012345674", "COD FI5CAL: RO12345674", "CUL： RO12345674",
    "COD PTSCAL: RO12345674",  # FISCAL garbled: COD, one word, then RO and digits
])
def test_supplier_cif_label_variants(line: str) -> None:
    found = extract_fields(text_lines(f"BETA SRL\n{line}\nTOTAL 1,00"))
    assert found.supplier_cif is not None
    assert found.supplier_cif.value.replace(" ", "") in {"RO12345674", "R012345674"}
    assert found.buyer_cif is None


@pytest.mark.parametrize("line", [
    "CIF CLIENT: 28461357", "COD FISCAL CLIENT: 28461357", "CUI CLIENT 28461357", "CLIENT CIF: 28461357",
    "COD F1SCAL CLTENT: 28461357", "CUICLIENT:28461357", "CIFCLIENT: 28461357",
])
def test_buyer_cif_label_variants(line: str) -> None:
    found = extract_fields(text_lines(f"BETA SRL\nCIF: RO12345674\n{line}"))
    assert found.buyer_cif is not None and found.buyer_cif.value == "28461357"
    assert found.supplier_cif is not None and found.supplier_cif.value == "RO12345674"


@pytest.mark.parametrize(("line", "number"), [
    ("BF: 0037", "37"), ("NR. BON: 0752", "752"), ("BON FISCAL NR: 914", "914"), ("BON FISCAL NR. 12", "12"),
    ("Z: 0878  8F: 1314  17-06-2025 08:51", "1314"), ("MR. BON: 0019", "19"),
    ("Z：0091 BF:156925-01-2025 13:33", "1569"),
])
def test_receipt_number_labels(line: str, number: str) -> None:
    found = extract_fields(text_lines(line))
    assert found.receipt_number is not None and found.receipt_number.value == number


@pytest.mark.parametrize(("line", "day", "time"), [
    ("15.09.2025 14:32", dt.date(2025, 9, 15), "14:32"),
    ("DATA: 15-09-2025   ORA: 14:32:07", dt.date(2025, 9, 15), "14:32:07"),
    ("01/08/2025            09:05", dt.date(2025, 8, 1), "09:05"),
    ("5.9.2025 7:05", dt.date(2025, 9, 5), None),
    ("Z: 0091 E BF: 1569 2 25-01-202513:33", dt.date(2025, 1, 25), "13:33"),
    ("19:01.2026            ORA: 14:08:08", dt.date(2026, 1, 19), "14:08:08"),  # a dot read as a colon
    ("05-02=2024            ORA: 20:50", dt.date(2024, 2, 5), "20:50"),  # a dash read as =
])
def test_date_and_time_formats(line: str, day: dt.date, time: str | None) -> None:
    found = extract_fields(text_lines(line))
    assert found.date is not None and found.date.value == day
    assert (found.time.value if found.time else None) == time


def test_invalid_calendar_dates_are_skipped() -> None:
    found = extract_fields(text_lines("31.02.2025\n28.02.2025 10:00"))
    assert found.date is not None and found.date.value == dt.date(2025, 2, 28)


@pytest.mark.parametrize(("text", "bani"), [
    ("374,10", 37410), ("374.10", 37410), ("1.234,56", 123456), ("TOTAL  7, 26", 726), ("21,00% 63,00", 6300),
    ("no amount", None), ("21,00%", None),
])
def test_amounts_with_comma_or_dot(text: str, bani: int | None) -> None:
    assert parse_amount(text) == bani


def test_total_ignores_subtotal_and_total_vat() -> None:
    found = extract_fields(text_lines("""
SUBTOTAL                           25,00
TOTAL TVA                           4,34
TOTAL LEI                          23,20
NUMERAR                            50,00
REST                               26,80
TVA A 21,00%                        4,34
"""))
    assert found.subtotal and found.subtotal.value == 2500
    assert found.total and found.total.value == 2320
    assert found.vat_total and found.vat_total.value == 434
    assert found.payment_method and found.payment_method.value == "cash"
    assert found.payment_amount and found.payment_amount.value == 5000
    assert found.change and found.change.value == 2680


def test_misspelled_labels_are_read() -> None:
    found = extract_fields(text_lines("POTAL:            64.67\nPLATA CAND            64.67\nTOTAL THN  11.22\n"
                                      "THA A 21.00%   11.22"))
    assert found.total and found.total.value == 6467
    assert found.payment_method and found.payment_method.value == "card"
    assert found.vat_total and found.vat_total.value == 1122
    assert [(v.rate, v.vat_bani) for v in found.vat_lines] == [(21, 1122)]


def test_vat_line_without_percent_sign_and_letter_lookalike() -> None:
    found = extract_fields(text_lines("TVA 8 19,00   19,25\nTVA C 9,00%   1,93"))
    assert [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines] == [("B", 19, 1925), ("C", 9, 193)]


def test_percent_sign_read_as_one_and_ampersand_for_a() -> None:
    found = extract_fields(text_lines("TVA  D 5,001            22.07\nTV& A 19,00%    18,77"))
    assert [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines] == [("D", 5, 2207), ("A", 19, 1877)]


def test_percent_sign_read_as_nine_after_a_rate_in_force() -> None:
    found = extract_fields(text_lines("TVAA=199            9.00\nTVA B 99   1,21\nTVA C 19   2,00\nTVA D ==116  4,47"))
    # '199', '99', '116': 19%, 9% and 11% with the sign read as 9 or 6; a bare '19' is no rate with a lost sign
    assert [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines] == [("A", 19, 900), ("B", 9, 121), ("D", 11, 447)]


def test_tva_with_its_t_read_as_one_or_i_and_its_a_as_four() -> None:
    found = extract_fields(text_lines("1VA B 21%   29.42\nIVA D 11%   22.18\nTV4 A 19%   1.00\nTOTAL 1VA   52.60"))
    read = [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines]
    assert read == [("B", 21, 2942), ("D", 11, 2218), ("A", 19, 100)]
    assert found.vat_total is not None and found.vat_total.value == 5260


def test_labels_glued_by_dropped_spaces() -> None:
    found = extract_fields(text_lines("TOTALLEI   213,96\nTVAA 19.00%   30.54\nTVA B 9.00%  1.87\nTOTALTVA  32.41"))
    assert found.total and found.total.value == 21396
    assert found.vat_total and found.vat_total.value == 3241
    assert [(v.letter, v.rate, v.vat_bani) for v in found.vat_lines] == [("A", 19, 3054), ("B", 9, 187)]


def test_items_on_one_line_and_below_quantity() -> None:
    found = extract_fields(text_lines("""
PAINE ALBA      4 x 5,80         23,20 B
SERVETELE UMEDE
  1.000 x 12.50             12.50 A
3 BUC x 33,83
DETERGENT 2L            101,49
TOTAL                          137,19
"""))
    assert [(i.value_bani, i.letter, i.quantity_milli, i.unit_price_bani) for i in found.items] == [
        (2320, "B", 4000, 580), (1250, "A", 1000, 1250), (10149, None, 3000, 3383)]


def test_supplier_name_prefers_the_legal_form_and_unglues_srl() -> None:
    found = extract_fields(text_lines("BON FISCAL\nBETA MARKETSRL\nBD. UNIRII 22"))
    assert found.supplier_name is not None and found.supplier_name.value == "BETA MARKET SRL"


def test_unlabelled_cif_in_the_header_is_a_fallback() -> None:
    found = extract_fields(text_lines("GAMA FARM SRL\nC.1.4.L 13548146\nTOTAL 1,00"))
    assert found.supplier_cif is not None and found.supplier_cif.value == "13548146"
    assert found.supplier_cif.score < 0.99


def test_canonical_keeps_length_and_fixes_keywords() -> None:
    for text in ("POTAL: 12,00", "COD F1SCAL CLTENT：", "Plata cand"):
        assert len(canonical(text)) == len(text)
    assert canonical("POTAL: 12,00") == "TOTAL: 12,00"
    assert canonical("COD F1SCAL CLTENT：") == "COD FISCAL CLIENT:"
    assert canonical("Plata cand") == "PLATA CARD"
    assert canonical("1314 ROSII") == "1314 ROSII"


@pytest.mark.parametrize(("text", "day"), [
    ("DA1A/65-95-2924   ORA/ 13132", dt.date(2924, 5, 5)),
    ("22052026            ORA: 12:36:14", dt.date(2026, 5, 22)),
    ("DATA: 18.13.2025", None),
])
def test_a_date_with_confused_digits_is_read_when_only_one_reading_fits(text: str, day: dt.date | None) -> None:
    found = extract_fields(text_lines(text))
    assert (found.date.value if found.date else None) == day
    assert found.date is None or found.date.cost == 1


def test_a_readable_date_wins_over_a_repaired_one() -> None:
    found = extract_fields(text_lines("65-95-2024\n15.09.2025 10:00"))
    assert found.date is not None and found.date.value == dt.date(2025, 9, 15) and found.date.cost == 0


@pytest.mark.parametrize("line", ["C.U.E. RO12345674", "COLRO12345674", "COL: RO 12345674", "TVA19% 3,00"])
def test_garbled_labels_the_header_still_tells_apart(line: str) -> None:
    found = extract_fields(text_lines(line))
    if line.startswith("TVA"):
        assert [(vat.rate, vat.vat_bani) for vat in found.vat_lines] == [(19, 300)]
    else:
        assert found.supplier_cif is not None and found.supplier_cif.value.replace(" ", "") == "RO12345674"


@pytest.mark.parametrize(("text", "day"), [
    ("08.91.2926        ORA: 11:25:02", dt.date(2926, 1, 8)),  # the month alone needs a change
    ("DATA: 28 01.2025            ORA: 09:17", dt.date(2025, 1, 28)),
])
def test_the_reading_with_fewest_changes_is_taken(text: str, day: dt.date) -> None:
    found = extract_fields(text_lines(text))
    assert found.date is not None and found.date.value == day and found.date.cost == 1
