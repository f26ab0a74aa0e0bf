"""A real install for the backup tests: `roa2web init` + `roa2web serve` (scripts/bench/live_server.py), an HTTP
session per user, and the files of a data dir by relative path."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench"
sys.path.insert(0, str(BENCH))
from live_server import PASSWORD, Install, Server, install, integrity, roa2web, serve  # noqa: E402

__all__ = ["PASSWORD", "Install", "Server", "install", "integrity", "roa2web", "serve"]
SETTINGS = {"OCR_ENABLED": "false", "BNR_RATES_ENABLED": "false", "QUEUE_MAX_DELAY_S": "0.1",
            "RATE_LIMIT_PER_USER_PER_MINUTE": "1000000"}


def demo_install(root: Path, **settings: str) -> Install:
    """`roa2web init` in root/data and the bench users (lector, operator, aprobator)."""
    return install(root, **{**SETTINGS, **settings})


def cli(inst: Install, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m roa2web ARGS` on `inst`'s environment; not checked."""
    return subprocess.run([sys.executable, "-m", "roa2web", *args], env={**inst.env, **env}, input=stdin,
                          capture_output=True, text=True, timeout=300, check=False)


class User:
    """One logged-in user of one server."""

    def __init__(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.http = httpx.Client(base_url=base, timeout=60)
        response = self.http.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.token = str(response.json()["access_token"])
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def json(self, method: str, path: str, expect: int = 200, **request: Any) -> Any:
        """The JSON of an answer with status `expect`."""
        response = self.http.request(method, path, **request)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def wait(self, path: str, done: Callable[[Any], bool], timeout_s: float = 120) -> Any:
        """GET `path` until `done(body)`."""
        deadline = time.monotonic() + timeout_s
        while not done(body := self.json("GET", path)):
            assert time.monotonic() < deadline, f"{path} still {body}"
            time.sleep(0.1)
        return body

    def close(self) -> None:
        """Close the connections."""
        self.http.close()


def receipt(company_id: int, number: str) -> dict[str, Any]:
    """A complete, valid receipt of today (an open month), unique by its number."""
    return {"company_id": company_id, "supplier_name": "ALFA PETROL SRL", "supplier_cif": "RO12345674",
            "document_number": number, "receipt_date": str(dt.date.today()), "payment_method": "card",
            "total": 374.10, "vat_lines": [{"rate": 21, "base": 300.00, "vat": 63.00},
                                           {"rate": 11, "base": 10.00, "vat": 1.10}],
            "expense_account": "6022", "deductible": True, "buyer_cif_present": True}


class Writer:
    """A thread that keeps creating receipts until stopped; the ids the server acknowledged, in order."""

    def __init__(self, base: str, username: str) -> None:
        self.user = User(base, username)
        self.ids: list[str] = []
        self.changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="receipt-writer", daemon=True)

    def _run(self) -> None:
        number = 0
        while not self._stop.is_set():
            number += 1
            body = self.user.json("POST", "/api/data-entry/receipts", expect=201, json=receipt(1, f"W-{number}"))
            with self.changed:
                self.ids.append(str(body["id"]))
                self.changed.notify_all()

    def start(self) -> Writer:
        """Start writing."""
        self._thread.start()
        return self

    def wait_for(self, count: int, timeout_s: float = 120) -> None:
        """Until at least `count` receipts were acknowledged."""
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.ids) >= count or not self._thread.is_alive(), timeout_s)
        assert len(self.ids) >= count, "the writer stopped (see the server log)"

    def stop(self) -> list[str]:
        """Stop and return every id written."""
        self._stop.set()
        self._thread.join(60)
        self.user.close()
        return list(self.ids)


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its '/'-separated relative path (unfinished writes left out)."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith((".part", ".partial"))}
