"""Sales and purchase invoices, their payment plans, and the collections and payments that follow."""

from __future__ import annotations

import datetime as dt

from roa2web.accounting.vat import standard_rate_on, vat_on_net, vat_rates_on
from roa2web.demo.book import Document, Entry
from roa2web.demo.companies import MAIN_BANK, Partner
from roa2web.demo.days import business_day_from, business_days, next_business_day
from roa2web.demo.discounts import GRANTED_TEXT, PURCHASE_CHANCE, RECEIVED_TEXT, SALES_CHANCE, trade_discount
from roa2web.demo.model import Invoice, InvoicePayment
from roa2web.demo.prng import Prng
from roa2web.demo.state import CompanyState, PlannedPayment

TERMS = (15, 30, 45, 60)  # payment terms in days; Law 72/2013 caps B2B terms at 60
RECURRING = ("612", "605", "626", "613")  # billed once a month by their supplier
PURCHASE_RANGES = {
    "612": (2_000_00, 6_000_00), "605": (300_00, 1_500_00), "626": (100_00, 600_00), "613": (150_00, 800_00),
    "622": (500_00, 3_000_00), "628": (200_00, 4_000_00), "6028": (100_00, 1_500_00),
}
# Unpaid-on-purpose sales invoice, by months left before the end of the horizon:
# (issue day, term) so that at the end every aging bucket has an entry (not due, 1-30, 31-60, 61-90, >90).
_AGING_SEEDS = {0: (20, 30), 1: (20, 15), 2: (15, 30), 3: (15, 30)}
_VAT_TEXT = {rate: f"TVA {rate}%" for rate in (5, 9, 11, 19, 21)}
_DISCOUNTS = 9  # the stream of discount draws, apart so the other draws do not move


def _percent(amount: int, low: int, high: int, prng: Prng) -> int:
    return amount * prng.between(low, high) // 100


def _sales_plan(prng: Prng, invoice: Invoice, term: int) -> list[tuple[dt.date, int]]:
    roll, total, issue = prng.below(100), invoice.total, invoice.issue_date
    if roll < 4:
        return []
    if roll < 12:
        return [(issue + dt.timedelta(days=prng.between(10, term + 30)), _percent(total, 30, 70, prng))]
    if roll < 26:
        first = _percent(total, 30, 70, prng)
        return [(issue + dt.timedelta(days=prng.between(5, term)), first),
                (issue + dt.timedelta(days=prng.between(term + 1, term + 30)), total - first)]
    return [(issue + dt.timedelta(days=prng.between(3, term + 20)), total)]


def _purchase_plan(prng: Prng, invoice: Invoice, term: int) -> list[tuple[dt.date, int]]:
    roll, total, issue = prng.below(100), invoice.total, invoice.issue_date
    if roll < 5:
        return []
    if roll < 12:
        return [(issue + dt.timedelta(days=prng.between(term - 10, term + 20)), _percent(total, 30, 70, prng))]
    return [(issue + dt.timedelta(days=prng.between(max(1, term - 10), term + 10)), total)]


def _issue(state: CompanyState, kind: str, number: str, day: dt.date, term: int, partner: Partner,
           total: int, vat: int) -> Invoice:
    invoice = Invoice(state.profile.company_id, state.next("invoice"), kind, number, day,
                      day + dt.timedelta(days=term), partner.partner_id, total, vat)
    state.ledger.invoices.append(invoice)
    return invoice


def _schedule(state: CompanyState, invoice: Invoice, account: str, plan: list[tuple[dt.date, int]]) -> None:
    for day, amount in plan:
        state.plan(PlannedPayment(next_business_day(max(day, invoice.issue_date + dt.timedelta(days=1))),
                                  invoice, amount, account))


def sales_documents(state: CompanyState, prng: Prng, year: int, month: int, count: int,
                    months_left: int) -> tuple[list[Document], int]:
    """`count` sales invoices (the first one left unpaid on purpose) and their cost of goods sold.

    Some carry a trade discount: `4111 = 707` for the list price, `709 = 4111` for the discount,
    `4111 = 4427` for the VAT on the net after it.
    """
    profile, days = state.profile, business_days(year, month)
    discounts = prng.child(_DISCOUNTS)
    customers = state.partners("C")
    weights = [(customer, len(customers) - index) for index, customer in enumerate(customers)]
    documents: list[Document] = []
    cost_of_sales = 0
    for index in range(count):
        customer = prng.weighted(weights)
        if index == 0:
            issue_day, term = _AGING_SEEDS.get(months_left, (15, 30))
            day = business_day_from(year, month, issue_day)
        else:
            day, term = prng.choice(days), prng.choice(TERMS)
        standard, reduced = vat_rates_on(day)[:2]  # 19/9 until 31 Jul 2025, then 21/11
        rate = reduced if profile.trading and prng.chance(1, 5) else standard
        net = prng.between(*profile.sale_range)
        discount = trade_discount(discounts, net, SALES_CHANCE)
        vat = vat_on_net(net - discount, rate) if profile.vat_payer else 0
        number = f"{profile.invoice_prefix}-{state.next('sale'):06d}"
        invoice = _issue(state, "S", number, day, term, customer, net - discount + vat, vat)
        if index > 0:
            _schedule(state, invoice, customer.account, _sales_plan(prng, invoice, term))
        entries = [Entry(customer.account, profile.revenue_account, net, customer.partner_id)]
        if discount:
            entries.append(Entry("709", customer.account, discount, customer.partner_id, GRANTED_TEXT))
        if vat:
            entries.append(Entry(customer.account, "4427", vat, customer.partner_id, _VAT_TEXT[rate]))
        if profile.trading:
            cost = _percent(net, 60, 80, prng)
            cost_of_sales += cost
            entries.append(Entry("607", "371", cost, None, "Descărcare gestiune"))
        documents.append(Document("SALE", number, day, tuple(entries), f"Factura {number} {customer.name}"))
    return documents, cost_of_sales


