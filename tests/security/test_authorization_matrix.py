"""The authorization matrix: every route of `app.url_map` × every kind of user × company A's, company B's and
nonexistent ids, against the rule the table below gives that route (what the rules promise: authz_rules).

A route without a rule fails `test_every_route_has_a_rule`, and so does a rule whose route is gone.
Every refusal is problem+json; a 404 for another company's object is the reply a nonexistent id gets;
no reply to a user contains the data or ids of a company that user may not see; a refused request
leaves its receipt as it was.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest
from quart import Quart

from roa2web.app import create_app
from tests.conftest import admin_headers
from tests.security.authz_rules import (
    ALLOW,
    EMPTY_JSON,
    FORBID,
    HIDDEN,
    INVALID,
    OUTCOME_NAMES,
    READ_ROLES,
    Attachment,
    Authenticated,
    ClosedToEveryone,
    Company,
    CompanyJob,
    OwnJob,
    OwnLink,
    Public,
    Receipt,
    Request,
    Roles,
    Rule,
    attachment_body,
    company_of,
    json_body,
    login_body,
    new_receipt,
    ocr_body,
    query,
    receipt_export,
    refresh_body,
    report_export,
)
from tests.security.authz_world import ACTORS, MISSING_COMPANY, Actor, World, build_world

DE = "/api/data-entry"
REPORT_QUERIES = {
    "dashboard": query(year=2025, month=12),
    "invoices": query(),
    "invoices/aging": query(as_of="2025-12-31"),
    "treasury": query(date_from="2025-12-01", date_to="2025-12-31"),
    "trial-balance": query(year=2025, month_from=1, month_to=12),
}
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/"): Public(),
    ("GET", "/docs"): Public(),
    ("GET", "/docs/static/<path:name>"): Public(),
    ("GET", "/health"): Public(),
    ("GET", "/ready"): Public(),
    ("GET", "/openapi.json"): Public(),
    ("POST", "/api/auth/login"): Public(login_body),
    ("POST", "/api/auth/refresh"): Public(refresh_body),
    ("POST", "/api/auth/logout"): Authenticated(refresh_body),
    ("GET", "/api/auth/me"): Authenticated(),
    ("GET", "/api/companies"): Authenticated(),
    ("GET", "/api/calendar"): Company(query()),
    ("POST", "/api/telegram/auth/code"): Authenticated(),
    ("GET", "/api/telegram/status"): Authenticated(),
    ("DELETE", "/api/telegram/link"): OwnLink(),
    ("POST", "/api/telegram/auth/verify-user"): ClosedToEveryone(FORBID, json_body(
        lambda _: {"code": "ABCDEFGH", "telegram_user_id": 6000000001, "chat_id": 6000000001})),
    ("POST", "/api/telegram/webhook"): ClosedToEveryone(HIDDEN, json_body(lambda _: {"update_id": 1})),
    # reports: any user of the company; a company the ledger lacks is 404 for those who may see every company
    **{("GET", f"/api/reports/{name}"): Company(body) for name, body in REPORT_QUERIES.items()},
    ("GET", "/api/reports/cache/stats"): Roles(("admin",)),
    ("DELETE", "/api/reports/cache"): Roles(("admin",)),
    ("POST", "/api/reports/cache/invalidate"): Company(json_body(lambda company_id: {"company_id": company_id}),
                                                       missing=ALLOW),
    # a report export is accepted for any company the caller may see; its job says when the ledger lacks it
    ("POST", "/api/reports/exports"): Company(json_body(report_export), missing=ALLOW),
    ("GET", "/api/reports/exports/<job_id>"): OwnJob(("report",)),
    ("GET", "/api/reports/exports/<job_id>/download"): OwnJob(("report",)),
    ("GET", "/api/tasks"): Roles(("admin",)),
    ("GET", "/api/tasks/mine"): Authenticated(),  # only the caller's own jobs
    ("GET", "/api/tasks/<job_id>"): OwnJob(("report", "receipt-export", "ocr")),
    ("POST", "/api/tasks/<job_id>/cancel"): OwnJob(("report", "receipt-export", "ocr")),
    ("POST", "/api/tasks/<job_id>/retry"): OwnJob(("report", "receipt-export", "ocr"), door=("admin",)),
    ("GET", f"{DE}/nomenclature/partners"): Company(query(), READ_ROLES),
    ("GET", f"{DE}/nomenclature/accounts"): Company(query(), READ_ROLES),
    ("GET", f"{DE}/nomenclature/vat-rates"): Roles(READ_ROLES),
    ("GET", f"{DE}/receipts"): Company(query(), READ_ROLES, missing=ALLOW),  # a filter: nothing matches
    ("POST", f"{DE}/receipts"): Company(json_body(new_receipt), ("operator",), missing=INVALID),
    ("GET", f"{DE}/receipts/<receipt_id>"): Receipt("read", READ_ROLES),
    ("PATCH", f"{DE}/receipts/<receipt_id>"): Receipt("edit", body=json_body(lambda _: {"payment_method": "card"})),
    ("DELETE", f"{DE}/receipts/<receipt_id>"): Receipt("edit", fresh="DRAFT"),
    ("POST", f"{DE}/receipts/<receipt_id>/submit"): Receipt("edit", fresh="DRAFT", body=EMPTY_JSON),
    ("POST", f"{DE}/receipts/<receipt_id>/approve"): Receipt("decide", ("approver",), "PENDING", EMPTY_JSON),
    ("POST", f"{DE}/receipts/<receipt_id>/reject"): Receipt(
        "decide", ("approver",), "PENDING", json_body(lambda _: {"reason": "Suma nu se potrivește."})),
    ("GET", f"{DE}/receipts/<receipt_id>/history"): Receipt("read", READ_ROLES),
    ("GET", f"{DE}/receipts/<receipt_id>/entries"): Receipt("read", READ_ROLES),
    ("POST", f"{DE}/receipts/<receipt_id>/attachments"): Receipt("edit", body=attachment_body),
    ("GET", f"{DE}/receipts/<receipt_id>/attachments/<attachment_id>"): Attachment("read", READ_ROLES),
    ("DELETE", f"{DE}/receipts/<receipt_id>/attachments/<attachment_id>"): Attachment("edit", fresh="DRAFT"),
    ("POST", f"{DE}/receipts/<receipt_id>/ocr"): Receipt("edit", fresh="DRAFT"),  # its run changes the receipt
    ("POST", f"{DE}/ocr"): Company(ocr_body, ("operator",), missing=INVALID),
    ("GET", f"{DE}/ocr/<job_id>"): CompanyJob(("ocr",), READ_ROLES),
    ("POST", f"{DE}/exports"): Company(json_body(receipt_export), ("approver",), missing=ALLOW),
    ("GET", f"{DE}/exports/<job_id>"): CompanyJob(("receipt-export",), ("approver",)),
    ("GET", f"{DE}/exports/<job_id>/download"): CompanyJob(("receipt-export",), ("approver",)),
    # last: an admin's release voids the company's export (the routes above would read a released one)
    ("POST", f"{DE}/exports/<job_id>/rebuild"): CompanyJob(("receipt-export",), ("approver",)),
    ("POST", f"{DE}/exports/<job_id>/release"): CompanyJob(("receipt-export",), ("admin",)),
}
DOCS_ASSET = "roa2web-init.js"


def routes(app: Quart) -> set[tuple[str, str]]:
    """(method, rule) of every route the app serves, HEAD and OPTIONS aside."""
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods or () if method not in {"HEAD", "OPTIONS"}}


@pytest.fixture
def settings(settings_factory):
    """OCR on (its routes answer only then), a quick queue, no per-user limit in the way of the matrix."""
    return settings_factory(ocr_enabled=True, queue_max_delay_s=0.1, rate_limit_per_user_per_minute=100_000)


def test_every_route_has_a_rule(settings):
    served = routes(create_app(settings))
    assert sorted(served - RULES.keys()) == [], "routes without a rule in RULES (add one)"
    assert sorted(RULES.keys() - served) == [], "rules naming routes the app no longer has (remove them)"


def fill(rule: str, params: dict[str, str]) -> str:
    path = rule.replace("<path:name>", DOCS_ASSET)
    for name, value in params.items():
        path = path.replace(f"<{name}>", value)
    assert "<" not in path, path
    return path


def leaks(body: str, actor: Actor, world: World, path: str) -> list[str]:
    """What `body` shows of the companies `actor` may not see (ids named in the request path aside)."""
    if actor.is_admin:
        return []
    found = []
    for objects in world.objects.values():
        if actor.sees(objects.company_id) and not actor.locked_out:
            continue
        found += [secret for secret in objects.secrets if secret in body]
        found += [object_id for object_id in objects.ids if object_id in body and object_id not in path]
    return found


def normalized(problem: dict[str, Any], request: Request, target: str) -> tuple[str, str, str]:
    """A refusal's type, title and detail with what the request named (ids, the company) replaced by names."""
    detail = problem["detail"]
    for name, value in request.params.items():
        detail = detail.replace(value, f"<{name}>")
    detail = re.sub(rf"\b{company_of(target)}\b", "<company_id>", detail)
    return problem["type"], problem["title"], detail


