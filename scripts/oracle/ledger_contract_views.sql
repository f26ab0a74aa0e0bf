-- ROA2WEB ledger contract: read-only views over ROA, one per contract table. The reports read
-- only these names and columns (same contract as roa2web/ledger/schema.sql and
-- ledger_contract_tables.sql).
--
-- !! THE SOURCE TABLES BELOW ARE PLACEHOLDERS. ROA's schema is not public: no public source
-- !! shows its tables (searched for pack_drepturi.verificautilizator and ROA's ledger tables),
-- !! so every view reads a table named roa_<what it holds> with columns named for their
-- !! content. Before running this script the DBA replaces each placeholder table and column
-- !! with ROA's real ones (or creates views/synonyms with the placeholder names). The
-- !! expression of each contract column names exactly the placeholder column that feeds it.
--
-- Placeholder sources assumed (amounts NUMBER(15,2) in lei; dates DATE; flags NUMBER(1) 0/1):
--   roa_companies        company_id, company_name, fiscal_code (digits, no RO), vat_registered
--   roa_partners         company_id, partner_id, partner_name, fiscal_code (as printed), partner_type
--                        ('CLIENT' / 'FURNIZOR' / 'ANGAJAT'; a partner that is both customer and
--                        supplier takes its main role: aging uses the invoice kind, not this one)
--   roa_accounts         company_id, account_code ('4111', '4111.00023'), account_name,
--                        account_function ('A', 'P', anything else = bifunctional), partner_id
--   roa_opening_balances company_id, fiscal_year, account_code, opening_debit, opening_credit
--   roa_journal          company_id, entry_id, document_type, document_number, document_date,
--                        period_year, period_month, debit_account, credit_account, amount,
--                        partner_id, closing_entry (1 for the 6/7 -> 121 closing), explanation
--   roa_invoices         company_id, invoice_id, direction ('V' sale / 'C' purchase), invoice_number,
--                        invoice_date, due_date, partner_id, total_amount (VAT incl.), vat_amount
--   roa_invoice_payments company_id, allocation_id, invoice_id, payment_date, allocated_amount
--   roa_periods          company_id, period_year, period_month, locked
--   roa_user_companies   username, company_id  (the rights ROA checks at login)
--
-- Units: every *_bani column is integer bani = ROUND(amount_in_lei * 100). Dates have no time
-- part (TRUNC). NUMBER is an Oracle reserved word: the invoice number column is "NUMBER".
-- Analytic accounts are assumed to be written synthetic + '.' + suffix; adjust the
-- synthetic/parent expressions if ROA stores them otherwise.

CREATE OR REPLACE VIEW r2w_companies AS
SELECT c.company_id                                   AS company_id,  -- ROA company id
       c.company_name                                 AS name,        -- legal name
       CASE WHEN c.vat_registered = 1 THEN 'RO' ELSE '' END
         || c.fiscal_code                             AS cif,         -- fiscal code as printed, RO when VAT-registered
       CASE WHEN c.vat_registered = 1 THEN 1 ELSE 0 END AS vat_payer  -- 1 VAT payer (uses 442x), else 0
FROM roa_companies c;

CREATE OR REPLACE VIEW r2w_partners AS
SELECT p.company_id                                   AS company_id,  -- company the partner belongs to
       p.partner_id                                   AS partner_id,  -- partner id within the company
       p.partner_name                                 AS name,        -- partner name
       p.fiscal_code                                  AS cif,         -- as printed (RO kept), NULL for individuals
       DECODE(p.partner_type, 'CLIENT', 'C', 'FURNIZOR', 'S', 'ANGAJAT', 'E') AS kind  -- C / S / E
FROM roa_partners p
WHERE p.partner_type IN ('CLIENT', 'FURNIZOR', 'ANGAJAT');

CREATE OR REPLACE VIEW r2w_accounts AS
SELECT a.company_id                                   AS company_id,  -- company
       a.account_code                                 AS account,     -- '4111' or '4111.00023'
       a.account_name                                 AS name,        -- account name (Romanian)
       CASE a.account_function WHEN 'A' THEN 'A' WHEN 'P' THEN 'P' ELSE 'B' END AS function,  -- A / P / B
       CASE WHEN INSTR(a.account_code, '.') > 0
            THEN SUBSTR(a.account_code, 1, INSTR(a.account_code, '.') - 1)
            ELSE a.account_code END                   AS synthetic,   -- synthetic it rolls up to (itself if synthetic)
       CASE WHEN INSTR(a.account_code, '.') > 0
            THEN SUBSTR(a.account_code, 1, INSTR(a.account_code, '.') - 1)
            WHEN LENGTH(a.account_code) > 3 THEN SUBSTR(a.account_code, 1, LENGTH(a.account_code) - 1)
            END                                       AS parent,      -- 4111 -> 411, analytic -> synthetic, 411 -> NULL
       CASE WHEN INSTR(a.account_code, '.') > 0 THEN 1 ELSE 0 END AS is_analytic,  -- 1 analytic (a posting leaf)
       a.partner_id                                   AS partner_id   -- partner of a 4111/401/421 analytic, else NULL
FROM roa_accounts a;

CREATE OR REPLACE VIEW r2w_opening_balances AS
SELECT o.company_id                                   AS company_id,  -- company
       o.fiscal_year                                  AS fiscal_year, -- year the balance opens (at 1 January)
       o.account_code                                 AS account,     -- posting (leaf) account
       ROUND(o.opening_debit * 100)                   AS debit_bani,  -- opening debit, bani
       ROUND(o.opening_credit * 100)                  AS credit_bani  -- opening credit, bani
FROM roa_opening_balances o
WHERE o.opening_debit <> 0 OR o.opening_credit <> 0;

-- A red storno line (negative amount) is shown as the opposite entry with a positive amount:
-- balances stay exact; its turnover appears on the other side. Zero lines are left out.
CREATE OR REPLACE VIEW r2w_journal_lines AS
SELECT j.company_id                                   AS company_id,     -- company
       j.entry_id                                     AS line_id,        -- line id, unique within the company
       j.document_type                                AS doc_type,       -- SALE, PURCHASE, RECEIPT, ..., CLOSING
       j.document_number                              AS doc_number,     -- document (invoice) number
       TRUNC(j.document_date)                         AS doc_date,       -- document date
       j.period_year                                  AS period_year,    -- accounting period: year
       j.period_month                                 AS period_month,   -- accounting period: month 1-12
       CASE WHEN j.amount < 0 THEN j.credit_account ELSE j.debit_account END AS debit_account,   -- leaf debited
       CASE WHEN j.amount < 0 THEN j.debit_account ELSE j.credit_account END AS credit_account,  -- leaf credited
       ROUND(ABS(j.amount) * 100)                     AS amount_bani,    -- amount, bani, > 0
       j.partner_id                                   AS partner_id,     -- partner of a 4111/401/421 line
       CASE WHEN j.closing_entry = 1 THEN 1 ELSE 0 END AS is_closing,    -- 1 = 6/7 closing, excluded from KPIs
       j.explanation                                  AS description     -- free text
FROM roa_journal j
WHERE j.amount <> 0;

CREATE OR REPLACE VIEW r2w_invoices AS
SELECT i.company_id                                   AS company_id,  -- company
       i.invoice_id                                   AS invoice_id,  -- invoice id within the company
       DECODE(i.direction, 'V', 'S', 'C', 'P')        AS kind,        -- S sales (4111), P purchases (401)
       i.invoice_number                               AS "NUMBER",    -- invoice number (reserved word: quoted)
       TRUNC(i.invoice_date)                          AS issue_date,  -- issue date
       TRUNC(i.due_date)                              AS due_date,    -- due date
       i.partner_id                                   AS partner_id,  -- customer or supplier
       ROUND(i.total_amount * 100)                    AS total_bani,  -- gross total, VAT included, bani
       ROUND(i.vat_amount * 100)                      AS vat_bani     -- VAT, bani
FROM roa_invoices i
WHERE i.direction IN ('V', 'C');

CREATE OR REPLACE VIEW r2w_invoice_payments AS
SELECT p.company_id                                   AS company_id,  -- company
       p.allocation_id                                AS payment_id,  -- allocation id within the company
       p.invoice_id                                   AS invoice_id,  -- invoice paid
       TRUNC(p.payment_date)                          AS pay_date,    -- payment date
       ROUND(p.allocated_amount * 100)                AS amount_bani  -- amount allocated, bani, > 0
FROM roa_invoice_payments p
WHERE p.allocated_amount > 0;

CREATE OR REPLACE VIEW r2w_periods AS
SELECT p.company_id                                   AS company_id,  -- company
       p.period_year                                  AS year,        -- year
       p.period_month                                 AS month,       -- month 1-12
       CASE WHEN p.locked = 1 THEN 1 ELSE 0 END       AS closed       -- 1 locked (closed), 0 open
FROM roa_periods p;

CREATE OR REPLACE VIEW r2w_user_companies AS
SELECT UPPER(u.username)                              AS username,    -- ROA user name, upper case
       u.company_id                                   AS company_id   -- company the user may see
FROM roa_user_companies u;

COMMENT ON TABLE r2w_companies IS 'ROA2WEB contract: companies (see scripts/oracle/README.md)';
COMMENT ON TABLE r2w_partners IS 'ROA2WEB contract: customers (C), suppliers (S), employees (E)';
COMMENT ON TABLE r2w_accounts IS 'ROA2WEB contract: chart of accounts, function A/P/B, synthetic and analytic';
COMMENT ON TABLE r2w_opening_balances IS 'ROA2WEB contract: balances at 1 January, bani = ROUND(lei*100)';
COMMENT ON TABLE r2w_journal_lines IS 'ROA2WEB contract: debit = credit lines, amount_bani = ROUND(lei*100) > 0';
COMMENT ON TABLE r2w_invoices IS 'ROA2WEB contract: sales (S) and purchase (P) invoices, amounts in bani';
COMMENT ON TABLE r2w_invoice_payments IS 'ROA2WEB contract: amounts allocated to invoices, bani';
COMMENT ON TABLE r2w_periods IS 'ROA2WEB contract: accounting months, closed = 1 when locked';
COMMENT ON TABLE r2w_user_companies IS 'ROA2WEB contract: which ROA user may see which company';
