"""Pieces of a scale-out install on 127.0.0.1 for the tests: throwaway PostgreSQL databases, a Redis
queue of its own, the environment the README's "Scale-out (several machines)" section sets, and an
HTTP client for a running instance."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.jobs.server_process import PLUGINS
from tests.support.data_entry import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER
from tests.support.redis_queue import REDIS_URL


def _admin_connection() -> Any:
    import psycopg

    try:
        return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD or None,
                               dbname="postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_HOST}:{PG_PORT} is needed for the scale-out tests: {error}")


@contextlib.contextmanager
def postgres_databases(*roles: str) -> Iterator[list[str]]:
    """One fresh database per role (`app`, `receipts`), dropped afterwards; their URLs."""
    names = [f"roa2web_scaleout_{role}_{uuid.uuid4().hex[:10]}" for role in roles]
    with _admin_connection() as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{PG_USER}:{PG_PASSWORD}@" if PG_PASSWORD else f"{PG_USER}@"
    try:
        yield [f"postgresql://{auth}{PG_HOST}:{PG_PORT}/{name}" for name in names]
    finally:
        with _admin_connection() as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')




def base_env(tmp_path: Path) -> dict[str, str]:
    """This machine's environment without any roa2web setting (the instances get only the README's)."""
    dropped = ("ORACLE_", "DATA_", "FILES_", "QUEUE_", "OCR_", "LOG_", "MODULE_", "BNR_")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(dropped) and key not in ("HOST", "PORT", "ENV", "JWT_SECRET_KEY", "APP_DB_URL")}
    env.update(ROA2WEB_ENV_FILE=str(tmp_path / "none.env"),
               BNR_RATES_ENABLED="false",  # no bank here: the instances must not reach for bnr.ro
               PYTHONPATH=os.pathsep.join([str(PLUGINS), os.getcwd()]))
    return env


def shared_settings(*, queue: str, app_db: str, receipts_db: str, files_dir: Path, ledger: Path) -> dict[str, str]:
    """The settings every instance gets, the same on each (the README's list; the demo ledger stands in for Oracle)."""
    return {
        "QUEUE_BACKEND": "redis", "QUEUE_URL": REDIS_URL, "QUEUE_NAME": queue,
        "APP_DB_URL": app_db, "DATA_ENTRY_DB_URL": receipts_db,
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        "FILES_DIR": str(files_dir),
        "LEDGER_PATH": str(ledger),
    }


class Api:
    """JSON (and uploads) over HTTP to one instance, logged in as one user."""

    def __init__(self, port: int, username: str, password: str) -> None:
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        response = self.http.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def get(self, path: str) -> Any:
        """The JSON of a 200 answer."""
        response = self.http.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def accepted(self, path: str, **request: Any) -> dict[str, Any]:
        """POST that must answer 202; its JSON."""
        response = self.http.post(path, **request)
        assert response.status_code == 202, f"POST {path}: {response.status_code} {response.text}"
        body: dict[str, Any] = response.json()
        return body

    def download(self, path: str) -> bytes:
        """The bytes of a 200 answer."""
        response = self.http.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.content

    def wait(self, path: str, done: Callable[[dict[str, Any]], bool], timeout_s: float = 120) -> dict[str, Any]:
        """Poll `path` until `done(body)`."""
        deadline = time.monotonic() + timeout_s
        while True:
            body = self.get(path)
            if done(body):
                return dict(body)
            assert time.monotonic() < deadline, f"{path} still {body} after {timeout_s} s"
            time.sleep(0.1)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()
