"""The recogniser's second choice for each character, from its probabilities to a repaired CIF."""

from __future__ import annotations

import numpy as np
import pytest

from roa2web.accounting.cif import is_valid_cif
from roa2web.data_entry.ocr.cif_repair import one_digit_fixes, read_cif, runner_up_fix
from roa2web.data_entry.ocr.engine import Glyph, TextBox
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.lines import Line, rebuild_lines
from roa2web.data_entry.ocr.rapid_engine import glyphs_of
from roa2web.data_entry.ocr.reading import Check

SURE = Glyph(1.0, "?", 0.0)


def _glyphs(text: str, doubts: dict[int, Glyph]) -> tuple[Glyph, ...]:
    """A glyph per character of `text`: sure, except the ones at the positions in `doubts`."""
    return tuple(doubts.get(position, SURE) for position in range(len(text)))


def test_glyphs_follow_ctc_decoding_with_each_runner_up() -> None:
    characters = ["blank", "A", "B", "8"]
    steps = np.array([
        [0.9, 0.05, 0.03, 0.02],  # blank
        [0.1, 0.7, 0.05, 0.15],  # A (runner-up 8)
        [0.1, 0.6, 0.2, 0.1],  # A again: the same character, not a second one
        [0.8, 0.1, 0.05, 0.05],  # blank
        [0.05, 0.05, 0.5, 0.4],  # B (runner-up 8)
        [0.3, 0.3, 0.05, 0.35],  # 8 (runner-up A: the blank is never a runner-up)
    ], np.float32)
    glyphs = glyphs_of(steps, characters)
    assert [(g.runner_up, round(g.probability, 2), round(g.runner_up_probability, 2)) for g in glyphs] == [
        ("8", 0.7, 0.15), ("8", 0.5, 0.4), ("A", 0.35, 0.3)]


def test_a_line_keeps_each_boxes_glyphs_where_its_text_lands() -> None:
    left = TextBox(((0.0, 0.0), (60.0, 0.0), (60.0, 20.0), (0.0, 20.0)), "CIF:", 0.99, 0.98,
                   _glyphs("CIF:", {1: Glyph(0.6, "1", 0.3)}))
    right = TextBox(((200.0, 0.0), (320.0, 0.0), (320.0, 20.0), (200.0, 20.0)), "RO123", 0.99, 0.97)
    (line,) = rebuild_lines([left, right])
    assert len(line.glyphs) == len(line.text)
    assert line.glyphs_of(0, 4) == left.glyphs
    assert line.glyphs_of(4, len(line.text)) == (None,) * (len(line.text) - 4)  # spaces, a box without glyphs
    (bare,) = rebuild_lines([right])
    assert bare.glyphs == () and bare.glyphs_of(0, 3) == ()


def test_a_box_has_a_glyph_for_each_character_or_none() -> None:
    polygon = ((0.0, 0.0), (60.0, 0.0), (60.0, 20.0), (0.0, 20.0))
    with pytest.raises(ValueError, match="3 glyphs for 4 characters"):
        TextBox(polygon, "CIF:", 0.99, 0.98, (SURE,) * 3)


def test_the_supplier_cif_carries_its_own_characters_glyphs() -> None:
    text = "C.I.F.: RO488394250"
    glyphs = _glyphs(text, {12: Glyph(0.5, "8", 0.46)})
    found = extract_fields([Line(text, ((0, len(text), 0.9),), glyphs)])
    assert found.supplier_cif is not None and found.supplier_cif.value == "RO488394250"
    assert found.supplier_cif.glyphs == glyphs[8:]


# RO488394250 fails its checksum; one confused digit gives three valid numbers, so the table alone cannot choose
MISREAD = "RO488394250"


def test_the_confusion_table_alone_leaves_an_ambiguous_cif_contradicted() -> None:
    assert sorted(one_digit_fixes("488394250")) == ["488304250", "488384250", "498394250"]
    assert read_cif(MISREAD) == (MISREAD, Check.CONTRADICTED)


def test_the_recognisers_second_choice_picks_the_fix() -> None:
    glyphs = _glyphs(MISREAD, {3: Glyph(0.58, "3", 0.27), 6: Glyph(0.5, "8", 0.46)})
    assert is_valid_cif("488384250")
    assert read_cif(MISREAD, glyphs=glyphs) == ("RO488384250", Check.REPAIRED)


@pytest.mark.parametrize("doubts", [
    {6: Glyph(0.92, "8", 0.04)},  # a second choice the recogniser hardly considered
    {6: Glyph(0.5, "8", 0.3), 3: Glyph(0.6, "9", 0.3)},  # two second choices, each a valid CIF, close odds
    {6: Glyph(0.5, "S", 0.46)},  # the runner-up is the same digit as read
    {5: Glyph(0.5, "7", 0.46)},  # 3 read for 7 is no common confusion, even where it would make a valid CIF
])
def test_a_second_choice_that_does_not_stand_out_changes_nothing(doubts: dict[int, Glyph]) -> None:
    assert is_valid_cif("498394250") and is_valid_cif("488794250")
    assert read_cif(MISREAD, glyphs=_glyphs(MISREAD, doubts)) == (MISREAD, Check.CONTRADICTED)


def test_runner_up_fix_needs_a_valid_checksum() -> None:
    digits = "488394250"
    not_a_cif = [Glyph(0.5, str((int(digit) + 1) % 10), 0.45) if position == 0 else None
                 for position, digit in enumerate(digits)]
    assert not is_valid_cif("588394250")
    assert runner_up_fix(digits, not_a_cif) is None
