"""OracleProvider: ROA verifies the password and grants the companies; the local record follows.

The ledger below is a fake at the wire to Oracle: it answers `verify_user` (ROA's function) and
the `companies.for_user` statement from in-memory ROA data, the way OracleLedger would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from roa2web.appdb import apply_migrations, open_database
from roa2web.auth import store
from roa2web.auth.providers import OracleProvider
from roa2web.ledger.base import Ledger, LedgerError, LedgerUnavailable, Row
from roa2web.ledger.identity import LedgerIdentity
from tests.support.data_entry import ENGINES, wipe_postgres


class RoaLedger(Ledger):
    """ROA's users and rights in memory: passwords per upper-case user, company ids per user."""

    kind = "oracle"

    def __init__(self, passwords: dict[str, str], rights: dict[str, list[int]]) -> None:
        super().__init__()
        self.passwords = passwords
        self.rights = rights
        self.verified: list[str] = []
        self.down = False

    async def verify_user(self, username: str, password: str) -> bool:
        if self.down:
            raise LedgerUnavailable("Oracle did not answer")
        self.verified.append(username)
        return self.passwords.get(username.upper()) == password

    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        assert name == "companies.for_user", name
        companies = self.rights.get(str(binds["username"]).upper(), [])
        return [{"company_id": company_id, "name": f"Firma {company_id}", "cif": "", "vat_payer": 1}
                for company_id in companies]

    async def _health_query(self) -> LedgerIdentity:
        return self.identity

    def stats(self) -> dict[str, Any]:
        return {"kind": self.kind, "queries": self.queries}


@pytest.fixture
def roa() -> RoaLedger:
    return RoaLedger({"POPESCU": "parola-roa", "ADMIN": "admin-roa"}, {"POPESCU": [1, 3], "ADMIN": [1]})


@pytest.fixture
def db(app):
    return app.extensions["roa2web"].app_db


async def test_first_login_records_a_viewer_of_the_granted_companies(db, roa):
    provider = OracleProvider(db, roa)
    user = await provider.authenticate("Popescu", "parola-roa")
    assert user is not None
    assert (user.username, user.display_name, user.source) == ("popescu", "POPESCU", "oracle")
    assert user.roles == frozenset({"viewer"}) and user.company_ids == frozenset({1, 3})
    assert user.password_hash is None  # the password stays ROA's
    again = await provider.authenticate("POPESCU", "parola-roa")
    assert again is not None and again.id == user.id  # recorded once
    assert len(await store.list_users(db)) == 1


async def test_wrong_password_or_unknown_user_creates_nothing(db, roa):
    provider = OracleProvider(db, roa)
    assert await provider.authenticate("popescu", "greșită") is None
    assert await provider.authenticate("ionescu", "parola-roa") is None
    assert await store.list_users(db) == []
    assert roa.queries == 0  # rights are read only after ROA accepted the password


async def test_rights_follow_roa_at_every_login_except_for_admins(db, roa):
    provider = OracleProvider(db, roa)
    first = await provider.authenticate("popescu", "parola-roa")
    assert first is not None
    roa.rights["POPESCU"] = [2]
    synced = await provider.authenticate("popescu", "parola-roa")
    assert synced is not None and synced.company_ids == frozenset({2})
    assert (await store.get_user(db, first.id)).company_ids == frozenset({2})

    admin = await store.create_user(db, username="admin", display_name="Admin", password_hash=None,
                                    roles=frozenset({"admin"}), company_ids=None, source="oracle")
    kept = await provider.authenticate("admin", "admin-roa")
    assert kept is not None and kept.id == admin.id and kept.company_ids is None  # an admin sees all


async def test_a_disabled_user_is_refused_even_with_the_right_password(db, roa):
    provider = OracleProvider(db, roa)
    user = await provider.authenticate("popescu", "parola-roa")
    assert user is not None
    await store.update_user(db, user.id, disabled=True)
    assert await provider.authenticate("popescu", "parola-roa") is None


