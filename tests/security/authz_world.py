"""The world the authorization matrix runs in: users of two companies, and real objects of each.

Company A (1) and company B (2) of the demo ledger each get receipts (a DRAFT with a file, a
PENDING), a receipt export, a report export and an OCR job, all made over HTTP by the users who
would make them. Receipts are entered by clerks who are not in the matrix, so no approver of the
matrix ever created, edited or submitted a receipt it is asked to approve (four eyes stays out of
the way). Every receipt of a company carries that company's secrets (supplier name, document
number), which no reply to a user of the other company may contain.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from quart import Quart
from quart.datastructures import FileStorage
from quart.typing import TestClientProtocol

from roa2web.auth import store
from tests.conftest import PASSWORD, login
from tests.support.data_entry import receipt_payload, wait_for
from tests.support.rates import load_recorded_rates

RECEIPTS = "/api/data-entry/receipts"
COMPANY_IDS = {"A": 1, "B": 2}
MISSING_COMPANY = 999  # not in the demo ledger
DONE_STATES = {"done", "failed", "cancelled"}


@dataclass(frozen=True)
class Actor:
    """A caller of the matrix: its roles and companies (None = every company); anonymous has no token."""

    name: str
    roles: frozenset[str] = frozenset()
    companies: frozenset[int] | None = frozenset()
    anonymous: bool = False
    disabled: bool = False  # logged in, then disabled: the token it holds names a user who may no longer come in

    @property
    def locked_out(self) -> bool:
        """Comes without a token that is still good."""
        return self.anonymous or self.disabled

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles and not self.locked_out

    def has(self, *roles: str) -> bool:
        """Holds one of `roles` (admins hold every role)."""
        return self.is_admin or bool(self.roles & set(roles))

    def sees(self, company_id: int) -> bool:
        """Has rights on `company_id`."""
        return self.companies is None or company_id in self.companies


ACTORS: tuple[Actor, ...] = (
    Actor("anonymous", anonymous=True),
    Actor("admin", frozenset({"admin"}), None),
    Actor("viewer_a", frozenset({"viewer"}), frozenset({1})),
    Actor("operator_a", frozenset({"operator"}), frozenset({1})),
    Actor("approver_a", frozenset({"approver"}), frozenset({1})),
    Actor("opappr_b", frozenset({"operator", "approver"}), frozenset({2})),
    Actor("nobody", frozenset({"viewer"}), frozenset()),
    Actor("disabled", frozenset({"admin"}), None, disabled=True),
)
CLERKS = {"A": Actor("clerk_a", frozenset({"operator"}), frozenset({1})),
          "B": Actor("clerk_b", frozenset({"operator"}), frozenset({2}))}


def png(size: tuple[int, int] = (48, 32)) -> bytes:
    """A small white PNG (an accepted upload; OCR reads nothing on it, quickly)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str = "bon.png") -> FileStorage:
    """A fresh file part for a multipart request (a FileStorage is read once)."""
    return FileStorage(io.BytesIO(png()), filename=name)


def missing_id() -> str:
    """An id shaped like ours that names nothing."""
    return uuid.uuid4().hex


@dataclass
class CompanyObjects:
    """The objects of one company, and what no user of another company may read."""

    key: str
    company_id: int
    draft_id: str = ""
    attachment_id: str = ""
    pending_id: str = ""
    receipt_export_job: str = ""
    report_export_job: str = ""
    ocr_job: str = ""
    ocr_receipt_id: str = ""
    secrets: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """Every id of this company's objects (a reply may name one only when the request did)."""
        return [value for value in (self.draft_id, self.attachment_id, self.pending_id, self.receipt_export_job,
                                    self.report_export_job, self.ocr_job, self.ocr_receipt_id) if value]


