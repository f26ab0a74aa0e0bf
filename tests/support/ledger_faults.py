"""Faults done to a real embedded ledger file, each undone the way an operator would, and a condition wait.

`locked`: another connection holds an exclusive lock (BEGIN EXCLUSIVE), released by ROLLBACK.
`truncated`: the file cut to half in place, restored in place from a copy of its bytes.
`garbage`: a file of garbage renamed over it, restored by renaming a good copy over it.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

GARBAGE = b"this is not an SQLite database, only bytes that look like nothing at all\n" * 64
FAULTS = ("locked", "truncated", "garbage")
# What the ledger's health query says about each fault (operator English, in the admin's /health figures).
FAULT_ERRORS = {"locked": "is locked", "truncated": "malformed", "garbage": "file is not a database"}


class LedgerFault:
    """One fault on the ledger file at `path`: `apply()`, then `restore()`."""

    def __init__(self, kind: str, path: Path) -> None:
        self.kind = kind
        self.path = path
        self._good = path.read_bytes()
        self._locker: sqlite3.Connection | None = None

    def apply(self) -> None:
        """Break the file."""
        if self.kind == "locked":
            self._locker = sqlite3.connect(self.path, isolation_level=None)
            self._locker.execute("BEGIN EXCLUSIVE")
        elif self.kind == "truncated":
            os.truncate(self.path, len(self._good) // 2)
        elif self.kind == "garbage":
            self._rename_over(GARBAGE)
        else:
            raise ValueError(self.kind)

    def restore(self) -> None:
        """Undo the fault: release the lock, write the bytes back, or rename a good copy over the file."""
        if self._locker is not None:
            self._locker.execute("ROLLBACK")
            self._locker.close()
            self._locker = None
        elif self.kind == "truncated":
            with self.path.open("r+b") as file:
                file.write(self._good)
        else:
            self._rename_over(self._good)

    def _rename_over(self, content: bytes) -> None:
        temporary = self.path.with_name(self.path.name + ".new")
        temporary.write_bytes(content)
        os.replace(temporary, self.path)


async def until[T](check: Callable[[], Awaitable[T]], what: str, timeout_s: float = 30.0) -> T:
    """Await `check()` until it returns something truthy (returned), or fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s: {what}")
        await asyncio.sleep(0.05)
