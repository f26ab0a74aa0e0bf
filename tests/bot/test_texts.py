"""The bot's messages from the real reports of the demo ledger: every figure is the report's own."""

from __future__ import annotations

import copy
import html
import re
from decimal import Decimal

import pytest

from roa2web.bot import texts
from roa2web.bot.texts import (
    TELEGRAM_LIMIT,
    account_balance_params,
    account_balance_text,
    aging_params,
    amount,
    dashboard_params,
    dashboard_text,
    format_day,
    format_lei,
    help_text,
    invoice_page_count,
    invoices_text,
    join_invoice_pages,
    overdue_text,
    parse_account,
    telegram_length,
    treasury_params,
    treasury_text,
    unpaid_invoices_params,
    unpaid_order,
)
from tests.bot.report_bodies import COMPANY_ID, TODAY, report_body

NASTY = "Alfa <b>&</b> Beta SRL"  # a name that would break parse_mode=HTML unescaped
ESCAPED = html.escape(NASTY, quote=False)


async def unpaid_invoices(app):
    """Every unpaid sales invoice, following the report's cursor as the handler does."""
    pages = [await report_body(app, "invoices", unpaid_invoices_params(COMPANY_ID, TODAY))]
    while pages[-1]["next_cursor"]:
        pages.append(await report_body(app, "invoices", unpaid_invoices_params(COMPANY_ID, TODAY,
                                                                              pages[-1]["next_cursor"])))
    return join_invoice_pages(pages)


def test_money_and_days_read_romanian():
    assert format_lei(Decimal("1234.56")) == "1.234,56 lei"
    assert format_lei("1234567.8") == "1.234.567,80 lei"
    assert format_lei(1234567.89) == "1.234.567,89 lei"  # a JSON number as orjson decodes it
    assert format_lei(0.1) == "0,10 lei"
    assert format_lei(-2500) == "-2.500,00 lei"
    assert format_lei(Decimal("-0.00")) == format_lei(-0.0) == "0,00 lei"
    assert format_day("2025-03-09") == "09.03.2025"
    assert texts.count_of(1, "zi", "zile") == "1 zi"
    assert texts.count_of(19, "zi", "zile") == "19 zile"
    assert texts.count_of(44, "zi", "zile") == "44 de zile"
    assert texts.count_of(101, "factură", "facturi") == "101 facturi"
    assert texts.count_of(1234, "factură", "facturi") == "1.234 de facturi"


async def test_dashboard_text_holds_every_kpi_of_the_report(app):
    dashboard = await report_body(app, "dashboard", dashboard_params(COMPANY_ID, TODAY))
    text = dashboard_text(NASTY, dashboard)
    assert ESCAPED in text and NASTY not in text
    assert "decembrie 2025" in text and "31.12.2025" in text
    for part in ("current", "year_to_date"):
        for key in ("revenue", "expenses", "result"):
            assert format_lei(dashboard[part][key]) in text, (part, key)
    for key in ("cash", "bank", "receivables", "payables", "overdue_receivables", "overdue_payables"):
        assert format_lei(dashboard[key]) in text, key
    vat = amount(dashboard["vat_position"])
    assert f"TVA de {'plată' if vat > 0 else 'recuperat'}: {format_lei(abs(vat))}" in text
    assert telegram_length(text) <= TELEGRAM_LIMIT


async def test_bot_parameters_hit_the_cache_entry_the_http_api_fills(app, client, user_headers):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={COMPANY_ID})
    asked = {
        "dashboard": (dashboard_params(COMPANY_ID, TODAY), "/api/reports/dashboard?company_id=1&year=2025&month=12"),
        "invoices": (unpaid_invoices_params(COMPANY_ID, TODAY),
                     "/api/reports/invoices?company_id=1&kind=sales&status=unpaid&as_of=2025-12-15&limit=1000"),
        "treasury": (treasury_params(COMPANY_ID, TODAY),
                     "/api/reports/treasury?company_id=1&date_from=2025-01-01&date_to=2025-12-15"),
        "trial_balance": (account_balance_params(COMPANY_ID, "401.00012", TODAY),
                          "/api/reports/trial-balance?company_id=1&year=2025&month_from=1&month_to=12"
                          "&level=analytic&account_prefix=401.00012"),
    }
    for name, (params, url) in asked.items():
        cached, _ = await app.extensions["roa2web"].reports.get(name, params)
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, name
        assert response.headers["X-Cache"] == "HIT-L1", name  # the same cache key: the bot's figures are the API's
        assert await response.get_data() == cached.body, name


