"""The app's own databases (users, jobs, receipts...): peewee-async on SQLite or PostgreSQL."""

from roa2web.appdb.database import AppDatabase, open_database, transaction_lock, write_transaction
from roa2web.appdb.migrations import Migration, apply_migrations

__all__ = ["AppDatabase", "Migration", "apply_migrations", "open_database", "transaction_lock", "write_transaction"]
