"""`/docs` from local files, and the OpenAPI generator behind `/openapi.json`.

The page is Swagger UI 5 (it renders OpenAPI 3.1), vendored in the package under
assets/docs/swagger-ui/ with its licenses and VERSION (an office server may not reach a CDN;
scripts/vendor_swagger_ui.py replaces it with another release from npm); the generator is
quart-schema's with its quirks fixed.

`ApiOpenAPIProvider` (passed to QuartSchema as `openapi_provider_class`) builds the spec once per
app and then serves that copy. It puts response headers where OpenAPI wants them
(`responses[code].headers`; quart-schema 0.25 writes them under `content` as if "headers" were a
media type), documents problems as application/problem+json (quart-schema says application/json
for every body), documents the 304 of every route whose 200 carries an ETag (with its
If-None-Match parameter), the bodiless responses quart-schema cannot see (`EXTRA_RESPONSES`,
e.g. the 204 of logout) and the 400/415 any body or query can earn, marks the required query
parameters `required` (quart-schema looks for `required` on each property, while JSON schema lists
it on the model, so every query parameter came out optional), and makes operation ids unique (two
blueprints may have handlers of the same name).
It refuses two different schemas under one component name (quart-schema names a component after
its model's class and keeps the last one, so a second `PartnerOut` silently redefined the first).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path
from typing import Any

from quart import Blueprint, Response, send_from_directory
from quart_rate_limiter import rate_exempt
from quart_schema import hide
from quart_schema.casing import snake_to_camel
from quart_schema.conversion import model_schema
from quart_schema.openapi import OpenAPIProvider
from quart_schema.typing import Model
from werkzeug.routing import Rule

from roa2web.blueprints.common import ProblemOut
from roa2web.problems import PROBLEM_JSON
from roa2web.web.guards import public

blueprint = Blueprint("docs", __name__)
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "docs"


@blueprint.get("/docs")
@public
@rate_exempt
@hide
async def docs_page() -> Response:
    """The interactive API documentation."""
    return await send_from_directory(ASSETS, "index.html")


@blueprint.get("/docs/static/<path:name>")
@public
@rate_exempt
@hide
async def docs_asset(name: str) -> Response:
    """The page's script and the vendored Swagger UI files (a 404 problem for any other name)."""
    return await send_from_directory(ASSETS, name)


# Responses without a body model, which quart-schema's decorators do not document: (method, path) -> responses.
EXTRA_RESPONSES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("post", "/api/auth/logout"): {"204": {"description": "Logged out: the refresh-token family is revoked; no body"}},
}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "an ETag from an earlier reply; when it still matches the answer is 304 without a body",
    "schema": {"type": "string"},
}


def _header_object(header: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI header object, the schema's description lifted to the header."""
    schema = dict(header.get("schema", {}))
    description = schema.pop("description", None)
    schema.pop("title", None)
    return {"schema": schema} | ({"description": description} if description else {})


def _document_input_problems(operation: dict[str, Any], responses: dict[str, Any], problem: dict[str, Any]) -> None:
    """The problems any input can earn: 400 where a body or query is read, 415 for a body not in its format."""
    reads_body = "requestBody" in operation
    if reads_body or any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
        responses.setdefault("400", copy.deepcopy(problem))
    if reads_body:
        responses.setdefault("415", copy.deepcopy(problem))


def finish_spec(spec: dict[str, Any], problem: dict[str, Any] | None = None) -> dict[str, Any]:
    """Add 304s, EXTRA_RESPONSES and unique operation ids to a generated spec (in place; returned).

    With `problem` (the problem+json response object), every operation reading a body or query
    parameters also documents the 400 and 415 its input may earn.
    """
    operations = [(method, path, operation) for path, item in spec.get("paths", {}).items()
                  for method, operation in item.items()]
    for method, path, operation in operations:
        # quart-schema keys responses by int status; ours are strings, as in JSON (and sortable together)
        responses = {str(code): value for code, value in operation.get("responses", {}).items()}
        operation["responses"] = responses
        if problem is not None:
            _document_input_problems(operation, responses, problem)
        for code, response in EXTRA_RESPONSES.get((method, path), {}).items():
            responses.setdefault(code, response)
        headers = responses.get("200", {}).get("headers", {})
        if "etag" in {name.lower() for name in headers} and "304" not in responses:
            responses["304"] = {"description": "Not Modified: If-None-Match names the current ETag; no body",
                                "headers": copy.deepcopy(headers)}
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p["name"].lower() == "if-none-match" for p in parameters):
                parameters.append(dict(_IF_NONE_MATCH))
    counts = Counter(operation.get("operationId") for _, _, operation in operations)
    for method, path, operation in operations:
        if operation.get("operationId") is not None and counts[operation["operationId"]] > 1:
            operation["operationId"] = method + "_" + re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return spec


class SchemaNameClash(RuntimeError):
    """Two different models would share one name under components/schemas."""


class ApiOpenAPIProvider(OpenAPIProvider):
    """quart-schema's OpenAPI generator, its output corrected (see the module docstring) and kept."""

    _spec: dict[str, Any] | None = None
    _components: dict[str, tuple[str, dict[str, Any]]] | None = None

    def build_paths(self, rule: Rule) -> tuple[dict[str, Any], dict[str, Any]]:
        """quart-schema's path objects; a component named like an earlier, different one is an error."""
        paths, components = super().build_paths(rule)
        seen = self._components if self._components is not None else {}
        self._components = seen
        for name, schema in components.items():
            first = seen.setdefault(name, (rule.rule, schema))
            if first[1] != schema:
                raise SchemaNameClash(f"two different schemas are named {name!r} (routes {first[0]} and "
                                      f"{rule.rule}); rename one of the models")
        return paths, components

    def build_response_object(
        self, model: type[Model], headers_model: type[Model] | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The response object quart-schema builds, with headers and problems where OpenAPI wants them.

        Headers move from `content` to the response; problems go under the media type they are
        sent as (quart-schema says application/json for all).
        """
        response, definitions = super().build_response_object(model, headers_model)
        if model is ProblemOut:
            response["content"] = {PROBLEM_JSON: response["content"].pop("application/json"), **response["content"]}
        headers = response.get("content", {}).pop("headers", None)
        if headers:
            response["headers"] = {name: _header_object(header) for name, header in headers.items()}
        return response, definitions

    def build_querystring_parameters(self, model: type[Model]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The query parameters quart-schema builds, each one the model requires marked `required: true`."""
        parameters, definitions = super().build_querystring_parameters(model)
        required = set(model_schema(model, preference=self._app.config["QUART_SCHEMA_CONVERSION_PREFERENCE"])
                       .get("required", ()))
        if self._app.config["QUART_SCHEMA_CONVERT_CASING"]:
            required = {snake_to_camel(name) for name in required}
        for parameter in parameters:
            if parameter["name"] in required:
                parameter["required"] = True
        return parameters, definitions

    def schema(self) -> dict[str, Any]:
        """The finished spec, built on first use (every route is registered by then); a copy each call."""
        if self._spec is None:
            self._components = {}
            problem, _ = self.build_response_object(ProblemOut, None)
            self._spec = finish_spec(super().schema(), problem)
        return copy.deepcopy(self._spec)
