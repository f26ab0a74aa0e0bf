"""Export files: written under a temporary name then renamed, found again, expired by age.

The exports folder may be shared by several instances (FILES_DIR): another writer's fresh temporary
file is its work in progress, and two instances expiring the same folders at once both succeed.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from roa2web.exports.files import DEBRIS_AGE_S, PARTIAL, ExportFiles


def age(path, seconds):
    """Set a file's modification time `seconds` in the past."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_write_is_atomic_and_cleans_debris(tmp_path):
    files = ExportFiles(tmp_path / "exports")
    job = "a" * 32
    (tmp_path / "exports" / job).mkdir(parents=True)
    debris = tmp_path / "exports" / job / f"old{PARTIAL}"
    debris.write_bytes(b"half")  # a killed attempt's leftovers, untouched for longer than a writer pauses
    age(debris, DEBRIS_AGE_S + 60)
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


def test_another_writers_fresh_temporary_file_is_not_debris(tmp_path):
    """Instance B writing the same job's export (a shared FILES_DIR) keeps its in-flight file."""
    job = "f" * 32
    instance_a, instance_b = ExportFiles(tmp_path), ExportFiles(tmp_path)
    b_started, a_done = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def render_b(path):
        with path.open("wb") as handle:
            handle.write(b"B: first half, ")
            handle.flush()
            b_started.set()
            assert a_done.wait(30)
            seen["b_file_survived"] = path.exists()
            handle.write(b"second half")

    def write_b():
        seen["b"] = instance_b.write(job, "balanta.xlsx", render_b)

    writer_b = threading.Thread(target=write_b)
    writer_b.start()
    assert b_started.wait(30)
    try:
        target = instance_a.write(job, "balanta.xlsx", lambda path: path.write_bytes(b"A: complete"))
        assert target.read_bytes() == b"A: complete"
    finally:
        a_done.set()
        writer_b.join(30)
    assert seen["b_file_survived"] is True
    assert seen["b"] == target and target.read_bytes() == b"B: first half, second half"  # whole, never mixed
    assert sorted(path.name for path in target.parent.iterdir()) == ["balanta.xlsx"]


def test_two_instances_expiring_the_same_folder_both_succeed(tmp_path):
    files = [ExportFiles(tmp_path), ExportFiles(tmp_path)]
    for number in range(150):
        written = files[0].write(f"{number:032x}", "raport.xlsx", lambda path: path.write_bytes(b"x"))
        (written.parent / "raport.csv").write_bytes(b"y")
        for path in written.parent.iterdir():
            age(path, 7200)
    keep = files[0].write("e" * 32, "nou.xlsx", lambda path: path.write_bytes(b"fresh"))
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def expire(each):
        start.wait(30)
        try:
            counts.append(each.delete_expired(3600))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=expire, args=(each,)) for each in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["e" * 32] and keep.exists()
    assert 150 <= sum(counts) <= 300  # each folder counted by whoever removed it (both, when they raced on it)

