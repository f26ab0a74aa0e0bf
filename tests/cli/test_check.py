"""`roa2web check` as a deployer runs it: in a subprocess, possibly beside a live server."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from roa2web.app import create_app
from roa2web.cli.check import DEFAULT_TIMEOUT_S
from roa2web.cli.main import build_parser
from roa2web.jobs.store import JobState
from roa2web.settings import load_settings
from tests.support.cli_env import deployer_env

PLUGINS = Path(__file__).resolve().parents[1] / "jobs" / "plugins"


def run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roa2web", "check", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.fixture
def check_env(tmp_path: Path, demo_ledger_path: Path) -> dict[str, str]:
    (tmp_path / "data").mkdir()  # as `roa2web init` leaves it: check creates no data dir
    return deployer_env(tmp_path, demo_ledger_path)


def test_a_setting_that_fails_only_when_the_app_is_built_gives_a_clear_line(check_env):
    check_env["QUEUE_HANDLER_MODULES"] = "roa2web_no_such_plugin"
    result = run_check(check_env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("FAIL app"))
    assert "could not be built" in line and "roa2web_no_such_plugin" in line


def test_a_ttl_override_naming_no_report_fails_check_and_serve_with_one_clear_line(check_env):
    check_env["REPORTS_TTL_OVERRIDES"] = "balance_sheet=60"
    result = run_check(check_env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("FAIL app"))
    assert "REPORTS_TTL_OVERRIDES: unknown report 'balance_sheet' (known: dashboard," in line
    serve = subprocess.run([sys.executable, "-m", "roa2web", "serve", "--port", "0"], capture_output=True, text=True,
                           env=check_env, timeout=120, check=False)
    assert serve.returncode == 2 and "Traceback" not in serve.stderr, serve.stderr
    assert "REPORTS_TTL_OVERRIDES: unknown report 'balance_sheet'" in serve.stderr


def test_check_starts_no_consumer_and_leaves_queued_jobs_alone(check_env, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGINS))
    data_dir = tmp_path / "data"
    settings = load_settings(data_dir=data_dir, ledger_path=Path(check_env["LEDGER_PATH"]), ocr_enabled=False,
                             queue_in_process=False, queue_handler_modules=["roa2web_test_jobs"])

    async def seed() -> str:  # a job waiting for the live server's consumer
        app = create_app(settings)
        async with app.test_app():
            job = await app.extensions["roa2web"].jobs.submit("test_steps", {"steps": 1})
            return str(job.id)

    job_id = asyncio.run(seed())
    check_env.update(QUEUE_HANDLER_MODULES="roa2web_test_jobs", QUEUE_MAX_DELAY_S="0.05",
                     PYTHONPATH=os.pathsep.join([str(PLUGINS), check_env.get("PYTHONPATH", "")]))
    result = run_check(check_env)
    assert result.returncode == 0, result.stdout + result.stderr
    queue_line = next(line for line in result.stdout.splitlines() if " queue: " in line)
    assert "reachable=True" in queue_line and "queued=1" in queue_line  # no consumer is alive: WARN
    with sqlite3.connect(data_dir / "app.db") as db:
        assert db.execute("SELECT COUNT(*) FROM queue_consumers").fetchone() == (0,)
        state, attempts = db.execute("SELECT state, attempts FROM jobs WHERE id = ?", (job_id,)).fetchone()
    assert (state, attempts) == (str(JobState.QUEUED), 0)


def test_the_per_item_timeout_is_short():
    assert build_parser().parse_args(["check"]).timeout == DEFAULT_TIMEOUT_S <= 5


def test_check_tries_the_ocr_models_although_it_runs_no_consumer(check_env):
    check_env.update(OCR_ENABLED="true", OCR_ENGINE="paddleocr")  # paddleocr is not installed in this venv
    result = run_check(check_env)
    line = next((line for line in result.stdout.splitlines() if " ocr: " in line), None)
    assert line is not None and line.startswith("FAIL") and "paddleocr" in line, result.stdout + result.stderr
    assert result.returncode == 1


@pytest.mark.parametrize(("in_process", "expected"), [
    ("true", "consumer=in the server (QUEUE_IN_PROCESS=true; check starts none)"),
    ("false", "consumer=external (QUEUE_IN_PROCESS=false)"),
])
def test_the_queue_line_names_the_consumer_the_settings_say(check_env, in_process, expected):
    check_env["QUEUE_IN_PROCESS"] = in_process
    result = run_check(check_env)
    assert result.returncode == 0, result.stdout + result.stderr
    queue_line = next(line for line in result.stdout.splitlines() if " queue: " in line)
    assert expected in queue_line
