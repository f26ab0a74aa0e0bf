"""Account changes that end sessions: a new password, disable, enable, or ending them outright.

A password change, a disable or `end_sessions` revokes every refresh-token family of the user and
raises their token version (every access token issued before is refused); enabling and rights
changes raise the version only (`store.update_user` does it), so a client refreshes and gets a
token with the new rights. Used by `roa2web users` and `AuthService` (which also forgets its cached
state of the user, so this process refuses the old tokens at once).
"""

from __future__ import annotations

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.auth import store


async def set_password(db: AppDatabase, user_id: str, password_hash: str) -> bool:
    """Store a new password hash and end every session of the user (False when there is no such user)."""
    async with write_transaction(db):
        changed = await store.update_user(db, user_id, password_hash=password_hash)
        await store.revoke_user_refresh_tokens(db, user_id)
    return changed


async def set_disabled(db: AppDatabase, user_id: str, disabled: bool) -> bool:
    """Disable (ending every session) or enable a user (False when there is no such user)."""
    async with write_transaction(db):
        changed = await store.update_user(db, user_id, disabled=disabled)
        if disabled:
            await store.revoke_user_refresh_tokens(db, user_id)
    return changed


async def end_sessions(db: AppDatabase, user_id: str) -> bool:
    """Log a user out everywhere: e.g. after their password changed in ROA (AUTH_PROVIDER=oracle)."""
    async with write_transaction(db):
        changed = await store.raise_token_version(db, user_id)
        await store.revoke_user_refresh_tokens(db, user_id)
    return changed
