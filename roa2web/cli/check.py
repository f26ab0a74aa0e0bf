"""`roa2web check`: validate settings and try every configured part; one line each.

It may run beside a live server on the same data dir, so it never starts a queue consumer of its
own (the queue is only reached, as the server sees it), and each item gets a short timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile

from roa2web.aio import run_async
from roa2web.jobs.part import EXTERNAL_CONSUMER
from roa2web.runtime import Runtime
from roa2web.settings import Settings

_MARK = {"ok": "OK  ", "degraded": "WARN", "loading": "WARN", "down": "FAIL"}
DEFAULT_TIMEOUT_S = 5.0


def _data_dir_line(settings: Settings) -> tuple[str, str]:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.data_dir):
            pass
        return "ok", f"data dir {settings.data_dir.resolve()} is writable"
    except OSError as exc:
        return "down", f"data dir {settings.data_dir}: {exc}"


def checking_settings(settings: Settings) -> Settings:
    """The settings `check` builds its runtime with: no in-process queue consumer."""
    return settings.model_copy(update={"queue_in_process": False})


def consumer_line(settings: Settings) -> str:
    """Who consumes the queue by the real settings (the queue part only sees check's copy, which starts none)."""
    if settings.queue_in_process:
        return "in the server (QUEUE_IN_PROCESS=true; check starts none)"
    return EXTERNAL_CONSUMER


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def _wait_for_ocr(runtime: Runtime, timeout_s: float) -> None:
    """The OCR engine loads on its own thread after startup: give it `timeout_s` to say ready or failed."""
    service = runtime.services.ocr
    if service is not None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(service.wait_ready(), timeout_s)


async def _check_parts(settings: Settings, timeout_s: float) -> list[tuple[str, str, str]]:
    from roa2web.app import create_app

    try:
        app = create_app(checking_settings(settings))
        runtime: Runtime = app.extensions["roa2web"]
        if settings.ocr_enabled and settings.module_data_entry_enabled and runtime.services.ocr is None:
            from roa2web.data_entry.setup import install_ocr

            install_ocr(runtime)  # without a consumer there is no engine: load one to try the OCR models
    except Exception as exc:  # a setting that only fails when the app is assembled
        return [("down", "app", f"the app could not be built: {_problem(exc)}")]
    lines: list[tuple[str, str, str]] = []
    try:
        await asyncio.wait_for(runtime.start(), timeout_s)
        await runtime.wait_background(timeout_s)
        await _wait_for_ocr(runtime, timeout_s)
        report = await runtime.health(timeout_s=timeout_s)
        for name, result in report["modules"].items():
            if name == "queue" and "consumer" in result:
                result = {**result, "consumer": consumer_line(settings)}
            status = result.get("status", "down")
            detail = result.get("error") or ", ".join(
                f"{key}={value}" for key, value in result.items() if key != "status" and not isinstance(value, dict)
            )
            lines.append((status, name, detail))
    except Exception as exc:
        lines.append(("down", "startup", _problem(exc)))
    finally:
        await runtime.stop()
    return lines


def _check(args: argparse.Namespace, settings: Settings) -> int:
    print(f"OK   settings (env={settings.env}, ledger={'oracle' if settings.oracle_configured else 'embedded'})")
    status, message = _data_dir_line(settings)
    print(f"{_MARK[status]} {message}")
    failed = status == "down"
    for status, name, detail in run_async(_check_parts(settings, args.timeout)):
        print(f"{_MARK.get(status, 'FAIL')} {name}: {detail}")
        failed = failed or status == "down"
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `check`."""
    parser = subparsers.add_parser("check", help="validate settings and try each configured connection")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per item (default 5)")
    parser.set_defaults(handler=_check)
