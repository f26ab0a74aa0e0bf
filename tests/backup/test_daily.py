"""The daily backup: due once a day from BACKUP_HOUR, keeps the newest BACKUP_KEEP of our archives, reports
failures in the log and /health without stopping anything."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
import urllib.request
from pathlib import Path

import pytest

from roa2web.backup.manifest import archive_name
from roa2web.backup.retention import our_archives
from roa2web.backup.schedule import DailyBackup, due_since
from tests.backup.live import demo_install, serve

LOCAL = dt.timezone(dt.timedelta(hours=2))


def test_due_since_is_the_last_backup_hour_not_after_now():
    assert due_since(dt.datetime(2026, 12, 6, 3, 30, tzinfo=LOCAL), 2) == dt.datetime(2026, 12, 6, 2, tzinfo=LOCAL)
    assert due_since(dt.datetime(2026, 12, 6, 1, 59, tzinfo=LOCAL), 2) == dt.datetime(2026, 12, 5, 2, tzinfo=LOCAL)
    assert due_since(dt.datetime(2026, 12, 6, 2, 0, tzinfo=LOCAL), 2) == dt.datetime(2026, 12, 6, 2, tzinfo=LOCAL)


def old_archives(folder: Path, days: int) -> list[Path]:
    """`days` archives named like ours, one a day up to a week ago, plus files that are not ours."""
    folder.mkdir(parents=True)
    made = []
    for day in range(days):
        path = folder / archive_name(dt.datetime(2026, 11, 20, 2, 0, 5, tzinfo=dt.UTC) + dt.timedelta(days=day))
        path.write_bytes(b"an old archive")
        made.append(path)
    (folder / "notes.txt").write_text("the operator's", encoding="utf-8")
    (folder / "roa2web-backup-20261101T020000Z.zip.part").write_bytes(b"not ours to judge")
    return made


def test_once_a_day_keeping_the_newest(settings_factory, tmp_path: Path):
    folder = tmp_path / "backups"
    old = old_archives(folder, 4)
    daily = DailyBackup(settings_factory(backup_dir=folder, backup_keep=3, backup_hour=2), folder)
    now = dt.datetime(2026, 12, 6, 1, 0, tzinfo=LOCAL)  # before 02:00: yesterday's backup is due
    written = daily.run_if_due(now)
    assert written is not None and written.archive.exists()
    assert [path for _, path in our_archives(folder)] == [*old[-2:], written.archive]
    assert (folder / "notes.txt").exists() and (folder / "roa2web-backup-20261101T020000Z.zip.part").exists()
    assert daily.run_if_due(now) is None  # done for that day
    assert daily.run_if_due(now + dt.timedelta(hours=1, minutes=5)) is None  # 02:05: the archive is newer still
    assert len(our_archives(folder)) == 3


async def test_a_failure_is_logged_and_shown_and_the_loop_goes_on(settings_factory, caplog):
    settings = settings_factory(backup_dir=None)
    inside = settings.data_dir / "backups"  # refused: a backup inside DATA_DIR
    daily = DailyBackup(settings.model_copy(update={"backup_dir": inside}), inside, first_check_after_s=0)
    with caplog.at_level(logging.ERROR, logger="roa2web.backup"):
        await daily.start()
        deadline = time.monotonic() + 60
        while daily.last_error is None:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        health = await daily.health()
        await daily.stop()
    assert health["status"] == "degraded" and "inside DATA_DIR" in health["error"]
    assert any("daily backup into" in record.getMessage() and "failed" in record.getMessage()
               for record in caplog.records)
    assert not inside.exists()


@pytest.mark.slow
def test_a_server_with_backup_dir_writes_the_days_archive_and_prunes(tmp_path: Path):
    folder = tmp_path / "backups"
    old = old_archives(folder, 3)
    inst = demo_install(tmp_path / "install", BACKUP_DIR=str(folder), BACKUP_KEEP="2")
    server = serve(inst)
    try:
        deadline = time.monotonic() + 180
        while not (new := [path for _, path in our_archives(folder) if path not in old]):
            assert time.monotonic() < deadline, "no daily backup was written"
            assert server.process.poll() is None
            time.sleep(0.2)
        deadline = time.monotonic() + 60
        while len(our_archives(folder)) > 2:  # pruned right after the archive was renamed into place
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert [path for _, path in our_archives(folder)] == [old[-1], new[0]]
        with urllib.request.urlopen(f"{server.base}/health", timeout=10) as response:  # noqa: S310 - loopback
            modules = json.load(response)["modules"]
        assert "backup" in modules and modules["backup"]["status"] == "ok"
    finally:
        assert server.stop() == 0


def test_check_says_where_the_daily_backup_goes_and_how_old_the_newest_is(settings_factory, tmp_path: Path):
    from roa2web.backup.schedule import describe

    settings = settings_factory()
    assert describe(settings)[0] == "off"
    inside = settings.model_copy(update={"backup_dir": settings.data_dir / "b"})
    assert describe(inside)[0] == "down" and "inside DATA_DIR" in describe(inside)[1]
    folder = tmp_path / "backups"
    daily = settings.model_copy(update={"backup_dir": folder})
    assert describe(daily) == ("ok", f"backup: daily from 02:00 into {folder.resolve()}, keeping 14; no archive yet")
    newest = old_archives(folder, 2)[-1]  # made 2026-11-21 02:00:05 UTC
    status, line = describe(daily, now=dt.datetime(2026, 11, 21, 14, 0, 5, tzinfo=dt.UTC))
    assert status == "ok" and line.endswith(f"newest {newest.name} (12 h old)")
    status, line = describe(daily, now=dt.datetime(2026, 11, 24, 2, 0, 5, tzinfo=dt.UTC))
    assert status == "degraded" and line.endswith("(72 h old), older than 2 days")
