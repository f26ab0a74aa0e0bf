-- ROA2WEB ledger contract as real Oracle tables: stands up a TEST schema with the exact names,
-- columns and keys the report statements read (same contract as roa2web/ledger/schema.sql and
-- the views in ledger_contract_views.sql). Production uses the views over ROA, not these tables.
--
-- Units: every *_bani column is an integer amount of bani (1 RON = 100 bani), i.e.
-- ROUND(amount_in_lei * 100). Dates are DATE with no time part. Flags are 0/1.
-- NUMBER is a reserved word in Oracle: the invoice number column is "NUMBER" (quoted, upper
-- case) here and in every statement; SQLite, case-insensitive, calls the same column number.
--
-- Run as the test schema owner:  sqlplus roa2web_test/...@DSN @ledger_contract_tables.sql

CREATE TABLE r2w_companies (
    company_id   NUMBER(10)          NOT NULL,
    name         VARCHAR2(200 CHAR)  NOT NULL,
    cif          VARCHAR2(20 CHAR)   NOT NULL,
    vat_payer    NUMBER(1)           NOT NULL CHECK (vat_payer IN (0, 1)),
    CONSTRAINT r2w_companies_pk PRIMARY KEY (company_id)
);

CREATE TABLE r2w_partners (
    company_id   NUMBER(10)          NOT NULL,
    partner_id   NUMBER(10)          NOT NULL,
    name         VARCHAR2(200 CHAR)  NOT NULL,
    cif          VARCHAR2(20 CHAR),
    kind         CHAR(1)             NOT NULL CHECK (kind IN ('C', 'S', 'E')),
    CONSTRAINT r2w_partners_pk PRIMARY KEY (company_id, partner_id)
);

CREATE TABLE r2w_accounts (
    company_id   NUMBER(10)          NOT NULL,
    account      VARCHAR2(40 CHAR)   NOT NULL,
    name         VARCHAR2(200 CHAR)  NOT NULL,
    function     CHAR(1)             NOT NULL CHECK (function IN ('A', 'P', 'B')),
    synthetic    VARCHAR2(40 CHAR)   NOT NULL,
    parent       VARCHAR2(40 CHAR),
    is_analytic  NUMBER(1)           NOT NULL CHECK (is_analytic IN (0, 1)),
    partner_id   NUMBER(10),
    CONSTRAINT r2w_accounts_pk PRIMARY KEY (company_id, account)
);

CREATE TABLE r2w_opening_balances (
    company_id   NUMBER(10)          NOT NULL,
    fiscal_year  NUMBER(4)           NOT NULL,
    account      VARCHAR2(40 CHAR)   NOT NULL,
    debit_bani   NUMBER(18)          NOT NULL,
    credit_bani  NUMBER(18)          NOT NULL,
    CONSTRAINT r2w_opening_balances_pk PRIMARY KEY (company_id, fiscal_year, account)
);

CREATE TABLE r2w_journal_lines (
    company_id     NUMBER(10)          NOT NULL,
    line_id        NUMBER(18)          NOT NULL,
    doc_type       VARCHAR2(20 CHAR)   NOT NULL,
    doc_number     VARCHAR2(40 CHAR)   NOT NULL,
    doc_date       DATE                NOT NULL,
    period_year    NUMBER(4)           NOT NULL,
    period_month   NUMBER(2)           NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    debit_account  VARCHAR2(40 CHAR)   NOT NULL,
    credit_account VARCHAR2(40 CHAR)   NOT NULL,
    amount_bani    NUMBER(18)          NOT NULL CHECK (amount_bani > 0),
    partner_id     NUMBER(10),
    is_closing     NUMBER(1)           NOT NULL CHECK (is_closing IN (0, 1)),
    description    VARCHAR2(400 CHAR),
    CONSTRAINT r2w_journal_lines_pk PRIMARY KEY (company_id, line_id)
);
CREATE INDEX r2w_journal_lines_period ON r2w_journal_lines (company_id, period_year, period_month);

