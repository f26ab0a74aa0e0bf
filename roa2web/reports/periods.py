"""Which months of each company are closed, kept in memory to pick a cached report's lifetime.

A report whose last month is closed (and every month before it too) cannot change any more and
is cached for REPORTS_TTL_CLOSED_S; one touching an open month for REPORTS_TTL_OPEN_S. Asking the
ledger on every request would cost a query even on a cache hit, so the calendar of each company
is kept here: the first request of a company waits for it (at most `wait_s`), later ones read it
from memory and refresh it in the background once it is older than `refresh_s`. When the ledger
cannot answer, a company whose calendar is unknown counts as open (the shorter lifetime).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from roa2web.companies import calendar_of
from roa2web.dates import today as firm_today
from roa2web.ledger.base import Ledger

log = logging.getLogger("roa2web.reports.periods")
Month = tuple[int, int]


def closed_through(periods: list[tuple[int, int, bool]]) -> Month | None:
    """The last month up to which every month is closed (None when the first one is open).

    `periods` are (year, month, closed) in any order.
    """
    last: Month | None = None
    for year, month, closed in sorted(periods):
        if not closed:
            break
        last = (year, month)
    return last


class PeriodStates:
    """Per company, the month through which the books are closed; read without awaiting once known."""

    def __init__(
        self,
        ledger: Ledger,
        *,
        refresh_s: float = 60.0,
        wait_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ledger = ledger
        self._refresh_s = refresh_s
        self._wait_s = wait_s
        self._clock = clock
        self._known: dict[int, tuple[float, Month | None]] = {}
        self._loading: dict[int, asyncio.Task[None]] = {}

    def known_closed(self, company_id: int, month: Month) -> bool | None:
        """Whether `month` and every month before it are closed; None when the calendar is not known yet.

        Never waits: an old calendar is answered from and refreshed in the background.
        """
        known = self._known.get(company_id)
        if known is None:
            return None
        loaded_at, through = known
        if self._clock() - loaded_at > self._refresh_s:
            self._load(company_id)
        return through is not None and month <= through

    async def is_closed(self, company_id: int, month: Month) -> bool:
        """Like `known_closed`, but waits (at most `wait_s`) for an unknown calendar; False if it fails."""
        state = self.known_closed(company_id, month)
        if state is not None:
            return state
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._load(company_id)), self._wait_s)
        return bool(self.known_closed(company_id, month))

    def forget(self, company_id: int | None = None) -> None:
        """Drop the calendar of `company_id` (None: every company), e.g. after a period was reopened."""
        if company_id is None:
            self._known.clear()
        else:
            self._known.pop(company_id, None)

    async def close(self) -> None:
        """Cancel background refreshes (at shutdown)."""
        tasks = list(self._loading.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _load(self, company_id: int) -> asyncio.Task[None]:
        task = self._loading.get(company_id)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch(company_id))
            self._loading[company_id] = task
            task.add_done_callback(lambda _: self._loading.pop(company_id, None))
        return task

    async def _fetch(self, company_id: int) -> None:
        try:
            calendar = await calendar_of(self._ledger, company_id, today=firm_today())
        except Exception as exc:  # the ledger is down: keep what we knew, retry after refresh_s
            log.warning("calendar of company %s unavailable: %s", company_id, exc)
            old = self._known.get(company_id)
            if old is not None:
                self._known[company_id] = (self._clock(), old[1])
            return
        periods = [(p.year, p.month, p.closed) for p in calendar.periods]
        self._known[company_id] = (self._clock(), closed_through(periods))
