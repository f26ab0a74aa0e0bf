"""Hypercorn's configuration for `roa2web serve`, with an optional Hypercorn TOML file (`--config`).

Each value comes from the first of these that has it, strongest first:
1. the invariants of this process: one worker on asyncio, our loggers and access logger;
2. the settings given explicitly: HOST, PORT, SHUTDOWN_TIMEOUT_S from the environment or `.env`,
   `--host`/`--port` on the command line (pydantic's `model_fields_set` tells given from default);
3. the file;
4. our defaults (keep-alive 75 s, the access-log format, a lifespan shutdown longer than the queue's);
5. Hypercorn's defaults.

A file that sets what the invariants decide, a key Hypercorn does not know, a value of the wrong
type, or a bind that is not one `host:port` is refused: `ServerConfigError`, one line naming the
file and the key. Refused rather than overridden, so what the file says is what runs.
"""

from __future__ import annotations

import difflib
import enum
import logging
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypercorn.config import Config
from pydantic import ConfigDict, TypeAdapter, ValidationError

from roa2web.access_log import AccessLogger
from roa2web.settings import Settings

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
KEEP_ALIVE_TIMEOUT_S = 75.0  # IIS/ARR keeps idle connections open for up to 2 minutes; Hypercorn's default is 5 s
# The lifespan shutdown (Hypercorn's `shutdown_timeout`) stops the queue, which waits up to
# QUEUE_SHUTDOWN_TIMEOUT_S for running jobs; the other parts (bot, pools, databases) need a little more.
LIFESPAN_SHUTDOWN_MARGIN_S = 15.0

_LOGGING = "roa2web sets its logging itself (LOG_LEVEL, LOG_FORMAT, LOG_FILE)"
_STATSD = "roa2web's access logger sends no StatsD metrics"
# Keys the file may not set: what roa2web decides, and what to use instead.
OWNED_KEYS: dict[str, str] = {
    "accesslog": _LOGGING,
    "errorlog": _LOGGING,
    "loglevel": _LOGGING,
    "logconfig": _LOGGING,
    "logconfig_dict": _LOGGING,
    "logger_class": _LOGGING,
    "statsd_host": _STATSD,
    "statsd_prefix": _STATSD,
    "dogstatsd_tags": _STATSD,
    "application_path": "roa2web serve serves its own app",
    "use_reloader": "use `roa2web serve --reload` (development)",
}
# Keys the file may set only to the one value roa2web runs with.
FIXED_KEYS: dict[str, tuple[Any, str]] = {
    "workers": (1, "one process: the queue's consumer threads and the caches live in it "
                   "(several machines: QUEUE_BACKEND=redis and one `roa2web serve` each)"),
    "worker_class": ("asyncio", "the app runs on asyncio; uvloop does not exist on Windows"),
}
_BIND_KEYS = frozenset({"bind", "insecure_bind", "quic_bind"})


class ServerConfigError(Exception):
    """The Hypercorn file cannot be used; the message is one line naming the file and what is wrong."""


@dataclass(frozen=True)
class HypercornFile:
    """A Hypercorn TOML file, read and checked: its own values only."""

    path: Path
    values: dict[str, Any]

    @property
    def bind(self) -> tuple[str, int] | None:
        """The file's one `host:port`, or None when it names no bind."""
        binds = self.values.get("bind")
        return None if binds is None else split_bind(binds[0])


def _hypercorn_keys() -> dict[str, Any]:
    """Every setting `Config.from_mapping` applies, with the type its value must have."""
    hints = typing.get_type_hints(Config)
    keys: dict[str, Any] = {}
    for name, value in vars(Config).items():
        if name.startswith("_") or isinstance(value, types.FunctionType | classmethod | staticmethod):
            continue
        if isinstance(value, property):
            if value.fset is None or value.fget is None:  # read-only (log, ssl_enabled) or write-only (cert_reqs)
                continue
            keys[name] = list[str] | str if name in _BIND_KEYS else hints.get(f"_{name}", str)
        elif name in hints:
            keys[name] = hints[name]
        elif isinstance(value, type):
            keys[name] = type[Any]
        else:
            keys[name] = float if isinstance(value, float) else type(value)
    for name, hint in hints.items():  # annotated without a class value (application_path)
        if not name.startswith("_"):
            keys.setdefault(name, hint)
    return keys


HYPERCORN_KEYS = _hypercorn_keys()


def _adapter(kind: Any) -> TypeAdapter[Any]:
    enums = [arg for arg in typing.get_args(kind) if isinstance(arg, type) and issubclass(arg, enum.Enum)]
    # strict: TOML has types, so "40" for a number is a mistake; enums (ssl flags) are given as numbers
    return TypeAdapter(kind, config=ConfigDict(strict=not enums, arbitrary_types_allowed=True))


def split_bind(bind: str) -> tuple[str, int]:
    """`host:port` or `[v6]:port` as (host, port); ValueError for anything else (unix:, fd://, no port)."""
    host, colon, port = bind.rpartition(":")
    if not colon or not host or bind.startswith(("unix:", "fd://")) or not port.isdigit():
        raise ValueError(bind)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise ValueError(bind)  # an IPv6 address needs its brackets: [::1]:8000
    number = int(port)
    if not 1 <= number <= 65535:
        raise ValueError(bind)
    return host, number


