"""A seeded, hand-made bookkeeping year for the report tests (independent of the demo generator).

Company 1 is a VAT-paying trader with analytics on 4111, 401, 5121 and a bifunctional 473
whose analytics sit on both sides; company 2 sells services without VAT. Both have opening
balances (including prior-year invoices still open), sales and purchase invoices paid in
full, in part or not at all, cash withdrawals through 581, payroll, VAT closing, 609/709
discounts (a credit on class 6, a debit on class 7, so their closing lines land on the sides
revenue and expenses count), an off-balance 8035 opening (single entry) and 6/7 -> 121
closing in every month but the last.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from report_books import FixtureLedger

VAT_COMPANY, PLAIN_COMPANY = 1, 2
CUSTOMERS = 6
SUPPLIERS = 4


@dataclass(frozen=True)
class Scenario:
    """What was generated, for the assertions."""

    path: Path
    year: int
    months: int
    companies: tuple[int, ...] = (VAT_COMPANY, PLAIN_COMPANY)


def _chart(book: FixtureLedger, company_id: int, vat: bool) -> None:
    accounts = [
        ("1012", "Capital subscris vărsat", "P", "101"), ("1171", "Rezultatul reportat", "B", "117"),
        ("121", "Profit sau pierdere", "B", None), ("371", "Mărfuri", "A", None),
        ("401", "Furnizori", "P", None), ("411", "Clienți (grad I)", "A", None), ("4111", "Clienți", "A", "411"),
        ("421", "Personal - salarii datorate", "P", None), ("473", "Decontări în curs de clarificare", "B", None),
        ("5121", "Conturi la bănci în lei", "A", "512"), ("5124", "Conturi la bănci în valută", "A", "512"),
        ("5311", "Casa în lei", "A", "531"), ("581", "Viramente interne", "B", None),
        ("607", "Cheltuieli privind mărfurile", "A", None), ("6022", "Combustibili", "A", "602"),
        ("609", "Reduceri comerciale primite", "P", None), ("628", "Alte servicii", "A", None),
        ("641", "Salarii", "A", None), ("704", "Servicii prestate", "P", None),
        ("709", "Reduceri comerciale acordate", "A", None),
        ("707", "Venituri din mărfuri", "P", None), ("766", "Venituri din dobânzi", "P", None),
        ("8035", "Stocuri de natura obiectelor de inventar în folosință", "A", "803"),
    ]
    if vat:
        accounts += [("4423", "TVA de plată", "P", "442"), ("4424", "TVA de recuperat", "A", "442"),
                     ("4426", "TVA deductibilă", "A", "442"), ("4427", "TVA colectată", "P", "442")]
    for code, name, function, parent in accounts:
        book.account(company_id, code, name, function, parent)
    for i in range(1, CUSTOMERS + 1):
        book.partner(company_id, i, f"CLIENT {i} SRL", f"RO{1000 + i}" if i % 2 else None, "C")
        book.account(company_id, f"4111.{i:05d}", f"CLIENT {i} SRL", "A", partner_id=i)
    for i in range(1, SUPPLIERS + 1):
        book.partner(company_id, 100 + i, f"FURNIZOR {i} SRL", f"{2000 + i}", "S")
        book.account(company_id, f"401.{100 + i:05d}", f"FURNIZOR {i} SRL", "P", partner_id=100 + i)
    for code, name, function in (("5121.01", "BCR", "A"), ("5121.02", "BT", "A"),
                                 ("473.01", "Clarificări debit", "B"), ("473.02", "Clarificări credit", "B")):
        book.account(company_id, code, name, function)


def _opening(book: FixtureLedger, rnd: random.Random, company_id: int, year: int) -> None:
    last_year = dt.date(year - 1, 12, 10)
    receivable = 0
    for customer in (1, 2):
        amount = rnd.randint(100_000, 900_000)
        book.invoice(company_id, "S", customer, last_year, 30, [("707", amount)],
                     partner_account=f"4111.{customer:05d}", vat_account=None, vat=0, post=False)
        book.opening(company_id, year, f"4111.{customer:05d}", amount, 0)
        receivable += amount
    payable = rnd.randint(50_000, 500_000)
    book.invoice(company_id, "P", 101, last_year, 45, [("371", payable)], partner_account="401.00101",
                 vat_account=None, vat=0, post=False)
    book.opening(company_id, year, "401.00101", 0, payable)
    debits = {"5121.01": 5_000_000, "5311": 200_000, "371": 3_000_000, "473.01": 12_345}
    for account, amount in debits.items():
        book.opening(company_id, year, account, amount, 0)
    book.opening(company_id, year, "473.02", 0, 12_345)
    book.opening(company_id, year, "1012", 0, 1_000_000)
    book.opening(company_id, year, "1171", 0, sum(debits.values()) + receivable - 12_345 - 1_000_000 - payable)
    book.opening(company_id, year, "8035", 250_000, 0)  # off-balance, single entry


def _month(book: FixtureLedger, rnd: random.Random, company_id: int, vat: bool, year: int, month: int) -> None:
    def day() -> dt.date:
        return dt.date(year, month, rnd.randint(1, 27))

    rate = 21 if (year, month) >= (2025, 8) else 19
    for _ in range(rnd.randint(3, 7)):
        c, net, when = rnd.randint(1, CUSTOMERS), rnd.randint(10_000, 1_500_000), day()
        revenue = "707" if vat else "704"
        book.invoice(company_id, "S", c, when, rnd.choice((15, 30, 45, 60)), [(revenue, net)],
                     partner_account=f"4111.{c:05d}", vat_account="4427" if vat else None,
                     vat=(net * rate + 50) // 100 if vat else 0)
        if vat:
            book.post(company_id, "SALE", f"C{when:%m%d}", when, "607", "371", net * 6 // 10)
    for _ in range(rnd.randint(2, 4)):
        s, net, when = 100 + rnd.randint(1, SUPPLIERS), rnd.randint(10_000, 900_000), day()
        book.invoice(company_id, "P", s, when, rnd.choice((30, 60)), [(rnd.choice(("371", "628")), net)],
                     partner_account=f"401.{s:05d}", vat_account="4426" if vat else None,
                     vat=(net * rate + 50) // 100 if vat else 0)
    when = day()
    book.post(company_id, "TRANSFER", f"T{month}", when, "581", "5121.01", 150_000)
    book.post(company_id, "TRANSFER", f"T{month}", when, "5311", "581", 150_000)
    book.post(company_id, "RECEIPT", f"B{month}", day(), "6022", "5311", rnd.randint(1_000, 90_000))
    book.post(company_id, "PAYROLL", f"S{month}", dt.date(year, month, 25), "641", "421", 400_000)
    book.post(company_id, "PAYMENT", f"S{month}", dt.date(year, month, 27), "421", "5121.01", 400_000)
    book.post(company_id, "INTEREST", f"D{month}", day(), "5121.02", "766", rnd.randint(100, 5_000))
    book.post(company_id, "OTHER", f"X{month}", day(), "473.01", "5121.01", rnd.randint(100, 5_000))
    # discounts: a credit on a class 6 account and a debit on a class 7 one, so that closing them
    # posts on the sides revenue and expenses count
    book.post(company_id, "DISCOUNT", f"R{month}", day(), "5121.01", "609", rnd.randint(100, 3_000))
    book.post(company_id, "DISCOUNT", f"A{month}", day(), "709", "5121.01", rnd.randint(100, 3_000))
    book.post(company_id, "OTHER", f"Y{month}", day(), "5121.01", "473.02", rnd.randint(100, 5_000))
    _settle_some(book, rnd, company_id, year, month)
    if vat:
        _close_vat(book, company_id, year, month)


def _settle_some(book: FixtureLedger, rnd: random.Random, company_id: int, year: int, month: int) -> None:
    """Collect or pay part of the invoices still open, on a day after their issue date."""
    rows = book.db.execute(
        "SELECT i.invoice_id, i.kind, i.partner_id, i.issue_date, i.total_bani - "
        "COALESCE((SELECT SUM(amount_bani) FROM r2w_invoice_payments p WHERE p.company_id = i.company_id "
        "AND p.invoice_id = i.invoice_id), 0) FROM r2w_invoices i WHERE i.company_id = ? ORDER BY i.invoice_id",
        (company_id,),
    ).fetchall()
    for invoice_id, kind, partner_id, issued, balance in rows:
        issue = dt.date.fromisoformat(issued)
        if balance <= 0 or issue >= dt.date(year, month, 27) or rnd.random() < 0.45:
            continue
        amount = balance if rnd.random() < 0.6 else max(1, balance * rnd.randint(1, 9) // 10)
        first_day = issue.day if (issue.year, issue.month) == (year, month) else 1
        when = dt.date(year, month, rnd.randint(first_day, 28))
        account = f"4111.{partner_id:05d}" if kind == "S" else f"401.{partner_id:05d}"
        book.settle(company_id, invoice_id, kind, when, amount, partner_account=account,
                    treasury_account=rnd.choice(("5121.01", "5121.02")), partner_id=partner_id)


def _close_vat(book: FixtureLedger, company_id: int, year: int, month: int) -> None:
    due = book.balances(company_id, year, month, "4423").get("4423", 0)
    if due < 0:
        book.post(company_id, "VAT", f"P{month}", dt.date(year, month, 25), "4423", "5121.01", -due)
    output = -book.balances(company_id, year, month, "4427").get("4427", 0)
    deductible = book.balances(company_id, year, month, "4426").get("4426", 0)
    end, number = dt.date(year, month, 28), f"V{month}"
    if min(output, deductible) > 0:
        book.post(company_id, "VAT", number, end, "4427", "4426", min(output, deductible))
    if output > deductible:
        book.post(company_id, "VAT", number, end, "4427", "4423", output - deductible)
    elif deductible > output:
        book.post(company_id, "VAT", number, end, "4424", "4426", deductible - output)


def build_scenario(path: Path, seed: int, *, year: int = 2025, months: int = 12) -> Scenario:
    """Write the two-company year to `path`; every month but the last is closed and locked."""
    rnd = random.Random(seed)
    book = FixtureLedger(path)
    for company_id, vat in ((VAT_COMPANY, True), (PLAIN_COMPANY, False)):
        book.company(company_id, f"COMPANY {company_id} SRL", f"RO{company_id}9" if vat else "29", vat)
        _chart(book, company_id, vat)
        _opening(book, rnd, company_id, year)
        for month in range(1, months + 1):
            _month(book, rnd, company_id, vat, year, month)
            closed = month < months
            if closed:
                book.close_results(company_id, year, month)
            book.period(company_id, year, month, closed)
    book.close()
    return Scenario(path, year, months)
