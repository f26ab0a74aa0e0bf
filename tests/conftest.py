"""Fixtures every test area shares: a demo ledger, real apps on temp data dirs, logged-in clients."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from quart import Quart
from quart.typing import TestClientProtocol

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.settings import Settings, load_settings

PASSWORD = "parola-test-123"
pytest_plugins = ["tests.support.data_entry"]  # data-entry fixtures: SQLite/PostgreSQL apps, roster users
# No per-example time limit: Hypothesis's default 200 ms deadline fails a property on a loaded machine.
hypothesis_settings.register_profile("roa2web", deadline=None)
hypothesis_settings.load_profile("roa2web")


@pytest.fixture(scope="session")
def demo_ledger_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deterministic demo ledger, generated once per test session (read-only for tests).

    Pinned to tests/support/demo_window.py's window, never the clock's month.
    """
    from roa2web.demo import generate_demo_ledger
    from tests.support import demo_window

    path = tmp_path_factory.mktemp("ledger") / "ledger-demo.sqlite"
    generate_demo_ledger(path, seed=2025, until=demo_window.UNTIL, months=demo_window.MONTHS)
    return path


@pytest.fixture
def settings_factory(tmp_path: Path, demo_ledger_path: Path) -> Callable[..., Settings]:
    """Settings for a test app: its own data dir, the shared demo ledger, no background extras."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "env": "test",
            "ledger_path": demo_ledger_path,
            "login_rate_limit": 1000,  # tests log in often; the limit has its own test
            "ocr_enabled": False,  # the engine loads in the background; OCR tests switch it on
            "bnr_rates_enabled": False,  # no bank here: the fetch tests serve a recorded feed on loopback
            "spa_dir": None,  # `/` is the welcome page whether or not frontend/dist is built (tests/web/test_spa.py)
        }
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    """Default test settings."""
    return settings_factory()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Quart]:
    """A started app (startup and shutdown run as under Hypercorn)."""
    application = create_app(settings)
    async with application.test_app():
        yield application


@pytest.fixture
def client(app: Quart) -> TestClientProtocol:
    """An HTTP test client of `app`."""
    return app.test_client()


async def add_user(
    app: Quart, username: str, *, roles: set[str], company_ids: set[int] | None = None, password: str = PASSWORD
) -> store.User:
    """Create a local user directly in the app database."""
    db = app.extensions["roa2web"].app_db
    return await store.create_user(
        db,
        username=username,
        display_name=username.title(),
        password_hash=await hash_password(password),
        roles=frozenset(roles),
        company_ids=None if company_ids is None else frozenset(company_ids),
    )


async def login(client: TestClientProtocol, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in over HTTP; return the Authorization header."""
    response = await client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, await response.get_data()
    body = await response.get_json()
    return {"Authorization": f"Bearer {body['access_token']}"}


async def admin_headers(app: Quart) -> dict[str, str]:
    """The Authorization header of a new admin (e.g. for the parts' figures in /health)."""
    username = f"admin-{uuid.uuid4().hex[:8]}"
    await add_user(app, username, roles={"admin"})
    return await login(app.test_client(), username)


@pytest.fixture
def user_headers(app: Quart, client: TestClientProtocol) -> Callable[..., Awaitable[dict[str, str]]]:
    """Create a user and return their auth header: `await user_headers("ana", roles={"viewer"})`."""

    async def make(username: str, *, roles: set[str], company_ids: set[int] | None = None) -> dict[str, str]:
        await add_user(app, username, roles=roles, company_ids=company_ids)
        return await login(client, username)

    return make


def copy_ledger(source: Path, target_dir: Path) -> Path:
    """A private copy of a ledger file for tests that must not share one."""
    target_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, target_dir / source.name))


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: a worker finished
def pytest_testnodedown(node: Any, error: object) -> None:
    """Collect the SPA browser tests' summary lines a worker handed over (tests/web/spa/conftest.py)."""
    from tests.web.spa import spa_kit

    spa_kit.SUMMARY.extend(getattr(node, "workeroutput", {}).get("spa_summary", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The SPA screenshot folder and render time, for the person reading the run."""
    from tests.web.spa import spa_kit

    if spa_kit.SUMMARY:
        terminalreporter.write_sep("-", "SPA browser tests")
        for line in dict.fromkeys(spa_kit.SUMMARY):
            terminalreporter.write_line(line)
