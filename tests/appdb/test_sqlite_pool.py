"""The SQLite pool: a connection left open never keeps the process alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap

LEAVE_A_CONNECTION_OPEN = textwrap.dedent(
    """
    import asyncio, sys
    from roa2web.appdb.sqlite_pool import ReusingSqlitePool

    async def main():
        pool = ReusingSqlitePool(database=sys.argv[1])
        conn = await pool.acquire()
        await conn.execute("CREATE TABLE t (x INTEGER)")
        print("acquired", flush=True)  # never released, the pool never closed

    asyncio.run(main())
    """
)


def test_process_exits_with_a_connection_left_open(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LEAVE_A_CONNECTION_OPEN, str(tmp_path / "app.db")],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "acquired"


async def test_connections_are_set_up_and_reused(tmp_path):
    from roa2web.appdb.sqlite_pool import ReusingSqlitePool

    pool = ReusingSqlitePool(database=str(tmp_path / "app.db"), size=2)
    first = await pool.acquire()
    async with first.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    async with first.execute("PRAGMA foreign_keys") as cursor:
        assert (await cursor.fetchone())[0] == 1
    await pool.release(first)
    again = await pool.acquire()
    assert again is first
    await pool.release(again)
    await pool.close()
