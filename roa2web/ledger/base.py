"""The one interface both ledgers implement."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Mapping
from typing import Any

from roa2web.ledger.identity import LedgerIdentity, unknown
from roa2web.ledger.statements import STATEMENTS
from roa2web.problems import ServiceUnavailable

Row = dict[str, Any]


class LedgerError(ServiceUnavailable):
    """A ledger query failed (503: the message, which may quote SQL or paths, goes to the log only).

    A client only sees one when nothing cached could answer instead (a report's expired copy is
    served while the ledger is down).
    """

    kind = "ledger-error"
    title = "Eroare a contabilității (ROA)"
    public_detail = ("Contabilitatea (ROA) nu a putut răspunde la această cerere și nu există o copie salvată a "
                     "răspunsului; încercați din nou în curând.")


class LedgerUnavailable(LedgerError):
    """The ledger could not be reached or did not answer in time."""

    kind = "ledger-unavailable"
    title = "Contabilitatea (ROA) indisponibilă"
    public_detail = ("Contabilitatea (ROA) nu este disponibilă și nu există o copie salvată a acestui răspuns; "
                     "încercați din nou în curând.")


class Ledger(abc.ABC):
    """Read-only access to the ledger contract through named statements.

    Every statement is written once in Oracle's dialect with `:name` binds
    (see `roa2web.ledger.statements`); implementations run it as they must.
    """

    kind: str
    queries: int = 0  # statements run since start; tests use it to count ledger work
    _identity: LedgerIdentity | None = None

    @property
    def identity(self) -> LedgerIdentity:
        """Which ledger this is (`roa2web.ledger.identity`), read once: the report cache is keyed on it.

        The app reads it when it is assembled; a ledger replaced while the process runs is seen
        under its new identity after a restart.
        """
        if self._identity is None:
            self._identity = self._read_identity()
        return self._identity

    def _read_identity(self) -> LedgerIdentity:
        """The identity of a ledger that cannot name itself: its own, shared with no other process."""
        return unknown(self.kind)

    async def fetch(self, statement: str, **binds: Any) -> list[Row]:
        """Run the named statement with `binds` and return its rows as dicts (lower-case keys)."""
        if statement not in STATEMENTS:
            raise KeyError(f"unknown ledger statement {statement!r}")
        self.queries += 1
        return await self._fetch(statement, STATEMENTS[statement], binds)

    @abc.abstractmethod
    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]: ...

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise LedgerUnavailable unless the ledger answers a trivial query in time."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Figures for /health (pool sizes, path, ...)."""

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Open pools or connections; the default needs nothing."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release pools or connections."""


def as_date(value: Any) -> dt.date:
    """Normalize a ledger date (ISO text from SQLite, datetime from Oracle) to a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
