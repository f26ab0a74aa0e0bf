"""Showing a draft receipt in a chat: its fields (what OCR was unsure of marked) with the action buttons."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot
from telegram.constants import ParseMode

from roa2web.auth.principal import Principal
from roa2web.bot.receipt_texts import OPERATORS_ONLY, receipt_buttons, receipt_text, unsure_fields
from roa2web.companies import Company
from roa2web.data_entry.model import Receipt
from roa2web.data_entry.workflow.rules import EDITABLE, ENTRY_ROLES
from roa2web.problems import Forbidden
from roa2web.runtime import Runtime


class NotAnOperator(Forbidden):
    """A linked user without the operator role sent a receipt or tapped its buttons."""

    kind = "telegram-operator-only"


def ensure_operator(principal: Principal) -> None:
    """NotAnOperator (its Romanian detail goes to the chat) unless the user may enter receipts."""
    if not principal.has_role(*ENTRY_ROLES):
        raise NotAnOperator(OPERATORS_ONLY)


def callback_parts(data: str | None) -> tuple[str, str]:
    """"rc:submit:<id>" → ("submit", "<id>"); missing parts are empty."""
    parts = (data or "").split(":", 2)
    return (parts[1] if len(parts) > 1 else ""), (parts[2] if len(parts) > 2 else "")


def company_name(companies: Sequence[Company], company_id: int) -> str:
    """The name of one of the chat's companies (its number when the list has it not)."""
    return next((company.name for company in companies if company.id == company_id), f"Firma {company_id}")


async def send_receipt(
    bot: Bot, chat_id: int, runtime: Runtime, receipt: Receipt, company: str, *, title: str = "Bonul citit",
    ocr_warnings: bool = False,
) -> None:
    """The receipt's fields, with Confirmă / Editează / Trimite / Renunță while it may still be edited.

    `ocr_warnings`: also what the last OCR run could not use (said once, right after the reading).
    """
    data_entry = runtime.data_entry
    latest = await data_entry.ocr.latest(receipt.id)
    unsure = unsure_fields(latest.run.fields, receipt.edited_fields) if latest else set()
    warnings = list(latest.run.warnings) if latest and ocr_warnings else []
    warnings += [notice.message for notice in await data_entry.receipts.notices(receipt)]
    text = receipt_text(receipt, company, unsure=unsure, warnings=warnings, title=title)
    markup = receipt_buttons(receipt.id) if receipt.state in EDITABLE else None
    await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