@dataclass
class World:
    """The app, its users' headers and ids, and each company's objects."""

    app: Quart
    client: TestClientProtocol
    headers: dict[str, dict[str, str]]
    user_ids: dict[str, str]
    objects: dict[str, CompanyObjects]
    serial: int = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    async def call(self, actor: str, method: str, path: str, **kwargs: Any) -> Any:
        """One request as `actor` (its headers added)."""
        response = await self.client.open(path, method=method, headers=self.headers[actor], **kwargs)
        return response

    async def fresh_tokens(self, actor: str = "nobody") -> dict[str, str]:
        """A new login of `actor`: its access and refresh tokens."""
        response = await self.client.post("/api/auth/login", json={"username": actor, "password": PASSWORD})
        assert response.status_code == 200, await response.get_data()
        tokens: dict[str, str] = await response.get_json()
        return tokens

    async def new_receipt(self, key: str, *, state: str = "DRAFT", attachment: bool = False) -> tuple[str, str]:
        """A receipt of company `key` entered by its clerk, in `state` (DRAFT or PENDING); (id, attachment id)."""
        clerk = CLERKS[key].name
        number = f"SECRET-{key}-{self.next_serial()}"
        payload = receipt_payload(COMPANY_IDS[key], supplier_name=f"FURNIZOR SECRET {key} SRL",
                                  document_number=number, notes=f"nota secreta {key}")
        response = await self.call(clerk, "POST", RECEIPTS, json=payload)
        assert response.status_code == 201, await response.get_data()
        receipt_id: str = (await response.get_json())["id"]
        attachment_id = ""
        if attachment:
            response = await self.call(clerk, "POST", f"{RECEIPTS}/{receipt_id}/attachments",
                                       files={"file": upload(f"bon-secret-{key}.png")})
            assert response.status_code == 201, await response.get_data()
            attachment_id = (await response.get_json())["id"]
        if state == "PENDING":
            response = await self.call(clerk, "POST", f"{RECEIPTS}/{receipt_id}/submit", json={})
            assert response.status_code == 200, await response.get_data()
        self.objects[key].secrets.append(number)
        return receipt_id, attachment_id

    async def admin_view(self, path: str) -> tuple[int, Any]:
        """What an admin reads at `path` (to check a refused request changed nothing)."""
        response = await self.call("admin", "GET", path)
        return response.status_code, await response.get_json()

    async def job(self, job_id: str) -> dict[str, Any]:
        """The job as /api/tasks shows it to an admin."""
        response = await self.call("admin", "GET", f"/api/tasks/{job_id}")
        assert response.status_code == 200, await response.get_data()
        body: dict[str, Any] = await response.get_json()
        return body

    async def wait_done(self, job_ids: Iterable[str]) -> None:
        """Wait (bounded) until every job has finished, so that no matrix request races a worker."""
        for job_id in job_ids:
            async def finished(job_id: str = job_id) -> dict[str, Any] | None:
                body = await self.job(job_id)
                return body if body["state"] in DONE_STATES else None

            await wait_for(finished, timeout_s=120)


async def build_world(app: Quart, password_hash: str) -> World:
    """Users (matrix actors and clerks, all with `password_hash` of PASSWORD) and the objects of companies A and B."""
    await load_recorded_rates(app.extensions["roa2web"].app_db)  # receipts' entries and approvals need the BNR rate
    client = app.test_client()
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    user_ids: dict[str, str] = {}
    for actor in (*ACTORS[1:], *CLERKS.values()):
        user = await store.create_user(app.extensions["roa2web"].app_db, username=actor.name,
                                       display_name=actor.name, password_hash=password_hash, roles=actor.roles,
                                       company_ids=actor.companies)
        user_ids[actor.name] = user.id
        headers[actor.name] = await login(client, actor.name)
    world = World(app, client, headers, user_ids,
                  {key: CompanyObjects(key, company_id) for key, company_id in COMPANY_IDS.items()})
    companies = await (await world.call("admin", "GET", "/api/companies")).get_json()
    for key, objects in world.objects.items():
        company = next(c for c in companies if c["id"] == objects.company_id)
        objects.secrets += [company["name"], f"FURNIZOR SECRET {key} SRL", f"nota secreta {key}",
                            f"bon-secret-{key}"]
        objects.draft_id, objects.attachment_id = await world.new_receipt(key, attachment=True)
        objects.pending_id, _ = await world.new_receipt(key, state="PENDING")
    await _start_jobs(world)
    for actor in ACTORS:
        if actor.disabled:
            assert await app.extensions["roa2web"].auth.set_disabled(user_ids[actor.name], True)
    return world


async def _start_jobs(world: World) -> None:
    """A report export, a receipt export and an OCR job per company, each by a user of the company."""
    owners = {"A": ("viewer_a", "approver_a", "operator_a"), "B": ("opappr_b", "opappr_b", "opappr_b")}
    for key, objects in world.objects.items():
        report_owner, export_owner, ocr_owner = owners[key]
        report = {"report": "trial_balance", "format": "xlsx",
                  "params": {"company_id": objects.company_id, "year": 2025, "month_from": 1, "month_to": 2}}
        response = await world.call(report_owner, "POST", "/api/reports/exports", json=report)
        assert response.status_code == 202, await response.get_data()
        objects.report_export_job = (await response.get_json())["job_id"]
        period = {"company_id": objects.company_id, "date_from": "2025-12-01", "date_to": "2025-12-31"}
        response = await world.call(export_owner, "POST", "/api/data-entry/exports", json=period)
        assert response.status_code == 202, await response.get_data()
        objects.receipt_export_job = (await response.get_json())["job_id"]
        response = await world.call(ocr_owner, "POST", "/api/data-entry/ocr",
                                    form={"company_id": str(objects.company_id)},
                                    files={"photo": upload(f"bon-secret-{key}.png")})
        assert response.status_code == 202, await response.get_data()
        body = await response.get_json()
        objects.ocr_job, objects.ocr_receipt_id = body["job_id"], body["receipt_id"]
    await world.wait_done(job for objects in world.objects.values()
                          for job in (objects.report_export_job, objects.receipt_export_job, objects.ocr_job))
