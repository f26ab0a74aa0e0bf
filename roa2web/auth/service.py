"""Login (failures throttled), refresh with rotation and reuse detection, logout, token checks.

Every access token is checked against its user's current state (exists, enabled, same token
version); account changes made through this service take effect in this process at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.auth import accounts, store
from roa2web.auth.principal import Principal
from roa2web.auth.providers import AuthProvider
from roa2web.auth.throttle import LoginThrottle
from roa2web.auth.tokens import (
    RevokedToken,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    read_access_token,
)
from roa2web.auth.user_states import UserStates
from roa2web.problems import ServiceUnavailable, Unauthorized

log = logging.getLogger("roa2web.auth")


class AuthFailed(Unauthorized):
    """Credentials or refresh token not accepted."""


class LoginFailed(AuthFailed):
    """Wrong username or password (or a user the provider refuses)."""

    kind = "login-failed"


class RefreshFailed(AuthFailed):
    """The refresh token is unknown, spent or revoked, or its user is disabled."""

    kind = "refresh-failed"


class UsersUnreadable(ServiceUnavailable):
    """The users table could not be read to check a token."""

    public_detail = "Verificarea autentificării nu este disponibilă acum; încercați din nou."


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: store.User


class AuthService:
    """The auth use cases; the HTTP door only maps requests onto these."""

    def __init__(
        self,
        db: AppDatabase,
        provider: AuthProvider,
        *,
        secret: str,
        access_lifetime: dt.timedelta,
        refresh_lifetime: dt.timedelta,
        throttle: LoginThrottle,
        state_cache_s: float,
    ) -> None:
        """`throttle` limits failed logins; users' token states are kept `state_cache_s` seconds."""
        self.db = db
        self.provider = provider
        self.secret = secret
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime
        self.throttle = throttle
        self.user_states = UserStates(self._load_state, ttl_s=state_cache_s)

    async def login(self, username: str, password: str, client: str = "unknown") -> TokenPair:
        """Verify the credentials and open a new refresh-token family; `client` (an address) is throttled."""
        attempt = self.throttle.begin(client, username)  # LoginThrottled → 429
        try:
            user = await self.provider.authenticate(username.strip(), password)
        except BaseException:
            self.throttle.release(attempt)  # the ledger failed, not the caller
            raise
        if user is None:
            log.info("login refused for %r from %s", username, client)
            raise LoginFailed("Nume de utilizator sau parolă greșite.")
        self.throttle.release(attempt)  # a success does not count
        log.info("login of %s", user.username)
        self.user_states.forget(user.id)  # the provider may have changed the user (rights from ROA)
        return await self._issue(user, family_id=uuid.uuid4().hex)

    async def authenticate(self, token: str) -> Principal:
        """The caller an access token names, if its user still exists, is enabled and unchanged since.

        InvalidToken (or its RevokedToken) otherwise; UsersUnreadable when the users table fails.
        """
        access = read_access_token(token, self.secret, self.access_lifetime)
        user_id = access.principal.user_id
        try:
            state = await self.user_states.get(user_id, version_seen=access.version)
        except Exception as exc:
            log.exception("the users table could not be read to check a token")
            raise UsersUnreadable(f"users table unreadable: {exc}") from exc
        if state is None or state.disabled or state.token_version != access.version:
            raise RevokedToken(f"user {user_id} is gone, disabled or changed since the token was issued")
        return access.principal

    async def set_password(self, user_id: str, password_hash: str) -> bool:
        """A new password: every session of the user ends (here at once)."""
        try:
            return await accounts.set_password(self.db, user_id, password_hash)
        finally:
            self.user_states.forget(user_id)

    async def set_disabled(self, user_id: str, disabled: bool) -> bool:
        """Disable (every session ends, here at once) or enable a user."""
        try:
            return await accounts.set_disabled(self.db, user_id, disabled)
        finally:
            self.user_states.forget(user_id)

    async def end_sessions(self, user_id: str) -> bool:
        """Log a user out everywhere (here at once)."""
        try:
            return await accounts.end_sessions(self.db, user_id)
        finally:
            self.user_states.forget(user_id)

    async def _load_state(self, user_id: str) -> store.UserState | None:
        return await store.get_user_state(self.db, user_id)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Spend a refresh token for a new pair; reuse of a spent one revokes its family.

        The rotation (spend the old token, store the new one) is one transaction under the user's
        row lock, as logout and account changes take it: a concurrent reuse, logout or password
        change sees the new token and revokes it, never runs between the two writes.
        """
        token_hash = hash_refresh_token(refresh_token)
        known = await store.find_refresh_token(self.db, token_hash)
        if known is not None:
            async with write_transaction(self.db):
                await store.lock_user(self.db, known.user_id)
                spent = await store.spend_refresh_token(self.db, token_hash)
                user = await store.get_user(self.db, known.user_id) if spent else None
                if user is not None and not user.disabled:
                    return await self._issue(user, family_id=known.family_id)
            if spent is not None:
                await self._end_family(known)
                raise RefreshFailed("Utilizatorul este dezactivat.")
            await self._revoke_if_reused(token_hash)
        raise RefreshFailed(
            "Tokenul de reîmprospătare nu este valid (expirat, folosit deja sau revocat); autentificați-vă din nou."
        )

    async def _revoke_if_reused(self, token_hash: str) -> None:
        """A spent token presented again (stolen, or a second refresh racing the first): end its family."""
        known = await store.find_refresh_token(self.db, token_hash)
        if known is not None and known.spent_at is not None:
            revoked = await self._end_family(known)
            log.warning("refresh token reused: family %s revoked (%d tokens)", known.family_id, revoked)

    async def _end_family(self, token: store.RefreshTokenRow) -> int:
        """Revoke a token's family under its user's row lock (so a rotation in flight is seen)."""
        async with write_transaction(self.db):
            await store.lock_user(self.db, token.user_id)
            return await store.revoke_family(self.db, token.family_id)

    async def logout(self, refresh_token: str) -> None:
        """Revoke the family of this refresh token (unknown tokens are ignored)."""
        known = await store.find_refresh_token(self.db, hash_refresh_token(refresh_token))
        if known is not None:
            await self._end_family(known)

    async def _issue(self, user: store.User, family_id: str) -> TokenPair:
        refresh, refresh_hash = new_refresh_token()
        await store.store_refresh_token(
            self.db, token_hash=refresh_hash, family_id=family_id, user_id=user.id, lifetime=self.refresh_lifetime
        )
        access = issue_access_token(user.principal(), self.secret, self.access_lifetime, user.token_version)
        return TokenPair(access, refresh, int(self.access_lifetime.total_seconds()), user)
