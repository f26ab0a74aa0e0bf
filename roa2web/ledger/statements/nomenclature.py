"""Statements for data entry: partners, expense accounts and a supplier's expense history."""

STATEMENTS: dict[str, str] = {
    "nomenclature.partners": """
        SELECT partner_id, name, cif, kind
        FROM r2w_partners
        WHERE company_id = :company_id
        ORDER BY name, partner_id
    """,
    "nomenclature.expense_accounts": """
        SELECT account, name, synthetic, is_analytic
        FROM r2w_accounts
        WHERE company_id = :company_id AND account LIKE '6%'
        ORDER BY account
    """,
    "nomenclature.supplier_expense_accounts": """
        SELECT debit_account AS account, COUNT(*) AS uses
        FROM r2w_journal_lines
        WHERE company_id = :company_id
          AND partner_id = :partner_id
          AND debit_account LIKE '6%'
          AND is_closing = 0
        GROUP BY debit_account
        ORDER BY uses DESC, account
    """,
}
