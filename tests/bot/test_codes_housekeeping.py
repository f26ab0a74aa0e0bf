"""Housekeeping forgets linking codes a day after they expired, and keeps the live ones."""

from __future__ import annotations

import datetime as dt

from quart import Quart

from roa2web.chats.links import utc_now
from roa2web.runtime import Runtime
from roa2web.tasks.periodic import delete_old_linking_codes
from tests.conftest import add_user


async def test_old_codes_go_live_ones_stay(app: Quart) -> None:
    runtime: Runtime = app.extensions["roa2web"]
    links = runtime.chat_links
    user = await add_user(app, "ana-coduri", roles={"viewer"})
    await links.issue_code(user.id)
    assert await delete_old_linking_codes(runtime) == 0  # a live code stays
    links.clock = lambda: utc_now() + dt.timedelta(days=2)  # two days later: expired for over a day
    other = await add_user(app, "bogdan-coduri", roles={"viewer"})
    await links.issue_code(other.id)  # issued "now" (two days on): live
    assert await delete_old_linking_codes(runtime) == 1
    assert await delete_old_linking_codes(runtime) == 0
