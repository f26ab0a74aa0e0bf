"""The receipt's arithmetic choosing between candidate readings of TOTAL and TOTAL TVA."""

from __future__ import annotations

from roa2web.data_entry.ocr.candidates import digit_variants, widen
from roa2web.data_entry.ocr.fields import amount_candidates, extract_fields
from roa2web.data_entry.ocr.found import Found
from roa2web.data_entry.ocr.reading import Check
from roa2web.data_entry.ocr.repair import resolve_fields
from tests.support.ocr_text import text_lines


def _fields(text: str) -> dict:
    return resolve_fields(extract_fields(text_lines(text)))


def test_digit_variants_are_one_confused_digit_away() -> None:
    variants = digit_variants(30300)
    assert 36300 in variants and 38300 in variants and 30800 in variants
    assert all(sum(a != b for a, b in zip(f"{value:05d}", "30300", strict=True)) == 1 for value in variants)
    assert 7410 in digit_variants(1410) and 1410 in digit_variants(7410)


def test_widen_keeps_the_cheapest_reading_of_each_value() -> None:
    readings = widen([Found(30300, 0.9, 4), Found(36300, 0.8, 5, cost=1)])
    assert readings[30300].cost == 0
    assert readings[36300] == Found(36300, 0.8, 5, cost=1)  # read on a line costs less than a confused digit
    assert readings[38300].cost == 1 and readings[38300].line == 4


def test_a_total_misread_six_as_zero_is_chosen_back_by_the_items_and_the_vat() -> None:
    fields = _fields("""
MOTORINA                     363,00 A
TOTAL                        303,00
TOTAL TVA                     63,00
TVA A 21,00%                  63,00
15-09-2025 14:32
""")
    assert fields["total"].value == 36300 and fields["total"].check == Check.REPAIRED
    assert fields["vat_lines"].value == [{"rate": 21, "base_bani": 30000, "vat_bani": 6300}]
    assert fields["vat_lines"].check == Check.CONFIRMED


def test_a_total_two_witnesses_disagree_about_is_left_as_read_and_unsure() -> None:
    fields = _fields("""
TOTAL                        303,00
NUMERAR                      363,00
SUBTOTAL                     383,00
""")
    assert fields["total"].value == 30300 and fields["total"].check == Check.CONTRADICTED
    assert fields["total"].confidence < 0.5


def test_the_amount_of_a_wrongly_grouped_line_is_chosen_by_the_payment() -> None:
    fields = _fields("""
MOTORINA                     363,00 A
APA PLATA 0,5L  11,10 B        374,10
TOTAL                         11,10
CARD                         374,10
""")
    assert fields["total"].value == 37410 and fields["total"].check == Check.REPAIRED


def test_a_single_item_never_confirms_its_own_amount_as_the_total() -> None:
    # the other items' lines were misread; the one item read sits next to TOTAL, whose neighbours are candidates
    fields = _fields("""
3 BUC x 54.39            163.,17 0
2 BUC x 14.69            29.38 A
TOTAL:            209.68
LASH            209.68
""")
    assert fields["total"].value == 20968


def test_a_total_whose_decimal_comma_was_lost_is_read_when_the_payment_agrees() -> None:
    fields = _fields("TOTAL LEI   37410\nCARD   374,10")
    assert fields["total"].value == 37410 and fields["total"].check == Check.REPAIRED
    assert _fields("TOTAL LEI   37410")["total"].value is None


def test_a_payment_line_never_confirms_an_amount_taken_from_itself() -> None:
    lines = text_lines("TOTAL\nCARD   374,10")
    assert [(found.value, found.line) for found in amount_candidates(lines, 0)] == []
    fields = _fields("TOTAL\nCARD   374,10")
    assert fields["total"].value == 37410 and fields["total"].check == Check.UNCHECKED


