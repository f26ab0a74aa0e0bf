"""The queue's stats tables are created once, whoever starts first: several processes at once on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from huey.contrib import stats as huey_stats

from roa2web.jobs import stats
from tests.support.data_entry import postgres_query, throwaway_postgres_database

pytestmark = pytest.mark.postgres
STARTERS = 6
ROUNDS = 5


def start_together(url: str) -> list[BaseException]:
    """Six connections to `url` create the stats tables at the same instant; what they raised."""
    barrier = threading.Barrier(STARTERS)
    errors: list[BaseException] = []

    def start() -> None:
        db = stats.sync_database(url)
        try:
            barrier.wait(timeout=60)
            stats.create_tables(db)
        except BaseException as error:
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=start) for _ in range(STARTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_stats_tables_created_by_several_starters_at_once() -> None:
    """Every round, on a fresh database: no starter fails, and the tables are there."""
    for _ in range(ROUNDS):
        with throwaway_postgres_database() as url:
            assert start_together(url) == []
            tables = {name for (name,) in postgres_query(
                url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            assert {model._meta.table_name for model in huey_stats.MODELS} <= tables


def test_a_stats_flush_on_a_full_disk_is_one_line(tmp_path, caplog) -> None:
    """Huey logs a failed flush with its traceback; a full disk is the operator's to fix: one line instead."""
    import sqlite3

    from huey import SqliteHuey

    huey = SqliteHuey("stats-disk-full", filename=str(tmp_path / "queue.db"))
    db = stats.sync_database(f"sqlite:///{tmp_path / 'queue.db'}")
    stats.enable(huey, db)
    try:
        with caplog.at_level("ERROR", logger=huey_stats.logger.name):
            try:
                raise sqlite3.OperationalError("database or disk is full")
            except sqlite3.OperationalError:
                huey_stats.logger.exception("stats flush failed, dropping %s events.", 3)
            try:
                raise sqlite3.OperationalError("no such table: huey_event")
            except sqlite3.OperationalError:
                huey_stats.logger.exception("stats flush failed, dropping %s events.", 1)
    finally:
        stats.disable(huey)
    full, other = caplog.records
    assert full.exc_info is None and full.getMessage() == (
        "stats flush failed, dropping 3 events. Disk full (database or disk is full).")
    assert other.exc_info is not None  # any other failure keeps its traceback