async def test_unpaid_invoices_page_by_page_newest_overdue_first(app):
    listing = await unpaid_invoices(app)
    items = listing["items"]
    assert len(items) == listing["totals"]["count"] > texts.INVOICES_PER_PAGE  # several pages on the demo ledger
    ordered = unpaid_order(items)
    overdue = [i for i in ordered if i["days_overdue"] > 0]
    assert ordered[: len(overdue)] == overdue and overdue
    assert [i["due_date"] for i in overdue] == sorted((i["due_date"] for i in overdue), reverse=True)
    pages = invoice_page_count(listing)
    shown: list[str] = []
    for page_no in range(1, pages + 1):
        text = invoices_text(NASTY, listing, page_no=page_no)
        assert telegram_length(text) <= TELEGRAM_LIMIT
        assert ESCAPED in text and f"Pagina {page_no} din {pages}" in text
        assert format_lei(listing["totals"]["balance"]) in text
        for item in ordered[(page_no - 1) * texts.INVOICES_PER_PAGE:][: texts.INVOICES_PER_PAGE]:
            line = next(line for line in text.split("\n<b>") if f"{item['number']}</b>" in line)
            assert html.escape(item["partner"]["name"], quote=False) in line
            assert f"scadentă {format_day(item['due_date'])}" in line
            assert format_lei(item["balance"]) in line
            days = item["days_overdue"]
            assert (f"{texts.count_of(days, 'zi', 'zile')} întârziere" if days else "nescadentă") in line
            shown.append(item["number"])
    assert sorted(shown) == sorted(i["number"] for i in items)  # each invoice on exactly one page
    assert invoices_text("Firma", listing, page_no=pages + 5) == invoices_text("Firma", listing, page_no=pages)


async def test_invoices_escape_partner_names_and_stay_under_the_limit(app):
    listing = await unpaid_invoices(app)
    huge = copy.deepcopy(listing)
    huge["items"] = [{**item, "invoice_id": n, "number": f"<{n}>", "partner": {**item["partner"], "name": NASTY * 40}}
                     for n, item in enumerate(listing["items"] * 100)]
    text = invoices_text("Firma", huge, page_no=3)
    assert telegram_length(text) <= TELEGRAM_LIMIT
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in text and "<b>&</b>" not in text
    assert re.search(r"<b>&lt;\d+&gt;</b>", text)
    empty = {**listing, "items": [], "totals": {"count": 0, "total": 0, "paid": 0, "balance": 0}}
    assert "Nicio factură de vânzare neîncasată la 15.12.2025" in invoices_text("Firma", empty, page_no=1)


async def test_overdue_text_has_the_buckets_totals_and_top_partners(app):
    sales = await report_body(app, "invoices_aging", aging_params(COMPANY_ID, TODAY, "sales"))
    purchases = await report_body(app, "invoices_aging", aging_params(COMPANY_ID, TODAY, "purchases"))
    text = overdue_text(NASTY, sales, purchases)
    assert ESCAPED in text and telegram_length(text) <= TELEGRAM_LIMIT
    clients, suppliers = text.split("<b>Furnizori (de plătit)</b>")
    for section, aging in ((clients, sales), (suppliers, purchases)):
        totals = aging["totals"]
        for key, label in texts.BUCKET_LABELS:
            assert f"{label}: {format_lei(totals[key])}" in section
        assert f"Total: {format_lei(totals['total'])}" in section
        assert f"restant: <b>{format_lei(amount(totals['total']) - amount(totals['not_due']))}" in section
        late = sorted(((amount(r["total"]) - amount(r["not_due"]), r) for r in aging["rows"]),
                      key=lambda pair: pair[0], reverse=True)
        for value, row in [pair for pair in late if pair[0] > 0][: texts.TOP_PARTNERS]:
            assert f"{html.escape(row['partner']['name'], quote=False)}: {format_lei(value)}" in section


async def test_overdue_text_escapes_and_bounds_a_huge_aging(app):
    sales = await report_body(app, "invoices_aging", aging_params(COMPANY_ID, TODAY, "sales"))
    huge = copy.deepcopy(sales)
    huge["rows"] = [{**row, "partner": {**row["partner"], "name": f"{NASTY} {n}" * 30}}
                    for n, row in enumerate(sales["rows"] * 500)]
    text = overdue_text("Firma", huge, sales)
    assert telegram_length(text) <= TELEGRAM_LIMIT
    assert "Alfa &lt;b&gt;&amp;&lt;/b&gt; Beta SRL" in text and "<b>&</b>" not in text
    assert re.search(r"… și încă \d+(\.\d{3})* de parteneri", text)