def test_total_tva_misread_is_chosen_back_by_the_sum_of_the_vat_lines() -> None:
    fields = _fields("""
MOTORINA                     363,00 A
APA PLATA 0,5L                11,10 B
TOTAL                        374,10
CARD                         374,10
TOTAL TVA                     84,10
TVA A 21,00%                  63,00
TVA B 11,00%                   1,10
15-09-2025 14:32
""")
    assert fields["vat_lines"].check == Check.CONFIRMED
    assert [line["vat_bani"] for line in fields["vat_lines"].value] == [6300, 110]


def test_several_total_lines_are_all_candidates() -> None:
    found = extract_fields(text_lines("TOTAL DE PLATA   874,10\nTOTAL LEI   374,10\nCARD  374,10"))
    assert [reading.value for reading in found.amounts["total"] if reading.cost == 0] == [87410, 37410]
    assert _fields("TOTAL DE PLATA   874,10\nTOTAL LEI   374,10\nCARD  374,10")["total"].value == 37410


def test_a_voucher_payment_is_read_as_voucher() -> None:
    for label in ("TICHETE MASA", "VOUCHER", "BON VALORIC"):
        fields = _fields(f"TOTAL   175,99\n{label}   175,99")
        assert fields["payment_method"].value == "voucher"
        assert fields["total"].check == Check.CONFIRMED


def test_tva_total_is_read_as_total_tva() -> None:
    found = extract_fields(text_lines("TOTAL  374,10\nTVA TOTAL   64,10\nTVA A 21,00%   63,00"))
    assert found.vat_total is not None and found.vat_total.value == 6410
    assert [(vat.rate, vat.vat_bani) for vat in found.vat_lines] == [(21, 6300)]


def test_without_a_total_label_a_repeated_amount_the_vat_agrees_with_is_the_total() -> None:
    fields = _fields("""
CAFEA MACINATA            112,56 A
101M LE1            276,74
VONKMER            276,74
TOTAL TVA            44,19
""")
    assert fields["total"].value == 27674 and fields["total"].check == Check.REPAIRED
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": 23255, "vat_bani": 4419}]


def test_an_unlabelled_amount_alone_is_not_taken_for_the_total() -> None:
    fields = _fields("CAFEA MACINATA            112,56 A\nVONKMER            276,74\nTOTAL TVA            30,00")
    assert fields["total"].value == 11256 and fields["total"].check == Check.UNCHECKED  # the items, unsure


RECEIPT_WITHOUT_VAT_LABELS = """
DETERGENT VASE
3 BUC x 13.95         41.85 B
TOTAL            41.85
BON VALORIC           41.85
{below}
DATA:01.05.2024 ORA:17:40:01
"""


def test_total_tva_whose_label_was_lost_is_the_amount_below_total_that_is_the_vat_in_total() -> None:
    fields = _fields(RECEIPT_WITHOUT_VAT_LABELS.format(below="6.68\n6.68"))  # 41.85 · 19/119 = 6.68
    assert fields["total"].value == 4185
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": 3517, "vat_bani": 668}]
    assert fields["vat_lines"].check == Check.REPAIRED


def test_unlabelled_amounts_below_total_give_no_vat_when_they_match_no_rate_or_several() -> None:
    assert _fields(RECEIPT_WITHOUT_VAT_LABELS.format(below="6.86"))["vat_lines"].value is None
    # 6.68 is the VAT at 19% and 3.46 the VAT at 9%: which of them is TOTAL TVA is not known
    assert _fields(RECEIPT_WITHOUT_VAT_LABELS.format(below="6.68\n3.46"))["vat_lines"].value is None


def test_unlabelled_amounts_below_total_give_no_vat_when_the_items_name_two_groups() -> None:
    fields = _fields("""
DETERGENT VASE
1 BUC x 20.00         20.00 A
PAINE
1 BUC x 21.85         21.85 B
TOTAL            41.85
6.68
DATA:01.05.2024 ORA:17:40:01
""")
    assert fields["vat_lines"].value is None
