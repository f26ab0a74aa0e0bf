"""Statements behind the reports: chart, trial balance, KPIs, invoices, aging, treasury.

Oracle dialect, `:name` binds, dates passed as binds; the embedded ledger transpiles them to
SQLite. Every sum is integer bani. No date arithmetic in SQL: periods are the
`period_year`/`period_month` columns and the callers pass pre-computed cut-off dates.
Oracle 12c or later is assumed (`FETCH FIRST ... ROWS ONLY`). The invoice number column is
quoted (`"NUMBER"`) because NUMBER is a reserved word in Oracle.
"""

CASH_AND_BANK_SYNTHETICS = ("5311", "5314", "5121", "5124", "5125")


def _turnover_by_month(side: str) -> str:
    """Per-month turnover of one side (debit or credit) per account, months 1..:month_to.

    One small GROUP BY per month instead of one over the whole year: SQLite has no hash
    aggregation and sorting a million rows at once costs far more than twelve sorts of a
    twelfth each. The constant `m <= :month_to` skips the months after the range.
    """
    return "\n            UNION ALL\n            ".join(
        f"""SELECT {side}_account AS account, {month} AS period_month, SUM(amount_bani) AS amount_bani
            FROM r2w_journal_lines
            WHERE company_id = :company_id AND period_year = :fiscal_year
              AND period_month = {month} AND {month} <= :month_to
            GROUP BY {side}_account"""
        for month in range(1, 13)
    )


_TRIAL_BALANCE = f"""
    SELECT t.account,
           SUM(t.opening_debit) AS opening_debit,
           SUM(t.opening_credit) AS opening_credit,
           SUM(CASE WHEN t.period_month BETWEEN 1 AND :month_from - 1 THEN t.debit ELSE 0 END) AS previous_debit,
           SUM(CASE WHEN t.period_month BETWEEN 1 AND :month_from - 1 THEN t.credit ELSE 0 END)
               AS previous_credit,
           SUM(CASE WHEN t.period_month >= :month_from THEN t.debit ELSE 0 END) AS current_debit,
           SUM(CASE WHEN t.period_month >= :month_from THEN t.credit ELSE 0 END) AS current_credit
    FROM (
        SELECT account, 0 AS period_month, debit_bani AS opening_debit, credit_bani AS opening_credit,
               0 AS debit, 0 AS credit
        FROM r2w_opening_balances
        WHERE company_id = :company_id AND fiscal_year = :fiscal_year
        UNION ALL
        SELECT d.account, d.period_month, 0, 0, d.amount_bani, 0
        FROM ({_turnover_by_month("debit")}) d
        UNION ALL
        SELECT c.account, c.period_month, 0, 0, 0, c.amount_bani
        FROM ({_turnover_by_month("credit")}) c
    ) t
    GROUP BY t.account
    ORDER BY t.account
"""

_KPI_MONTHLY = """
    SELECT period_year, period_month,
           SUM(CASE WHEN credit_account LIKE '7%' THEN amount_bani ELSE 0 END)
             - SUM(CASE WHEN debit_account LIKE '7%' THEN amount_bani ELSE 0 END) AS revenue_bani,
           SUM(CASE WHEN debit_account LIKE '6%' THEN amount_bani ELSE 0 END)
             - SUM(CASE WHEN credit_account LIKE '6%' THEN amount_bani ELSE 0 END) AS expenses_bani
    FROM r2w_journal_lines
    WHERE company_id = :company_id
      AND period_year BETWEEN :first_year AND :last_year
      AND period_year * 100 + period_month BETWEEN :first_period AND :last_period
      AND is_closing = 0
    GROUP BY period_year, period_month
    ORDER BY period_year, period_month
"""

# Payments allocated to each invoice up to :as_of.
_PAID_UP_TO = """
    SELECT invoice_id, SUM(amount_bani) AS paid_bani
    FROM r2w_invoice_payments
    WHERE company_id = :company_id AND pay_date <= :as_of
    GROUP BY invoice_id
"""

_OVERDUE_BY_KIND = f"""
    SELECT i.kind, SUM(i.total_bani - COALESCE(pay.paid_bani, 0)) AS overdue_bani
    FROM r2w_invoices i
    LEFT JOIN ({_PAID_UP_TO}) pay ON pay.invoice_id = i.invoice_id
    WHERE i.company_id = :company_id
      AND i.issue_date <= :as_of
      AND i.due_date < :as_of
      AND i.total_bani > COALESCE(pay.paid_bani, 0)
    GROUP BY i.kind
"""

