"""The ledger: ROA's books, read through the ledger contract (Oracle or the embedded SQLite)."""

from roa2web.ledger.base import Ledger, LedgerError, LedgerUnavailable, Row

__all__ = ["Ledger", "LedgerError", "LedgerUnavailable", "Row"]