def purchase_documents(state: CompanyState, prng: Prng, year: int, month: int, count: int,
                       cost_of_sales: int) -> list[Document]:
    """The month's recurring bills (rent, utilities, ...) and variable invoices, `count` in all.

    A trading company's variable invoices restock the goods it sold (cost of sales + 0-10%),
    dated in the first business days so the stock is there before it is sold. Some carry a trade
    discount received: `401 = 609`, with the VAT on the net after it.
    """
    days = business_days(year, month)
    suppliers = state.partners("S")
    recurring = [s for s in suppliers if s.expense_account in RECURRING]
    variable = [s for s in suppliers if s.expense_account not in RECURRING]
    planned: list[tuple[Partner, dt.date, int]] = [
        (s, business_day_from(year, month, prng.between(2, 8)), prng.between(*PURCHASE_RANGES[s.expense_account]))
        for s in recurring
    ]
    extra = max(1, count - len(recurring))
    if state.profile.trading:
        restock = cost_of_sales * prng.between(98, 110) // 100
        for amount in prng.split(restock, extra):
            planned.append((prng.choice(variable), prng.choice(days[:3]), amount))
    else:
        for _ in range(extra):
            supplier = prng.choice(variable)
            planned.append((supplier, prng.choice(days), prng.between(*PURCHASE_RANGES[supplier.expense_account])))
    discounts = prng.child(_DISCOUNTS)
    return [_purchase(state, prng, *item, trade_discount(discounts, item[2], PURCHASE_CHANCE)) for item in planned]


def _purchase(state: CompanyState, prng: Prng, supplier: Partner, day: dt.date, net: int, discount: int) -> Document:
    """`% = 401`: the expense (or 371) at the list price, `401 = 609` for any discount, VAT after it.

    A company that is not a VAT payer books the VAT into the expense.
    """
    rate = standard_rate_on(day)
    vat = vat_on_net(net - discount, rate) if supplier.vat_mode == "std" else 0
    number = f"F{supplier.partner_id:02d}-{state.next('purchase'):06d}"
    term = prng.choice(TERMS)
    invoice = _issue(state, "P", number, day, term, supplier, net - discount + vat, vat)
    _schedule(state, invoice, supplier.account, _purchase_plan(prng, invoice, term))
    account, partner_id = supplier.account, supplier.partner_id
    deductible = vat if state.profile.vat_payer else 0
    entries = [Entry(supplier.expense_account, account, net + vat - deductible, partner_id)]
    if discount:
        entries.append(Entry(account, "609", discount, partner_id, RECEIVED_TEXT))
    if deductible:
        entries.append(Entry("4426", account, deductible, partner_id, _VAT_TEXT[rate]))
    return Document("PURCHASE", number, day, tuple(entries), f"Factura {number} {supplier.name}")


def settle(state: CompanyState, payment: PlannedPayment) -> Document:
    """Book a planned payment: a collection (5121 = 4111) or a supplier payment (401 = 5121)."""
    invoice = payment.invoice
    state.ledger.payments.append(InvoicePayment(state.profile.company_id, state.next("payment"),
                                                invoice.invoice_id, payment.date, payment.amount))
    if invoice.kind == "S":
        entry = Entry(MAIN_BANK, payment.account, payment.amount, invoice.partner_id)
        return Document("COLLECTION", state.number("INC"), payment.date, (entry,), f"Încasare factura {invoice.number}")
    entry = Entry(payment.account, MAIN_BANK, payment.amount, invoice.partner_id)
    return Document("PAYMENT", state.number("OP"), payment.date, (entry,), f"Plată factura {invoice.number}")


def postpone(state: CompanyState, payment: PlannedPayment) -> None:
    """Move a supplier payment the bank cannot cover yet to the 5th business day of next month."""
    year, month = payment.date.year, payment.date.month
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    state.plan(PlannedPayment(business_day_from(year, month, 5), payment.invoice, payment.amount, payment.account))
