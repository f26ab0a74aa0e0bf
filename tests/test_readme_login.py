"""The README's login example, run as written against a real server on another PORT: token, or the 401 problem."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.jobs.server_process import ADMIN_PASSWORD, create_admin, free_port, process_env, start, wait_ready

README = Path(__file__).resolve().parents[1] / "README.md"
PLACEHOLDER = "PASSWORD='…'"


def login_example() -> str:
    """The README's bash block that logs in."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    [block] = [block for block in blocks if "/api/auth/login" in block]
    assert PLACEHOLDER in block
    return block


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_ledger_path: Path):
    tmp_path = tmp_path_factory.mktemp("readme")
    port = free_port()
    env = process_env(tmp_path / "data", demo_ledger_path, PORT=str(port))
    create_admin(env)
    process = start(["serve"], env, tmp_path / "server.log")  # the port from PORT only, as the README says
    try:
        wait_ready(port, process, timeout_s=120)
        yield port
    finally:
        process.terminate()
        process.wait(60)


def json_values(text: str) -> list[object]:
    """The JSON values curl printed one after another (no newline between them)."""
    decoder, values, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        value, index = decoder.raw_decode(text, index)
        values.append(value)
    return values


def run_example(port: int, password: str) -> subprocess.CompletedProcess[str]:
    script = login_example().replace(PLACEHOLDER, f"PASSWORD='{password}'")
    env = {key: value for key, value in os.environ.items() if key != "PORT"} | {"PORT": str(port)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # python3: this venv's
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bash") is None or shutil.which("curl") is None, reason="needs bash and curl"),
]


def test_the_right_password_lists_the_companies_and_health(server: int):
    result = run_example(server, ADMIN_PASSWORD)
    assert "Traceback" not in result.stderr, result.stderr
    companies, public, detailed = json_values(result.stdout)
    assert "ALFA COMERT SRL" in {company["name"] for company in companies}
    assert public["modules"]["ledger"] == {"status": "ok"} and "version" not in public
    assert detailed["modules"]["ledger"]["path"] and detailed["version"]


def test_a_wrong_password_shows_the_servers_401_problem(server: int):
    result = run_example(server, "not-the-password")
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr, result.stderr
    problem, unauthorized, public, _ = json_values(result.stdout)
    assert problem["status"] == 401 and problem["type"].endswith("/login-failed")
    assert unauthorized["status"] == 401  # no token, so the next calls are refused too, as problems
    assert public["status"] == "ok"
