"""Every problem a person of the firm may read outside data entry speaks Romanian: class titles and public
details, the framework's own failures (404, 405, 413, 415, 429, 500, request validation), and the details
the app's guards, auth, jobs, exports and reports raise."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import roa2web
from roa2web.app import create_app
from roa2web.problems import Problem
from roa2web.web.guards import public
from tests.conftest import PASSWORD, add_user, login
from tests.support.romanian import english_words, is_romanian

DATA_ENTRY = ("roa2web.data_entry", "roa2web.blueprints.data_entry")  # another module's own wording


def _app_problem_classes() -> list[type[Problem]]:
    for module in pkgutil.walk_packages(roa2web.__path__, "roa2web."):
        if not module.name.endswith("__main__"):  # running it is the CLI
            importlib.import_module(module.name)
    found: list[type[Problem]] = [Problem]
    for cls in found:
        found.extend(sub for sub in cls.__subclasses__() if sub not in found)
    return [cls for cls in found if cls.__module__.startswith("roa2web.") and not cls.__module__.startswith(DATA_ENTRY)]


def test_every_problem_class_outside_data_entry_has_a_romanian_title_and_public_detail():
    classes = _app_problem_classes()
    not_romanian = [(cls.__module__, cls.__name__, cls.title) for cls in classes if not is_romanian(cls.title)]
    assert not_romanian == []
    assert len(classes) >= 20  # the generic kinds and the domain's, walked from the package
    details = [(cls.__name__, cls.public_detail) for cls in classes if cls.public_detail is not None]
    assert details and [(name, detail) for name, detail in details if not is_romanian(detail)] == []


async def _problem(response, status: int) -> dict:
    assert response.status_code == status, await response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = await response.get_json()
    assert is_romanian(body["title"]) and is_romanian(body["detail"]), body
    for error in body.get("errors", []):
        assert is_romanian(error["msg"]), error
    return body


async def test_the_frameworks_failures_read_romanian(settings_factory):
    app = create_app(settings_factory(max_content_length=2048, login_rate_limit=2))

    @app.get("/boom")
    @public
    async def boom() -> str:
        raise RuntimeError("secret")

    async with app.test_app():
        client = app.test_client()
        assert (await _problem(await client.get("/no/such/route"), 404))["title"] == "Negăsit"
        assert (await _problem(await client.delete("/health"), 405))["title"] == "Metodă nepermisă"
        json_type = {"Content-Type": "application/json"}
        too_large = await client.post("/api/auth/login", data=b"x" * 10_000, headers=json_type)
        assert (await _problem(too_large, 413))["title"] == "Cerere prea mare"
        malformed = await client.post("/api/auth/login", data="{nope", headers=json_type)
        assert (await _problem(malformed, 400))["title"] == "Cerere greșită"
        assert (await _problem(await client.get("/boom"), 500))["title"] == "Eroare internă"
        invalid = await client.post("/api/auth/login", json={"username": ""})
        assert (await _problem(invalid, 400))["title"] == "Date invalide"
        query = await client.get("/api/reports/dashboard", query_string={"company_id": 1, "year": 2025})
        assert (await _problem(query, 401))["title"] == "Neautentificat"  # the token comes first
        for _ in range(2):
            await client.post("/api/auth/login", json={"username": "nobody", "password": "x"})
        limited = await client.post("/api/auth/login", json={"username": "nobody", "password": "x"})
        assert (await _problem(limited, 429))["title"] == "Prea multe cereri"
        assert limited.headers["Retry-After"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (None, '{"username": "ana", "password": "x"}'),  # what `curl -d` sends without -H
        ("application/x-www-form-urlencoded", '{"username": "ana", "password": "x"}'),
        ("application/x-www-form-urlencoded", "username=ana&password=x"),
        ("text/plain", '{"username": "ana", "password": "x"}'),
    ],
)
async def test_a_login_that_is_not_json_is_a_romanian_415(client, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/auth/login", data=body, headers=headers)
    problem = await _problem(response, 415)
    assert problem["type"].endswith("/unsupported-media-type") and problem["title"] == "Tip de conținut nepotrivit"
    assert "application/json" in problem["detail"] and "errors" not in problem
    assert "dictionary" not in problem["detail"] and "LoginRequest" not in problem["detail"]


async def test_what_the_app_raises_reads_romanian(app, client):
    await add_user(app, "viewer-1", roles={"viewer"}, company_ids={1})
    viewer = await login(client, "viewer-1")
    wrong = await client.post("/api/auth/login", json={"username": "viewer-1", "password": PASSWORD + "x"})
    assert (await _problem(wrong, 401))["detail"] == "Nume de utilizator sau parolă greșite."
    await _problem(await client.get("/api/companies"), 401)
    await _problem(await client.get("/api/companies", headers={"Authorization": "Bearer nope"}), 401)
    refresh = await client.post("/api/auth/refresh", json={"refresh_token": "x" * 40})
    await _problem(refresh, 401)

    other_company = {"company_id": 2, "year": 2025, "month": 3}
    assert "firma 2" in (await _problem(await client.get("/api/reports/dashboard", query_string=other_company,
                                                         headers=viewer), 403))["detail"]
    assert "administrator" in (await _problem(await client.get("/api/tasks", headers=viewer), 403))["detail"]
    await _problem(await client.post("/api/reports/cache/invalidate", json={}, headers=viewer), 403)
    await _problem(await client.get("/api/tasks/nope", headers=viewer), 404)
    await _problem(await client.get("/api/reports/exports/nope", headers=viewer), 404)
    export = {"report": "nope", "format": "xlsx", "params": {"company_id": 1}}
    await _problem(await client.post("/api/reports/exports", json=export, headers=viewer), 400)
    bad_range = {"company_id": 1, "year": 2025, "month_from": 5, "month_to": 3}
    body = await _problem(await client.get("/api/reports/trial-balance", query_string=bad_range, headers=viewer), 400)
    assert body["detail"] == "Raportul nu poate fi întocmit: luna de început (5) este după luna de sfârșit (3)."
    treasury = {"company_id": 1, "date_from": "2025-03-31", "date_to": "2025-01-01"}
    body = await _problem(await client.get("/api/reports/treasury", query_string=treasury, headers=viewer), 400)
    assert body["errors"] == [{"loc": ["date_from"], "type": "value_error",
                               "msg": "Data de început 31.03.2025 este după data de sfârșit 01.01.2025"}]
    assert not english_words(body["detail"])