Refusals = dict[tuple[str, str, str, int], dict[str, tuple[str, str, str]]]


async def try_one(world: World, method: str, rule_path: str, rule: Rule, target: str, actor: Actor,
                  refusals: Refusals) -> list[str]:
    """Send one request of the matrix; what it broke (the refusals' normalized replies go to `refusals`)."""
    request = await rule.request(world, target)
    path = fill(rule_path, request.params)
    expected = rule.predict(actor, target, world)
    before = await world.admin_view(request.witness) if request.witness else None
    response = await world.call(actor.name, method, path, **request.kwargs)
    text = (await response.get_data()).decode("utf-8", "replace")
    where = f"{method} {rule_path} [{target}] as {actor.name}: {response.status_code}"
    if response.status_code not in expected or (expected is ALLOW and method == "GET" and response.status_code >= 400):
        return [f"{where}, expected {OUTCOME_NAMES[expected]}: {text[:300]}"]
    leaked = leaks(text, actor, world, path)
    failures = [f"{where} shows another company's data: {leaked}"] if leaked else []
    if response.status_code >= 400:
        if response.content_type != "application/problem+json":
            return [*failures, f"{where} is not problem+json: {response.content_type}"]
        problem = json.loads(text)
        if problem.get("status") != response.status_code or not problem.get("request_id"):
            failures.append(f"{where}: malformed problem {problem}")
        if expected is not ALLOW and target != "mixed":  # mixed: A's receipt is visible to A's users
            refusals[(method, rule_path, actor.name, response.status_code)][target] = normalized(
                problem, request, target)
    if expected is not ALLOW and before is not None and await world.admin_view(request.witness or "") != before:
        failures.append(f"{where} was refused but changed {request.witness}")
    return failures


