"""The bot's messages: Telegram HTML (parse_mode=HTML) in Romanian, from the decoded reports.

Each `*_text` takes a report exactly as the HTTP API serves it (`ReportService.get(name, params)`
bytes decoded with orjson: money as JSON numbers, dates as `YYYY-MM-DD`), and each `*_params`
gives the parameters to ask it with: the report's own parameter model, dumped as the HTTP route
dumps it, so the bot and the web share one cache entry. Text from the ledger (company, partner,
account names, invoice numbers) is escaped; a message stays under Telegram's 4096 characters,
long lists ending in "… și încă N".
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from roa2web.exports.numbers import format_money
from roa2web.reports.chart import CASH
from roa2web.reports.columns import month_label, months_label
from roa2web.reports.invoices import MAX_PAGE
from roa2web.reports.params import AgingParams, DashboardParams, InvoiceListParams, TreasuryParams, TrialBalanceParams

Report = Mapping[str, Any]
TELEGRAM_LIMIT = 4096  # characters (UTF-16 code units) of one message
INVOICES_PER_PAGE = 10
TOP_PARTNERS = 5
NAME_MAX = 60  # a longer partner or account name is cut with "…"
BUCKET_LABELS = (("not_due", "Nescadente"), ("d1_30", "1–30 zile"), ("d31_60", "31–60 zile"),
                 ("d61_90", "61–90 zile"), ("over_90", "Peste 90 de zile"))
_ACCOUNT = re.compile(r"[0-9]{3,6}(\.[0-9]+)*")


# --- formatting -------------------------------------------------------------------------------

def amount(value: Decimal | str | int | float) -> Decimal:
    """A money value of a report (JSON number, Decimal or numeric text) as an exact Decimal."""
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)


def format_lei(value: Decimal | str | int | float) -> str:
    """1234.5 → '1.234,50 lei'; -0 → '0,00 lei'."""
    number = amount(value)
    return f"{format_money(number if number else abs(number))} lei"


def format_day(value: str | dt.date) -> str:
    """'2025-12-31' (or a date) → '31.12.2025'."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return f"{day:%d.%m.%Y}"


def count_of(number: int, one: str, many: str) -> str:
    """Romanian agreement: '1 factură', '5 facturi', '20 de facturi', '1.234 de facturi'."""
    if number == 1:
        return f"1 {one}"
    shown = f"{number:,}".replace(",", ".")
    tens = number % 100
    return f"{shown} de {many}" if number >= 20 and (tens == 0 or tens >= 20) else f"{shown} {many}"


def escape(text: Any) -> str:
    """Ledger text made safe for parse_mode=HTML."""
    return html.escape(str(text), quote=False)


def short_name(text: Any) -> str:
    """A name cut to NAME_MAX characters, escaped."""
    name = " ".join(str(text).split())
    return escape(name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "…")


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def fit_message(head: Sequence[str], items: Sequence[str], tail: Sequence[str] = (),
                limit: int = TELEGRAM_LIMIT) -> str:
    """Lines head + items + tail; items dropped from the end, with "… și încă N", until it fits `limit`."""
    text = "\n".join([*head, *items, *tail])
    if telegram_length(text) <= limit:
        return text
    budget = limit - telegram_length("\n".join([*head, f"… și încă {len(items):,}", *tail])) - 1
    kept = 0
    for line in items:
        cost = telegram_length(line) + 1
        if cost > budget:
            break
        budget -= cost
        kept += 1
    more = f"… și încă {len(items) - kept:,}".replace(",", ".")
    return "\n".join([*head, *items[:kept], more, *tail])


# --- parameters: what the handler asks the report service for ----------------------------------

def dashboard_params(company_id: int, today: dt.date) -> dict[str, Any]:
    """The dashboard of today's month."""
    return DashboardParams(company_id=company_id, year=today.year, month=today.month).model_dump()


def unpaid_invoices_params(company_id: int, today: dt.date, cursor: str | None = None) -> dict[str, Any]:
    """Unpaid sales invoices at today, the largest page the report gives (follow `next_cursor` with `cursor`)."""
    return InvoiceListParams(company_id=company_id, kind="sales", status="unpaid", as_of=today, limit=MAX_PAGE,
                             cursor=cursor).model_dump()


