"""scripts/bench/ocr_bench.py --quick runs end to end on the varied sets and writes its figures.

Not a benchmark and no accuracy threshold: it only checks that every split and level is read and reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.bench.ocr_bench import main
from tests.support.receipts.scoring import SCORED_FIELDS


@pytest.mark.slow
def test_the_quick_bench_reports_every_split_and_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "ocr.json"
    assert main(["--quick", "--levels", "hard", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(figures["groups"]) == {"tuning/hard", "held_aside/hard"}
    for group in figures["groups"].values():
        assert group["count"] == 1 and set(group["rates"]) == {"all_four", *SCORED_FIELDS}
        assert 0 <= group["wrong_confident_rate"] <= 1 and 0 < group["median_s"] <= group["p90_s"]
    assert figures["peak_rss_mb"] > 0
    printed = capsys.readouterr().out
    assert "[held_aside / hard]" in printed and "peak RSS" in printed