async def test_treasury_text_has_every_account_and_the_totals(app):
    treasury = await report_body(app, "treasury", treasury_params(COMPANY_ID, TODAY))
    assert treasury["rows"]
    text = treasury_text(NASTY, treasury)
    assert ESCAPED in text and "01.01.2025 – 15.12.2025" in text
    for row in treasury["rows"]:
        assert f"{row['account']} {html.escape(row['name'], quote=False)}: {format_lei(row['closing'])}" in text
    cash = sum((amount(r["closing"]) for r in treasury["rows"] if r["synthetic"].startswith("531")), Decimal(0))
    bank = sum((amount(r["closing"]) for r in treasury["rows"] if r["synthetic"].startswith("512")), Decimal(0))
    assert cash + bank == amount(treasury["totals"]["closing"])
    assert f"Total casă: {format_lei(cash)}" in text and f"Total bănci: {format_lei(bank)}" in text
    for key in ("closing", "receipts", "payments"):
        assert format_lei(treasury["totals"][key]) in text


async def test_treasury_text_of_thousands_of_accounts_stays_under_the_limit(app):
    treasury = await report_body(app, "treasury", treasury_params(COMPANY_ID, TODAY))
    huge = {**treasury, "rows": [{**row, "account": f"{row['synthetic']}.{n:05}", "name": NASTY}
                                 for n, row in enumerate(treasury["rows"] * 1000)]}
    text = treasury_text("Firma", huge)
    assert telegram_length(text) <= TELEGRAM_LIMIT
    assert re.search(r"… și încă \d+(\.\d{3})*\n", text)
    assert f"Total disponibil: {format_lei(treasury['totals']['closing'])}" in text  # the totals are kept


async def test_account_balance_of_a_synthetic_and_an_analytic_account(app):
    for account in ("5121", "401.00012"):
        report = await report_body(app, "trial_balance", account_balance_params(COMPANY_ID, account, TODAY))
        (row,) = [r for r in report["rows"] if r["account"] == account]
        text = account_balance_text(NASTY, account, report)
        assert ESCAPED in text and "ianuarie 2025 – decembrie 2025" in text
        assert html.escape(row["name"], quote=False) in text
        for key in ("current_debit", "current_credit"):
            assert format_lei(row[key]) in text
        closing = [f"{side} {format_lei(row[f'closing_{key}'])}" for side, key in
                   (("debitor", "debit"), ("creditor", "credit")) if amount(row[f"closing_{key}"])]
        assert closing and f"Sold final: {' și '.join(closing)}" in text


async def test_account_balance_absent_empty_or_a_group(app):
    missing = await report_body(app, "trial_balance", account_balance_params(COMPANY_ID, "999", TODAY))
    assert "Contul 999 nu există" in account_balance_text("Firma", "999", missing)
    full = await report_body(app, "trial_balance", {**account_balance_params(COMPANY_ID, "1", TODAY),
                                                     "account_prefix": None})
    quiet = next(r for r in full["rows"]
                 if not any(amount(v) for k, v in r.items() if k.endswith(("_debit", "_credit"))))
    report = await report_body(app, "trial_balance", account_balance_params(COMPANY_ID, quiet["account"], TODAY))
    assert "nu are mișcări" in account_balance_text("Firma", quiet["account"], report)
    group = await report_body(app, "trial_balance", account_balance_params(COMPANY_ID, "512", TODAY))
    text = account_balance_text("Firma", "512", group)
    assert "Contul 512 nu există ca atare" in text
    for row in group["rows"]:
        assert row["account"].startswith("512") and f"{row['account']} " in text
        assert format_lei(row["closing_debit"]) in text


def test_account_codes_and_their_parameters():
    assert parse_account(" 401.00012 ") == "401.00012"
    assert parse_account("5121") == "5121"
    for bad in ("", "abc", "12", "5121;drop", "401..1", "<b>"):
        assert parse_account(bad) is None
    params = account_balance_params(7, "4111.00001", TODAY)
    assert (params["year"], params["month_from"], params["month_to"], params["level"]) == (2025, 1, 12, "analytic")
    assert account_balance_params(7, "4111", TODAY)["level"] == "synthetic"
    with pytest.raises(ValueError):
        account_balance_params(7, "x" * 50, TODAY)


async def test_account_balance_of_a_huge_group_stays_under_the_limit(app):
    group = await report_body(app, "trial_balance", account_balance_params(COMPANY_ID, "4", TODAY))
    huge = {**group, "rows": [{**row, "name": NASTY * 10} for row in group["rows"] * 300]}
    text = account_balance_text("Firma", "4", huge)
    assert telegram_length(text) <= TELEGRAM_LIMIT and "… și încă" in text and "<b>&</b>" not in text


def test_help_lists_the_commands_a_chat_may_use():
    linked = help_text(True)
    for command in ("/firme", "/dashboard", "/facturi", "/restante", "/trezorerie", "/sold CONT", "/balanta [luna]",
                    "/logout", "/ajutor"):
        assert f"\n{command} – " in linked, command
    assert "trimiteți o fotografie a unui bon" in linked
    unlinked = help_text(False)
    for command in ("/start COD", "/login email", "/ajutor"):
        assert f"\n{command} – " in unlinked, command
    assert "/dashboard" not in unlinked and "/sold" not in unlinked
