"""Arithmetic cross-checks and repairs: CIF digit confusions, VAT, totals, dates, confidences."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.accounting.cif import is_valid_cif, make_cif
from roa2web.data_entry.ocr.cif_repair import CONFUSIONS, one_digit_fixes, read_cif, split_ro
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.reading import Check, confidence
from roa2web.data_entry.ocr.repair import plausible_day, resolve_fields
from tests.support.ocr_text import text_lines


@pytest.mark.parametrize(("token", "expected"), [
    ("RO12345674", (True, "12345674")), ("R0 12345674", (True, "12345674")), ("12345674", (False, "12345674")),
    ("RQ12345674", (True, "12345674")), ("ROMARIA", (False, "ROMARIA")),
])
def test_split_ro(token: str, expected: tuple[bool, str]) -> None:
    assert split_ro(token) == expected


@pytest.mark.parametrize(("token", "value", "check"), [
    ("RO12345674", "RO12345674", Check.CONFIRMED),
    ("R0 13548146", "RO13548146", Check.CONFIRMED),
    ("I2345674", "12345674", Check.CONFIRMED),
    ("4I7OOO1O", "41700010", Check.CONFIRMED),
    ("1354B146", "13548146", Check.CONFIRMED),
    ("RO12345674 J40", "RO12345674", Check.CONFIRMED),
    ("12345678", "12345678", Check.CONTRADICTED),
])
def test_read_cif(token: str, value: str, check: Check) -> None:
    assert read_cif(token) == (value, check)


@pytest.mark.parametrize("body", [1234567, 1354814, 4170001, 2846135, 3917262, 99, 48765432])
def test_a_confused_digit_is_repaired_or_left_never_guessed_wrong(body: int) -> None:
    true_cif = make_cif(body)
    repaired = 0
    for position, digit in enumerate(true_cif):
        for wrong in CONFUSIONS.get(digit, ""):
            misread = true_cif[:position] + wrong + true_cif[position + 1:]
            value, check = read_cif(misread)
            if check == Check.REPAIRED:
                repaired += 1
                assert value == true_cif
            else:
                assert (value, check) == (misread, Check.CONTRADICTED)
                assert len(one_digit_fixes(misread)) > 1 or not is_valid_cif(misread)
    assert repaired > 0


def test_repair_off_takes_digits_as_read() -> None:
    assert read_cif("RO1354B146", repair=False) == (None, Check.UNCHECKED)
    assert read_cif("RO13548146", repair=False) == ("RO13548146", Check.CONFIRMED)
    assert read_cif("13548140", repair=False) == ("13548140", Check.CONTRADICTED)


def _fields(text: str, repair: bool = True) -> dict:
    return resolve_fields(extract_fields(text_lines(text)), repair)


RECEIPT = """
ALFA PETROL SRL
CIF: RO12345674
50,00 L x 7,26
MOTORINA                     363,00 A
2 BUC x 5,55
APA PLATA 0,5L                11,10 B
TOTAL                        {total}
CARD                         374,10
TOTAL TVA                     64,10
TVA A {rate_a},00%                  {vat_a}
TVA B 11,00%                   1,10
Z: 0154  BF: 0037  15-09-{year} 14:32
"""


def _receipt(total: str = "374,10", rate_a: str = "21", vat_a: str = "63,00", year: str = "2025") -> str:
    return RECEIPT.format(total=total, rate_a=rate_a, vat_a=vat_a, year=year)


def test_a_consistent_receipt_is_confirmed_everywhere() -> None:
    fields = _fields(_receipt())
    assert fields["total"].value == 37410 and fields["total"].check == Check.CONFIRMED
    assert fields["vat_lines"].value == [{"rate": 21, "base_bani": 30000, "vat_bani": 6300},
                                         {"rate": 11, "base_bani": 1000, "vat_bani": 110}]
    assert fields["vat_lines"].check == Check.CONFIRMED
    assert fields["date"].value == "2025-09-15" and fields["date"].check == Check.CONFIRMED
    assert fields["supplier_cif"].check == Check.CONFIRMED
    assert fields["items"].check == Check.CONFIRMED
    assert all(0.0 <= reading.confidence <= 1.0 for reading in fields.values())


def test_a_misread_total_is_outvoted_by_payment_and_items() -> None:
    fields = _fields(_receipt(total="874,10"))
    assert fields["total"].value == 37410 and fields["total"].check == Check.REPAIRED
    plain = _fields(_receipt(total="874,10"), repair=False)
    assert plain["total"].value == 87410 and plain["total"].check == Check.UNCHECKED


def test_a_misread_rate_is_repaired_from_the_group_amount() -> None:
    fields = _fields(_receipt(rate_a="27"))
    assert [line["rate"] for line in fields["vat_lines"].value] == [21, 11]
    assert fields["vat_lines"].check == Check.REPAIRED


def test_a_misread_vat_amount_is_recomputed_from_its_group() -> None:
    fields = _fields(_receipt(vat_a="68,00"))
    assert [line["vat_bani"] for line in fields["vat_lines"].value] == [6300, 110]
    assert _fields(_receipt(vat_a="68,00"), repair=False)["vat_lines"].value[0]["vat_bani"] == 6800


def test_rates_of_the_wrong_regime_contradict_the_date() -> None:
    fields = _fields(_receipt(year="2024"))
    assert fields["date"].check == Check.CONTRADICTED
    assert fields["vat_lines"].check == Check.CONTRADICTED


def test_the_last_unconfirmed_vat_line_is_what_total_tva_leaves() -> None:
    text = """
