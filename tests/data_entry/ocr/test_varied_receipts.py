"""The varied receipt generator (tests/support/receipts/): deterministic, a clean seed split, every label,
layout, font and degradation really produced, images that decode, and truths whose arithmetic holds.

No OCR here: the generator's figures are the benchmark's baseline (scripts/bench/ocr_bench.py), not a target.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from roa2web.accounting.cif import is_valid_cif
from roa2web.accounting.vat import VAT_CHANGE_2025, is_rate_valid_on, vat_from_gross
from tests.support.receipts import fonts
from tests.support.receipts.content import PAPERS, make_varied_receipt
from tests.support.receipts.fonts import FONT_NAMES, FontMissingError, ReceiptFont, load_font
from tests.support.receipts.labels import (
    BUYER_LABELS,
    CIF_LABELS,
    PAYMENT_METHODS,
    TOTAL_LABELS,
    VAT_LINE_FORMATS,
    VAT_TOTAL_LABELS,
)
from tests.support.receipts.sets import (
    HELD_ASIDE_SEEDS,
    LEVELS,
    SPLITS,
    TUNING_SEEDS,
    photo_plan,
    split_of,
    varied_sample,
    varied_set,
)

CONTENT_SEEDS = range(TUNING_SEEDS.start, TUNING_SEEDS.start + 300)
HARD_DEGRADATIONS = {"faded", "fold", "crumple", "perspective", "clutter", "shadow", "motion_blur", "low_resolution",
                     "rot90", "rot180", "rot270", "jpeg40"}


def test_the_tuning_and_held_aside_seed_ranges_are_disjoint_and_sets_stay_inside_them():
    assert set(SPLITS) == {"tuning", "held_aside"}
    assert not set(TUNING_SEEDS) & set(HELD_ASIDE_SEEDS)
    assert split_of(TUNING_SEEDS.start) == "tuning" and split_of(HELD_ASIDE_SEEDS[-1]) == "held_aside"
    with pytest.raises(ValueError, match="neither split"):
        split_of(0)
    for split in SPLITS:
        assert {split_of(sample.seed) for sample in varied_set(split, "clean", 2, start=5)} == {split}


@pytest.mark.parametrize("level", LEVELS)
def test_a_seed_always_gives_the_same_image(level: str):
    first, again = varied_sample(HELD_ASIDE_SEEDS.start + 3, level), varied_sample(HELD_ASIDE_SEEDS.start + 3, level)
    assert first.data == again.data and first.truth == again.truth and first.degradations == again.degradations
    assert varied_sample(HELD_ASIDE_SEEDS.start + 4, level).data != first.data


def test_every_truth_adds_up_and_its_cifs_check():
    for seed in CONTENT_SEEDS:
        truth = make_varied_receipt(seed).truth
        assert sum(item.value_bani for item in truth.items) == truth.total_bani, seed
        assert sum(group.gross_bani for group in truth.vat_groups) == truth.total_bani, seed
        for group in truth.vat_groups:
            assert group.vat_bani == vat_from_gross(group.gross_bani, group.rate), seed
            assert group.base_bani + group.vat_bani == group.gross_bani, seed
            assert is_rate_valid_on(group.rate, truth.date) and group.rate > 0, (seed, group, truth.date)
            assert sum(item.value_bani for item in truth.items if item.letter == group.letter) == group.gross_bani
        assert len({group.rate for group in truth.vat_groups}) == len(truth.vat_groups), seed
        base = sum(group.base_bani for group in truth.vat_groups)
        assert base + sum(group.vat_bani for group in truth.vat_groups) == truth.total_bani, seed
        assert is_valid_cif(truth.supplier_cif), seed
        assert truth.buyer_cif is None or is_valid_cif(truth.buyer_cif), seed


def test_every_label_variant_layout_and_regime_appears_and_is_printed():
    seen: Counter[str] = Counter()
    for seed in CONTENT_SEEDS:
        receipt = make_varied_receipt(seed)
        truth, labels = receipt.truth, receipt.labels
        text = "\n".join(f"{row.left} {row.right}" for row in receipt.rows)
        for label in (labels.cif, labels.total, labels.vat_total, labels.buyer if truth.buyer_cif else labels.cif,
                      labels.payment, *(labels.vat_row(group.letter, group.rate) for group in truth.vat_groups)):
            assert label in text, (seed, label)
        assert all(len(row.left) + len(row.right) < receipt.width for row in receipt.rows), seed
        seen.update({f"cif:{labels.cif}", f"total:{labels.total}", f"vat_total:{labels.vat_total}",
                     f"vat_line:{labels.vat_line}", f"pay:{truth.payment_method}", f"paper:{receipt.paper}",
                     f"rates:{len(truth.vat_groups)}", f"buyer:{truth.buyer_cif is not None}",
                     f"regime:{truth.date >= VAT_CHANGE_2025}", f"year:{truth.date.year}"})
        if truth.buyer_cif:
            seen[f"buyer_label:{labels.buyer}"] += 1
    wanted = {*(f"cif:{label}" for label in CIF_LABELS), *(f"total:{label}" for label in TOTAL_LABELS),
              *(f"vat_total:{label}" for label in VAT_TOTAL_LABELS), *(f"vat_line:{fmt}" for fmt in VAT_LINE_FORMATS),
              *(f"buyer_label:{label}" for label in BUYER_LABELS), *(f"pay:{method}" for method in PAYMENT_METHODS),
              *(f"paper:{paper}" for paper in PAPERS), "rates:1", "rates:2", "rates:3", "buyer:True", "buyer:False",
              "regime:True", "regime:False", "year:2024", "year:2025", "year:2026"}
    assert wanted <= set(seen), sorted(wanted - set(seen))


def test_every_font_is_used_and_clean_images_decode():
    samples = varied_set("tuning", "clean", 24)
    assert {sample.font for sample in samples} == set(FONT_NAMES)
    for sample in samples:
        image = Image.open(io.BytesIO(sample.data))
        assert image.format == "PNG" and min(image.size) > 300


def test_every_hard_degradation_is_planned_across_a_set_and_photos_carry_their_plan():
    seen = {name for seed in TUNING_SEEDS[:40] for name in photo_plan(seed, "hard").names}
    assert seen >= HARD_DEGRADATIONS, sorted(HARD_DEGRADATIONS - seen)
    assert all({"perspective", "uneven_light"} <= set(photo_plan(seed, "degraded").names)
               for seed in HELD_ASIDE_SEEDS[:40])
    assert max(photo_plan(seed, "hard").tilt for seed in TUNING_SEEDS[:40]) > 20
    turned = next(seed for seed in TUNING_SEEDS if photo_plan(seed, "hard").turns in (1, 3))
    images = {}
    for sample in (varied_sample(turned, "hard"), varied_sample(HELD_ASIDE_SEEDS.start, "degraded")):
        assert sample.degradations == photo_plan(sample.seed, sample.level).names
        images[sample.level] = Image.open(io.BytesIO(sample.data))
        images[sample.level].load()
        assert images[sample.level].format == "JPEG" and min(images[sample.level].size) > 200
    assert images["hard"].width > images["hard"].height, f"seed {turned} is turned a quarter: wider than tall"


def test_a_missing_font_is_an_error_naming_its_package(monkeypatch: pytest.MonkeyPatch, tmp_path):
    absent = ReceiptFont("absent-mono", tmp_path / "Absent.ttf", tmp_path / "Absent-Bold.ttf", "fonts-absent", True)
    monkeypatch.setitem(fonts.FONTS, absent.name, absent)
    with pytest.raises(FontMissingError, match="fonts-absent"):
        load_font(absent.name, 20)
