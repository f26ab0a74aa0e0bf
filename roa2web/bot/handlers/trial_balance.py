"""/balanta [luna]: the trial balance, year to date, as an XLSX document made by the export job.

The same job `POST /api/reports/exports` submits (report_export, trial_balance, xlsx), owned by
the chat's user. The handler says "Pregătesc balanța…", submits, and hands the waiting to
`application.create_task`, so the chat's next messages are answered meanwhile; the file goes out
named as the HTTP download names it. A job that fails says why (its Romanian message).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import LinkedChat, for_linked_chat
from roa2web.bot.reading import bot_today
from roa2web.bot.texts import escape
from roa2web.exports.naming import ascii_fold, period_label
from roa2web.exports.service import REPORT_EXPORT_JOB, ReportExportFiles, validate_export
from roa2web.jobs.store import FINISHED, Job, JobState
from roa2web.jobs.transitions import FAILED_MESSAGE
from roa2web.reports.columns import MONTHS

POLL_S = 0.5
WAIT_LIMIT_S = 300.0
PREPARING = "Pregătesc balanța…"
USAGE = ("Scrieți luna după comandă, sau nimic pentru luna curentă: <code>/balanta</code>, "
         "<code>/balanta 3</code>, <code>/balanta martie</code> sau <code>/balanta 3/2025</code>. "
         "Balanța cuprinde lunile de la ianuarie până la luna aleasă.")
TOO_LONG = ("Balanța nu a fost gata în {minutes} minute. O găsiți, când este gata, în aplicația web, "
            "pagina Lucrări.")
STOPPED = "Serverul se oprește; balanța o găsiți, când este gata, în aplicația web, pagina Lucrări."
EXPIRED = "Fișierul balanței nu mai există pe server; cereți-l din nou cu /balanta."
CANCELLED = "Pregătirea balanței a fost anulată."
FAILED = "Nu am putut pregăti balanța: {reason}"
FAILED_PLAIN = "Nu am putut pregăti balanța; încercați din nou peste câteva momente."
_MONTH = re.compile(r"(?P<month>[0-9]{1,2}|[a-z]+)\.?(?:\s*[/ ]\s*(?P<year>[0-9]{4}))?")


def month_number(word: str) -> int | None:
    """'3' or '03' → 3; 'martie', 'mar' (any unambiguous start of 3+ letters) → 3; else None."""
    if word.isdigit():
        number = int(word)
        return number if 1 <= number <= 12 else None
    if len(word) < 3:
        return None
    found = [number for number, name in enumerate(MONTHS, start=1) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def parse_month(text: str, today: dt.date) -> tuple[int, int] | None:
    """(year, month) of the /balanta argument: nothing → today's; '3', 'martie', '3/2025', 'martie 2025'.

    None when it is none of these (a month outside 1–12, an unknown name, a year outside 1900–9999).
    """
    words = ascii_fold(" ".join(text.split())).lower()
    if not words:
        return today.year, today.month
    match = _MONTH.fullmatch(words)
    if match is None:
        return None
    month = month_number(match["month"])
    year = int(match["year"]) if match["year"] else today.year
    if month is None or not 1900 <= year <= 9999:
        return None
    return year, month


@for_linked_chat
async def send_trial_balance(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/balanta [luna]: submit the export and let a task send the file when it is done."""
    period = parse_month(" ".join(context.args or []), bot_today(context))
    if period is None:
        await context.bot.send_message(chat.chat_id, USAGE, parse_mode=ParseMode.HTML)
        return
    year, month = period
    export = validate_export("trial_balance", "xlsx",
                             {"company_id": chat.company.id, "year": year, "month_from": 1, "month_to": month})
    await context.bot.send_message(chat.chat_id, PREPARING)
    job = await runtime_of(context).jobs.submit(REPORT_EXPORT_JOB, export.job_params(),
                                                owner_id=chat.principal.user_id, company_id=export.company_id)
    context.application.create_task(deliver(context, chat, job), update=update, name=f"balanta-{job.id}")


async def wait_for_job(context: BotContext, job_id: str, limit_s: float) -> Job | None:
    """The job once finished; None after `limit_s` or when the bot stops (its shutdown waits for this task)."""
    jobs = runtime_of(context).jobs
    deadline = time.monotonic() + limit_s
    while context.application.running and time.monotonic() < deadline:
        job = await jobs.get(job_id)
        if job is None or job.state in FINISHED:
            return job
        await asyncio.sleep(POLL_S)
    return None


async def deliver(context: BotContext, chat: LinkedChat, submitted: Job) -> None:
    """Wait for the export job, then send its file to the chat (or say why there is none)."""
    runtime = runtime_of(context)
    job = await wait_for_job(context, submitted.id, WAIT_LIMIT_S)
    if job is None:
        text = STOPPED if not context.application.running else TOO_LONG.format(minutes=round(WAIT_LIMIT_S / 60))
    elif job.state is JobState.DONE and job.result_ref:
        path = ReportExportFiles.from_settings(runtime.settings).resolve(job.result_ref)
        if path is not None:
            await send_file(context, chat, path.name, await asyncio.to_thread(path.read_bytes), job)
            return
        text = EXPIRED
    elif job.state is JobState.CANCELLED:
        text = CANCELLED
    else:
        reason = job.message.removeprefix(FAILED_MESSAGE).removeprefix(":").strip()
        text = FAILED.format(reason=reason) if reason else FAILED_PLAIN
    await context.bot.send_message(chat.chat_id, text)


async def send_file(context: BotContext, chat: LinkedChat, filename: str, data: bytes, job: Job) -> None:
    """The XLSX as a document, if the chat is still linked to the user who asked for it."""
    principal = await runtime_of(context).chat_links.principal_of_chat(chat.chat_id)
    if principal is None or principal.user_id != chat.principal.user_id:
        return  # unlinked (or linked to someone else) meanwhile: the file stays in the web app's jobs
    params = job.params.get("params")
    period = period_label(params) if isinstance(params, dict) else ""
    caption = f"<b>Balanța de verificare</b> · {escape(chat.company.name)}" + (f"\n{escape(period)}" if period else "")
    await context.bot.send_document(chat.chat_id, data, filename=filename, caption=caption,
                                    parse_mode=ParseMode.HTML)


def register(application: BotApplication) -> None:
    """The /balanta command."""
    application.add_handler(CommandHandler("balanta", send_trial_balance))