async def test_ledger_failures_propagate_and_a_ledger_without_verify_user_is_refused(db, roa, demo_ledger_path):
    from roa2web.ledger.embedded import EmbeddedLedger

    roa.down = True
    with pytest.raises(LedgerUnavailable):
        await OracleProvider(db, roa).authenticate("popescu", "parola-roa")
    embedded = EmbeddedLedger(demo_ledger_path)
    try:
        with pytest.raises(LedgerError, match="cannot verify users"):
            await OracleProvider(db, embedded).authenticate("admin", "x")
    finally:
        await embedded.close()


async def test_login_over_http_with_roa_credentials(app, client, roa):
    """The whole door: /api/auth/login with the Oracle provider answers tokens for ROA's companies."""
    auth = app.extensions["roa2web"].auth
    auth.provider = OracleProvider(auth.db, roa)
    response = await client.post("/api/auth/login", json={"username": "popescu", "password": "parola-roa"})
    assert response.status_code == 200, await response.get_data()
    body = await response.get_json()
    assert body["user"]["roles"] == ["viewer"] and sorted(body["user"]["company_ids"]) == [1, 3]
    companies = await client.get("/api/companies", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert [company["id"] for company in await companies.get_json()] == [1, 3]
    refused = await client.post("/api/auth/login", json={"username": "popescu", "password": "nu"})
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"


async def test_oracle_users_sessions_follow_their_local_record(app, client, roa):
    """AUTH_PROVIDER=oracle: the token version lives in the local record ROA's first login made.

    New rights from ROA (seen at a login) end the older access tokens; `roa2web users logout`
    (`end_sessions`, e.g. after the password changed in ROA, which we cannot see) and disable end all.
    """
    auth = app.extensions["roa2web"].auth
    auth.provider = OracleProvider(auth.db, roa)

    async def log_in() -> dict[str, str]:
        response = await client.post("/api/auth/login", json={"username": "popescu", "password": "parola-roa"})
        assert response.status_code == 200, await response.get_data()
        return await response.get_json()

    async def companies(tokens: dict[str, str]) -> int:
        reply = await client.get("/api/companies", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        return reply.status_code

    first = await log_in()
    assert await companies(first) == 200
    roa.rights["POPESCU"] = [1]  # ROA took company 3 away
    second = await log_in()
    assert await companies(first) == 401  # still says companies 1 and 3
    assert await companies(second) == 200
    assert await log_in() and await companies(second) == 200  # a login with unchanged rights ends nothing

    user = await store.get_user_by_name(auth.db, "popescu")
    assert user is not None and user.source == "oracle"
    assert await auth.end_sessions(user.id)
    assert await companies(second) == 401
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert refreshed.status_code == 401
    third = await log_in()
    await auth.set_disabled(user.id, True)
    assert await companies(third) == 401
    refused = await client.post("/api/auth/login", json={"username": "popescu", "password": "parola-roa"})
    assert refused.status_code == 401


@pytest.fixture(params=ENGINES)
async def any_db(request, tmp_path):
    """An app database with the auth tables, on SQLite or on the real PostgreSQL."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_database")
        wipe_postgres(url)
    database = open_database(url)
    await database.aio_connect()
    await apply_migrations(database, "auth", store.MIGRATIONS)
    yield database
    await database.aio_close()


async def test_two_first_logins_at_once_record_the_user_once(any_db, roa):
    """Two tabs (or two instances on one PostgreSQL) log a new ROA user in at the same moment."""
    provider = OracleProvider(any_db, roa)
    first, second = await asyncio.gather(provider.authenticate("popescu", "parola-roa"),
                                         provider.authenticate("POPESCU", "parola-roa"))
    assert first is not None and second is not None and first.id == second.id
    assert [user.username for user in await store.list_users(any_db)] == ["popescu"]
