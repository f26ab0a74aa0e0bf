"""Run the app under Hypercorn in this one process, with a graceful shutdown on signals."""

from __future__ import annotations

import asyncio
import gc
import logging

from hypercorn.asyncio import serve

from roa2web.aio import run_async
from roa2web.backup.in_use import running_on
from roa2web.backup.schedule import install_daily_backup
from roa2web.jobs.instances import join
from roa2web.server_config import ACCESS_LOG_FORMAT, HypercornFile, hypercorn_config
from roa2web.settings import Settings
from roa2web.stop_signals import ShutdownRequest

__all__ = ["ACCESS_LOG_FORMAT", "hypercorn_config", "run_server", "run_with_reload"]
log = logging.getLogger("roa2web.server")


async def _freeze_startup_heap() -> None:
    """Exempt what startup built (modules, models, pools: most of the heap) from cyclic GC.

    Those objects live as long as the process, yet every full collection would walk them again;
    with the whole app loaded that made the p99 of a cached report ~110 ms instead of ~40 ms at
    50 connections (scripts/bench/reports_http.py). Objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()


async def _serve(settings: Settings, file: HypercornFile | None = None) -> None:
    with running_on(settings.data_dir):  # DataDirInUse while a restore works on it; tells a restore we run
        await _serve_on_data_dir(settings, file)


async def _serve_on_data_dir(settings: Settings, file: HypercornFile | None) -> None:
    from roa2web.app import create_app

    member = await join(settings, "serve")  # raises InstanceRefused before anything starts
    app = create_app(settings)
    install_daily_backup(app.extensions["roa2web"])
    instances = app.extensions["roa2web"].services.instances
    if instances is not None:
        instances.adopt(member)
    app.before_serving(_freeze_startup_heap)  # after the runtime's own startup, registered by create_app
    shutdown = ShutdownRequest(asyncio.get_running_loop())
    shutdown.install()
    config = hypercorn_config(settings, file)
    log.info("serving on http://%s (env=%s%s)", config.bind[0], settings.env,
             f", config={file.path}" if file is not None else "")
    await serve(app, config, shutdown_trigger=shutdown.wait)
    log.info("stopped")


def run_server(settings: Settings, file: HypercornFile | None = None) -> None:
    """Serve until a shutdown signal.

    `InstanceRefused` when the Redis queue is shared with another app database; `DataDirInUse` while a
    restore works on DATA_DIR. `file`: a checked Hypercorn TOML file (`--config`), with `settings` from
    `resolve_bind`.
    """
    run_async(_serve(settings, file))  # the selector loop on Windows: psycopg's async mode refuses the Proactor loop


def run_with_reload(settings: Settings, file: HypercornFile | None = None) -> int:
    """Development: Hypercorn's reloader restarts a child process when a source file changes.

    The child builds the app from the environment (`roa2web.asgi`); the bind and the file's
    settings reach it in the Hypercorn config.
    """
    from hypercorn.run import run

    config = hypercorn_config(settings, file)
    config.application_path = "roa2web.asgi:app"
    config.use_reloader = True
    return run(config)
