"""`roa2web serve --config FILE` as real processes: the file's bind and log format, PORT winning, bad files."""

from __future__ import annotations

import json
import signal
import sys
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from tests.jobs.server_process import free_port, run_cli, start, wait_ready
from tests.support.cli_env import deployer_env

SHIPPED = Path(__file__).resolve().parents[2] / "scripts" / "windows" / "hypercorn.toml"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="stopped with SIGINT here; Windows sends CTRL_BREAK")


def serve_env(tmp_path: Path, demo_ledger_path: Path, **extra: str) -> dict[str, str]:
    """A deployer's environment with nothing saying where to listen, unless `extra` does."""
    env = deployer_env(tmp_path, demo_ledger_path, LOG_FORMAT="json", **extra)
    for name in ("PORT", "SHUTDOWN_TIMEOUT_S"):
        if name not in extra:
            env.pop(name, None)
    return env


def serve_once(args: list[str], env: dict[str, str], port: int, log: Path) -> tuple[list[dict[str, str]], Message]:
    """Start `roa2web ARGS`, GET /ready on `port` as IIS would forward it, stop it; its JSON log lines, the headers."""
    process = start(args, env, log)
    try:
        wait_ready(port, process)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/ready",
                                         headers={"X-Forwarded-For": "203.0.113.9", "User-Agent": "iis-probe/1"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http on 127.0.0.1
            assert response.status == 200
            headers = response.headers
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0, log.read_text(encoding="utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    return lines, headers


def messages(lines: list[dict[str, str]], logger: str) -> list[str]:
    return [line["message"] for line in lines if line["logger"] == logger]


@pytest.mark.slow
@POSIX_ONLY
def test_the_files_bind_and_access_log_format_are_used(tmp_path: Path, demo_ledger_path: Path):
    port = free_port()
    config = tmp_path / "hypercorn.toml"
    config.write_text(f'bind = "127.0.0.1:{port}"\n'
                      "access_log_format = 'FROM-THE-FILE %(s)s %(R)s client=%({X-Forwarded-For}i)s'\n",
                      encoding="utf-8")
    lines, _ = serve_once(["serve", "--config", str(config)], serve_env(tmp_path, demo_ledger_path), port,
                       tmp_path / "serve.log")
    assert f"serving on http://127.0.0.1:{port} (env=development, config={config})" in messages(lines, "roa2web.server")
    assert "FROM-THE-FILE 200 GET /ready 1.1 client=203.0.113.9" in messages(lines, "hypercorn.access")
    assert "stopped" in messages(lines, "roa2web.server")


@pytest.mark.slow
@POSIX_ONLY
def test_port_in_the_environment_wins_over_the_shipped_files_bind(tmp_path: Path, demo_ledger_path: Path):
    port = free_port()
    env = serve_env(tmp_path, demo_ledger_path, PORT=str(port))
    lines, headers = serve_once(["serve", "--config", str(SHIPPED)], env, port, tmp_path / "serve.log")
    assert "server" not in headers  # include_server_header = false
    assert f"serving on http://127.0.0.1:{port} (env=development, config={SHIPPED})" in messages(
        lines, "roa2web.server")
    # the shipped format: the client IIS forwarded, the request, status, size, duration, user agent
    access = messages(lines, "hypercorn.access")
    assert any(line.startswith('203.0.113.9 "GET /ready 1.1" 200 ') and line.endswith('s "iis-probe/1"')
               for line in access), access


@pytest.mark.parametrize(("text", "expected"), [
    (None, "no such file"),
    ("bind = \n", "not valid TOML"),
    ("workers = 4\n", "`workers = 4` is refused"),
    ('bind = ["127.0.0.1:8000", "127.0.0.2:8000"]\n', "give one host:port"),
    ("shutdown_timeout = 10\n", "must exceed QUEUE_SHUTDOWN_TIMEOUT_S"),
])
def test_a_bad_file_exits_2_with_one_line(tmp_path: Path, demo_ledger_path: Path, text: str | None, expected: str):
    config = tmp_path / "hypercorn.toml"
    if text is not None:
        config.write_text(text, encoding="utf-8")
    done = run_cli(["serve", "--config", str(config)], serve_env(tmp_path, demo_ledger_path))
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"roa2web serve: refusing to start: {config}: ") and expected in line
    assert not (tmp_path / "data").exists()  # refused before anything was created


@pytest.mark.slow
@POSIX_ONLY
def test_reload_serves_with_the_file_too(tmp_path: Path, demo_ledger_path: Path):
    """`--reload --config`: Hypercorn's reloader child gets the file's bind and log format."""
    port = free_port()
    config = tmp_path / "hypercorn.toml"
    config.write_text(f'bind = "127.0.0.1:{port}"\naccess_log_format = "RELOADED %(s)s %(R)s"\n', encoding="utf-8")
    lines, _ = serve_once(["serve", "--reload", "--config", str(config)], serve_env(tmp_path, demo_ledger_path), port,
                       tmp_path / "serve.log")
    assert "RELOADED 200 GET /ready 1.1" in messages(lines, "hypercorn.access")
