"""DATA_DIR/tmp leftovers of killed writers go at the next start; fresh files of a running writer stay."""

from __future__ import annotations

import os
import time

from roa2web.app import create_app
from roa2web.scratch import LEFTOVER_AFTER_S, scratch_dir


def test_a_start_sweeps_day_old_scratch_files_only(settings_factory, tmp_path):
    scratch = scratch_dir(tmp_path / "data")
    scratch.mkdir(parents=True)
    old, fresh = scratch / "tmpk1ll3d.xml", scratch / "tmpw0rking.xml"
    old.write_bytes(b"<worksheet/>")
    fresh.write_bytes(b"<worksheet/>")
    then = time.time() - LEFTOVER_AFTER_S - 60
    os.utime(old, (then, then))

    create_app(settings_factory(data_dir=tmp_path / "data"))

    assert not old.exists() and fresh.exists()
