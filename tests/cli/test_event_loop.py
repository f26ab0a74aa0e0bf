"""Every command (and the server) runs its coroutine through one helper that picks the event loop:
the selector loop on Windows, where the default Proactor loop is refused by psycopg's async mode."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from roa2web.aio import loop_factory, run_async

PACKAGE = Path(__file__).resolve().parents[2] / "roa2web"
HELPER = PACKAGE / "cli" / "aio.py"


def test_windows_gets_the_selector_loop_and_others_the_default():
    assert loop_factory("win32") is asyncio.SelectorEventLoop
    assert loop_factory("linux") is None
    assert loop_factory("darwin") is None


def test_run_async_runs_on_a_selector_loop_here():
    async def which_loop() -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    assert isinstance(run_async(which_loop()), asyncio.SelectorEventLoop)


def _asyncio_run_calls(path: Path) -> list[int]:
    """Lines of `asyncio.run(...)` calls (not `run_async`, not `run_coroutine_threadsafe`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run"
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "asyncio"
    ]


def test_no_command_and_not_the_server_calls_asyncio_run_directly():
    sources = [*sorted((PACKAGE / "cli").glob("*.py")), PACKAGE / "server.py"]
    offenders = {str(path.relative_to(PACKAGE)): lines for path in sources
                 if path != HELPER and (lines := _asyncio_run_calls(path))}
    assert offenders == {}
