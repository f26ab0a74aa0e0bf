"""scripts/bench/load.py, chaos.py, export_xlsx.py, backup_restore.py and ocr_mixed_load.py keep working: run
short, their JSON figures read back.

Not a benchmark: nothing here depends on the machine's speed, only on what the scripts found.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "scripts" / "bench"
pytestmark = pytest.mark.slow


def run_script(name: str, args: list[str], out: Path) -> dict:
    """`python scripts/bench/NAME ARGS --json OUT`, its figures."""
    done = subprocess.run([sys.executable, str(BENCH / name), *args, "--json", str(out)], capture_output=True,
                          text=True, timeout=1200, check=False)
    assert out.exists(), f"{name} wrote no figures ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.timeout(1500)
def test_load_quick_runs_the_mix_without_errors(tmp_path: Path):
    result = run_script("load.py", ["--quick", "--think-ms", "100"], tmp_path / "load.json")
    assert result["requests"] > 0 and result["errors"] == 0, result["routes"]
    cached = [row for route, row in result["routes"].items() if route.endswith("(cached)")]
    assert cached and all(set(row["cache"]) == {"HIT-L1"} for row in cached), cached
    assert all(row["errors"] == 0 for row in result["routes"].values())
    assert result["rss_mb"]["series"] and result["rss_mb"]["max"] > 0
    assert result["server_exit_code"] == 0


def test_load_refuses_a_non_loopback_target():
    sys.path.insert(0, str(BENCH))
    try:
        from live_server import require_loopback
    finally:
        sys.path.remove(str(BENCH))
    assert require_loopback("127.0.0.1") == "127.0.0.1" and require_loopback("::1") == "::1"
    for host in ("0.0.0.0", "10.0.0.5", "192.168.1.10", "example.com"):
        with pytest.raises(SystemExit, match="non-loopback"):
            require_loopback(host)


@pytest.mark.timeout(1500)
def test_chaos_two_rounds_lose_and_duplicate_nothing(tmp_path: Path):
    result = run_script("chaos.py", ["--rounds", "2", "--skip-ledger"], tmp_path / "chaos.json")
    kill = result["kill"]
    assert kill["lost"] == [] and kill["not_done"] == {}, kill
    assert kill["export_problems"] == {} and kill["ocr_run_problems"] == {}
    assert kill["duplicate_receipts"] == [] and kill["missing_receipts"] == [] and kill["history_twice"] == []
    assert kill["vat_line_problems"] == []
    assert kill["integrity"] and set(kill["integrity"].values()) == {"ok"}, kill["integrity"]
    assert {"app.db", "receipts.db", "queue.db", "cache.db", "ledger-demo.sqlite"} <= set(kill["integrity"])
    assert kill["ok"]
    disk = result["disk"]
    if "skipped" not in disk:  # needs root on Linux to mount the small file system
        assert disk["ok"], disk
        assert {row["status"] for row in disk["while_full"].values()} <= {"200", "507"}
    assert result["ok"]


@pytest.mark.timeout(600)
def test_export_bench_runs_every_writer_side_by_side(tmp_path: Path):
    result = run_script("export_xlsx.py", ["--rows", "2000", "--pdf-rows", "300"], tmp_path / "export.json")
    cases = result["cases"]
    assert set(cases) == {"xlsx (XlsxWriter constant_memory)", "xlsx (openpyxl write-only)", "csv", "pdf",
                          "4 x xlsx at once (threads)"}
    assert [name for name, row in cases.items() if row["chosen"]] == ["xlsx (XlsxWriter constant_memory)"]
    for name, row in cases.items():
        assert row["rows"] == row["expected_rows"] and row["all_rows"] == [row["rows"]] * row["copies"], name
        assert row["progress_increasing"] and row["file_mb"] > 0 and row["rss_start_mb"] > 0, name
    assert cases["4 x xlsx at once (threads)"]["copies"] == 4
    assert cases["pdf"]["rows"] < cases["csv"]["rows"] and cases["csv"]["rows"] >= 2000
    assert {"xlsx_seconds_ok", "xlsx_rss_ok", "four_rss_ok", "fastest_xlsx_writer"} <= set(result)


@pytest.mark.timeout(900)
def test_backup_restore_bench_restores_what_it_archived(tmp_path: Path):
    result = run_script("backup_restore.py", ["--receipts", "2", "--runs", "1"], tmp_path / "backup.json")
    assert result["archive_files"] == 7 + 2  # 5 databases, jwt-secret and the export; the 2 photos
    assert result["archive_mb"] > 0 and result["backup_s"]["runs"] and result["restore_s"]["runs"]
    assert result["restored_integrity"] == "ok"


@pytest.mark.timeout(900)
def test_ocr_mixed_load_measures_each_configuration_alone_and_under_ocr(tmp_path: Path):
    # "worker": the photos are read by a `roa2web worker` process the bench starts beside the server
    result = run_script("ocr_mixed_load.py", ["--quick", "--config", "base=", "--config",
                                              "worker=QUEUE_IN_PROCESS=false,OCR_THREADS=1"], tmp_path / "ocrmix.json")
    assert set(result["configs"]) == {"base", "worker"} and result["ocr_in_flight"] == 2
    assert result["configs"]["worker"]["settings"] == {"QUEUE_IN_PROCESS": "false", "OCR_THREADS": "1"}
    for name, config in result["configs"].items():
        (row,) = config["rounds"]
        for phase in ("alone", "mixed"):
            assert row[phase]["requests"] > 0 and row[phase]["errors"] == 0 and row[phase]["not_l1"] == 0, (name, row)
        assert row["mixed"]["ocr_errors"] == 0 and row["mixed"]["ocr_failed"] == 0, (name, row)
        assert {"alone_p50", "alone_p99", "mixed_p50", "mixed_p99", "p99_ratio", "rate_ratio", "ocr_per_s"} <= set(
            config["median"])
