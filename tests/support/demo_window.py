"""The window the shared test ledger is pinned to, so that no test depends on the clock's month.

2025-01..2026-01: the whole of 2025 (both VAT regimes) with November 2025 closed, December 2025
and January 2026 open (the last two months of a demo ledger stay open).
"""

from __future__ import annotations

UNTIL = (2026, 1)
MONTHS = 13
