"""Receipt photos: a linked operator sends a photo (or an image or PDF document) and gets a draft to confirm and submit.

The file goes through the same OCR job as `POST /api/data-entry/ocr` (a DRAFT holding the file,
filled by the queued job). Waiting for the job is handed to a task of the Application, so
neither this chat nor another waits for it; the task sends the fields read with the buttons
Confirmă / Editează / Trimite / Renunță ("rc:<action>:<receipt id>"). Every tap is checked again:
a linked operator, and a receipt the receipt service lets this user see and change.
When OCR is off or unavailable the draft is kept with its file, to be filled in the web app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram import Bot, Document, PhotoSize, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import LinkedChat, for_linked_chat
from roa2web.bot.handlers.receipt_view import callback_parts, company_name, ensure_operator, send_receipt
from roa2web.bot.receipt_texts import (
    CHOOSE_FIELD,
    DISCARDED,
    READ_FAILED,
    RECEIVED,
    STILL_READING,
    SUBMITTED,
    UNKNOWN_BUTTON,
    UNSUPPORTED_FILE,
    confirmed_text,
    errors_text,
    field_buttons,
    ocr_off,
    too_large,
)
from roa2web.data_entry.errors import NotFound, OcrUnavailable, ValidationFailed
from roa2web.data_entry.workflow.rules import EDITABLE, ensure_can_edit, ensure_state
from roa2web.data_entry.workflow.validation import missing_for_submission
from roa2web.jobs.store import JobState
from roa2web.runtime import Runtime

log = logging.getLogger("roa2web.bot")

POLL_S = 0.5  # how often the waiting task looks at the OCR job
OCR_WAIT_S = 180.0  # after this the chat is told to look in the web app
DATA_ENTRY_OFF = "Înregistrarea bonurilor nu este pornită pe acest server."
PHOTO_NAME = "bon-telegram.jpg"
# the fields Confirmă keeps as the user's (the ones the message shows)
CONFIRMED_FIELDS = frozenset({"supplier_name", "supplier_cif", "document_number", "receipt_date", "total_bani",
                              "vat_lines", "payment_method", "expense_account"})


def _receipt_file(update: Update) -> tuple[PhotoSize | Document, str | None] | None:
    """The largest size of the photo, or the document, and its file name."""
    message = update.effective_message
    if message is None:
        return None
    if message.photo:
        return max(message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)), PHOTO_NAME
    if message.document is not None:
        return message.document, message.document.file_name
    return None


@for_linked_chat
async def on_receipt_file(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """Take the photo or file, start its OCR job and hand the waiting to a task."""
    message, found = update.effective_message, _receipt_file(update)
    if message is None or found is None:
        return
    ensure_operator(chat.principal)
    runtime = runtime_of(context)
    if runtime.services.data_entry is None:
        await message.reply_text(DATA_ENTRY_OFF)
        return
    source, file_name = found
    limit_mb = runtime.settings.data_entry_max_upload_mb
    if source.file_size and source.file_size > limit_mb * 1024 * 1024:
        await message.reply_text(too_large(source.file_size, limit_mb))
        return
    await message.reply_text(RECEIVED)
    if ((await runtime.chat_links.state(chat.chat_id)).awaiting or "").startswith("edit:"):
        await runtime.chat_links.set_awaiting(chat.chat_id, None)  # a new receipt: the old field is not awaited
    received_at = time.perf_counter()
    data = bytes(await (await source.get_file()).download_as_bytearray())
    if len(data) > limit_mb * 1024 * 1024:
        await message.reply_text(too_large(len(data), limit_mb))
        return
    data_entry = runtime.data_entry
    try:
        started = await data_entry.ocr.upload(chat.principal, chat.company.id, data, file_name)
    except OcrUnavailable as unavailable:
        checked = await data_entry.files.check(data)
        receipt = await data_entry.receipts.create(chat.principal, chat.company.id, {}, source="telegram")
        await data_entry.files.attach(chat.principal, receipt.id, data, file_name, checked=checked)
        log.info("bot: receipt %s saved without OCR (%s)", receipt.id, unavailable.kind)
        await message.reply_text(ocr_off(unavailable.client_detail))
        return
    context.application.create_task(
        follow_ocr(context.bot, runtime, chat, started.job.id, received_at),
        update=update, name=f"roa2web-bot-ocr-{started.job.id}")


def _bot_running(runtime: Runtime) -> bool:
    """Whether the bot still takes updates (its stop waits for this task: the wait ends with it)."""
    bot = runtime.services.bot
    return bot is not None and bot.application is not None and bot.application.running


async def follow_ocr(
    bot: Bot, runtime: Runtime, chat: LinkedChat, job_id: str, received_at: float,
) -> None:
    """Wait for the OCR job (every POLL_S, at most OCR_WAIT_S, never past the bot's stop), then show the draft."""
    ocr = runtime.data_entry.ocr
    deadline = time.monotonic() + OCR_WAIT_S
    try:
        status = await ocr.status(chat.principal, job_id)
        while not status.job.finished:
            if time.monotonic() >= deadline or not _bot_running(runtime):
                await bot.send_message(chat.chat_id, STILL_READING)
                return
            await asyncio.sleep(POLL_S)
            status = await ocr.status(chat.principal, job_id)
    except NotFound:  # the draft was deleted meanwhile (in the web app)
        await bot.send_message(chat.chat_id, "Bonul a fost șters între timp.")
        return
    receipt = await runtime.data_entry.receipts.get(chat.principal, status.run.receipt_id)
    name = company_name(chat.companies, receipt.company_id)
    if status.job.state is JobState.DONE:
        await send_receipt(bot, chat.chat_id, runtime, receipt, name, ocr_warnings=True)
        log.info("bot: receipt %s read and shown %.2f s after its file came", receipt.id,
                 time.perf_counter() - received_at)
        return
    log.warning("bot: OCR job %s ended %s: %s", job_id, status.job.state.value, status.job.error)
    await bot.send_message(chat.chat_id, READ_FAILED)
    await send_receipt(bot, chat.chat_id, runtime, receipt, name, title="Bonul (necitit)")


@for_linked_chat
async def on_other_document(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """A document that is neither an image nor a PDF."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(UNSUPPORTED_FILE)


# --- the buttons under the fields

@for_linked_chat
async def on_receipt_button(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """Confirmă / Editează / Trimite / Renunță on a receipt ("rc:<action>:<receipt id>").

    The tap is answered once: here when it was done, by the error handler when a Problem refused it.
    """
    query = update.callback_query
    if query is None:
        return
    action, receipt_id = callback_parts(query.data)
    ensure_operator(chat.principal)
    runtime = runtime_of(context)
    data_entry = runtime.data_entry
    receipt = await data_entry.receipts.get(chat.principal, receipt_id)
    text, markup, html = UNKNOWN_BUTTON, None, False
    if action == "confirm":
        if receipt.state in EDITABLE:
            kept = {name: getattr(receipt.fields, name) for name in CONFIRMED_FIELDS - receipt.edited_fields
                    if getattr(receipt.fields, name) not in (None, ())}
            if kept:
                receipt = await data_entry.receipts.update(chat.principal, receipt.id, kept,
                                                           expected_version=receipt.version)
        missing = missing_for_submission(receipt.fields)
        missing += await data_entry.receipts.field_errors(receipt.company_id, receipt.fields)
        text, html = confirmed_text(receipt, missing), True
    elif action == "edit":
        ensure_can_edit(chat.principal, receipt)
        ensure_state(receipt, EDITABLE, "edit")
        text, markup = CHOOSE_FIELD, field_buttons(receipt.id)
    elif action == "submit":
        try:
            await data_entry.receipts.submit(chat.principal, receipt.id)
            text = SUBMITTED
        except ValidationFailed as failed:
            text, html = errors_text(failed.client_detail, failed.errors or []), True
    elif action == "discard":
        await data_entry.files.delete_receipt(chat.principal, receipt.id)
        text = DISCARDED
    await query.answer()
    if text in (SUBMITTED, DISCARDED):
        await _forget_edit(runtime, chat.chat_id, receipt.id)
        await _drop_buttons(update)
    await context.bot.send_message(chat.chat_id, text, parse_mode=ParseMode.HTML if html else None,
                                   reply_markup=markup)


async def _forget_edit(runtime: Runtime, chat_id: int, receipt_id: str) -> None:
    """No longer await a value for this receipt's fields."""
    state = await runtime.chat_links.state(chat_id)
    if (state.awaiting or "").startswith(f"edit:{receipt_id}:"):
        await runtime.chat_links.set_awaiting(chat_id, None)


async def _drop_buttons(update: Update) -> None:
    """Take the buttons off the tapped message (best effort: the message may be too old to edit)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)


def register(application: BotApplication) -> None:
    """Photos and image/PDF documents of receipts, other documents refused, the receipt buttons."""
    receipt_files = filters.PHOTO | filters.Document.IMAGE | filters.Document.PDF
    application.add_handler(MessageHandler(receipt_files, on_receipt_file))
    application.add_handler(MessageHandler(filters.Document.ALL, on_other_document))
    application.add_handler(CallbackQueryHandler(on_receipt_button, pattern=r"^rc:"))
