"""Editing a draft receipt's field from the chat: a field's button ("rf:<field>:<receipt id>"), then its new value.

The tap asks for the value and sets the chat awaiting "edit:<receipt id>:<field>" (with the
receipt's version then); the typed answer updates the draft through the receipt service at that
version and shows the fields again. A value that cannot be read, or that the receipt's rules
refuse, is explained in Romanian and asked for again.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import LinkedChat, for_linked_chat, linked_chat
from roa2web.bot.handlers.awaiting import on_answer
from roa2web.bot.handlers.receipt_view import callback_parts, company_name, ensure_operator, send_receipt
from roa2web.bot.receipt_texts import EDITABLE_FIELDS, UNKNOWN_BUTTON, edit_label, errors_text, prompt
from roa2web.bot.receipt_values import BadValue, field_changes
from roa2web.chats.links import ChatState
from roa2web.data_entry.errors import ValidationFailed
from roa2web.data_entry.workflow.rules import EDITABLE, ensure_can_edit, ensure_state
from roa2web.problems import Problem

AWAITING = "edit"


@for_linked_chat
async def on_field_button(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """Ask for the new value of the tapped field and await it."""
    query = update.callback_query
    if query is None:
        return
    field, receipt_id = callback_parts(query.data)
    if field not in EDITABLE_FIELDS:
        await query.answer()
        await context.bot.send_message(chat.chat_id, UNKNOWN_BUTTON)
        return
    ensure_operator(chat.principal)
    runtime = runtime_of(context)
    receipt = await runtime.data_entry.receipts.get(chat.principal, receipt_id)
    ensure_can_edit(chat.principal, receipt)
    ensure_state(receipt, EDITABLE, "edit")
    await runtime.chat_links.set_awaiting(chat.chat_id, f"{AWAITING}:{receipt.id}:{field}",
                                          {"version": receipt.version})
    await query.answer()  # once: a refusal above is answered by the error handler
    await context.bot.send_message(chat.chat_id, prompt(field))


@on_answer(AWAITING)
async def on_field_value(update: Update, context: BotContext, state: ChatState) -> None:
    """The typed value: update the draft and show it, or say what is wrong and ask again."""
    message = update.effective_message
    chat = await linked_chat(update, context)
    if message is None or chat is None:
        return
    runtime = runtime_of(context)
    receipt_id, field = callback_parts(state.awaiting)
    if field not in EDITABLE_FIELDS:  # awaited by an older version of this flow: start over
        await runtime.chat_links.set_awaiting(chat.chat_id, None)
        await message.reply_text(UNKNOWN_BUTTON)
        return
    receipts = runtime.data_entry.receipts
    try:
        ensure_operator(chat.principal)
        receipt = await receipts.get(chat.principal, receipt_id)
        try:
            changes = field_changes(field, message.text or "", receipt.fields)
            version = state.data.get("version")
            updated = await receipts.update(chat.principal, receipt.id, changes,
                                            expected_version=version if isinstance(version, int) else None)
        except BadValue as bad:
            await message.reply_text(f"{bad} {prompt(field)}")
            return
        except ValidationFailed as failed:
            text = errors_text("Valoarea nu se poate păstra:", failed.errors or [])
            await message.reply_text(f"{text}\n{prompt(field)}", parse_mode=ParseMode.HTML)
            return
    except Problem as problem:  # gone, no longer editable, changed meanwhile, not allowed: nothing to await
        await runtime.chat_links.set_awaiting(chat.chat_id, None)
        await message.reply_text(problem.client_detail)
        if problem.kind == "stale-version":  # edited elsewhere meanwhile: show what it is now
            fresh = await receipts.get(chat.principal, receipt_id)
            await send_receipt(context.bot, chat.chat_id, runtime, fresh,
                               company_name(chat.companies, fresh.company_id), title="Bonul")
        return
    await runtime.chat_links.set_awaiting(chat.chat_id, None)
    await message.reply_text(f"Am modificat {edit_label(field)}.")
    await send_receipt(context.bot, chat.chat_id, runtime, updated, company_name(chat.companies, updated.company_id),
                       title="Bonul")


def register(application: BotApplication) -> None:
    """The field buttons (the typed values come through the awaiting router)."""
    application.add_handler(CallbackQueryHandler(on_field_button, pattern=r"^rf:"))
