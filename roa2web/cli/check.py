"""`roa2web check`: validate settings and try every configured part; one line each.

It may run beside a live server on the same data dir, so it never starts a queue consumer of its
own (the queue is only reached, as the server sees it), nor the Telegram bot (it would take the
server's updates or set the webhook: the token is tried with getMe instead), and each item gets a
short timeout. A configured part that fails fails the check, optional ones too (OCR, BNR rates,
Telegram, SMTP: the server serves without them); one not configured is OFF and does not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import tempfile

from pydantic import SecretStr

from roa2web.aio import run_async
from roa2web.auth.secret import configured_secret, is_loopback, refusal
from roa2web.backup.schedule import describe as backup_line
from roa2web.cli.check_chats import smtp_line, telegram_lines
from roa2web.jobs.part import EXTERNAL_CONSUMER
from roa2web.runtime import Runtime
from roa2web.settings import Settings, SettingsError

_MARK = {"ok": "OK  ", "degraded": "WARN", "loading": "WARN", "down": "FAIL", "off": "OFF "}
OWN_LINES = frozenset({"telegram"})  # parts the check tries itself (their part does not run in check)
DEFAULT_TIMEOUT_S = 5.0


def _data_dir_line(settings: Settings) -> tuple[str, str]:
    """Whether DATA_DIR exists and is writable; check never creates it (that is `roa2web init`'s job)."""
    if not settings.data_dir.is_dir():
        return "down", (
            f"data dir {settings.data_dir.resolve()} does not exist: run `roa2web init` there, or set DATA_DIR"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=settings.data_dir):
            pass
        return "ok", f"data dir {settings.data_dir.resolve()} is writable"
    except OSError as exc:
        return "down", f"data dir {settings.data_dir}: {exc}"


def files_line(settings: Settings) -> tuple[str, str]:
    """Where receipt files and exports live (FILES_DIR), whether it is writable, and whether instances share it."""
    where = settings.files_root.resolve()
    if not settings.files_shared:
        if settings.queue_backend == "redis":
            return "degraded", (
                f"files: in the data dir {where}, not shared: with QUEUE_BACKEND=redis each instance keeps its own "
                "receipts/ and exports/, so an export downloaded from another instance and OCR of a photo "
                "uploaded to another instance fail; set FILES_DIR on every instance to one shared folder"
            )
        return "ok", f"files: receipts/ and exports/ in the data dir {where}"
    if not settings.files_root.is_dir():
        return "down", (
            f"files dir {where} does not exist: run `roa2web init`, or mount the shared folder, or set FILES_DIR"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=settings.files_root):
            pass
    except OSError as exc:
        return "down", f"files dir {where}: {exc}"
    return "ok", f"files: receipts/ and exports/ in {where} (FILES_DIR), writable"


def secret_line(settings: Settings) -> tuple[str, str]:
    """Which JWT secret the server will sign with (its source and fingerprint, never the value)."""
    try:
        secret = configured_secret(settings)
    except SettingsError as exc:
        return "down", f"jwt secret: {exc}"
    reason = refusal(secret, settings)
    if reason:
        return "down", f"jwt secret: {reason}"
    if secret is None:
        return "degraded", "jwt secret: none yet; `roa2web serve` on loopback writes a random one to DATA_DIR"
    if secret.weakness:
        return "degraded", f"jwt secret: {secret.source} {secret.weakness} (accepted only on loopback in development)"
    reach = "loopback" if is_loopback(settings.host) else settings.host
    return "ok", f"jwt secret: {secret.describe()}, serving on {reach}"


def checking_settings(settings: Settings) -> Settings:
    """The settings `check` builds its runtime with: no in-process queue consumer, no bot.

    With no secret configured, a throwaway one, so that building the app writes no secret file.
    """
    update: dict[str, object] = {"queue_in_process": False, "telegram_bot_token": None}
    with contextlib.suppress(SettingsError):
        if configured_secret(settings) is None:
            update["jwt_secret_key"] = SecretStr(secrets.token_urlsafe(48))
    return settings.model_copy(update=update)


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
            if name in OWN_LINES:
                continue
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


async def _check_chats(settings: Settings, timeout_s: float) -> list[tuple[str, str]]:
    """The bot's token and the SMTP login, side by side."""
    bot, smtp = await asyncio.gather(telegram_lines(settings, timeout_s), smtp_line(settings, timeout_s))
    return [*bot, smtp]


def _check(args: argparse.Namespace, settings: Settings) -> int:
    print(f"OK   settings (env={settings.env}, ledger={'oracle' if settings.oracle_configured else 'embedded'})")
    status, message = secret_line(settings)
    print(f"{_MARK[status]} {message}")
    failed = status == "down"
    status, message = _data_dir_line(settings)
    print(f"{_MARK[status]} {message}")
    if status == "down":
        print("SKIP the parts: they would create their files in a data dir that is not there")
        return 1
    status, message = files_line(settings)
    print(f"{_MARK[status]} {message}")
    failed = failed or status == "down"
    status, message = backup_line(settings)
    print(f"{_MARK[status]} {message}")
    failed = failed or status == "down"
    for status, name, detail in run_async(_check_parts(settings, args.timeout)):
        print(f"{_MARK.get(status, 'FAIL')} {name}: {detail}")
        failed = failed or status == "down"
    for status, message in run_async(_check_chats(settings, args.timeout)):
        print(f"{_MARK[status]} {message}")
        failed = failed or status == "down"
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `check`."""
    parser = subparsers.add_parser("check", help="validate settings and try each configured connection")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per item (default 5)")
    parser.set_defaults(handler=_check)
