"""The Huey side: SQLite results that expire, messages listed without their tasks, the wake-up hook."""

from __future__ import annotations

import datetime as dt
import time

from roa2web.jobs.queue import ExpiringSqliteStorage, JobQueue


def test_sqlite_results_expire(tmp_path, monkeypatch):
    now = [1_750_000_000.0]  # the storage's clock, moved by hand: no race with a busy machine
    monkeypatch.setattr(time, "time", lambda: now[0])
    storage = ExpiringSqliteStorage("q", filename=str(tmp_path / "queue.db"), result_ttl_s=0.2)
    storage.put_data("r1", b"result", is_result=True)
    storage.put_data("plain", b"not a result")
    assert storage.peek_data("r1") == b"result"
    assert storage.expire_results() == 0
    now[0] += 0.25
    storage.put_data("r2", b"fresh", is_result=True)
    assert storage.expire_results() == 1
    assert storage.has_data_for_key("r2") and storage.has_data_for_key("plain")
    assert not storage.has_data_for_key("r1")
    storage.close()


def test_messages_are_listed_with_their_job_ids(settings_factory):
    queue = JobQueue(settings_factory(queue_name="listing"))
    woken = []
    queue.on_enqueue(lambda: woken.append(1))
    now_task = queue.new_task("report_export", "job1")
    later_task = queue.new_task("ocr", "job2")
    queue.enqueue(now_task)
    eta = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    queue.enqueue(later_task, eta=eta)
    assert woken == [1, 1]
    assert queue.counts() == {"pending": 1, "scheduled": 1}
    [waiting] = queue.pending()
    assert (waiting["task"], waiting["job_id"], waiting["id"]) == ("report_export", "job1", now_task.id)
    [scheduled] = queue.scheduled()
    assert (scheduled["task"], scheduled["job_id"]) == ("ocr", "job2")
    assert abs((scheduled["eta"] - eta).total_seconds()) < 0.01
    assert queue.message_ids() == {now_task.id, later_task.id}
    other = JobQueue(settings_factory(queue_name="listing"))  # a second process knows no tasks yet
    assert {message["job_id"] for message in other.pending()} == {"job1"}
    queue.close()
    other.close()


def test_a_task_without_an_executor_refuses_to_run(settings_factory):
    queue = JobQueue(settings_factory(queue_name="noexec"))
    task = queue.new_task("ocr", "job1")
    try:
        task.execute()
    except RuntimeError as exc:
        assert "does not consume the queue" in str(exc)
    else:
        raise AssertionError("a task ran without an executor")
    queue.close()