DETERGENT 2L                  83,30 A
APA PLATA 2L                  28,25 B
TOTAL                        111,55
CARD                         111,55
TVA A 29.00%                   8,03
TVA B 9,00%                    2,33
TOTAL TVA                     15,63
11.07.2024 10:00
"""
    fields = _fields(text)
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": 7000, "vat_bani": 1330},
                                         {"rate": 9, "base_bani": 2592, "vat_bani": 233}]
    assert fields["vat_lines"].check == Check.REPAIRED


def test_a_vat_line_not_read_at_all_is_what_total_tva_leaves_on_the_group_without_one() -> None:
    text = """
MOTORINA EURO 5              386,84 A
SURUBURI 5X50                 10,98 A
APA MINERALA 2L                8,86 B
MERE ROSII                     5,40 B
TOTAL DE PLATA               412,08
CARD                         412,08
TVA TOTAL                     64,70
TVA A 19%                     63,52
TV# 8 %%6                      1.1
31-01-2024            ORA: 14:26
"""
    fields = _fields(text)
    # group B grosses 14,26; of the rates of January 2024 only 9% gives the 1,18 TOTAL TVA leaves
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": 33430, "vat_bani": 6352},
                                         {"rate": 9, "base_bani": 1308, "vat_bani": 118}]
    assert fields["vat_lines"].check == Check.REPAIRED
    unlettered = _fields(text.replace(" A\n", "\n").replace(" B\n", "\n"))  # the items name no groups
    assert unlettered["vat_lines"].value == [{"rate": 19, "base_bani": None, "vat_bani": 6352}]


def test_a_vat_line_without_its_letter_is_given_the_group_whose_vat_it_is() -> None:
    text = """
