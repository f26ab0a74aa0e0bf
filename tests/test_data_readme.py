"""data/README.md (kept by .gitignore) exists and names every file the app writes under DATA_DIR."""

from __future__ import annotations

import re
from pathlib import Path

from roa2web.data_entry.store.file_store import FileStore
from roa2web.exports.service import ReportExportFiles
from roa2web.jobs.queue import queue_path
from roa2web.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "data" / "README.md"


def test_gitignore_keeps_data_readme_and_ignores_the_rest():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/data/*" in lines and "!/data/README.md" in lines
    assert README.is_file()


async def test_data_readme_names_every_file_a_started_app_writes(app, settings):
    text = README.read_text(encoding="utf-8")
    written = {re.sub(r"-(wal|shm)$", "", path.name) for path in settings.data_dir.iterdir()}
    defaults = load_settings(data_dir=settings.data_dir, ledger_path=None)
    written |= {
        defaults.embedded_ledger_path.name,  # the tests read a shared ledger; by default it is here
        Path(queue_path(defaults)).name,
        FileStore(defaults.files_root).root.name,
        ReportExportFiles.from_settings(defaults).files.root.name,
    }
    assert {"app.db", "receipts.db", "queue.db", "cache.db"} <= written  # what a started app opened
    missing = sorted(name for name in written if f"`{name}" not in text)
    assert not missing, f"data/README.md does not say what these are: {missing}"
    assert "`FILES_DIR`" in text  # where receipts/ and exports/ go instead when set