async def test_authorization_matrix(app, password_hash):
    world = await build_world(app, password_hash)
    failures: list[str] = []
    refusals: Refusals = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for (method, rule_path), rule in RULES.items():
        for target in rule.targets:
            for actor in ACTORS:
                counts[OUTCOME_NAMES[rule.predict(actor, target, world)]] += 1
                failures += await try_one(world, method, rule_path, rule, target, actor, refusals)
    for (method, rule_path, actor_name, status), replies in refusals.items():
        if len(set(replies.values())) > 1:  # a refusal tells neither existing from missing nor A from B
            failures.append(f"{method} {rule_path} as {actor_name}: the {status} replies differ by target: {replies}")
    assert not failures, f"{len(failures)} of {sum(counts.values())} requests broke their rule:\n" + "\n".join(
        failures)
    assert counts["allowed"] > 100 and counts["403"] > 50 and counts["404"] > 50 and counts["401"] > 40, counts


async def test_a_company_the_ledger_lacks_is_404_for_those_who_may_see_every_company(app, client):
    admin = await admin_headers(app)
    missing = {"company_id": MISSING_COMPANY}
    for path, extra in [("/api/calendar", {}), ("/api/reports/dashboard", {"year": 2025, "month": 12}),
                        ("/api/reports/invoices", {}), ("/api/reports/treasury",
                                                        {"date_from": "2025-12-01", "date_to": "2025-12-31"}),
                        (f"{DE}/nomenclature/partners", {}), (f"{DE}/nomenclature/accounts", {})]:
        for _ in range(2):  # the second time too: the refusal is not cached as an empty report
            response = await client.get(path, query_string={**missing, **extra}, headers=admin)
            assert response.status_code == 404, (path, await response.get_data())
            problem = await response.get_json()
            assert problem["type"].endswith("/company-not-found"), problem
            assert problem["detail"] == f"Firma {MISSING_COMPANY} nu există în contabilitate."
    known = await client.get("/api/reports/invoices", query_string={"company_id": 1}, headers=admin)
    assert known.status_code == 200
