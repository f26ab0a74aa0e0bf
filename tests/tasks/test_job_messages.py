"""What a job tells people while it runs and when it ends is Romanian in one sentence case: a capital first
letter, no other capitals but acronyms, no closing full stop ("Se citește bonul", "Finalizat")."""

from __future__ import annotations

import pytest

from roa2web.jobs import transitions
from tests.blueprints.data_entry.test_receipt_exports_api import DECEMBER, approved, run_export
from tests.conftest import add_user, login
from tests.support.data_entry import wait_for
from tests.support.romanian import english_words


def is_sentence_case(message: str) -> bool:
    """'Se scriu 3 rânduri' yes; 'se scriu', 'Se Scriu', 'Gata.' no (acronyms such as TVA are fine)."""
    words = message.split()
    later_capitals = [word for word in words[1:] if word[:1].isupper() and not word.isupper()]
    return bool(words) and words[0][:1].isupper() and not later_capitals and not message.endswith(".")


@pytest.mark.parametrize("data_entry_db_url", [None])  # the wording, not the engine: SQLite is enough
async def test_every_message_of_the_export_jobs_is_romanian_sentence_case(de_app, de_client, as_user, monkeypatch):
    written: list[str] = []
    record_progress = transitions.record_progress

    async def recording(db, job_id, worker, progress, message):
        written.append(message)
        return await record_progress(db, job_id, worker, progress, message)

    monkeypatch.setattr(transitions, "record_progress", recording)
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    await approved(de_client, ana, bogdan)
    receipts_export = await run_export(de_client, bogdan, DECEMBER)
    assert receipts_export["state"] == "done", receipts_export

    await add_user(de_app, "root", roles={"admin"})
    admin = await login(de_client, "root")
    request = {"report": "trial_balance", "format": "xlsx",
               "params": {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}}
    accepted = await (await de_client.post("/api/reports/exports", json=request, headers=admin)).get_json()

    async def finished():
        status = await (await de_client.get(accepted["status_url"], headers=admin)).get_json()
        return status if status["state"] in ("done", "failed") else None

    report_export = await wait_for(finished, timeout_s=60)
    assert report_export["state"] == "done", report_export

    messages = [*written, accepted["message"], receipts_export["message"], report_export["message"]]
    assert len(set(written)) >= 6  # both doors' steps were seen
    assert [message for message in messages if not is_sentence_case(message)] == []
    assert [message for message in messages if english_words(message)] == []
