"""Whether a server or worker runs on a data dir: an OS-level reader/writer lock in DATA_DIR/in-use.lock.

`roa2web serve` and `roa2web worker` hold it shared for as long as they run (several may, on one data
dir); a restore holds it exclusively, so it refuses while any of them runs, and none starts while it
works. The lock is filelock's `ReadWriteLock` (a SQLite transaction on the file, so an OS file lock on
Windows and POSIX alike): a killed process lets go of it with its last handle.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import ReadWriteLock, Timeout

LOCK_FILE_NAME = "in-use.lock"


class DataDirInUse(RuntimeError):
    """The lock is held the other way; the message is the one line the operator reads."""


def lock_path(data_dir: Path) -> Path:
    """The lock file of `data_dir`."""
    return data_dir / LOCK_FILE_NAME


@contextlib.contextmanager
def _held(data_dir: Path, *, exclusive: bool, refusal: str) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = ReadWriteLock(lock_path(data_dir), is_singleton=False)
    try:
        try:
            (lock.acquire_write if exclusive else lock.acquire_read)(timeout=0, blocking=False)
        except Timeout:
            raise DataDirInUse(refusal) from None
        try:
            yield
        finally:
            lock.release()
    finally:
        lock.close()


def running_on(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold `data_dir` shared while a server or worker runs (DataDirInUse while a restore works on it)."""
    return _held(data_dir, exclusive=False,
                 refusal=f"a restore is running on {data_dir}: start again when it is done")


def stopped(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold `data_dir` exclusively (DataDirInUse while a server or worker runs on it)."""
    return _held(data_dir, exclusive=True,
                 refusal=f"a roa2web server or worker is running on {data_dir} (or another restore): stop it first")
