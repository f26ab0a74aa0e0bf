"""/openapi.json is a valid OpenAPI 3.1 document: headers in their place, 304 and 204 documented, unique ids."""

from __future__ import annotations

from collections import Counter

from openapi_spec_validator import OpenAPIV31SpecValidator

from roa2web.blueprints.docs import finish_spec


async def test_the_whole_spec_validates(client):
    spec = await (await client.get("/openapi.json")).get_json()
    assert spec["openapi"].startswith("3.1")
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []
    ids = Counter(op["operationId"] for item in spec["paths"].values() for op in item.values() if "operationId" in op)
    assert [name for name, count in ids.items() if count > 1] == []


async def test_logout_documents_its_204_and_the_spec_is_built_once(app, client):
    spec = await (await client.get("/openapi.json")).get_json()
    assert "204" in spec["paths"]["/api/auth/logout"]["post"]["responses"]
    assert (await client.post("/api/auth/logout", json={"refresh_token": "x" * 40})).status_code in {204, 401}
    provider = app.extensions["QUART_SCHEMA"].openapi_provider
    first = provider.schema()
    first["paths"].clear()  # callers get a copy: the served spec is not theirs to change
    assert provider.schema()["paths"] and provider._spec is not None


async def test_report_headers_sit_on_the_response_with_their_descriptions(client):
    spec = await (await client.get("/openapi.json")).get_json()
    for path in ("dashboard", "invoices", "invoices/aging", "treasury", "trial-balance"):
        response = spec["paths"][f"/api/reports/{path}"]["get"]["responses"]["200"]
        assert "headers" not in response["content"]
        assert response["headers"]["x-cache"]["schema"]["enum"] == ["HIT-L1", "HIT-L2", "MISS", "STALE"]
        assert "If-None-Match" in response["headers"]["etag"]["description"]


def test_finish_spec_keeps_documented_responses_and_renames_only_clashing_ids():
    spec = {"paths": {
        "/a/{job_id}": {"get": {"operationId": "get_status", "responses": {"200": {"description": ""}}}},
        "/b/{job_id}": {"get": {"operationId": "get_status", "responses": {}}},
        "/api/auth/logout": {"post": {"operationId": "post_logout",
                                      "responses": {"204": {"description": "mine"}}}},
    }}
    finished = finish_spec(spec)["paths"]
    assert finished["/a/{job_id}"]["get"]["operationId"] == "get_a_job_id"
    assert finished["/b/{job_id}"]["get"]["operationId"] == "get_b_job_id"
    assert finished["/api/auth/logout"]["post"]["operationId"] == "post_logout"
    assert finished["/api/auth/logout"]["post"]["responses"]["204"] == {"description": "mine"}
    assert "304" not in finished["/a/{job_id}"]["get"]["responses"]  # no ETag, no 304


async def test_trial_balance_docs_state_the_synthetic_netting_rule(client):
    """Synthetic rows are summed, not netted (tests/reports/test_trial_balance_domain.py shows a 473 with
    both closing sides): the schema, the route and the README say so, and none claims one closing side."""
    from pathlib import Path

    spec = await (await client.get("/openapi.json")).get_json()
    row = spec["components"]["schemas"]["TrialBalanceRowOut"]["description"]
    assert "never netted" in row and "both sides" in row
    assert "bifunctional, one closing side" not in row
    operation = spec["paths"]["/api/reports/trial-balance"]["get"]["description"]
    assert "Synthetic netting rule" in operation and "never netted" in operation
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "## Trial balance" in readme and "**Synthetic netting rule:**" in readme
    for text in (operation, readme):  # the same, true example (test_trial_balance_domain.py checks it)
        flat = " ".join(text.split())
        assert "a 473 (bifunctional) with one analytic in debit and another in credit" in flat
        assert "A 401 (P) with one supplier paid in advance does not" in flat
        assert "the synthetic's closing credit is the net and its closing debit 0" in flat


