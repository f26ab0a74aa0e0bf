"""Each user's token version and disabled flag, read from the users table and kept briefly in memory.

Every authenticated request checks its access token against this (`AuthService.authenticate`).
An entry lives `ttl_s` seconds (TOKEN_CHECK_CACHE_S) and at most `max_entries` are kept. A change
made through this process (`forget`) takes effect here at once; a change made elsewhere (another
instance, `roa2web users` in another process) is seen here within `ttl_s`. A token newer than the
cached entry (the user logged in again after a change) makes the entry be read again at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cachetools import TTLCache

from roa2web.auth.store import UserState

type StateLoader = Callable[[str], Awaitable[UserState | None]]


class UserStates:
    """A bounded TTL cache of `UserState` by user id, in front of a loader (the users table)."""

    def __init__(self, load: StateLoader, *, ttl_s: float, max_entries: int = 10_000) -> None:
        """Read through `load`; keep entries `ttl_s` seconds (0: always read), at most `max_entries`."""
        self._load = load
        self._ttl_s = ttl_s
        self._cache: TTLCache[str, UserState] = TTLCache(maxsize=max_entries, ttl=max(ttl_s, 0.001))
        self._changes = 0  # bumped by forget(): a read that started before a change must not be cached

    async def get(self, user_id: str, *, version_seen: int = 0) -> UserState | None:
        """The user's state (None when there is no such user); read again when `version_seen` is newer."""
        cached = self._cache.get(user_id) if self._ttl_s > 0 else None
        if cached is not None and cached.token_version >= version_seen:
            return cached
        changes = self._changes
        state = await self._load(user_id)
        if state is not None and self._ttl_s > 0 and changes == self._changes:
            self._cache[user_id] = state
        return state

    def forget(self, user_id: str) -> None:
        """The user changed (here): the next request reads their state again."""
        self._changes += 1
        self._cache.pop(user_id, None)
