"""One stream of logs for the whole process: time, level, module tag, request id; text or JSON."""

from __future__ import annotations

import contextvars
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import override

import orjson

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_TAGS = (
    ("roa2web.reports", "REPORTS"),
    ("roa2web.blueprints.reports", "REPORTS"),
    ("roa2web.data_entry", "DATA-ENTRY"),
    ("roa2web.blueprints.data_entry", "DATA-ENTRY"),
    ("roa2web.bot", "TELEGRAM"),
    ("roa2web.chats", "TELEGRAM"),
    ("roa2web.blueprints.telegram", "TELEGRAM"),
    ("telegram", "TELEGRAM"),
    ("roa2web.jobs", "TASKS"),
    ("roa2web.tasks", "TASKS"),
    ("huey", "TASKS"),
    ("roa2web.cache", "CACHE"),
    ("roa2web.auth", "AUTH"),
    ("roa2web.blueprints.auth", "AUTH"),
)


def module_tag(logger_name: str) -> str:
    """The module tag shown in each line, from the logger's name."""
    for prefix, tag in _TAGS:
        if logger_name == prefix or logger_name.startswith(prefix + "."):
            return tag
    return "CORE"


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.tag = module_tag(record.name)
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    @override
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "module": getattr(record, "tag", module_tag(record.name)),
            "request_id": getattr(record, "request_id", "-"),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


TEXT_FORMAT = "%(asctime)s %(levelname)-7s [%(tag)s] [%(request_id)s] %(name)s: %(message)s"


def configure_logging(level: str = "INFO", fmt: str = "text", log_file: Path | None = None) -> None:
    """Route every logger (ours, Hypercorn's, Huey's, PTB's) to one formatted stream."""
    formatter: logging.Formatter = JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(log_file, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8")
        )
    context = _ContextFilter()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(context)
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("hypercorn.access", "hypercorn.error", "quart.app", "quart.serving"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    for noisy in ("httpx", "httpcore", "peewee", "peewee.async", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
