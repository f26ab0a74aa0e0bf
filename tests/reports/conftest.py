"""Fixture ledgers for the report tests: the hand-made scenario on a few seeds."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from report_scenario import Scenario, build_scenario

from roa2web.ledger.embedded import EmbeddedLedger

SEEDS = (1, 7, 2025)


@pytest.fixture(scope="session", params=SEEDS, ids=lambda seed: f"seed{seed}")
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A two-company year written once per seed."""
    path = tmp_path_factory.mktemp("reports") / f"fixture-{request.param}.sqlite"
    return build_scenario(path, request.param)


@pytest.fixture
async def ledger(scenario: Scenario) -> AsyncIterator[EmbeddedLedger]:
    """The embedded ledger over the scenario file."""
    ledger = EmbeddedLedger(scenario.path)
    yield ledger
    await ledger.close()
