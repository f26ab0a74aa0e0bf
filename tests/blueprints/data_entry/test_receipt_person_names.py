"""A receipt names the people who created, edited and submitted it by their display names (the header's "Ana"),
not their usernames; a user without a display name is named by the username; the history keeps both."""

from __future__ import annotations

import datetime as dt

from roa2web.auth import store
from roa2web.blueprints.data_entry.schemas import history_out
from roa2web.data_entry.model import HistoryEntry
from tests.support.data_entry import PASSWORD, receipt_payload

BASE = "/api/data-entry/receipts"
SMALL = {"total": 121.00, "vat_lines": [{"rate": 21, "base": 100.00, "vat": 21.00}]}


async def nameless_operator(de_app, de_client, password_hash: str) -> dict[str, str]:
    """Log in `ion`, an operator of company 2 whose display name is empty."""
    await store.create_user(de_app.extensions["roa2web"].app_db, username="ion", display_name="",
                            password_hash=password_hash, roles=frozenset({"operator"}), company_ids=frozenset({2}))
    response = await de_client.post("/api/auth/login", json={"username": "ion", "password": PASSWORD})
    assert response.status_code == 200, await response.get_data()
    return {"Authorization": f"Bearer {(await response.get_json())['access_token']}"}


async def test_created_edited_submitted_and_history_carry_display_names(de_client, as_user):
    ana, carmen, bogdan = await as_user("ana"), await as_user("carmen"), await as_user("bogdan")
    created = await de_client.post(BASE, json=receipt_payload(), headers=ana)
    assert created.status_code == 201, await created.get_data()
    receipt = await created.get_json()
    assert (receipt["created_by_name"], receipt["last_edited_by_name"], receipt["submitted_by_name"]) == (
        "Ana", "Ana", None)

    edited = await de_client.patch(f"{BASE}/{receipt['id']}", json={**SMALL, "version": receipt["version"]},
                                   headers=carmen)
    assert edited.status_code == 200, await edited.get_data()
    assert (await de_client.post(f"{BASE}/{receipt['id']}/submit", json={}, headers=carmen)).status_code == 200
    assert (await de_client.post(f"{BASE}/{receipt['id']}/approve", json={}, headers=bogdan)).status_code == 200

    read = await (await de_client.get(f"{BASE}/{receipt['id']}", headers=ana)).get_json()
    assert (read["created_by_name"], read["last_edited_by_name"], read["submitted_by_name"]) == (
        "Ana", "Carmen", "Carmen")
    listed = await (await de_client.get(BASE, query_string={"company_id": 2}, headers=ana)).get_json()
    assert [(r["created_by_name"], r["submitted_by_name"]) for r in listed["items"]] == [("Ana", "Carmen")]
    history = await (await de_client.get(f"{BASE}/{receipt['id']}/history", headers=ana)).get_json()
    assert [(h["action"], h["username"], h["name"]) for h in history["items"]] == [
        ("create", "ana", "Ana"), ("update", "carmen", "Carmen"), ("submit", "carmen", "Carmen"),
        ("approve", "bogdan", "Bogdan")]


async def test_a_user_without_a_display_name_is_named_by_the_username(de_app, de_client, password_hash):
    ion = await nameless_operator(de_app, de_client, password_hash)
    created = await de_client.post(BASE, json=receipt_payload(), headers=ion)
    assert created.status_code == 201, await created.get_data()
    receipt = await created.get_json()
    submitted = await de_client.post(f"{BASE}/{receipt['id']}/submit", json={}, headers=ion)
    assert submitted.status_code == 200, await submitted.get_data()
    body = await submitted.get_json()
    assert (body["created_by_name"], body["last_edited_by_name"], body["submitted_by_name"]) == ("ion", "ion", "ion")
    history = await (await de_client.get(f"{BASE}/{receipt['id']}/history", headers=ion)).get_json()
    assert {(h["username"], h["name"]) for h in history["items"]} == {("ion", "ion")}


def test_a_history_entry_written_before_names_were_kept_shows_the_username():
    at = dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC)
    old = HistoryEntry("h1", "r1", at, "u-ana", "ana", "create", None, "DRAFT", None)
    assert [(e.username, e.name) for e in history_out([old]).items] == [("ana", "ana")]
