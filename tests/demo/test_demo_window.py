"""The demo window: by default the 24 months up to the current month, that month and the one before open."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from roa2web.demo import DEFAULT_MONTHS, build_demo_ledger, generate_demo_ledger
from roa2web.demo.days import months_until


def months_back(year: int, month: int, count: int) -> tuple[int, int]:
    """The month `count` months before (year, month), counted by hand."""
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return year, month


@pytest.mark.parametrize("today", [dt.date(2026, 12, 5), dt.date(2027, 1, 31), dt.date(2026, 8, 1)])
def test_the_default_window_ends_at_the_current_month_with_it_and_the_previous_open(tmp_path, today):
    path = tmp_path / "ledger.sqlite"
    summary = generate_demo_ledger(path, seed=3, today=today)
    current = (today.year, today.month)
    previous = months_back(*current, 1)
    with closing(sqlite3.connect(path)) as db:
        for company_id in (1, 2, 3):
            periods = db.execute("SELECT year, month, closed FROM r2w_periods WHERE company_id = ? "
                                 "ORDER BY year, month", (company_id,)).fetchall()
            assert len(periods) == DEFAULT_MONTHS == 24
            assert (periods[0][0], periods[0][1]) == months_back(*current, 23)
            assert [(y, m) for y, m, closed in periods if not closed] == [previous, current]
    assert (summary.first, summary.until, summary.months) == (months_back(*current, 23), current, 24)


def test_the_window_the_issue_names_spans_the_vat_change_and_two_fiscal_years():
    ledger = build_demo_ledger(seed=3, today=dt.date(2026, 12, 5))
    assert ledger.periods == [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 13)]
    assert ledger.open_periods == [(2026, 11), (2026, 12)]
    book = ledger.company(1).book
    assert all(book.is_locked(*period) for period in ledger.periods[:-2])
    assert not any(book.is_locked(*period) for period in ledger.open_periods)
    assert sorted(ledger.company(1).opening) == [2025, 2026]


def test_until_pins_the_window_whatever_the_date():
    pinned = build_demo_ledger(seed=3, until=(2025, 12), months=12, today=dt.date(2031, 5, 1))
    assert pinned.periods == [(2025, m) for m in range(1, 13)] and pinned.until == (2025, 12)
    assert months_until((2026, 2), 4) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    one = build_demo_ledger(seed=3, until=(2026, 3), months=1)
    assert one.periods == one.open_periods == [(2026, 3)]


def test_a_window_starting_mid_year_opens_the_books_in_its_first_month():
    """The profile's balances stand as the first year's 1 January balances; salaries are set from the start."""
    ledger = build_demo_ledger(seed=3, until=(2026, 3), months=6)
    assert ledger.periods[0] == (2025, 10)
    company = ledger.company(2)
    assert sorted(company.opening) == [2025, 2026]
    first = {line[6] for line in company.lines if line[5] == 2025}
    assert first == {10, 11, 12}
    assert any(line[2] == "PAYROLL" and (line[5], line[6]) == (2025, 10) for line in company.lines)