def aging_params(company_id: int, today: dt.date, kind: str) -> dict[str, Any]:
    """The aging of open 'sales' or 'purchases' invoices at today, by due date."""
    return AgingParams.model_validate({"company_id": company_id, "kind": kind, "as_of": today,
                                       "basis": "due_date"}).model_dump()


def treasury_params(company_id: int, today: dt.date) -> dict[str, Any]:
    """Cash and bank from 1 January to today."""
    return TreasuryParams(company_id=company_id, date_from=dt.date(today.year, 1, 1), date_to=today).model_dump()


def parse_account(text: str) -> str | None:
    """The account code in `/sold` text ('5121', '401.00012'), or None when it is not one."""
    code = text.strip()
    return code if _ACCOUNT.fullmatch(code) else None


def account_balance_params(company_id: int, account: str, today: dt.date) -> dict[str, Any]:
    """The trial balance rows of `account` (a parse_account code), year to date: months 1..today's month."""
    return TrialBalanceParams(company_id=company_id, year=today.year, month_from=1, month_to=today.month,
                              level="analytic" if "." in account else "synthetic", account_prefix=account,
                              hide_zero=False).model_dump()


# --- messages ---------------------------------------------------------------------------------

def _title(what: str, company_name: str) -> str:
    return f"<b>{escape(what)} · {escape(company_name)}</b>"


def _result_line(label: str, value: Any) -> str:
    number = amount(value)
    word = " (profit)" if number > 0 else " (pierdere)" if number < 0 else ""
    return f"{label}: <b>{format_lei(number)}</b>{word}"


def dashboard_text(company_name: str, dashboard: Report) -> str:
    """The month's KPIs: revenue, expenses and result (month and year to date), balances, VAT."""
    year, month = int(dashboard["year"]), int(dashboard["month"])
    current, ytd = dashboard["current"], dashboard["year_to_date"]
    vat = amount(dashboard["vat_position"])
    vat_line = (f"TVA de plată: {format_lei(vat)}" if vat > 0 else
                f"TVA de recuperat: {format_lei(-vat)}" if vat < 0 else f"TVA: {format_lei(0)}")
    lines = [
        _title("Tablou de bord", company_name),
        "",
        f"<b>Luna {month_label(year, month)}</b>",
        f"Venituri: {format_lei(current['revenue'])}",
        f"Cheltuieli: {format_lei(current['expenses'])}",
        _result_line("Rezultat", current["result"]),
        "",
        f"<b>Cumulat {months_label(year, 1, month)}</b>",
        f"Venituri: {format_lei(ytd['revenue'])}",
        f"Cheltuieli: {format_lei(ytd['expenses'])}",
        _result_line("Rezultat", ytd["result"]),
        "",
        f"<b>Solduri la {format_day(dashboard['period_end'])}</b>",
        f"Casa: {format_lei(dashboard['cash'])}",
        f"Bănci: {format_lei(dashboard['bank'])}",
        f"Clienți de încasat: {format_lei(dashboard['receivables'])}",
        f"  din care restante: {format_lei(dashboard['overdue_receivables'])}",
        f"Furnizori de plătit: {format_lei(dashboard['payables'])}",
        f"  din care restante: {format_lei(dashboard['overdue_payables'])}",
        vat_line,
    ]
    return "\n".join(lines)


def join_invoice_pages(pages: Sequence[Report]) -> dict[str, Any]:
    """The invoice pages of one listing (first, then each `next_cursor`'s) as one, for `invoices_text`."""
    return {**pages[0], "items": [item for page in pages for item in page["items"]], "next_cursor": None}


def unpaid_order(items: Sequence[Report]) -> list[Report]:
    """Overdue first, the most recently due first; then those not yet due, the soonest due first."""
    overdue = sorted((i for i in items if i["days_overdue"] > 0),
                     key=lambda i: (i["due_date"], i["issue_date"], i["invoice_id"]), reverse=True)
    waiting = sorted((i for i in items if i["days_overdue"] <= 0),
                     key=lambda i: (i["due_date"], i["issue_date"], i["invoice_id"]))
    return overdue + waiting


