"""The kinds of authorization rule a route can have, each able to predict its reply and build its request.

What the API promises (DESIGN.md §6, §10), and what every rule below predicts:

- no token, or an invalid one (a disabled user's too) → 401 on every route but the public ones;
- a role the route needs is missing → 403 `role-forbidden`, checked at the door before anything is
  looked up, so it says nothing about the object named;
- a company the caller names (query or body `company_id`) outside their companies → 403
  `company-forbidden`: the same reply whether that company exists or not;
- an object named by id in the path (receipt, attachment, job) that the caller may not see (another
  company's, someone else's job) → 404, exactly the reply an id that names nothing gets: the API
  never tells a caller that another company's object exists;
- a company the ledger does not have, named by a caller who may see every company → 404
  `company-not-found` where it names the resource read (reports, calendar, nomenclature).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.authz_world import COMPANY_IDS, MISSING_COMPANY, Actor, World, missing_id, upload
from tests.support.data_entry import receipt_payload

ALLOW = frozenset({200, 201, 202, 204, 304, 409, 410})  # the request got past authorization
UNAUTH = frozenset({401})
FORBID = frozenset({403})
HIDDEN = frozenset({404})
INVALID = frozenset({400})
OUTCOME_NAMES = {ALLOW: "allowed", UNAUTH: "401", FORBID: "403", HIDDEN: "404", INVALID: "400",
                 ALLOW | UNAUTH: "allowed or 401", ALLOW | HIDDEN: "allowed or 404"}
READ_ROLES = ("viewer", "operator", "approver")
RECEIPTS = "/api/data-entry/receipts"


@dataclass
class Request:
    """What to send: the path parameters, the client's keyword arguments, and a URL whose admin view must not
    change when the request is refused."""

    params: dict[str, str] = field(default_factory=dict)
    kwargs: dict[str, Any] = field(default_factory=dict)
    witness: str | None = None


Body = Callable[[World, int], Awaitable[dict[str, Any]]]


async def no_body(world: World, company_id: int) -> dict[str, Any]:
    return {}


class Rule:
    """A route's rule: the targets it is tried on, the request for each, and the reply each actor should get."""

    public = False
    targets: tuple[str, ...] = ("-",)

    async def request(self, world: World, target: str) -> Request:
        return Request()

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        raise NotImplementedError

    def predict(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        """The reply class: 401 for callers without a good token on a non-public route, else the rule's own.

        A disabled user's token gets no more than no token does (a public route may refuse it: /health reads it).
        """
        if actor.locked_out and not self.public:
            return UNAUTH
        if actor.disabled:
            return ALLOW | UNAUTH
        return self.expect(actor, target, world)


@dataclass
class Authenticated(Rule):
    """Any logged-in user."""

    body: Body = no_body

    async def request(self, world: World, target: str) -> Request:
        return Request(kwargs=await self.body(world, 0))

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        return ALLOW


@dataclass
class Public(Authenticated):
    """Reachable without a token; a token changes nothing about whether it answers."""

    public = True


@dataclass
class OwnLink(Authenticated):
    """Any logged-in user, on their own Telegram link: a 404 when they have none."""

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        return ALLOW | HIDDEN


@dataclass
class ClosedToEveryone(Rule):
    """A public route the matrix's settings leave closed: `outcome` for every caller, with a user's token or not.

    verify-user without TELEGRAM_INTERNAL_TOKEN: 403; the Telegram webhook outside webhook mode: 404.
    """

    outcome: frozenset[int]
    body: Body = no_body
    public = True

    async def request(self, world: World, target: str) -> Request:
        return Request(kwargs=await self.body(world, 0))

    def predict(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        return self.outcome


@dataclass
class Roles(Rule):
    """Any user holding one of `roles` (admins hold all); `admin` alone for the operator's routes."""

    roles: tuple[str, ...]
    body: Body = no_body

    async def request(self, world: World, target: str) -> Request:
        return Request(kwargs=await self.body(world, 0))

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        return ALLOW if actor.has(*self.roles) else FORBID


@dataclass
class Company(Rule):
    """A `company_id` the caller names (query, JSON or form, built by `body`); `roles` checked first when given.

    `missing` is the reply to a caller who may see every company naming one the ledger does not have.
    """

    body: Body
    roles: tuple[str, ...] | None = None
    missing: frozenset[int] = HIDDEN
    targets: tuple[str, ...] = ("A", "B", "missing")

    async def request(self, world: World, target: str) -> Request:
        return Request(kwargs=await self.body(world, company_of(target)))

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        if self.roles is not None and not actor.has(*self.roles):
            return FORBID
        company_id = company_of(target)
        if not actor.sees(company_id):
            return FORBID
        return self.missing if company_id == MISSING_COMPANY else ALLOW


def company_of(target: str) -> int:
    return COMPANY_IDS.get(target, MISSING_COMPANY)


@dataclass
class Receipt(Rule):
    """A receipt in the path. `action`: read (a reader role), edit (an operator; creators are clerks, outside the
    matrix), decide (an approver). `door`: roles checked before the receipt is looked up. `fresh`: the state of
    a new receipt made for each request (for routes that change or delete it), else the company's shared DRAFT
    (which has a file)."""

    action: str
    door: tuple[str, ...] | None = None
    fresh: str | None = None
    body: Body = no_body
    targets: tuple[str, ...] = ("A", "B", "missing")

    async def receipt(self, world: World, target: str) -> tuple[str, str]:
        if target not in COMPANY_IDS:
            return missing_id(), missing_id()
        if self.fresh is None:
            objects = world.objects[target]
            return objects.draft_id, objects.attachment_id
        return await world.new_receipt(target, state=self.fresh, attachment=True)

    async def request(self, world: World, target: str) -> Request:
        receipt_id, _ = await self.receipt(world, target)
        return Request({"receipt_id": receipt_id}, await self.body(world, company_of(target)),
                       witness=f"{RECEIPTS}/{receipt_id}" if target in COMPANY_IDS else None)

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        if self.door is not None and not actor.has(*self.door):
            return FORBID
        if target not in COMPANY_IDS or not actor.sees(COMPANY_IDS[target]):
            return HIDDEN
        needed = {"read": READ_ROLES, "edit": ("operator",), "decide": ("approver",)}[self.action]
        return ALLOW if actor.has(*needed) else FORBID


@dataclass
class Attachment(Receipt):
    """A receipt's file in the path; `mixed` names company A's receipt with company B's file."""

    targets: tuple[str, ...] = ("A", "B", "missing", "mixed")

    async def request(self, world: World, target: str) -> Request:
        if target == "mixed":
            receipt_id = world.objects["A"].draft_id
            attachment_id = world.objects["B"].attachment_id
        else:
            receipt_id, attachment_id = await self.receipt(world, target)
            attachment_id = attachment_id or missing_id()
        return Request({"receipt_id": receipt_id, "attachment_id": attachment_id},
                       await self.body(world, company_of(target)),
                       witness=f"{RECEIPTS}/{receipt_id}" if target != "missing" else None)

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        if self.door is not None and not actor.has(*self.door):
            return FORBID
        if target == "mixed":
            return HIDDEN
        return super().expect(actor, target, world)


JOB_KINDS = {"report": "report_export_job", "receipt-export": "receipt_export_job", "ocr": "ocr_job"}
JOB_OWNERS = {("A", "report"): "viewer_a", ("B", "report"): "opappr_b", ("A", "receipt-export"): "approver_a",
              ("B", "receipt-export"): "opappr_b", ("A", "ocr"): "operator_a", ("B", "ocr"): "opappr_b"}


def job_targets(*kinds: str) -> tuple[str, ...]:
    return (*(f"{key}:{kind}" for kind in kinds for key in COMPANY_IDS), "missing")


def job_id_of(world: World, target: str) -> str:
    if target == "missing":
        return missing_id()
    key, kind = target.split(":")
    job_id: str = getattr(world.objects[key], JOB_KINDS[kind])
    return job_id


@dataclass
class OwnJob(Rule):
    """A job in the path that only its owner or an admin sees (`kinds`: the kinds this route serves; other
    kinds' ids are tried too and are 404 for everyone). `door`: roles checked first."""

    kinds: tuple[str, ...]
    door: tuple[str, ...] | None = None
    targets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.targets = job_targets(*JOB_KINDS)

    async def request(self, world: World, target: str) -> Request:
        return Request({"job_id": job_id_of(world, target)})

    def expect(self, actor: Actor, target: str, world: World) -> frozenset[int]:
        if self.door is not None and not actor.has(*self.door):
            return FORBID
        if target == "missing":
            return HIDDEN
        key, kind = target.split(":")
        return ALLOW if kind in self.kinds and self.may_see(actor, key, kind) else HIDDEN

    def may_see(self, actor: Actor, key: str, kind: str) -> bool:
        """Whether `actor` sees company `key`'s job of `kind`: its owner and admins."""
        return actor.is_admin or JOB_OWNERS[(key, kind)] == actor.name


@dataclass
class CompanyJob(OwnJob):
    """A job in the path that any user of its company holding `door` sees (receipt exports, OCR)."""

    def may_see(self, actor: Actor, key: str, kind: str) -> bool:
        """Any user of the job's company."""
        return actor.sees(COMPANY_IDS[key])


# --- bodies
def query(**extra: Any) -> Body:
    async def build(world: World, company_id: int) -> dict[str, Any]:
        return {"query_string": {"company_id": company_id, **extra}}

    return build


def json_body(make: Callable[[int], dict[str, Any]]) -> Body:
    async def build(world: World, company_id: int) -> dict[str, Any]:
        return {"json": make(company_id)}

    return build


async def login_body(world: World, company_id: int) -> dict[str, Any]:
    return {"json": {"username": "nobody", "password": "parola-test-123"}}


async def refresh_body(world: World, company_id: int) -> dict[str, Any]:
    return {"json": {"refresh_token": (await world.fresh_tokens())["refresh_token"]}}


async def attachment_body(world: World, company_id: int) -> dict[str, Any]:
    return {"files": {"file": upload()}}


async def ocr_body(world: World, company_id: int) -> dict[str, Any]:
    return {"form": {"company_id": str(company_id)}, "files": {"photo": upload()}}


def new_receipt(company_id: int) -> dict[str, Any]:
    return receipt_payload(company_id)


def report_export(company_id: int) -> dict[str, Any]:
    return {"report": "dashboard", "format": "xlsx", "params": {"company_id": company_id, "year": 2025, "month": 12}}


def receipt_export(company_id: int) -> dict[str, Any]:
    return {"company_id": company_id, "date_from": "2025-12-01", "date_to": "2025-12-31"}


EMPTY_JSON = json_body(lambda company_id: {})