# The filtered invoice set shared by the page and its totals (filters are NULL when unused).
_INVOICES_FILTERED = f"""
    FROM r2w_invoices i
    JOIN r2w_partners pa ON pa.company_id = i.company_id AND pa.partner_id = i.partner_id
    LEFT JOIN ({_PAID_UP_TO}) pay ON pay.invoice_id = i.invoice_id
    WHERE i.company_id = :company_id
      AND i.kind = :kind
      AND i.issue_date <= :as_of
      AND (:date_from IS NULL OR i.issue_date >= :date_from)
      AND (:date_to IS NULL OR i.issue_date <= :date_to)
      AND (:partner_id IS NULL OR i.partner_id = :partner_id)
      AND (:status = 'all'
           OR (:status = 'paid' AND i.total_bani <= COALESCE(pay.paid_bani, 0))
           OR (:status = 'unpaid' AND i.total_bani > COALESCE(pay.paid_bani, 0))
           OR (:status = 'overdue' AND i.total_bani > COALESCE(pay.paid_bani, 0) AND i.due_date < :as_of))
"""

_INVOICES_PAGE = f"""
    SELECT i.invoice_id, i."NUMBER" AS invoice_number, i.issue_date, i.due_date,
           i.partner_id, pa.name AS partner_name, pa.cif AS partner_cif,
           i.total_bani, COALESCE(pay.paid_bani, 0) AS paid_bani
    {_INVOICES_FILTERED}
      AND (:after_date IS NULL
           OR i.issue_date > :after_date
           OR (i.issue_date = :after_date AND i.invoice_id > :after_id))
    ORDER BY i.issue_date, i.invoice_id
    FETCH FIRST :page_size ROWS ONLY
"""

# Every matching invoice, in the page's order, for a streamed export (read by cursor in batches).
_INVOICES_ALL = f"""
    SELECT i.invoice_id, i."NUMBER" AS invoice_number, i.issue_date, i.due_date,
           i.partner_id, pa.name AS partner_name, pa.cif AS partner_cif,
           i.total_bani, COALESCE(pay.paid_bani, 0) AS paid_bani
    {_INVOICES_FILTERED}
    ORDER BY i.issue_date, i.invoice_id
"""

_INVOICES_TOTALS = f"""
    SELECT COUNT(*) AS invoice_count,
           COALESCE(SUM(i.total_bani), 0) AS total_bani,
           COALESCE(SUM(COALESCE(pay.paid_bani, 0)), 0) AS paid_bani
    {_INVOICES_FILTERED}
"""

# Open invoices (balance > 0 at :as_of) bucketed by reference date against cut-off dates
# computed by the caller: :cut_30 = as_of - 30 days, :cut_60 = - 60, :cut_90 = - 90.
_AGING = f"""
    SELECT o.partner_id, pa.name AS partner_name, pa.cif AS partner_cif,
           SUM(CASE WHEN o.ref_date >= :as_of THEN o.balance_bani ELSE 0 END) AS not_due_bani,
           SUM(CASE WHEN o.ref_date < :as_of AND o.ref_date >= :cut_30 THEN o.balance_bani ELSE 0 END)
               AS d1_30_bani,
           SUM(CASE WHEN o.ref_date < :cut_30 AND o.ref_date >= :cut_60 THEN o.balance_bani ELSE 0 END)
               AS d31_60_bani,
           SUM(CASE WHEN o.ref_date < :cut_60 AND o.ref_date >= :cut_90 THEN o.balance_bani ELSE 0 END)
               AS d61_90_bani,
           SUM(CASE WHEN o.ref_date < :cut_90 THEN o.balance_bani ELSE 0 END) AS over_90_bani,
           SUM(o.balance_bani) AS total_bani
    FROM (
        SELECT i.partner_id,
               CASE WHEN :basis = 'issue_date' THEN i.issue_date ELSE i.due_date END AS ref_date,
               i.total_bani - COALESCE(pay.paid_bani, 0) AS balance_bani
        FROM r2w_invoices i
        LEFT JOIN ({_PAID_UP_TO}) pay ON pay.invoice_id = i.invoice_id
        WHERE i.company_id = :company_id AND i.kind = :kind AND i.issue_date <= :as_of
    ) o
    JOIN r2w_partners pa ON pa.company_id = :company_id AND pa.partner_id = o.partner_id
    WHERE o.balance_bani > 0
    GROUP BY o.partner_id, pa.name, pa.cif
    ORDER BY pa.name, o.partner_id
"""

