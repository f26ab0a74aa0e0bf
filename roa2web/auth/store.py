"""Users and refresh tokens in the app database. All SQL of the auth module lives here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import peewee
from peewee_async import AioModel

from roa2web.appdb import AppDatabase, Migration
from roa2web.auth.principal import Principal, format_company_ids, parse_company_ids

MIGRATIONS = (
    Migration(
        1,
        "users and refresh tokens",
        (
            """CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                email TEXT,
                password_hash TEXT,
                roles TEXT NOT NULL,
                company_ids TEXT NOT NULL,
                source TEXT NOT NULL,
                disabled BOOLEAN NOT NULL,
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE refresh_tokens (
                id TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES users (id),
                issued_at TIMESTAMP NOT NULL,
                expires_at TIMESTAMP NOT NULL,
                spent_at TIMESTAMP,
                revoked_at TIMESTAMP
            )""",
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
        ),
    ),
    Migration(
        2,
        "per-user token version; refresh tokens by user",
        (
            "ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
        ),
    ),
)
# A change to one of these ends the user's access tokens (`update_user` raises the token version).
SESSION_COLUMNS = frozenset({"password_hash", "disabled", "roles", "company_ids"})


class UserRow(AioModel):
    """A local user: credentials, roles, companies, state."""

    id = peewee.TextField(primary_key=True)
    username = peewee.TextField(unique=True)
    display_name = peewee.TextField()
    email = peewee.TextField(null=True)
    password_hash = peewee.TextField(null=True)
    roles = peewee.TextField()
    company_ids = peewee.TextField()
    source = peewee.TextField()
    disabled = peewee.BooleanField()
    token_version = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "users"


class RefreshTokenRow(AioModel):
    """A refresh token (stored hashed) of a rotation family."""

    id = peewee.TextField(primary_key=True)
    token_hash = peewee.TextField(unique=True)
    family_id = peewee.TextField()
    user_id = peewee.TextField()
    issued_at = peewee.DateTimeField()
    expires_at = peewee.DateTimeField()
    spent_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "refresh_tokens"


@dataclass(frozen=True)
class User:
    """A user record as the domain uses it."""

    id: str
    username: str
    display_name: str
    email: str | None
    password_hash: str | None
    roles: frozenset[str]
    company_ids: frozenset[int] | None
    source: str
    disabled: bool
    token_version: int = 0  # access tokens carry it; raised when a session column changes

    def principal(self) -> Principal:
        """The identity tokens carry for this user."""
        return Principal(self.id, self.username, self.display_name, self.roles, self.company_ids)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        email=row.email,
        password_hash=row.password_hash,
        roles=frozenset(r for r in row.roles.split(",") if r),
        company_ids=parse_company_ids(row.company_ids),
        source=row.source,
        disabled=bool(row.disabled),
        token_version=int(row.token_version),
    )


@dataclass(frozen=True)
class UserState:
    """What an access token is checked against on each request."""

    token_version: int
    disabled: bool


async def get_user_by_name(db: AppDatabase, username: str) -> User | None:
    """The user with this (case-insensitive) name."""
    rows = await UserRow.select().where(UserRow.username == username.lower()).aio_execute(db)
    return _user(rows[0]) if rows else None


async def users_with_email(db: AppDatabase, email: str) -> list[User]:
    """The users whose e-mail is `email` (compared case-insensitively), by name."""
    rows = await (UserRow.select().where(peewee.fn.LOWER(UserRow.email) == email.strip().lower())
                  .order_by(UserRow.username).aio_execute(db))
    return [_user(row) for row in rows]


async def get_user(db: AppDatabase, user_id: str) -> User | None:
    """The user with this id."""
    rows = await UserRow.select().where(UserRow.id == user_id).aio_execute(db)
    return _user(rows[0]) if rows else None


async def get_user_state(db: AppDatabase, user_id: str) -> UserState | None:
    """The token version and disabled flag of a user (None when there is no such user)."""
    rows = await (
        UserRow.select(UserRow.token_version, UserRow.disabled).where(UserRow.id == user_id).aio_execute(db)
    )
    return UserState(int(rows[0].token_version), bool(rows[0].disabled)) if rows else None


async def lock_user(db: AppDatabase, user_id: str) -> bool:
    """Inside a write transaction: take the user's row lock (a no-op UPDATE) until the transaction ends.

    Every session change of a user takes it first (refresh, logout, password, disable), so on
    PostgreSQL they run one after the other instead of each missing the other's new rows.
    """
    count = await UserRow.update(token_version=UserRow.token_version).where(UserRow.id == user_id).aio_execute(db)
    return bool(count)


async def raise_token_version(db: AppDatabase, user_id: str) -> bool:
    """End every access token of a user issued so far (False when there is no such user)."""
    count = await (
        UserRow.update(token_version=UserRow.token_version + 1, updated_at=_now())
        .where(UserRow.id == user_id)
        .aio_execute(db)
    )
    return bool(count)


async def list_users(db: AppDatabase) -> list[User]:
    """Every user, by name."""
    return [_user(row) for row in await UserRow.select().order_by(UserRow.username).aio_execute(db)]


async def create_user(
    db: AppDatabase,
    *,
    username: str,
    display_name: str,
    password_hash: str | None,
    roles: frozenset[str],
    company_ids: frozenset[int] | None,
    source: str = "local",
    email: str | None = None,
) -> User:
    """Insert a user; raises peewee.IntegrityError if the name is taken."""
    now = _now()
    user_id = uuid.uuid4().hex
    row = {
        "id": user_id,
        "username": username.lower(),
        "display_name": display_name,
        "email": email,
        "password_hash": password_hash,
        "roles": ",".join(sorted(roles)),
        "company_ids": format_company_ids(company_ids),
        "source": source,
        "disabled": False,
        "token_version": 0,
        "created_at": now,
        "updated_at": now,
    }
    await UserRow.insert(row).returning(UserRow.id).aio_execute(db)  # named: peewee-async needs it on PostgreSQL
    user = await get_user(db, user_id)
    assert user is not None
    return user


async def create_user_once(db: AppDatabase, *, username: str, **fields: Any) -> User:
    """`create_user`, or the user of that name another request (tab, instance) created meanwhile."""
    try:
        return await create_user(db, username=username, **fields)
    except peewee.IntegrityError:
        user = await get_user_by_name(db, username)
        if user is None:
            raise
        return user


async def update_user(db: AppDatabase, user_id: str, **changes: object) -> bool:
    """Change columns of one user (password_hash, disabled, roles, company_ids, display_name).

    A change to a session column (password, disabled, roles, companies) raises the user's token
    version in the same statement, so every access token issued before it is refused.
    """
    values = dict(changes)
    if SESSION_COLUMNS & values.keys():
        values["token_version"] = UserRow.token_version + 1
    if "roles" in values:
        values["roles"] = ",".join(sorted(values["roles"]))  # type: ignore[call-overload]
    if "company_ids" in values:
        values["company_ids"] = format_company_ids(values["company_ids"])  # type: ignore[arg-type]
    values["updated_at"] = _now()
    count = await UserRow.update(values).where(UserRow.id == user_id).aio_execute(db)
    return bool(count)


async def store_refresh_token(
    db: AppDatabase, *, token_hash: str, family_id: str, user_id: str, lifetime: dt.timedelta
) -> None:
    """Remember an issued refresh token (by hash)."""
    now = _now()
    await RefreshTokenRow.insert(
        id=uuid.uuid4().hex,
        token_hash=token_hash,
        family_id=family_id,
        user_id=user_id,
        issued_at=now,
        expires_at=now + lifetime,
    ).returning(RefreshTokenRow.id).aio_execute(db)


async def spend_refresh_token(db: AppDatabase, token_hash: str) -> RefreshTokenRow | None:
    """Mark a live token spent in one conditional UPDATE; return it, or None if it was not live."""
    now = _now()
    count = await (
        RefreshTokenRow.update(spent_at=now)
        .where(
            (RefreshTokenRow.token_hash == token_hash)
            & RefreshTokenRow.spent_at.is_null()
            & RefreshTokenRow.revoked_at.is_null()
            & (RefreshTokenRow.expires_at > now)
        )
        .aio_execute(db)
    )
    if not count:
        return None
    rows = await RefreshTokenRow.select().where(RefreshTokenRow.token_hash == token_hash).aio_execute(db)
    return rows[0] if rows else None


async def find_refresh_token(db: AppDatabase, token_hash: str) -> RefreshTokenRow | None:
    """A token by hash, live or not."""
    rows = await RefreshTokenRow.select().where(RefreshTokenRow.token_hash == token_hash).aio_execute(db)
    return rows[0] if rows else None


async def revoke_family(db: AppDatabase, family_id: str) -> int:
    """Revoke every token of a family (logout, or reuse of a spent token)."""
    return int(
        await RefreshTokenRow.update(revoked_at=_now())
        .where((RefreshTokenRow.family_id == family_id) & RefreshTokenRow.revoked_at.is_null())
        .aio_execute(db)
    )


async def revoke_user_refresh_tokens(db: AppDatabase, user_id: str) -> int:
    """Revoke every live refresh token of a user, all families at once (password change, disable)."""
    return int(
        await RefreshTokenRow.update(revoked_at=_now())
        .where((RefreshTokenRow.user_id == user_id) & RefreshTokenRow.revoked_at.is_null())
        .aio_execute(db)
    )


async def delete_expired_refresh_tokens(db: AppDatabase) -> int:
    """Housekeeping: forget tokens past their expiry."""
    return int(await RefreshTokenRow.delete().where(RefreshTokenRow.expires_at < _now()).aio_execute(db))
