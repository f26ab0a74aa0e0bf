"""Romanian column headers and summary lines of every report (user-facing text lives here).

A column's key is an attribute path into a row of the report ("partner.name"). Summary labels
"Perioada", "La data", "De la data" and "Până la data" are read by the exporters to print the
period line (roa2web.exports.document): keep them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ColumnKind = Literal["text", "money", "date", "int"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a report table: where its value is, its Romanian header, its kind."""

    key: str
    label: str
    kind: ColumnKind = "text"


MONTHS = (
    "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie",
    "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie",
)
KIND_LABELS = {"sales": "Facturi emise (clienți)", "purchases": "Facturi primite (furnizori)"}
STATUS_LABELS = {"unpaid": "Neachitate", "overdue": "Restante", "paid": "Achitate", "all": "Toate"}
BASIS_LABELS = {"due_date": "după data scadenței", "issue_date": "după data emiterii"}
LEVEL_LABELS = {"synthetic": "sintetică", "analytic": "analitică"}

DASHBOARD_SERIES = (
    Column("year", "An", "text"),  # 2025, not 2.025
    Column("month", "Luna", "int"),
    Column("revenue", "Venituri", "money"),
    Column("expenses", "Cheltuieli", "money"),
    Column("result", "Rezultat", "money"),
)

INVOICES = (
    Column("number", "Număr factură", "text"),
    Column("issue_date", "Data emiterii", "date"),
    Column("due_date", "Data scadenței", "date"),
    Column("partner.name", "Partener", "text"),
    Column("partner.cif", "CIF", "text"),
    Column("total", "Total", "money"),
    Column("paid", "Achitat", "money"),
    Column("balance", "Rest de plată", "money"),
    Column("days_overdue", "Zile întârziere", "int"),
)

AGING = (
    Column("partner.name", "Partener", "text"),
    Column("partner.cif", "CIF", "text"),
    Column("not_due", "Nescadent", "money"),
    Column("d1_30", "1–30 zile", "money"),
    Column("d31_60", "31–60 zile", "money"),
    Column("d61_90", "61–90 zile", "money"),
    Column("over_90", "Peste 90 zile", "money"),
    Column("total", "Total", "money"),
)

TREASURY = (
    Column("account", "Cont", "text"),
    Column("name", "Denumire", "text"),
    Column("opening", "Sold inițial", "money"),
    Column("receipts", "Încasări", "money"),
    Column("payments", "Plăți", "money"),
    Column("closing", "Sold final", "money"),
)

TRIAL_BALANCE = (
    Column("account", "Cont", "text"),
    Column("name", "Denumire", "text"),
    Column("function", "Funcțiune", "text"),
    Column("opening_debit", "Sold inițial debitor", "money"),
    Column("opening_credit", "Sold inițial creditor", "money"),
    Column("previous_debit", "Rulaje precedente debitoare", "money"),
    Column("previous_credit", "Rulaje precedente creditoare", "money"),
    Column("current_debit", "Rulaje curente debitoare", "money"),
    Column("current_credit", "Rulaje curente creditoare", "money"),
    Column("total_debit", "Total sume debitoare", "money"),
    Column("total_credit", "Total sume creditoare", "money"),
    Column("closing_debit", "Sold final debitor", "money"),
    Column("closing_credit", "Sold final creditor", "money"),
)


JOURNAL = (
    Column("number", "Număr curent", "int"),
    Column("line_id", "Număr înregistrare", "int"),
    Column("doc_date", "Data documentului", "date"),
    Column("period_month", "Luna", "int"),
    Column("doc_type", "Felul documentului", "text"),
    Column("doc_number", "Numărul documentului", "text"),
    Column("description", "Explicații", "text"),
    Column("debit_account", "Cont debitor", "text"),
    Column("credit_account", "Cont creditor", "text"),
    Column("debit", "Sumă debitoare", "money"),
    Column("credit", "Sumă creditoare", "money"),
    Column("partner_name", "Partener", "text"),
    Column("partner_cif", "CIF partener", "text"),
)


def month_label(year: int, month: int) -> str:
    """'martie 2025'."""
    return f"{MONTHS[month - 1]} {year}"


def dashboard_summary(result: Any) -> list[tuple[str, Any]]:
    """The KPIs of a Dashboard, labelled."""
    return [
        ("Perioada", month_label(result.year, result.month)),
        ("Venituri (luna)", result.current.revenue),
        ("Cheltuieli (luna)", result.current.expenses),
        ("Rezultat (luna)", result.current.result),
        ("Venituri (cumulat an)", result.year_to_date.revenue),
        ("Cheltuieli (cumulat an)", result.year_to_date.expenses),
        ("Rezultat (cumulat an)", result.year_to_date.result),
        ("Casa", result.cash),
        ("Bănci", result.bank),
        ("Clienți", result.receivables),
        ("Furnizori", result.payables),
        ("Creanțe restante", result.overdue_receivables),
        ("Datorii restante", result.overdue_payables),
        ("Poziția TVA (de plată +, de recuperat −)", result.vat_position),
    ]


def months_label(year: int, month_from: int, month_to: int) -> str:
    """'martie 2025' or 'ianuarie 2025 – martie 2025'."""
    if month_from == month_to:
        return month_label(year, month_from)
    return f"{month_label(year, month_from)} – {month_label(year, month_to)}"


def invoice_facts(kind: str, status: str, as_of: Any, count: int) -> list[tuple[str, Any]]:
    """The summary of an invoice list: kind, status, the day payments count up to, how many."""
    return [
        ("Tip", KIND_LABELS[kind]),
        ("Stare", STATUS_LABELS[status]),
        ("La data", as_of),  # payments counted up to this day
        ("Număr facturi", count),
    ]


def invoices_summary(result: Any) -> list[tuple[str, Any]]:
    """What an InvoicePage lists."""
    return invoice_facts(result.kind, result.status, result.as_of, result.totals.count)


def journal_facts(year: int, month_from: int, month_to: int, count: int) -> list[tuple[str, Any]]:
    """The period of a journal and how many lines it lists."""
    return [("Perioada", months_label(year, month_from, month_to)), ("Număr înregistrări", count)]


def journal_summary(result: Any) -> list[tuple[str, Any]]:
    """What a Journal lists."""
    return journal_facts(result.year, result.month_from, result.month_to, result.totals.count)


def aging_summary(result: Any) -> list[tuple[str, Any]]:
    """Kind, date and basis of an InvoiceAging."""
    return [
        ("Tip", KIND_LABELS[result.kind]),
        ("La data", result.as_of),
        ("Vechime calculată", BASIS_LABELS[result.basis]),
    ]


def treasury_summary(result: Any) -> list[tuple[str, Any]]:
    """The range of a Treasury."""
    return [("De la data", result.date_from), ("Până la data", result.date_to)]


def trial_balance_summary(result: Any) -> list[tuple[str, Any]]:
    """Period and level of a TrialBalance."""
    period = months_label(result.year, result.month_from, result.month_to)
    return [("Perioada", period), ("Nivel", LEVEL_LABELS[result.level])]
