"""The README's "Scale-out (several machines)" section, run as written on 127.0.0.1: two `roa2web serve`
and a `roa2web worker` on one Redis queue, with the app and receipts databases on PostgreSQL, their
own DATA_DIRs and one shared FILES_DIR. An export asked on A downloads from A and B, an OCR upload on
B fills its draft, a kill -9 of the instance running a job leaves it to another (once); an instance
on its own SQLite app database may not join the queue."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.jobs.server_process import free_port, run_cli, start, wait_for_line, wait_ready
from tests.scaleout.cluster import Api, base_env, postgres_databases, shared_settings
from tests.support.receipt_images import receipt_sample
from tests.support.redis_queue import redis_queue

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]
TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}
ANA_PASSWORD = "parola-ana-lunga-1"
TEST_KNOBS = {  # test-only: the slow report's plug-in, fast heartbeats (a kill is seen within a second)
    "QUEUE_HANDLER_MODULES": "roa2web_test_slow_report", "QUEUE_HEARTBEAT_S": "0.5",
    "QUEUE_STALE_AFTER_S": "10", "QUEUE_MAX_DELAY_S": "0.1",
}


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a process to stop, and kill it if it does not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def cli(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`roa2web ARGS` as the operator types it."""
    return subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


def test_two_servers_and_a_worker_share_queue_databases_and_files(tmp_path, demo_ledger_path):
    with postgres_databases("app", "receipts") as (app_db, receipts_db), redis_queue("test_scaleout") as queue:
        shared = shared_settings(queue=queue, app_db=app_db, receipts_db=receipts_db, files_dir=tmp_path / "shared",
                                 ledger=demo_ledger_path)
        common = {**base_env(tmp_path), **shared, **TEST_KNOBS, "OCR_ENABLED": "true"}
        port_a, port_b = free_port(), free_port()
        env_a = {**common, "DATA_DIR": str(tmp_path / "a"), "PORT": str(port_a), "QUEUE_IN_PROCESS": "false"}
        env_b = {**common, "DATA_DIR": str(tmp_path / "b"), "PORT": str(port_b)}
        env_w = {**common, "DATA_DIR": str(tmp_path / "w")}

        init = cli(["init"], env_a)  # once, on the first instance
        assert init.returncode == 0, init.stdout + init.stderr
        admin_password = re.search(r"password: (\S+)", init.stdout)[1]
        added = cli(["users", "add", "ana", "--role", "operator", "--company", "2", "--password-stdin"], env_a,
                    stdin=ANA_PASSWORD + "\n")
        assert added.returncode == 0, added.stdout + added.stderr

        logs = {name: tmp_path / f"{name}.log" for name in ("a", "b", "w")}
        processes = {"a": start(["serve"], env_a, logs["a"]), "b": start(["serve"], env_b, logs["b"]),
                     "w": start(["worker", "--threads", "2"], env_w, logs["w"])}
        try:
            wait_ready(port_a, processes["a"])
            wait_ready(port_b, processes["b"])
            wait_for_line(logs["w"], "consuming redis queue", timeout_s=120)
            on_a, on_b = Api(port_a, "admin", admin_password), Api(port_b, "admin", admin_password)
            ana_on_b = Api(port_b, "ana", ANA_PASSWORD)
            assert on_b.http.get("/api/companies", headers={"Authorization": f"Bearer {on_a.token}"}).status_code \
                == 200  # one JWT secret: A's token is good on B

            check = cli(["check"], env_b)
            assert check.returncode == 0, check.stdout + check.stderr
            instances = next(line for line in check.stdout.splitlines() if " instances: " in line)
            assert instances.startswith("OK ") and "registered=3" in instances, check.stdout
            for name in ("a", "b", "w"):
                assert f":{processes[name].pid} (DATA_DIR {tmp_path / name})" in instances
            assert "app_db: engine=postgresql" in check.stdout and "queue: backend=redis" in check.stdout

            # An export asked on A (web-only) is run by B or the worker, and downloads from both A and B.
            export = on_a.accepted("/api/reports/exports", json={"report": "trial_balance", "format": "xlsx",
                                                                 "params": TB})
            done = on_a.wait(export["status_url"], lambda body: body["state"] in ("done", "failed"))
            assert done["state"] == "done", done
            content = on_a.download(done["downloads"]["xlsx"])
            assert on_b.download(done["downloads"]["xlsx"]) == content
            rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
            assert rows[-1][0] == "TOTAL"

            # An OCR upload on B fills its draft, whoever reads it.
            sample = receipt_sample(20, "clean")
            upload = ana_on_b.accepted("/api/data-entry/ocr", data={"company_id": "2"},
                                       files={"photo": ("bon.png", sample.data, "image/png")})
            read = ana_on_b.wait(upload["status_url"], lambda body: body["state"] in ("done", "failed"),
                                 timeout_s=180)
            assert read["state"] == "done", read
            assert read["receipt"]["supplier_name"] == sample.truth.supplier_name
            receipt = ana_on_b.get(f"/api/data-entry/receipts/{read['receipt_id']}")
            assert receipt["state"] == "DRAFT" and receipt["supplier_name"] == sample.truth.supplier_name

            # kill -9 of the instance running a job: another one takes it over and finishes it, once.
            marker, release = tmp_path / "slow.txt", tmp_path / "release"
            slow = on_a.accepted("/api/reports/exports", json={
                "report": "test_slow_report", "format": "xlsx",
                "params": {"company_id": 1, "seconds": 0, "rows": 20, "marker": str(marker),
                           "release": str(release)}})
            wait_for_line(marker, "waiting ", timeout_s=60)
            running_pid = int(marker.read_text(encoding="utf-8").split("waiting ")[1].split()[0])
            victim = next(name for name, process in processes.items() if process.pid == running_pid)
            assert victim in ("b", "w")  # A consumes nothing
            processes[victim].kill()
            processes[victim].wait(30)

            survivor = "w" if victim == "b" else "b"
            wait_for_line_count(marker, "waiting ", 2, timeout_s=60)
            release.touch()
            finished = on_a.wait(slow["status_url"], lambda body: body["state"] in ("done", "failed"))
            assert finished["state"] == "done", finished
            job = on_a.get(f"/api/tasks/{slow['job_id']}")
            assert job["attempts"] == 2, job
            assert marker.read_text(encoding="utf-8").splitlines() == [
                "build 1", f"waiting {running_pid}", "build 1", f"waiting {processes[survivor].pid}",
                f"released {processes[survivor].pid}"]  # the killed attempt never got past its wait
            outputs = list((tmp_path / "shared" / "exports" / slow["job_id"]).iterdir())
            assert len(outputs) == 1 and outputs[0].suffix == ".xlsx"
            assert on_a.download(finished["downloads"]["xlsx"]) == outputs[0].read_bytes()
            took_over = logs[survivor].read_text(encoding="utf-8")
            assert re.search(rf"job {slow['job_id']} \(report_export\) re-queued: worker \S+:{running_pid}:\S+ "
                             r"exited during attempt 1", took_over), took_over[-3000:]
            for api in (on_a, on_b, ana_on_b):
                api.close()
        finally:
            for process in processes.values():
                stop(process)