DETERGENT VASE                43,80 A
ANTIGEL 1L                    41,10 A
CAFEA MACINATA                31,23 A
MANUAL SCOLAR                115,88 C
TOTAL LEI                    232,01
NUMERAR                      232,01
TVA 19%                       18,54
TVA N                          5,52
TVA-TOTAL                     24,06
09-05-2025            ORA: 09:26
"""
    fields = _fields(text)
    # 18,54 is 19% of group A's 116,13 (not of C's 115,88); TOTAL TVA leaves 5,52, 5% of group C
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": 9759, "vat_bani": 1854},
                                         {"rate": 5, "base_bani": 11036, "vat_bani": 552}]
    incomplete = _fields(text.replace("TVA-TOTAL                     24,06\n", ""))
    assert incomplete["vat_lines"].value == [{"rate": 19, "base_bani": 9759, "vat_bani": 1854}]
    assert incomplete["vat_lines"].check == Check.UNCHECKED  # group C has no VAT line: not confirmed


def test_one_vat_line_is_not_taken_for_the_whole_receipt_when_total_tva_disagrees() -> None:
    fields = _fields("TOTAL  473,48\nCARD  473,48\nTVA B 19,00%  1,61\nTOTAL TVA  23,68\n01.03.2025 10:00")
    assert fields["vat_lines"].value == [{"rate": 19, "base_bani": None, "vat_bani": 161}]
    assert fields["vat_lines"].check == Check.CONTRADICTED


def test_single_rate_vat_line_rebuilt_from_total_tva() -> None:
    fields = _fields("TOTAL  121,00\nCARD  121,00\nTOTAL TVA  21,00\n01.09.2025 10:00")
    assert fields["vat_lines"].value == [{"rate": 21, "base_bani": 10000, "vat_bani": 2100}]
    assert fields["vat_lines"].check == Check.REPAIRED


def test_cash_minus_change_confirms_the_total() -> None:
    fields = _fields("TOTAL LEI  23,20\nNUMERAR  50,00\nREST  26,80")
    assert fields["total"].check == Check.CONFIRMED
    assert fields["payment_method"].value == "cash"


def test_item_value_recomputed_from_quantity_and_price_when_it_makes_the_sum() -> None:
    fields = _fields("2 BUC x 5,55\nAPA  17,10 B\n1 x 3,00\nPAINE  3,00 B\nTOTAL  14,10")
    assert [item["value_bani"] for item in fields["items"].value] == [1110, 300]
    assert fields["items"].check == Check.CONFIRMED


@pytest.mark.parametrize(("read", "expected"), [
    (dt.date(2625, 9, 15), dt.date(2025, 9, 15)), (dt.date(2826, 1, 2), dt.date(2026, 1, 2)),
    (dt.date(2025, 9, 15), dt.date(2025, 9, 15)), (dt.date(2999, 1, 1), None),
])
def test_plausible_day(read: dt.date, expected: dt.date | None) -> None:
    assert plausible_day(read, today=dt.date(2026, 11, 1)) == expected


def test_confidence_orders_checks_and_stays_in_range() -> None:
    for score in (0.0, 0.5, 0.93, 1.0, 1.7, -1.0):
        values = [confidence(score, check) for check in
                  (Check.CONFIRMED, Check.UNCHECKED, Check.REPAIRED, Check.CONTRADICTED)]
        assert all(0.0 <= value <= 1.0 for value in values)
        assert values[0] >= values[1] >= values[3] and values[0] >= values[2] >= values[3]


def test_missing_fields_have_zero_confidence() -> None:
    fields = _fields("NOTHING USEFUL HERE")
    assert fields["total"].value is None and fields["total"].confidence == 0.0
    assert set(fields) >= {"supplier_name", "supplier_cif", "receipt_number", "date", "time", "total",
                           "vat_lines", "payment_method", "buyer_cif"}


@pytest.mark.parametrize(("first_line", "check"), [
    ("LAMBDA ALIMENTAR SRL", Check.CONFIRMED), ("MIU FARMACIA SA", Check.CONFIRMED),
    ("ORA:09:52:25", Check.CONTRADICTED), ("80227153 in 5 2C X 3 523", Check.CONTRADICTED),
    ("LIBRARIA CENTRALA", Check.UNCHECKED),
])
def test_the_supplier_name_is_checked_for_a_legal_form_or_a_misplaced_line(first_line: str, check: Check) -> None:
    assert _fields(f"{first_line}\nTOTAL  12,00")["supplier_name"].check == check


def test_a_vat_rate_read_without_its_amount_takes_its_vat_from_a_trusted_total() -> None:
    fields = _fields("TOTAL LEI  43,48\nCARD  43,48\nTVA 11%\n19-10-2025 10:38")
    assert fields["vat_lines"].value == [{"rate": 11, "base_bani": 3917, "vat_bani": 431}]
    assert fields["vat_lines"].check == Check.REPAIRED
    untrusted = _fields("TOTAL LEI  43,48\nTVA 11%\n19-10-2025 10:38")
    assert untrusted["vat_lines"].value is None


def test_a_vat_amount_alone_on_the_next_line_belongs_to_its_rate() -> None:
    fields = _fields("TOTAL LEI  43,48\nCARD  43,48\nTVA C 11%\n4,31\nTOTAL TVA  4,31\n19-10-2025 10:38")
    assert fields["vat_lines"].value == [{"rate": 11, "base_bani": 3917, "vat_bani": 431}]
    assert fields["vat_lines"].check == Check.CONFIRMED


def test_one_confused_digit_in_a_vat_line_is_what_makes_them_add_up_to_total_tva() -> None:
    fields = _fields("TOTAL LEI  50,45\nTVA A 19%  7,00\nTVA B 9%  0,24\nTVA TOTAL  7,84\n24.10.2024 06:37")
    assert [line["vat_bani"] for line in fields["vat_lines"].value] == [760, 24]
    assert fields["vat_lines"].check == Check.REPAIRED
    two_ways = _fields("TOTAL LEI  50,45\nTVA A 19%  7,00\nTVA B 9%  0,00\nTVA TOTAL  7,80\n24.10.2024 06:37")
    assert [line["vat_bani"] for line in two_ways["vat_lines"].value] == [700, 0]


@pytest.mark.parametrize(("token", "value", "check"), [
    ("ROZ60614820", "RO260614820", Check.CONFIRMED),
    ("P024951372", "RO24951372", Check.CONFIRMED),
    ("80378175315", "RO378175315", Check.CONFIRMED),
    ("80123456", "80123456", Check.CONTRADICTED),
    ("RO039172621", "RO39172621", Check.CONFIRMED),  # RO's O read twice: no CIF starts with a zero
    ("0013548146", "13548146", Check.CONFIRMED),
    ("RO 0 13548146", "RO13548146", Check.CONFIRMED),
    ("01354B140", "013548140", Check.CONTRADICTED),  # left as read for the user
])
def test_letters_and_prefixes_the_recogniser_confuses_in_a_cif(token: str, value: str, check: Check) -> None:
    assert read_cif(token) == (value, check)