def join_bind(host: str, port: int) -> str:
    """The Hypercorn bind for `host` and `port` (IPv6 in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_value(path: Path, key: str, value: Any) -> Any:
    if key not in HYPERCORN_KEYS:
        near = difflib.get_close_matches(key, HYPERCORN_KEYS, n=1)
        hint = f" (did you mean `{near[0]}`?)" if near else ""
        raise ServerConfigError(f"{path}: `{key}` is not a Hypercorn 0.18 setting{hint}")
    if key in OWNED_KEYS:
        raise ServerConfigError(f"{path}: `{key}` cannot be set here: {OWNED_KEYS[key]}; remove it")
    try:
        checked = _adapter(HYPERCORN_KEYS[key]).validate_python(value)
    except ValidationError as exc:
        raise ServerConfigError(f"{path}: `{key} = {value!r}`: {exc.errors()[0]['msg'].lower()}") from None
    if key in FIXED_KEYS and checked != FIXED_KEYS[key][0]:
        wanted, why = FIXED_KEYS[key]
        raise ServerConfigError(f"{path}: `{key} = {value!r}` is refused: roa2web serve runs {key} = {wanted!r}, "
                                f"{why}")
    if key == "bind":
        binds = [checked] if isinstance(checked, str) else checked
        if len(binds) != 1:
            raise ServerConfigError(f"{path}: `bind = {value!r}` is refused: give one host:port "
                                    "(HOST and PORT, when set, replace its parts)")
        try:
            split_bind(binds[0])
        except ValueError:
            raise ServerConfigError(f"{path}: `bind = {value!r}`: not host:port (IPv6 as [::1]:8000)") from None
        return binds
    return checked


def read_hypercorn_file(path: Path) -> HypercornFile:
    """Read and check a Hypercorn TOML file: what `Config.from_toml` reads, refusing its mistakes.

    `Config.from_toml` is `tomllib.load` then `Config.from_mapping`, which sets any key it is given,
    so a misspelt `graceful_timout` would be silently ignored: the mapping is checked against
    Hypercorn's own settings first, and `hypercorn_config` hands it to `Config.from_mapping`.
    A UTF-8 BOM is allowed (Windows editors and PowerShell 5.1 write one; `from_toml` would fail).
    """
    try:
        # utf-8-sig: PowerShell 5.1's `Set-Content -Encoding UTF8` starts the file with a BOM
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise ServerConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ServerConfigError(f"{path}: a folder, not a Hypercorn TOML file") from None
    except OSError as exc:
        raise ServerConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ServerConfigError(f"{path}: not valid TOML: {exc}") from None
    return HypercornFile(path, {key: _check_value(path, key, value) for key, value in data.items()})


def resolve_bind(settings: Settings, file: HypercornFile | None) -> Settings:
    """Settings whose HOST and PORT are where the server listens: the file's bind unless given explicitly.

    Everything downstream (the JWT secret's loopback rule, the log line, the instance registry)
    then reads the bind from the settings.
    """
    bind = file.bind if file is not None else None
    if bind is None:
        return settings
    given = settings.model_fields_set
    update = {name: value for name, value in zip(("host", "port"), bind, strict=True) if name not in given}
    return settings.model_copy(update=update) if update else settings


def lifespan_shutdown_timeout(settings: Settings, file: HypercornFile | None) -> float:
    """Hypercorn's `shutdown_timeout`: the file's if it leaves the queue its time, else our default.

    Raises ServerConfigError when the file's value is not longer than QUEUE_SHUTDOWN_TIMEOUT_S:
    Hypercorn would abandon the shutdown while a running job is still being given its time.
    """
    queue_s = settings.queue_shutdown_timeout_s
    if file is not None and "shutdown_timeout" in file.values:
        value = float(file.values["shutdown_timeout"])
        if value <= queue_s:
            raise ServerConfigError(f"{file.path}: `shutdown_timeout = {file.values['shutdown_timeout']}` is refused: "
                                    f"it must exceed QUEUE_SHUTDOWN_TIMEOUT_S ({queue_s:g} s), the time a running "
                                    f"job gets to finish; e.g. {queue_s + LIFESPAN_SHUTDOWN_MARGIN_S:g}")
        return value
    return max(Config.shutdown_timeout, queue_s + LIFESPAN_SHUTDOWN_MARGIN_S)


def hypercorn_config(settings: Settings, file: HypercornFile | None = None) -> Config:
    """Hypercorn's `Config`: our defaults, then the file, then the settings given, then the invariants.

    `settings` should come from `resolve_bind` when there is a file: the bind is taken from them.
    """
    values: dict[str, Any] = {
        "keep_alive_timeout": KEEP_ALIVE_TIMEOUT_S,
        "access_log_format": ACCESS_LOG_FORMAT,
        "graceful_timeout": settings.shutdown_timeout_s,
    }
    if file is not None:
        values.update(file.values)
    if "shutdown_timeout_s" in settings.model_fields_set:
        values["graceful_timeout"] = settings.shutdown_timeout_s
    values.update(
        bind=[join_bind(settings.host, settings.port)],
        shutdown_timeout=lifespan_shutdown_timeout(settings, file),
        workers=1,
        worker_class="asyncio",
        accesslog=logging.getLogger("hypercorn.access"),
        errorlog=logging.getLogger("hypercorn.error"),
        logger_class=AccessLogger,
    )
    return Config.from_mapping(values)