def wait_for_line_count(path: Path, prefix: str, count: int, timeout_s: float) -> None:
    """Until `path` has `count` lines starting with `prefix`."""
    deadline = time.monotonic() + timeout_s
    while sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)) < count:
        assert time.monotonic() < deadline, f"{path} never got {count} lines {prefix!r}: {path.read_text()}"
        time.sleep(0.05)


def test_an_instance_on_its_own_sqlite_app_database_may_not_join(tmp_path, demo_ledger_path):
    with postgres_databases("app") as (app_db,), redis_queue("test_scaleout") as queue:
        shared = shared_settings(queue=queue, app_db=app_db, receipts_db=f"sqlite:///{tmp_path / 'receipts.db'}",
                                 files_dir=tmp_path / "shared", ledger=demo_ledger_path)
        common = {**base_env(tmp_path), **shared, "OCR_ENABLED": "false"}
        worker = start(["worker"], {**common, "DATA_DIR": str(tmp_path / "w")}, tmp_path / "w.log")
        try:
            wait_for_line(tmp_path / "w.log", "consuming redis queue", timeout_s=120)
            alone = {**common, "DATA_DIR": str(tmp_path / "alone"), "PORT": str(free_port())}
            del alone["APP_DB_URL"]  # left on SQLite under its DATA_DIR
            refused = run_cli(["serve"], alone)
            assert refused.returncode == 2, refused.stdout + refused.stderr
            line = refused.stderr.strip()
            assert "\n" not in line and line.startswith(f"roa2web serve: refusing to start: queue '{queue}'")
            assert "worker " in line and f":{worker.pid} (DATA_DIR {tmp_path / 'w'})" in line
            assert app_db.rsplit("/", 1)[1] in line and str(tmp_path / "alone" / "app.db") in line
            assert "APP_DB_URL" in line

            worker_refused = run_cli(["worker"], alone)
            assert worker_refused.returncode == 2, worker_refused.stdout + worker_refused.stderr
            assert worker_refused.stderr.strip() == line.replace("roa2web serve:", "roa2web worker:", 1)

            check = run_cli(["check"], alone)
            assert check.returncode == 1, check.stdout
            instances = next(line for line in check.stdout.splitlines() if " instances: " in line)
            assert instances.startswith(f"FAIL instances: queue '{queue}'") and f":{worker.pid} " in instances
            assert worker.poll() is None  # the instance already on the queue goes on
        finally:
            stop(worker)
