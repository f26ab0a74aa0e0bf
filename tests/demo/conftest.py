"""Generated demo ledgers, once per session: three shapes, each as a file and in memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from roa2web.demo import DemoLedger, DemoSummary, build_demo_ledger, generate_demo_ledger
from tests.demo.demo_sql import LedgerFile

CASES: dict[str, dict[str, Any]] = {
    "one_year": {"seed": 2025, "until": (2025, 12), "months": 12, "lines_per_month": None},
    "two_years": {"seed": 11, "until": (2026, 12), "months": 24, "lines_per_month": None},
    "scaled": {"seed": 7, "until": (2025, 2), "months": 2, "lines_per_month": 20_000},
}


@dataclass
class LedgerCase:
    """One generated ledger: its arguments, file, summary, and the same data in memory."""

    name: str
    args: dict[str, Any]
    path: Path
    summary: DemoSummary
    memory: DemoLedger
    db: LedgerFile


@pytest.fixture(scope="session")
def ledger_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LedgerCase]:
    cases = {}
    for name, args in CASES.items():
        path = tmp_path_factory.mktemp(f"demo-{name}") / "ledger.sqlite"
        summary = generate_demo_ledger(path, **args)
        cases[name] = LedgerCase(name, args, path, summary, build_demo_ledger(**args), LedgerFile(path))
    return cases


@pytest.fixture(params=list(CASES))
def case(request: pytest.FixtureRequest, ledger_cases: dict[str, LedgerCase]) -> LedgerCase:
    """Each generated ledger in turn."""
    return ledger_cases[request.param]


@pytest.fixture
def two_years(ledger_cases: dict[str, LedgerCase]) -> LedgerCase:
    """The 24-month ledger (2025 and 2026)."""
    return ledger_cases["two_years"]
