"""`roa2web queue …` against a data dir, as an operator uses it from a second terminal."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from roa2web.app import create_app
from roa2web.cli.main import main
from roa2web.cli.queue import parse_duration
from roa2web.jobs import transitions
from roa2web.settings import load_settings

PLUGINS = Path(__file__).resolve().parents[1] / "jobs" / "plugins"


@pytest.fixture
def queue_env(tmp_path, demo_ledger_path, monkeypatch):
    """Environment of the CLI: a data dir, the demo ledger, the test job kinds."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    for name, value in {"DATA_DIR": str(tmp_path / "data"), "LEDGER_PATH": str(demo_ledger_path),
                        "ROA2WEB_ENV_FILE": str(tmp_path / "none.env"), "OCR_ENABLED": "false",
                        "QUEUE_HANDLER_MODULES": "roa2web_test_jobs"}.items():
        monkeypatch.setenv(name, value)
    return tmp_path / "data"


def seed_jobs() -> dict[str, str]:
    """Three jobs in the data dir, no consumer: one queued, one failed, one running elsewhere."""

    async def seed() -> dict[str, str]:
        app = create_app(load_settings(queue_in_process=False))
        async with app.test_app():
            service = app.extensions["roa2web"].jobs
            queued = await service.submit("test_steps", {"steps": 1}, owner_id="u1", company_id=1)
            failed = await service.submit("test_broken", {})
            await transitions.claim_job(service.db, failed.id, "elsewhere:1:x")
            await transitions.fail_job(service.db, failed.id, "elsewhere:1:x", "PermanentJobError: nu")
            running = await service.submit("test_steps", {})
            await transitions.claim_job(service.db, running.id, "elsewhere:2:y")
            return {"queued": queued.id, "failed": failed.id, "running": running.id}

    return asyncio.run(seed())


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["queue", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_show_cancel_retry_purge(queue_env, capsys):
    ids = seed_jobs()
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and {job["id"]: job["state"] for job in json.loads(out)} == {
        ids["queued"]: "queued", ids["failed"]: "failed", ids["running"]: "running"}
    code, out, _ = run(capsys, "list", "--state", "failed")
    assert code == 0 and ids["failed"] in out and ids["queued"] not in out and "PermanentJobError: nu" in out

    code, out, _ = run(capsys, "show", ids["queued"], "--json")
    shown = json.loads(out)
    assert (shown["kind"], shown["owner_id"], shown["company_id"], shown["params"]) == ("test_steps", "u1", 1,
                                                                                        {"steps": 1})
    code, out, _ = run(capsys, "show", ids["failed"])
    assert code == 0 and "PermanentJobError: nu" in out and "max_attempts" in out
    assert run(capsys, "show", "missing")[0] == 1

    code, out, _ = run(capsys, "cancel", ids["queued"])
    assert code == 0 and out.strip() == f"job {ids['queued']} (test_steps) cancelled"
    code, out, _ = run(capsys, "cancel", ids["running"])
    assert code == 0 and "asked to stop" in out
    code, _, err = run(capsys, "cancel", ids["failed"])
    assert code == 1 and "only queued or running jobs can be cancelled" in err

    code, out, _ = run(capsys, "retry", ids["failed"])
    assert code == 0 and out.strip() == f"job {ids['failed']} (test_broken) is queued again"
    code, _, err = run(capsys, "retry", ids["running"])
    assert code == 1 and "only failed or cancelled" in err

    code, out, _ = run(capsys, "purge", "--state", "cancelled", "--older-than", "0s")
    assert code == 0 and out.startswith("purged 1 job(s) (cancelled)")
    code, out, _ = run(capsys, "purge")
    assert code == 0 and out.startswith("purged 0 job(s) (failed) finished more than 7 days")
    code, out, _ = run(capsys, "list", "--json")
    assert {job["id"] for job in json.loads(out)} == {ids["failed"], ids["running"]}


def test_dashboard_once(queue_env, capsys):
    ids = seed_jobs()
    code, out, _ = run(capsys, "dashboard", "--once", "--json")
    figures = json.loads(out)
    assert code == 0
    assert figures["jobs"] == {"queued": 1, "running": 1, "done": 0, "failed": 1, "cancelled": 0}
    assert figures["pending"] == 3  # three messages were enqueued; no consumer took them
    assert [job["id"] for job in figures["running"]] == [ids["running"]]
    assert figures["workers_alive"] == figures["workers_total"] == figures["workers_busy"] == 0
    assert figures["backend"]["reachable"] is True
    code, out, _ = run(capsys, "dashboard", "--once")
    assert code == 0
    assert "pending" in out and "queued 1" in out and "running 1" in out and "failed 1" in out
    assert ids["running"] in out and "elsewhere:2:y" in out
    assert "workers" in out and "0 busy of 0 configured, 0 alive, in 0 consumer(s)" in out


@pytest.mark.parametrize(("text", "seconds"), [("7d", 604_800), ("12h", 43_200), ("30m", 1800), ("45s", 45),
                                               ("2w", 1_209_600), (" 1.5h ", 5400)])
def test_durations(text, seconds):
    assert parse_duration(text) == dt.timedelta(seconds=seconds)


def test_bad_duration():
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration("seven days")