async def test_problems_are_documented_as_problem_json(client):
    spec = await (await client.get("/openapi.json")).get_json()
    problem_fields = {"type", "title", "status", "detail", "request_id"}
    documented = [
        (path, method, code, media)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        for code, response in operation.get("responses", {}).items()
        for media, body in response.get("content", {}).items()
        if problem_fields <= set(body.get("schema", {}).get("properties", {}))
    ]
    assert len(documented) > 50
    assert {media for *_, media in documented} == {"application/problem+json"}
    login_401 = spec["paths"]["/api/auth/login"]["post"]["responses"]["401"]
    assert list(login_401["content"]) == ["application/problem+json"]


def _schema(spec, response):
    schema = response["content"]["application/json"]["schema"]
    return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


async def test_job_resources_show_their_states_as_an_enum(client):
    spec = await (await client.get("/openapi.json")).get_json()
    states = ["queued", "running", "done", "failed", "cancelled"]
    routes = (("/api/reports/exports", "post", "202"), ("/api/reports/exports/{job_id}", "get", "200"),
              ("/api/tasks/{job_id}", "get", "200"), ("/api/tasks/{job_id}/cancel", "post", "200"))
    for path, method, status in routes:
        schema = _schema(spec, spec["paths"][path][method]["responses"][status])
        assert schema["properties"]["state"]["enum"] == states, path
        assert {"job_id", "status_url", "progress", "message", "downloads"} <= set(schema["required"]), path


def _clashing_app():
    """Two routes whose replies nest two different models, both named `Twin`."""
    from pydantic import BaseModel
    from quart import Quart
    from quart_schema import QuartSchema, validate_response

    from roa2web.blueprints.docs import ApiOpenAPIProvider

    def twin(*fields: str) -> type[BaseModel]:
        return type("Twin", (BaseModel,), {"__annotations__": dict.fromkeys(fields, int)})

    class First(BaseModel):
        twin: twin("partner_id")  # type: ignore[valid-type]

    class Second(BaseModel):
        twin: twin("id")  # type: ignore[valid-type]

    app = Quart(__name__)
    QuartSchema(app, openapi_provider_class=ApiOpenAPIProvider)
    for path, model in (("/first", First), ("/second", Second)):
        async def view() -> dict[str, int]:
            return {}
        app.add_url_rule(path, path, validate_response(model)(view))
    return app


def test_two_different_schemas_under_one_name_are_refused():
    import pytest

    from roa2web.blueprints.docs import SchemaNameClash

    with pytest.raises(SchemaNameClash, match=r"'Twin'.*/first.*/second"):
        _clashing_app().extensions["QUART_SCHEMA"].openapi_provider.schema()


async def test_every_schema_name_in_the_document_is_one_model(app):
    """Each name under components/schemas is one model: no second PartnerOut hides the first."""
    from roa2web.blueprints.docs import ApiOpenAPIProvider

    fresh = ApiOpenAPIProvider(app, app.extensions["QUART_SCHEMA"])  # builds the document anew, checking names
    schemas = fresh.schema()["components"]["schemas"]
    assert {"PartnerOut", "NomenclaturePartnerOut"} <= set(schemas)
    assert "partner_id" in schemas["NomenclaturePartnerOut"]["properties"]
    assert "id" in schemas["PartnerOut"]["properties"]


async def test_input_problems_are_documented_where_input_is_read(client):
    """A body can be malformed or sent as the wrong type (400, 415); query parameters can be invalid (400)."""
    spec = await (await client.get("/openapi.json")).get_json()
    operations = [(f"{method.upper()} {path}", operation) for path, item in spec["paths"].items()
                  for method, operation in item.items()]
    with_body = [(name, op["responses"]) for name, op in operations if "requestBody" in op]
    with_query = [(name, op["responses"]) for name, op in operations
                  if any(parameter["in"] == "query" for parameter in op.get("parameters", []))]
    assert len(with_body) >= 10 and len(with_query) >= 10
    assert [name for name, responses in with_body if not {"400", "415"} <= set(responses)] == []
    assert [name for name, responses in with_query if "400" not in responses] == []
    download = spec["paths"]["/api/data-entry/exports/{job_id}/download"]["get"]["responses"]["400"]
    assert list(download["content"]) == ["application/problem+json"]
