"""Who verifies a password: local argon2 users, or ROA's own function in Oracle."""

from __future__ import annotations

import abc
import logging
from typing import override

from roa2web.appdb import AppDatabase
from roa2web.auth import store
from roa2web.auth.passwords import verify_password
from roa2web.ledger.base import Ledger, LedgerError

log = logging.getLogger("roa2web.auth")


class AuthProvider(abc.ABC):
    """Verifies a username and password and returns the local user record."""

    name: str

    @abc.abstractmethod
    async def authenticate(self, username: str, password: str) -> store.User | None:
        """The user when the credentials are right and the user is enabled, else None."""


class LocalProvider(AuthProvider):
    """Users kept in the app database with argon2 hashes (the embedded default)."""

    name = "local"

    def __init__(self, db: AppDatabase) -> None:
        self.db = db

    @override
    async def authenticate(self, username: str, password: str) -> store.User | None:
        user = await store.get_user_by_name(self.db, username)
        valid = await verify_password(user.password_hash if user else None, password)
        if not valid or user is None or user.disabled:
            return None
        return user


class OracleProvider(AuthProvider):
    """ROA verifies the password (ROA's function); rights come from the ledger contract.

    A user seen for the first time is recorded locally as a viewer of the companies ROA
    grants; an admin may add roles with `roa2web users`.
    """

    name = "oracle"

    def __init__(self, db: AppDatabase, ledger: Ledger) -> None:
        self.db = db
        self.ledger = ledger

    async def _record(self, username: str, company_ids: frozenset[int]) -> store.User:
        """The local record of a user's first login (or the one another login, tab or instance, made meanwhile)."""
        log.info("first login of ROA user %s: recorded as viewer", username)
        return await store.create_user_once(
            self.db,
            username=username,
            display_name=username.upper(),
            password_hash=None,
            roles=frozenset({"viewer"}),
            company_ids=company_ids,
            source="oracle",
        )

    @override
    async def authenticate(self, username: str, password: str) -> store.User | None:
        verify = getattr(self.ledger, "verify_user", None)
        if verify is None:
            raise LedgerError("the configured ledger cannot verify users")
        if not await verify(username, password):
            return None
        companies = await self.ledger.fetch("companies.for_user", username=username)
        company_ids = frozenset(int(row["company_id"]) for row in companies)
        user = await store.get_user_by_name(self.db, username) or await self._record(username, company_ids)
        if user.disabled:
            return None
        if user.company_ids != company_ids and not user.principal().is_admin:
            await store.update_user(self.db, user.id, company_ids=company_ids)
            return await store.get_user(self.db, user.id)
        return user
