"""`create_app(settings)`: the one place the whole process is assembled."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from quart import Quart
from quart_schema import QuartSchema

from roa2web import __version__
from roa2web.blueprints import auth, companies, docs, health, home, spa
from roa2web.core import install_core
from roa2web.errors import register_error_handlers
from roa2web.runtime import Runtime
from roa2web.scratch import scratch_dir
from roa2web.settings import Settings, load_settings
from roa2web.web.body_limit import install_body_limit
from roa2web.web.guards import install_token_auth
from roa2web.web.limits import install_rate_limits
from roa2web.web.nul_guard import install_nul_guard
from roa2web.web.request import request_class
from roa2web.web.request_context import install_request_context
from roa2web.web.security import SecurityHeaders


@dataclass(frozen=True)
class Module:
    """A part of the process that can be switched on and off.

    `services` names a module with `install_services(runtime)` (domain services and parts, also
    used by a standalone worker); `http` one with `install_routes(app, runtime)` (blueprints);
    `tasks` the Huey task door whose job handlers and housekeeping steps register at import;
    `door` one with `install_door(runtime)`: a door outside HTTP (the Telegram bot), in the server only.
    """

    flag: str | None  # Settings attribute that switches it on; None = always on
    services: str | None
    http: str | None
    tasks: str | None = None
    door: str | None = None


# Order is startup order.
MODULES: tuple[Module, ...] = (
    Module("module_reports_enabled", "roa2web.reports.setup", "roa2web.blueprints.reports", "roa2web.tasks.exports"),
    Module(None, "roa2web.jobs.setup", "roa2web.blueprints.tasks", "roa2web.tasks.periodic"),
    Module("module_data_entry_enabled", "roa2web.data_entry.setup", "roa2web.blueprints.data_entry",
           "roa2web.tasks.data_entry"),
    Module("module_telegram_enabled", "roa2web.chats.setup", "roa2web.blueprints.telegram",
           door="roa2web.bot.setup"),
)


def enabled_modules(settings: Settings) -> list[Module]:
    """The modules this configuration runs."""
    return [module for module in MODULES if module.flag is None or getattr(settings, module.flag)]


def build_runtime(settings: Settings) -> Runtime:
    """Every service and part without HTTP: what the server and a standalone worker share."""
    runtime = Runtime(settings)
    install_core(runtime)
    for module in enabled_modules(settings):
        if module.tasks:
            importlib.import_module(module.tasks)
        if module.services:
            importlib.import_module(module.services).install_services(runtime)
    return runtime


def create_app(settings: Settings | None = None) -> Quart:
    """Build the app and its runtime; nothing starts until the server's startup."""
    settings = settings or load_settings()
    app = Quart("roa2web", static_folder=None)
    app.request_class = request_class(scratch_dir(settings.data_dir))
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_content_length,
        JSON_SORT_KEYS=False,
        QUART_SCHEMA_CONVERSION_PREFERENCE="pydantic",
    )
    runtime = build_runtime(settings)
    for module in enabled_modules(settings):
        if module.door:
            importlib.import_module(module.door).install_door(runtime)
    app.extensions["roa2web"] = runtime

    QuartSchema(
        app,
        info={"title": "ROA2WEB API", "version": __version__},
        swagger_ui_path=None,
        redoc_ui_path=None,
        scalar_ui_path=None,
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearer_format": "JWT"}},
        security=[{"bearer": []}],
        openapi_provider_class=docs.ApiOpenAPIProvider,
    )
    # Before-request hooks run in this order: request id and client address, U+0000 refused, token, rate limits.
    security = SecurityHeaders(allowed_origins=settings.allowed_origins, production=settings.env == "production")
    install_request_context(app, settings.trusted_proxies, security)
    install_nul_guard(app)
    install_token_auth(app, runtime)
    install_rate_limits(app, settings)
    register_error_handlers(app)

    spa_root = spa.built_app(settings.spa_dir)
    if spa_root is None:  # no built web app: `/` is the welcome page
        app.register_blueprint(home.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(docs.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(companies.blueprint)
    for module in enabled_modules(settings):
        if module.http:
            importlib.import_module(module.http).install_routes(app, runtime)
    if spa_root is not None:  # last: its catch-all only takes what no other route claims
        spa.install_spa(app, spa_root)
    install_body_limit(app, json_limit=settings.max_json_body_bytes, upload_limit=settings.max_content_length,
                       security=security, trusted_proxies=settings.trusted_proxies)

    app.before_serving(runtime.start)
    app.after_serving(runtime.stop)
    return app
