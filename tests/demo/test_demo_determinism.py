"""Same seed -> byte-identical file (invariant 11b); the PRNG is ours and matches its reference."""

from __future__ import annotations

import hashlib

from roa2web.demo import generate_demo_ledger
from roa2web.demo.prng import Prng


def test_same_seed_gives_the_same_bytes(tmp_path, ledger_cases):
    reference = ledger_cases["two_years"]
    again = generate_demo_ledger(tmp_path / "again.sqlite", **reference.args)
    assert again.sha256 == reference.summary.sha256
    assert (tmp_path / "again.sqlite").read_bytes() == reference.path.read_bytes()
    assert again.sha256 == hashlib.sha256(reference.path.read_bytes()).hexdigest()


def test_regenerating_in_place_replaces_the_file(tmp_path):
    path = tmp_path / "ledger.sqlite"
    first = generate_demo_ledger(path, seed=5, until=(2025, 2), months=2)
    second = generate_demo_ledger(path, seed=5, until=(2025, 2), months=2)
    assert first.sha256 == second.sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite"]  # no temporary file left behind


def test_another_seed_gives_another_ledger(tmp_path, ledger_cases):
    reference = ledger_cases["one_year"]
    other = generate_demo_ledger(tmp_path / "other.sqlite", **{**reference.args, "seed": reference.args["seed"] + 1})
    assert other.sha256 != reference.summary.sha256
    assert other.line_count != reference.summary.line_count or other.size_bytes != reference.summary.size_bytes


def test_summary_matches_the_file(case):
    rows = case.db.rows("SELECT COUNT(*) FROM r2w_journal_lines")[0][0]
    invoices = case.db.rows("SELECT COUNT(*) FROM r2w_invoices")[0][0]
    assert case.summary.line_count == rows == case.memory.line_count
    assert case.summary.invoice_count == invoices
    assert case.summary.companies == 3
    assert case.summary.size_bytes == case.path.stat().st_size


def test_lines_per_month_scales_the_volume(ledger_cases):
    scaled = ledger_cases["scaled"]
    target = scaled.args["lines_per_month"] * scaled.args["months"]
    assert abs(scaled.summary.line_count - target) <= target * 0.15
    base = ledger_cases["one_year"].summary.line_count / 12
    assert 400 <= base <= 900  # the §9 volumes: ~600 lines a month for the three companies


def test_prng_matches_the_xoshiro256starstar_reference():
    prng = Prng.from_state(1, 2, 3, 4)
    assert [prng.next_u64() for _ in range(4)] == [11520, 0, 1509978240, 1215971899390074240]


def test_prng_streams_are_reproducible_and_bounded():
    first, second = Prng(2025, 1, 7), Prng(2025, 1, 7)
    draws = [first.between(15, 40) for _ in range(2000)]
    assert draws == [second.between(15, 40) for _ in range(2000)]
    assert set(draws) == set(range(15, 41))
    assert [Prng(2025, 1, 8).next_u64() for _ in range(3)] != [Prng(2025, 1, 7).next_u64() for _ in range(3)]
    parts = Prng(3).split(1_000_00, 7)
    assert sum(parts) == 1_000_00 and len(parts) == 7 and min(parts) > 0