_CASH_AND_BANK = ", ".join(f"'{code}'" for code in CASH_AND_BANK_SYNTHETICS)

# Cash and bank accounts in one fiscal year: opening at :date_from (opening balances + lines
# of that fiscal year dated before it), debits and credits dated :date_from..:date_to.
_TREASURY = f"""
    SELECT x.account,
           SUM(x.opening_bani) AS opening_bani,
           SUM(x.receipts_bani) AS receipts_bani,
           SUM(x.payments_bani) AS payments_bani
    FROM (
        SELECT account, debit_bani - credit_bani AS opening_bani, 0 AS receipts_bani, 0 AS payments_bani
        FROM r2w_opening_balances
        WHERE company_id = :company_id AND fiscal_year = :fiscal_year
        UNION ALL
        SELECT debit_account,
               SUM(CASE WHEN doc_date < :date_from THEN amount_bani ELSE 0 END),
               SUM(CASE WHEN doc_date >= :date_from THEN amount_bani ELSE 0 END),
               0
        FROM r2w_journal_lines
        WHERE company_id = :company_id AND period_year = :fiscal_year AND doc_date <= :date_to
          AND debit_account LIKE '5%'
        GROUP BY debit_account
        UNION ALL
        SELECT credit_account,
               -SUM(CASE WHEN doc_date < :date_from THEN amount_bani ELSE 0 END),
               0,
               SUM(CASE WHEN doc_date >= :date_from THEN amount_bani ELSE 0 END)
        FROM r2w_journal_lines
        WHERE company_id = :company_id AND period_year = :fiscal_year AND doc_date <= :date_to
          AND credit_account LIKE '5%'
        GROUP BY credit_account
    ) x
    WHERE x.account IN (
        SELECT a.account FROM r2w_accounts a
        WHERE a.company_id = :company_id AND a.synthetic IN ({_CASH_AND_BANK})
    )
    GROUP BY x.account
    ORDER BY x.account
"""

# The general journal (registrul-jurnal): every line posted in months :month_from..:month_to of
# :fiscal_year, in the order it was recorded (line_id), with its partner.
_JOURNAL_PERIOD = """
    FROM r2w_journal_lines l
    WHERE l.company_id = :company_id AND l.period_year = :fiscal_year
      AND l.period_month BETWEEN :month_from AND :month_to
"""

_JOURNAL = """
    SELECT l.line_id, l.doc_type, l.doc_number, l.doc_date, l.period_month, l.description,
           l.debit_account, l.credit_account, l.amount_bani, pa.name AS partner_name, pa.cif AS partner_cif
    FROM r2w_journal_lines l
    LEFT JOIN r2w_partners pa ON pa.company_id = l.company_id AND pa.partner_id = l.partner_id
    WHERE l.company_id = :company_id AND l.period_year = :fiscal_year
      AND l.period_month BETWEEN :month_from AND :month_to
    ORDER BY l.line_id
"""

STATEMENTS: dict[str, str] = {
    "reports.accounts": """
        SELECT account, name, function, synthetic, parent, is_analytic, partner_id
        FROM r2w_accounts
        WHERE company_id = :company_id
        ORDER BY account
    """,
    "reports.trial_balance": _TRIAL_BALANCE,
    "reports.kpi_monthly": _KPI_MONTHLY,
    "reports.invoices_overdue": _OVERDUE_BY_KIND,
    "reports.invoices_page": _INVOICES_PAGE,
    "reports.invoices_all": _INVOICES_ALL,
    "reports.invoices_totals": _INVOICES_TOTALS,
    "reports.journal": _JOURNAL,
    "reports.journal_count": f"SELECT COUNT(*) AS line_count {_JOURNAL_PERIOD}",
    "reports.aging": _AGING,
    "reports.treasury": _TREASURY,
}
