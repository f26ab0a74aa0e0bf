"""Every kind of failure leaves as problem+json with a request id, and never with internals."""

from __future__ import annotations

import pytest

from roa2web.app import create_app
from roa2web.web.guards import public


async def problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = await response.get_json()
    assert set(body) >= {"type", "title", "status", "detail", "request_id"}
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


async def test_validation_error_lists_fields(client):
    body = await problem(await client.post("/api/auth/login", json={"username": ""}), 400)
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert ("username",) in locations and ("password",) in locations
    assert all({"loc", "msg", "type"} <= set(error) for error in body["errors"])


async def test_malformed_json(client):
    response = await client.post("/api/auth/login", data="{nope", headers={"Content-Type": "application/json"})
    await problem(response, 400)


async def test_wrong_content_type(client):
    response = await client.post("/api/auth/login", data="username=a", headers={"Content-Type": "text/plain"})
    await problem(response, 415)


async def test_not_found_and_method_not_allowed(client):
    await problem(await client.get("/no/such/route"), 404)
    body = await problem(await client.delete("/health"), 405)
    assert "DELETE" in body["detail"]


async def test_request_too_large(settings_factory):
    app = create_app(settings_factory(max_content_length=2048))
    async with app.test_app():
        response = await app.test_client().post(
            "/api/auth/login", data=b"x" * 10_000, headers={"Content-Type": "application/json"}
        )
        await problem(response, 413)


async def test_unhandled_exception_hides_internals(settings, caplog):
    app = create_app(settings)

    @app.get("/boom")
    @public
    async def boom() -> str:
        raise RuntimeError("secret SQL: SELECT * FROM users")

    async with app.test_app():
        body = await problem(await app.test_client().get("/boom"), 500)
    assert "SELECT" not in str(body) and "Traceback" not in str(body)
    assert "secret SQL" in caplog.text  # but the logs have it, under the same request id


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("abc-123_DEF.9", True), ("x" * 65, False), ("bad id;rm", False), ("", False)],
)
async def test_request_id_is_taken_only_when_safe(client, incoming, kept):
    response = await client.get("/health", headers={"X-Request-ID": incoming} if incoming else {})
    assert (response.headers["X-Request-ID"] == incoming) is kept
    assert response.headers["X-Request-ID"]
