"""Statements shared by every module: companies, rights, periods."""

STATEMENTS: dict[str, str] = {
    "companies.all": """
        SELECT company_id, name, cif, vat_payer
        FROM r2w_companies
        ORDER BY company_id
    """,
    "companies.for_user": """
        SELECT c.company_id, c.name, c.cif, c.vat_payer
        FROM r2w_companies c
        JOIN r2w_user_companies u ON u.company_id = c.company_id
        WHERE u.username = UPPER(:username)
        ORDER BY c.company_id
    """,
    "periods.for_company": """
        SELECT year, month, closed
        FROM r2w_periods
        WHERE company_id = :company_id
        ORDER BY year, month
    """,
}
