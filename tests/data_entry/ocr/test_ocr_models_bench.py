"""scripts/bench/ocr_models.py: other PP-OCR model files read the same photos beside the bundled ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from roa2web.data_entry.ocr.rapid_engine import ModelFiles
from scripts.bench.ocr_models import EngineRun, main, other_models, report


def test_only_the_files_given_replace_the_bundled_ones(tmp_path: Path) -> None:
    bundled = ModelFiles.bundled()
    rec, keys = tmp_path / "rec.onnx", tmp_path / "keys.txt"
    assert other_models(rec, keys, None) == ModelFiles(bundled.det, rec, bundled.cls, keys)
    assert other_models(None, None, tmp_path / "det.onnx") == ModelFiles(tmp_path / "det.onnx", bundled.rec,
                                                                         bundled.cls)


def test_the_report_counts_what_each_reads_and_what_only_the_other_reads() -> None:
    bundled = EngineRun(frozenset({1, 2, 3}), (1.0, 2.0, 3.0))
    other = EngineRun(frozenset({3, 4}), (0.5, 0.5, 0.9))
    lines = report(5, bundled, other)
    assert lines[0].startswith("bundled  all four on 3 of 5, median 2.00 s")
    assert lines[1].startswith("other    all four on 2 of 5, median 0.50 s")
    assert lines[2] == "both 1, only bundled 2, only the other 1: either 4 of 5"
    assert lines[3] == "only the other (seeds): [4]"


def test_models_must_be_named() -> None:
    with pytest.raises(SystemExit):
        main(["--count", "1"])


@pytest.mark.slow
def test_the_bundled_recogniser_against_itself_reads_the_same_photos(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rec", str(ModelFiles.bundled().rec), "--count", "1", "--levels", "clean"]) == 0
    printed = capsys.readouterr().out
    assert "[tuning / clean] n=1" in printed
    assert "only the other 0" in printed and "only bundled 0" in printed