def invoice_page_count(page: Report) -> int:
    """How many bot pages (INVOICES_PER_PAGE invoices each) the listing fills; at least 1."""
    return max(1, math.ceil(len(page["items"]) / INVOICES_PER_PAGE))


def invoices_text(company_name: str, page: Report, *, page_no: int) -> str:
    """Page `page_no` (1-based, clamped) of the unpaid sales invoices in `unpaid_order`.

    `page` is the invoices report for `unpaid_invoices_params` (several joined by `join_invoice_pages`).
    """
    totals, as_of = page["totals"], format_day(page["as_of"])
    head = [_title("Facturi de vânzare neîncasate", company_name)]
    if not page["items"]:
        return "\n".join([*head, f"Nicio factură de vânzare neîncasată la {as_of}."])
    pages = invoice_page_count(page)
    page_no = min(max(page_no, 1), pages)
    head += [f"La {as_of}: {count_of(int(totals['count']), 'factură', 'facturi')}, "
             f"de încasat <b>{format_lei(totals['balance'])}</b>", f"Pagina {page_no} din {pages}", ""]
    first = (page_no - 1) * INVOICES_PER_PAGE
    lines = []
    for item in unpaid_order(page["items"])[first:first + INVOICES_PER_PAGE]:
        days = int(item["days_overdue"])
        late = f"<b>{count_of(days, 'zi', 'zile')} întârziere</b>" if days > 0 else "nescadentă"
        lines.append(f"<b>{short_name(item['number'])}</b> · {short_name(item['partner']['name'])}\n"
                     f"   scadentă {format_day(item['due_date'])} · rest {format_lei(item['balance'])} · {late}")
    return fit_message(head, lines)


def _aging_section(label: str, aging: Report) -> list[str]:
    totals = aging["totals"]
    lines = [f"<b>{label}</b>"]
    if not amount(totals["total"]):
        return [*lines, "Nicio factură neachitată."]
    lines += [f"{name}: {format_lei(totals[key])}" for key, name in BUCKET_LABELS]
    overdue = amount(totals["total"]) - amount(totals["not_due"])
    lines.append(f"<b>Total: {format_lei(totals['total'])}</b> · restant: <b>{format_lei(overdue)}</b>")
    late = [(amount(row["total"]) - amount(row["not_due"]), row) for row in aging["rows"]]
    late = sorted((pair for pair in late if pair[0] > 0), key=lambda pair: pair[0], reverse=True)
    if late:
        lines.append("Cele mai mari restanțe:")
        lines += [f"{n}. {short_name(row['partner']['name'])}: {format_lei(value)} (din {format_lei(row['total'])})"
                  for n, (value, row) in enumerate(late[:TOP_PARTNERS], start=1)]
        if len(late) > TOP_PARTNERS:
            lines.append(f"… și încă {count_of(len(late) - TOP_PARTNERS, 'partener', 'parteneri')}")
    return lines


def overdue_text(company_name: str, aging_sales: Report, aging_purchases: Report) -> str:
    """Open receivables and payables by age (not due, 1-30, 31-60, 61-90, >90 days), totals, top partners."""
    lines = [_title("Restanțe", company_name),
             f"La {format_day(aging_sales['as_of'])}, după data scadenței", "",
             *_aging_section("Clienți (de încasat)", aging_sales), "",
             *_aging_section("Furnizori (de plătit)", aging_purchases)]
    return "\n".join(lines)


def treasury_text(company_name: str, treasury: Report) -> str:
    """Each cash and bank account's closing balance, the cash and bank subtotals and the total."""
    rows = treasury["rows"]
    cash = [row for row in rows if row["synthetic"] in CASH]
    bank = [row for row in rows if row["synthetic"] not in CASH]
    head = [_title("Trezorerie", company_name),
            f"{format_day(treasury['date_from'])} – {format_day(treasury['date_to'])}, solduri finale", ""]
    if not rows:
        return "\n".join([*head, "Firma nu are conturi de casă sau de bancă."])

    def line(row: Report) -> str:
        name = f" {short_name(row['name'])}" if row["name"] else ""
        return f"{escape(row['account'])}{name}: {format_lei(row['closing'])}"

    items = [*(["<b>Casa</b>"] if cash else []), *map(line, cash),
             *(["<b>Bănci</b>"] if bank else []), *map(line, bank)]
    totals = treasury["totals"]
    tail = ["",
            f"Total casă: {format_lei(sum((amount(row['closing']) for row in cash), Decimal(0)))}",
            f"Total bănci: {format_lei(sum((amount(row['closing']) for row in bank), Decimal(0)))}",
            f"<b>Total disponibil: {format_lei(totals['closing'])}</b>",
            f"Încasări în perioadă: {format_lei(totals['receipts'])} · plăți: {format_lei(totals['payments'])}"]
    return fit_message(head, items, tail)


