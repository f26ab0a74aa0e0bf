"""Every app database the process uses, with every component's migrations.

One list for the server, the CLI and `roa2web db upgrade`.

Part of the assembly (with `core` and `app`): it knows every module, so it sits above them; the
app-database store (`roa2web.appdb`) only runs the migrations it is given.
"""

from __future__ import annotations

from roa2web.appdb.installation import COMPONENT as INSTALLATION
from roa2web.appdb.installation import MIGRATIONS as INSTALLATION_MIGRATIONS
from roa2web.appdb.part import DatabasePart
from roa2web.auth.store import MIGRATIONS as AUTH_MIGRATIONS
from roa2web.chats.store import COMPONENT as TELEGRAM
from roa2web.chats.store import MIGRATIONS as TELEGRAM_MIGRATIONS
from roa2web.data_entry.store.migrations import MIGRATIONS as DATA_ENTRY_MIGRATIONS
from roa2web.jobs.consumers import MIGRATIONS as QUEUE_CONSUMERS_MIGRATIONS
from roa2web.jobs.store import MIGRATIONS as JOBS_MIGRATIONS
from roa2web.rates.store import MIGRATIONS as EXCHANGE_RATES_MIGRATIONS
from roa2web.settings import Settings


def database_parts(settings: Settings) -> dict[str, DatabasePart]:
    """The databases by name ('app_db', ...), their migrations registered, not yet connected."""
    app_db = DatabasePart("app_db", settings.app_database_url)
    app_db.add_migrations("auth", AUTH_MIGRATIONS)
    app_db.add_migrations("jobs", JOBS_MIGRATIONS)
    app_db.add_migrations("queue_consumers", QUEUE_CONSUMERS_MIGRATIONS)
    app_db.add_migrations("exchange_rates", EXCHANGE_RATES_MIGRATIONS)
    app_db.add_migrations(INSTALLATION, INSTALLATION_MIGRATIONS)
    app_db.add_migrations(TELEGRAM, TELEGRAM_MIGRATIONS)
    parts = {"app_db": app_db}
    if settings.module_data_entry_enabled:
        data_entry_db = DatabasePart("data_entry_db", settings.data_entry_database_url)
        data_entry_db.add_migrations("data_entry", DATA_ENTRY_MIGRATIONS)
        parts["data_entry_db"] = data_entry_db
    return parts
