"""Data-entry jobs (OCR, receipt exports) are the shared job resource in the OpenAPI too, states an enum."""

from __future__ import annotations

STATES = ["queued", "running", "done", "failed", "cancelled"]
JOB_FIELDS = {"job_id", "title", "status_url", "state", "progress", "message", "downloads", "created_at", "finished_at"}


def schema_of(spec: dict, path: str, method: str, status: str) -> dict:
    """The JSON schema of a response, its $ref resolved."""
    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


async def test_ocr_and_receipt_export_jobs_are_job_resources_with_a_state_enum(de_client):
    spec = await (await de_client.get("/openapi.json")).get_json()
    routes = {
        ("/api/data-entry/ocr", "post", "202"): {"receipt_id", "fields", "warnings", "receipt"},
        ("/api/data-entry/receipts/{receipt_id}/ocr", "post", "202"): {"receipt_id", "fields", "warnings"},
        ("/api/data-entry/ocr/{job_id}", "get", "200"): {"receipt_id", "fields", "warnings", "applied"},
        ("/api/data-entry/exports", "post", "202"): {"company_id", "receipts"},
        ("/api/data-entry/exports/{job_id}", "get", "200"): {"company_id", "receipts"},
    }
    for (path, method, status), own in routes.items():
        schema = schema_of(spec, path, method, status)
        assert schema["properties"]["state"]["enum"] == STATES, path
        assert JOB_FIELDS | own <= set(schema["required"]), path
    summary = spec["components"]["schemas"]["OcrSummary"]["properties"]["state"]  # a receipt's latest OCR job
    assert summary["anyOf"] == [{"enum": STATES, "type": "string"}, {"type": "null"}], summary
