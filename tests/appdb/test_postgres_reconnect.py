"""A PostgreSQL restart (or a failover, or a proxy closing idle connections) fails no request afterwards.

Each pooled connection the server closed used to fail the one request that drew it next (a 503 on
the token check, a 500 elsewhere); the pool now checks a connection when it hands it out.
"""

from __future__ import annotations

import pytest

from roa2web.app import create_app
from tests.conftest import add_user, login
from tests.support.data_entry import postgres_query, wipe_postgres

pytestmark = pytest.mark.postgres


async def test_requests_after_the_server_closed_every_connection_succeed(settings_factory, postgres_database):
    wipe_postgres(postgres_database)
    name = postgres_database.rsplit("/", 1)[1]
    settings = settings_factory(app_db_url=postgres_database, data_entry_db_url=postgres_database,
                                token_check_cache_s=0)
    app = create_app(settings)
    async with app.test_app():
        await add_user(app, "ana", roles={"operator"}, company_ids={2})
        client = app.test_client()
        headers = await login(client, "ana")
        for _ in range(3):  # several connections in the pools
            assert (await client.get("/api/data-entry/receipts", query_string={"company_id": 2},
                                     headers=headers)).status_code == 200
        closed = postgres_query(postgres_database, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                   "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        assert closed[0][0] >= 2  # the app's and the data-entry part's pooled connections
        statuses = [(await client.get("/api/auth/me", headers=headers)).status_code for _ in range(4)]
        statuses += [(await client.get("/api/data-entry/receipts", query_string={"company_id": 2},
                                       headers=headers)).status_code for _ in range(4)]
        assert statuses == [200] * 8
