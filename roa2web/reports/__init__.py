"""Reports domain: dashboard, invoices and aging, treasury, trial balance (no HTTP, no queue).

Builders take a `Ledger` and return frozen dataclasses ready to serialize: money is Decimal
with exactly two places (serialize with `roa2web.reports.money.dumps` or orjson and
`money.json_default` to get JSON numbers such as 1234.50), dates are `datetime.date`.
Bad parameters raise `ReportParameterError`; ledger failures raise `LedgerError`.
`REPORTS` describes every report for generic exporters.
"""

from roa2web.reports.aging import InvoiceAging, invoice_aging
from roa2web.reports.dashboard import Dashboard, dashboard
from roa2web.reports.errors import ReportParameterError
from roa2web.reports.invoices import InvoicePage, all_invoices, list_invoices
from roa2web.reports.registry import REPORTS, ReportSpec
from roa2web.reports.treasury import Treasury, treasury
from roa2web.reports.trial_balance import TrialBalance, trial_balance

__all__ = [
    "REPORTS",
    "Dashboard",
    "InvoiceAging",
    "InvoicePage",
    "ReportParameterError",
    "ReportSpec",
    "Treasury",
    "TrialBalance",
    "all_invoices",
    "dashboard",
    "invoice_aging",
    "list_invoices",
    "treasury",
    "trial_balance",
]
