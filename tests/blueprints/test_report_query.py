"""`report_query`: validation like quart-schema's, one shared model per repeated query, bounded."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict
from quart import Quart

from roa2web.blueprints.reports import query as report_query_module
from roa2web.blueprints.reports.query import report_query
from roa2web.errors import register_error_handlers


class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    company_id: int
    level: str = "synthetic"


def make_app() -> tuple[Quart, list[Params]]:
    app = Quart(__name__)
    register_error_handlers(app)
    seen: list[Params] = []

    @app.get("/r")
    @report_query(Params)
    async def route(query_args: Params) -> dict[str, object]:
        seen.append(query_args)
        return query_args.model_dump()

    return app, seen


async def test_repeated_query_shares_one_validated_model():
    app, seen = make_app()
    client = app.test_client()
    for _ in range(3):
        response = await client.get("/r?company_id=1&level=analytic")
        assert await response.get_json() == {"company_id": 1, "level": "analytic"}
    assert len(seen) == 3 and seen[0] is seen[1] is seen[2]
    other = await client.get("/r?company_id=2")
    assert (await other.get_json())["company_id"] == 2 and seen[-1] is not seen[0]


async def test_invalid_query_is_a_400_every_time():
    app, _ = make_app()
    client = app.test_client()
    for _ in range(2):
        response = await client.get("/r?company_id=x")
        assert response.status_code == 400
        assert (await response.get_json())["errors"][0]["loc"] == ["company_id"]


async def test_remembered_queries_are_bounded(monkeypatch):
    monkeypatch.setattr(report_query_module, "MAX_REMEMBERED_QUERIES", 2)
    app, seen = make_app()
    client = app.test_client()
    for company in (1, 2, 3, 1):
        await client.get(f"/r?company_id={company}")
    assert seen[3] is not seen[0]  # company 1 was forgotten when company 3 came


def test_mutable_models_are_refused():
    class Mutable(BaseModel):
        company_id: int

    with pytest.raises(TypeError, match="frozen"):
        report_query(Mutable)
