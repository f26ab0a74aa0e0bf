"""Upgrading an app database made before token versions: its users get version 0 and log in as before."""

from __future__ import annotations

from roa2web.app import create_app
from roa2web.appdb.part import DatabasePart
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from tests.conftest import PASSWORD, login


async def test_users_of_an_older_database_keep_working_after_the_upgrade(settings_factory):
    settings = settings_factory()
    older = DatabasePart("app_db", settings.app_database_url)
    older.add_migrations("auth", store.MIGRATIONS[:1])  # the release before token versions
    await older.start()
    try:
        await older.db.aio_execute_sql(
            "INSERT INTO users (id, username, display_name, password_hash, roles, company_ids, source, disabled, "
            "created_at, updated_at) VALUES ('u1', 'maria', 'Maria', ?, 'admin', '*', 'local', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (await hash_password(PASSWORD),),
        )
    finally:
        await older.stop()

    app = create_app(settings)
    async with app.test_app():
        user = await store.get_user(app.extensions["roa2web"].app_db, "u1")
        assert user is not None and user.token_version == 0
        client = app.test_client()
        headers = await login(client, "maria")
        assert (await client.get("/api/tasks", headers=headers)).status_code == 200