def _side(debit: Any, credit: Any) -> str:
    """'debitor 1.234,56 lei', 'creditor …', both when both sides hold an amount, or '0,00 lei'."""
    parts = [f"{word} {format_lei(value)}" for word, value in (("debitor", debit), ("creditor", credit))
             if amount(value)]
    return " și ".join(parts) or format_lei(0)


def account_balance_text(company_name: str, account: str, trial_balance: Report) -> str:
    """The account's opening balance, turnover and closing balance for the trial balance's months.

    `trial_balance` is the report for `account_balance_params`; an account it lacks gets a clear
    "nu există" (with the accounts that start with its code, if any), one without figures "nu are mișcări".
    """
    period = months_label(int(trial_balance["year"]), int(trial_balance["month_from"]),
                          int(trial_balance["month_to"]))
    head = [_title(f"Soldul contului {account}", company_name), f"<i>{period}</i>", ""]
    rows = trial_balance["rows"]
    row = next((r for r in rows if r["account"] == account), None)
    if row is None:
        if not rows:
            return "\n".join([*head, f"Contul {escape(account)} nu există în planul de conturi al firmei."])
        items = [f"{escape(r['account'])} {short_name(r['name'])}: sold final "
                 f"{_side(r['closing_debit'], r['closing_credit'])}" for r in rows]
        return fit_message([*head, f"Contul {escape(account)} nu există ca atare; conturile care încep cu "
                                   f"{escape(account)}:"], items)
    name = f" – {short_name(row['name'])}" if row["name"] else ""
    if all(not amount(value) for key, value in row.items() if key.endswith(("_debit", "_credit"))):
        return "\n".join([*head, f"Contul {escape(account)}{name} nu are mișcări și nici sold în perioadă."])
    return "\n".join([
        *head,
        f"<b>{escape(account)}</b>{name}",
        f"Sold inițial la 1 ianuarie: {_side(row['opening_debit'], row['opening_credit'])}",
        f"Rulaj debitor: {format_lei(row['current_debit'])}",
        f"Rulaj creditor: {format_lei(row['current_credit'])}",
        f"<b>Sold final: {_side(row['closing_debit'], row['closing_credit'])}</b>",
    ])


def help_text(linked: bool) -> str:
    """The commands a chat may use: all of them once linked, else how to link."""
    if not linked:
        return "\n".join([
            "<b>ROA2WEB – asistentul contabil</b>",
            "Contul de Telegram nu este încă legat de un utilizator ROA2WEB.",
            "",
            "/start COD – leagă contul cu codul primit în aplicația web (pagina Telegram)",
            "/login email – primiți pe e-mail un cod de 6 cifre, pe care îl scrieți aici",
            "/ajutor – această listă",
        ])
    return "\n".join([
        "<b>ROA2WEB – comenzi</b>",
        "/firme – alegeți firma curentă",
        "/dashboard – indicatorii lunii, cu graficul pe 12 luni",
        "/facturi – facturile de vânzare neîncasate",
        "/restante – creanțe și datorii restante, pe vechime",
        "/trezorerie – soldurile de casă și bancă",
        "/sold CONT – soldul unui cont (ex.: /sold 5121 sau /sold 401.00012)",
        "/balanta [luna] – balanța de verificare ca fișier Excel (ex.: /balanta 3)",
        "/logout – dezleagă contul de Telegram",
        "/ajutor – această listă",
        "",
        "Bonuri: trimiteți o fotografie a unui bon și primiți câmpurile citite, "
        "pe care le puteți corecta, apoi trimite.",
    ])
