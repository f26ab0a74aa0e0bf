"""Login, refresh with rotation and reuse detection, logout."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from roa2web.appdb import AppDatabase
from roa2web.auth import store
from roa2web.auth.providers import AuthProvider
from roa2web.auth.tokens import hash_refresh_token, issue_access_token, new_refresh_token
from roa2web.problems import Unauthorized

log = logging.getLogger("roa2web.auth")


class AuthFailed(Unauthorized):
    """Credentials or refresh token not accepted."""


class LoginFailed(AuthFailed):
    """Wrong username or password (or a user the provider refuses)."""

    kind = "login-failed"


class RefreshFailed(AuthFailed):
    """The refresh token is unknown, spent or revoked, or its user is disabled."""

    kind = "refresh-failed"


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
    ) -> None:
        self.db = db
        self.provider = provider
        self.secret = secret
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime

    async def login(self, username: str, password: str) -> TokenPair:
        """Verify the credentials and open a new refresh-token family."""
        user = await self.provider.authenticate(username.strip(), password)
        if user is None:
            log.info("login refused for %r", username)
            raise LoginFailed("Nume de utilizator sau parolă greșite.")
        log.info("login of %s", user.username)
        return await self._issue(user, family_id=uuid.uuid4().hex)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Spend a refresh token for a new pair; reuse of a spent one revokes its family."""
        token_hash = hash_refresh_token(refresh_token)
        spent = await store.spend_refresh_token(self.db, token_hash)
        if spent is None:
            known = await store.find_refresh_token(self.db, token_hash)
            if known is not None and known.spent_at is not None:
                revoked = await store.revoke_family(self.db, known.family_id)
                log.warning("refresh token reused: family %s revoked (%d tokens)", known.family_id, revoked)
            raise RefreshFailed(
                "Tokenul de reîmprospătare nu este valid (expirat, folosit deja sau revocat); autentificați-vă din nou."
            )
        user = await store.get_user(self.db, spent.user_id)
        if user is None or user.disabled:
            await store.revoke_family(self.db, spent.family_id)
            raise RefreshFailed("Utilizatorul este dezactivat.")
        return await self._issue(user, family_id=spent.family_id)

    async def logout(self, refresh_token: str) -> None:
        """Revoke the family of this refresh token (unknown tokens are ignored)."""
        known = await store.find_refresh_token(self.db, hash_refresh_token(refresh_token))
        if known is not None:
            await store.revoke_family(self.db, known.family_id)

    async def _issue(self, user: store.User, family_id: str) -> TokenPair:
        refresh, refresh_hash = new_refresh_token()
        await store.store_refresh_token(
            self.db, token_hash=refresh_hash, family_id=family_id, user_id=user.id, lifetime=self.refresh_lifetime
        )
        access = issue_access_token(user.principal(), self.secret, self.access_lifetime)
        return TokenPair(access, refresh, int(self.access_lifetime.total_seconds()), user)
