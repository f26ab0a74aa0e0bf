"""Export files: written under a temporary name then renamed, found again, expired by age."""

from __future__ import annotations

import os
import time

import pytest

from roa2web.exports.files import PARTIAL, ExportFiles


def test_write_is_atomic_and_cleans_debris(tmp_path):
    files = ExportFiles(tmp_path / "exports")
    job = "a" * 32
    (tmp_path / "exports" / job).mkdir(parents=True)
    (tmp_path / "exports" / job / f"old{PARTIAL}").write_bytes(b"half")  # a killed attempt's leftovers
    assert files.finished(job) is None

    def render(path):
        assert path.name.endswith(PARTIAL)
        path.write_bytes(b"complete")

    target = files.write(job, "balanta.xlsx", render)
    assert target.read_bytes() == b"complete"
    assert sorted(path.name for path in target.parent.iterdir()) == ["balanta.xlsx"]
    assert files.finished(job) == target
    assert files.resolve(f"{job}/balanta.xlsx") == target


def test_a_failed_render_leaves_nothing(tmp_path):
    files = ExportFiles(tmp_path)

    def render(path):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        files.write("b" * 32, "x.pdf", render)
    assert list((tmp_path / ("b" * 32)).iterdir()) == []


@pytest.mark.parametrize("ref", ["../etc/passwd", "a/../../x", "abc/.hidden", "abc", "a b/x.pdf", "abc/x/y.pdf"])
def test_resolve_refuses_anything_but_a_job_file(tmp_path, ref):
    assert ExportFiles(tmp_path).resolve(ref) is None


def test_job_ids_are_checked(tmp_path):
    with pytest.raises(ValueError, match="not a job id"):
        ExportFiles(tmp_path).job_dir("../x")
    with pytest.raises(ValueError, match="plain file name"):
        ExportFiles(tmp_path).write("c" * 32, "../x.pdf", lambda path: None)


def test_expired_exports_are_deleted(tmp_path):
    files = ExportFiles(tmp_path)
    old = files.write("d" * 32, "old.xlsx", lambda path: path.write_bytes(b"1"))
    new = files.write("e" * 32, "new.xlsx", lambda path: path.write_bytes(b"2"))
    stale = time.time() - 7200
    os.utime(old, (stale, stale))
    assert files.delete_expired(3600) == 1
    assert not old.parent.exists() and new.exists()
    assert ExportFiles(tmp_path / "missing").delete_expired(1) == 0
