"""`/api/data-entry/receipts`: list, create, read, update, delete, the workflow, history and entries."""

from __future__ import annotations

from pydantic import BaseModel
from quart import Blueprint
from quart_schema import validate_querystring, validate_request, validate_response

from roa2web.blueprints.common import optional_json_body, problems
from roa2web.blueprints.data_entry.common import data_entry
from roa2web.blueprints.data_entry.schemas import (
    Comment,
    HistoryList,
    ReceiptCreate,
    ReceiptList,
    ReceiptOut,
    ReceiptQuery,
    ReceiptUpdate,
    RejectRequest,
    history_out,
    receipt_out,
)
from roa2web.blueprints.data_entry.types import MoneyOut, decode_cursor, encode_cursor, from_bani
from roa2web.data_entry.model import Receipt
from roa2web.data_entry.store.receipt_store import ReceiptFilter
from roa2web.data_entry.workflow.rules import DECIDE_ROLES, ENTRY_ROLES, READ_ROLES
from roa2web.web.guards import current_principal, ensure_company, require_roles

blueprint = Blueprint("data_entry_receipts", __name__, url_prefix="/api/data-entry/receipts")


class EntryLineOut(BaseModel):
    """One journal line `debit = credit amount`."""

    debit: str
    credit: str
    amount: MoneyOut
    explanation: str


class AccountTotalOut(BaseModel):
    """An account's debit and credit turnover in these entries."""

    account: str
    debit: MoneyOut
    credit: MoneyOut


class EntriesOut(BaseModel):
    """The balanced entries of a receipt: Σ debit = Σ credit = total."""

    receipt_id: str
    vat_deducted: bool
    lines: list[EntryLineOut]
    accounts: list[AccountTotalOut]
    total_debit: MoneyOut
    total_credit: MoneyOut


async def _out(receipt: Receipt) -> ReceiptOut:
    service = data_entry()
    return receipt_out(receipt, await service.receipts.notices(receipt), await service.ocr.latest(receipt.id))


@blueprint.get("")
@require_roles(*READ_ROLES)
@validate_querystring(ReceiptQuery)
@validate_response(ReceiptList, 200)
@problems(400, 401, 403)
async def list_receipts(query_args: ReceiptQuery) -> ReceiptList:
    """Receipts of the caller's companies, newest first, filtered; cursor pagination."""
    if query_args.company_id is not None:
        ensure_company(query_args.company_id)
    where = ReceiptFilter(
        company_ids=None if query_args.company_id is None else frozenset({query_args.company_id}),
        state=query_args.state, date_from=query_args.date_from, date_to=query_args.date_to,
        supplier=query_args.supplier, created_by=query_args.created_by)
    after = decode_cursor(query_args.cursor) if query_args.cursor else None
    page, more = await data_entry().receipts.search(current_principal(), where, after=after, limit=query_args.limit)
    cursor = encode_cursor(page[-1].created_at, page[-1].id) if more and page else None
    return ReceiptList(items=[receipt_out(receipt) for receipt in page], next_cursor=cursor)


@blueprint.post("")
@require_roles(*ENTRY_ROLES)
@validate_request(ReceiptCreate)
@validate_response(ReceiptOut, 201)
@problems(400, 401, 403, 503)
async def create_receipt(data: ReceiptCreate) -> tuple[ReceiptOut, int]:
    """A new DRAFT receipt (every field may still be empty; each given field is validated)."""
    principal = ensure_company(data.company_id)
    receipt = await data_entry().receipts.create(principal, data.company_id, data.changes())
    return await _out(receipt), 201


@blueprint.get("/<receipt_id>")
@require_roles(*READ_ROLES)
@validate_response(ReceiptOut, 200)
@problems(401, 403, 404)
async def read_receipt(receipt_id: str) -> ReceiptOut:
    """One receipt, with its files, warnings (probable duplicates) and the latest OCR summary."""
    return await _out(await data_entry().receipts.get(current_principal(), receipt_id))


@blueprint.patch("/<receipt_id>")
@validate_request(ReceiptUpdate)
@validate_response(ReceiptOut, 200)
@problems(400, 401, 403, 404, 409, 503)
async def update_receipt(receipt_id: str, data: ReceiptUpdate) -> ReceiptOut:
    """Change fields of a DRAFT or REJECTED receipt (its creator or an operator of the company)."""
    receipt = await data_entry().receipts.update(
        current_principal(), receipt_id, data.changes(), expected_version=data.version)
    return await _out(receipt)


@blueprint.delete("/<receipt_id>")
@problems(401, 403, 404, 409)
async def delete_receipt(receipt_id: str) -> tuple[str, int]:
    """Delete a DRAFT receipt and its files."""
    await data_entry().files.delete_receipt(current_principal(), receipt_id)
    return "", 204


@blueprint.post("/<receipt_id>/submit")
@optional_json_body(Comment)
@validate_response(ReceiptOut, 200)
@problems(400, 401, 403, 404, 409, 503)
async def submit_receipt(receipt_id: str, data: Comment) -> ReceiptOut:
    """DRAFT or REJECTED → PENDING; the receipt must be complete and valid."""
    return await _out(await data_entry().receipts.submit(current_principal(), receipt_id, data.comment))


@blueprint.post("/<receipt_id>/approve")
@require_roles(*DECIDE_ROLES)
@optional_json_body(Comment)
@validate_response(ReceiptOut, 200)
@problems(400, 401, 403, 404, 409, 503)
async def approve_receipt(receipt_id: str, data: Comment) -> ReceiptOut:
    """PENDING → APPROVED, by an approver other than the receipt's creator."""
    return await _out(await data_entry().receipts.approve(current_principal(), receipt_id, data.comment))


@blueprint.post("/<receipt_id>/reject")
@require_roles(*DECIDE_ROLES)
@validate_request(RejectRequest)
@validate_response(ReceiptOut, 200)
@problems(400, 401, 403, 404, 409)
async def reject_receipt(receipt_id: str, data: RejectRequest) -> ReceiptOut:
    """PENDING → REJECTED, with the reason the creator will see; they can edit and submit again."""
    return await _out(await data_entry().receipts.reject(current_principal(), receipt_id, data.reason))


@blueprint.get("/<receipt_id>/history")
@require_roles(*READ_ROLES)
@validate_response(HistoryList, 200)
@problems(401, 403, 404)
async def receipt_history(receipt_id: str) -> HistoryList:
    """Every action on the receipt: who, when, from which state to which, and the comment."""
    return history_out(await data_entry().receipts.history(current_principal(), receipt_id))


@blueprint.get("/<receipt_id>/entries")
@require_roles(*READ_ROLES)
@validate_response(EntriesOut, 200)
@problems(401, 403, 404, 409, 503)
async def receipt_entries(receipt_id: str) -> EntriesOut:
    """The balanced accounting entries the receipt produces (409 while it is incomplete)."""
    entries = await data_entry().receipts.entries(current_principal(), receipt_id)
    accounts = entries.by_account()
    return EntriesOut(
        receipt_id=receipt_id, vat_deducted=entries.vat_deducted,
        lines=[EntryLineOut(debit=line.debit, credit=line.credit, amount=from_bani(line.amount_bani),
                            explanation=line.explanation) for line in entries.lines],
        accounts=[AccountTotalOut(account=account, debit=from_bani(debit), credit=from_bani(credit))
                  for account, (debit, credit) in accounts.items()],
        total_debit=from_bani(sum(debit for debit, _ in accounts.values())),
        total_credit=from_bani(sum(credit for _, credit in accounts.values())),
    )
