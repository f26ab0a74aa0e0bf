"""The calibration fit (scripts/bench/ocr_calibrate.py): thin bands pooled, confidence rising with the score."""

from __future__ import annotations

from scripts.bench.ocr_calibrate import MIN_BAND, Outcome, fit, fit_bands, wilson_lower


def test_a_band_of_a_few_readings_is_pooled_with_the_band_below() -> None:
    samples = [(0.85, True)] * 40 + [(0.92, False)] * 2 + [(0.97, True)] * 60
    bands = fit_bands(samples)
    assert [lowest for lowest, _ in bands] == [0.0, 0.95]  # the 2 readings at 0.90-0.95 joined 0.80-0.90
    assert bands[0][1] == round(wilson_lower(40, 42), 3)
    assert bands[1][1] == round(wilson_lower(60, 60), 3)
    assert MIN_BAND > 2


def test_confidence_never_falls_as_the_score_rises() -> None:
    samples = [(0.5, True)] * 30 + [(0.7, False)] * 15 + [(0.7, True)] * 15 + [(0.96, True)] * 50
    confidences = [confidence for _, confidence in fit_bands(samples)]
    assert confidences == sorted(confidences) and len(confidences) >= 2


def test_a_field_seen_a_few_times_with_a_check_is_never_surer_than_that_check_over_all_fields() -> None:
    found = [Outcome(("date", "contradicted"), 0.99, False)] * 30 + [Outcome(("total", "contradicted"), 0.99, True)] * 6
    bands = fit(found)
    assert bands["total", "contradicted"] == ((0.0, bands["*", "contradicted"][0][1]),)
    assert bands["total", "contradicted"][0][1] < round(wilson_lower(6, 6), 3)