CREATE TABLE r2w_invoices (
    company_id   NUMBER(10)          NOT NULL,
    invoice_id   NUMBER(18)          NOT NULL,
    kind         CHAR(1)             NOT NULL CHECK (kind IN ('S', 'P')),
    "NUMBER"     VARCHAR2(40 CHAR)   NOT NULL,  -- reserved word: always quoted, upper case
    issue_date   DATE                NOT NULL,
    due_date     DATE                NOT NULL,
    partner_id   NUMBER(10)          NOT NULL,
    total_bani   NUMBER(18)          NOT NULL,
    vat_bani     NUMBER(18)          NOT NULL,
    CONSTRAINT r2w_invoices_pk PRIMARY KEY (company_id, invoice_id)
);
CREATE INDEX r2w_invoices_kind ON r2w_invoices (company_id, kind, issue_date);

CREATE TABLE r2w_invoice_payments (
    company_id   NUMBER(10)          NOT NULL,
    payment_id   NUMBER(18)          NOT NULL,
    invoice_id   NUMBER(18)          NOT NULL,
    pay_date     DATE                NOT NULL,
    amount_bani  NUMBER(18)          NOT NULL CHECK (amount_bani > 0),
    CONSTRAINT r2w_invoice_payments_pk PRIMARY KEY (company_id, payment_id)
);
CREATE INDEX r2w_invoice_payments_invoice ON r2w_invoice_payments (company_id, invoice_id);

CREATE TABLE r2w_periods (
    company_id   NUMBER(10)          NOT NULL,
    year         NUMBER(4)           NOT NULL,
    month        NUMBER(2)           NOT NULL CHECK (month BETWEEN 1 AND 12),
    closed       NUMBER(1)           NOT NULL CHECK (closed IN (0, 1)),
    CONSTRAINT r2w_periods_pk PRIMARY KEY (company_id, year, month)
);

CREATE TABLE r2w_user_companies (
    username     VARCHAR2(60 CHAR)   NOT NULL,
    company_id   NUMBER(10)          NOT NULL,
    CONSTRAINT r2w_user_companies_pk PRIMARY KEY (username, company_id)
);

COMMENT ON TABLE r2w_companies IS 'Companies kept in ROA (one set of books each)';
COMMENT ON COLUMN r2w_companies.company_id IS 'ROA company id';
COMMENT ON COLUMN r2w_companies.name IS 'Legal name';
COMMENT ON COLUMN r2w_companies.cif IS 'Fiscal code as printed: RO prefix when VAT-registered';
COMMENT ON COLUMN r2w_companies.vat_payer IS '1 when registered for VAT (uses 442x accounts), else 0';

COMMENT ON TABLE r2w_partners IS 'Customers, suppliers and employees of a company';
COMMENT ON COLUMN r2w_partners.company_id IS 'Company the partner belongs to';
COMMENT ON COLUMN r2w_partners.partner_id IS 'Partner id, unique within the company';
COMMENT ON COLUMN r2w_partners.name IS 'Partner name';
COMMENT ON COLUMN r2w_partners.cif IS 'Fiscal code as printed (RO kept), NULL for individuals';
COMMENT ON COLUMN r2w_partners.kind IS 'C customer (4111), S supplier (401), E employee (421)';

COMMENT ON TABLE r2w_accounts IS 'Chart of accounts per company: synthetic and analytic accounts';
COMMENT ON COLUMN r2w_accounts.company_id IS 'Company';
COMMENT ON COLUMN r2w_accounts.account IS 'Account code: 4111 (synthetic) or 4111.00023 (analytic)';
COMMENT ON COLUMN r2w_accounts.name IS 'Account name (Romanian)';
COMMENT ON COLUMN r2w_accounts.function IS 'A asset (debit balance), P liability (credit balance), B bifunctional';
COMMENT ON COLUMN r2w_accounts.synthetic IS 'Synthetic account this one rolls up to (itself when synthetic)';
COMMENT ON COLUMN r2w_accounts.parent IS 'Next level up in the chart: 4111 -> 411, analytic -> its synthetic, 3-digit -> NULL';
COMMENT ON COLUMN r2w_accounts.is_analytic IS '1 for analytic accounts; postings go to leaves only';
COMMENT ON COLUMN r2w_accounts.partner_id IS 'Partner of a 4111/401/421 analytic, else NULL';

COMMENT ON TABLE r2w_opening_balances IS 'Balances at 1 January of each fiscal year, per posting account';
COMMENT ON COLUMN r2w_opening_balances.company_id IS 'Company';
COMMENT ON COLUMN r2w_opening_balances.fiscal_year IS 'Fiscal year the balance opens';
COMMENT ON COLUMN r2w_opening_balances.account IS 'Posting (leaf) account';
COMMENT ON COLUMN r2w_opening_balances.debit_bani IS 'Opening debit balance, bani = ROUND(lei * 100)';
COMMENT ON COLUMN r2w_opening_balances.credit_bani IS 'Opening credit balance, bani = ROUND(lei * 100)';

