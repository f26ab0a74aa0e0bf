-- The ledger contract: the tables the embedded SQLite ledger holds, and the views a DBA
-- creates over ROA in Oracle (scripts/oracle/ledger_contract_views.sql) with the same names
-- and columns. Every report statement reads only these.
--
-- Money is integer bani (1 RON = 100 bani) in every *_bani column, so sums are exact on both
-- engines. Dates are DATE in Oracle and ISO 'YYYY-MM-DD' text in SQLite.

CREATE TABLE r2w_companies (
    company_id   INTEGER PRIMARY KEY,   -- ROA company id
    name         TEXT    NOT NULL,      -- legal name
    cif          TEXT    NOT NULL,      -- fiscal code as printed, with RO when VAT-registered
    vat_payer    INTEGER NOT NULL       -- 1 when registered for VAT, else 0
);

CREATE TABLE r2w_partners (
    company_id   INTEGER NOT NULL,
    partner_id   INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    cif          TEXT,                  -- fiscal code as printed (RO prefix kept), may be NULL
    kind         TEXT    NOT NULL,      -- 'C' customer, 'S' supplier, 'E' employee
    PRIMARY KEY (company_id, partner_id)
);

CREATE TABLE r2w_accounts (
    company_id   INTEGER NOT NULL,
    account      TEXT    NOT NULL,      -- '4111' (synthetic) or '4111.00023' (analytic)
    name         TEXT    NOT NULL,
    function     TEXT    NOT NULL,      -- 'A' asset (debit), 'P' liability (credit), 'B' bifunctional
    synthetic    TEXT    NOT NULL,      -- the synthetic account this one belongs to (itself if synthetic)
    parent       TEXT,                  -- next level up in the chart: 4111 -> 411, 411 -> NULL
    is_analytic  INTEGER NOT NULL,      -- 1 for analytic accounts (postings go to leaves)
    partner_id   INTEGER,               -- partner of a 4111/401/421... analytic, else NULL
    PRIMARY KEY (company_id, account)
);

CREATE TABLE r2w_opening_balances (
    company_id   INTEGER NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    account      TEXT    NOT NULL,      -- a posting (leaf) account
    debit_bani   INTEGER NOT NULL,      -- opening debit balance at 1 January
    credit_bani  INTEGER NOT NULL,      -- opening credit balance at 1 January
    PRIMARY KEY (company_id, fiscal_year, account)
);

CREATE TABLE r2w_journal_lines (
    company_id     INTEGER NOT NULL,
    line_id        INTEGER NOT NULL,
    doc_type       TEXT    NOT NULL,    -- 'SALE', 'PURCHASE', 'RECEIPT', 'COLLECTION', 'PAYMENT',
                                        -- 'PAYROLL', 'TRANSFER', 'CLOSING' (VAT and result closing), ...
    doc_number     TEXT    NOT NULL,
    doc_date       DATE    NOT NULL,
    period_year    INTEGER NOT NULL,    -- accounting period the line is posted in
    period_month   INTEGER NOT NULL,
    debit_account  TEXT    NOT NULL,    -- leaf account debited
    credit_account TEXT    NOT NULL,    -- leaf account credited
    amount_bani    INTEGER NOT NULL,    -- > 0
    partner_id     INTEGER,
    is_closing     INTEGER NOT NULL,    -- 1 for period-closing entries (6/7 into 121): excluded from KPIs
    description    TEXT,
    PRIMARY KEY (company_id, line_id)
);
CREATE INDEX r2w_journal_lines_period ON r2w_journal_lines (company_id, period_year, period_month);

CREATE TABLE r2w_invoices (
    company_id   INTEGER NOT NULL,
    invoice_id   INTEGER NOT NULL,
    kind         TEXT    NOT NULL,      -- 'S' sales (4111), 'P' purchases (401)
    number       TEXT    NOT NULL,
    issue_date   DATE    NOT NULL,
    due_date     DATE    NOT NULL,
    partner_id   INTEGER NOT NULL,
    total_bani   INTEGER NOT NULL,      -- gross, VAT included
    vat_bani     INTEGER NOT NULL,
    PRIMARY KEY (company_id, invoice_id)
);
CREATE INDEX r2w_invoices_kind ON r2w_invoices (company_id, kind, issue_date);

CREATE TABLE r2w_invoice_payments (
    company_id   INTEGER NOT NULL,
    payment_id   INTEGER NOT NULL,
    invoice_id   INTEGER NOT NULL,
    pay_date     DATE    NOT NULL,
    amount_bani  INTEGER NOT NULL,      -- > 0, allocated to this invoice
    PRIMARY KEY (company_id, payment_id)
);
CREATE INDEX r2w_invoice_payments_invoice ON r2w_invoice_payments (company_id, invoice_id);

CREATE TABLE r2w_periods (
    company_id   INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL,
    closed       INTEGER NOT NULL,      -- 1 when the month is locked
    PRIMARY KEY (company_id, year, month)
);

CREATE TABLE r2w_user_companies (
    username     TEXT    NOT NULL,      -- ROA user name (upper case in ROA)
    company_id   INTEGER NOT NULL,
    PRIMARY KEY (username, company_id)
);