COMMENT ON TABLE r2w_journal_lines IS 'General ledger: one row per debit = credit pair of a journal voucher';
COMMENT ON COLUMN r2w_journal_lines.company_id IS 'Company';
COMMENT ON COLUMN r2w_journal_lines.line_id IS 'Line id, unique within the company, chronological';
COMMENT ON COLUMN r2w_journal_lines.doc_type IS 'SALE, PURCHASE, RECEIPT, COLLECTION, PAYMENT, PAYROLL, TRANSFER, VAT, CLOSING, ...';
COMMENT ON COLUMN r2w_journal_lines.doc_number IS 'Document number (invoice number for SALE/PURCHASE)';
COMMENT ON COLUMN r2w_journal_lines.doc_date IS 'Document date (no time part)';
COMMENT ON COLUMN r2w_journal_lines.period_year IS 'Year of the accounting period the line is posted in';
COMMENT ON COLUMN r2w_journal_lines.period_month IS 'Month (1-12) of the accounting period';
COMMENT ON COLUMN r2w_journal_lines.debit_account IS 'Leaf account debited';
COMMENT ON COLUMN r2w_journal_lines.credit_account IS 'Leaf account credited';
COMMENT ON COLUMN r2w_journal_lines.amount_bani IS 'Amount, bani = ROUND(lei * 100), always > 0';
COMMENT ON COLUMN r2w_journal_lines.partner_id IS 'Partner of a 4111/401/421 analytic line, else NULL';
COMMENT ON COLUMN r2w_journal_lines.is_closing IS '1 for period-closing entries (6/7 into 121): excluded from revenue and expenses';
COMMENT ON COLUMN r2w_journal_lines.description IS 'Free text';

COMMENT ON TABLE r2w_invoices IS 'Sales and purchase invoices, for aging';
COMMENT ON COLUMN r2w_invoices.company_id IS 'Company';
COMMENT ON COLUMN r2w_invoices.invoice_id IS 'Invoice id, unique within the company';
COMMENT ON COLUMN r2w_invoices.kind IS 'S sales (booked on 4111), P purchases (booked on 401)';
COMMENT ON COLUMN r2w_invoices."NUMBER" IS 'Invoice number as issued or received';
COMMENT ON COLUMN r2w_invoices.issue_date IS 'Issue date';
COMMENT ON COLUMN r2w_invoices.due_date IS 'Due date (issue date + payment term)';
COMMENT ON COLUMN r2w_invoices.partner_id IS 'Customer or supplier';
COMMENT ON COLUMN r2w_invoices.total_bani IS 'Gross total, VAT included, bani = ROUND(lei * 100)';
COMMENT ON COLUMN r2w_invoices.vat_bani IS 'VAT on the invoice, bani = ROUND(lei * 100)';

COMMENT ON TABLE r2w_invoice_payments IS 'Payments and collections allocated to invoices';
COMMENT ON COLUMN r2w_invoice_payments.company_id IS 'Company';
COMMENT ON COLUMN r2w_invoice_payments.payment_id IS 'Allocation id, unique within the company';
COMMENT ON COLUMN r2w_invoice_payments.invoice_id IS 'Invoice the amount is allocated to';
COMMENT ON COLUMN r2w_invoice_payments.pay_date IS 'Payment date';
COMMENT ON COLUMN r2w_invoice_payments.amount_bani IS 'Amount allocated, bani = ROUND(lei * 100), > 0';

COMMENT ON TABLE r2w_periods IS 'Accounting months and whether they are locked';
COMMENT ON COLUMN r2w_periods.company_id IS 'Company';
COMMENT ON COLUMN r2w_periods.year IS 'Year';
COMMENT ON COLUMN r2w_periods.month IS 'Month 1-12';
COMMENT ON COLUMN r2w_periods.closed IS '1 when the month is closed (locked), 0 when open';

COMMENT ON TABLE r2w_user_companies IS 'Which ROA user may see which company';
COMMENT ON COLUMN r2w_user_companies.username IS 'ROA user name, upper case';
COMMENT ON COLUMN r2w_user_companies.company_id IS 'Company the user has rights on';
