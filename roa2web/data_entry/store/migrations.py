"""The data-entry database's forward migrations, in portable SQL (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from roa2web.appdb import Migration

# The newest history entry of a receipt by a user among some actions (migration 6 reads who edited and submitted).
_LATEST = ("SELECT h.{value} FROM receipt_history h WHERE h.receipt_id = receipts.id AND h.user_id IS NOT NULL "
           "AND h.action IN ({actions}) ORDER BY h.at DESC, h.id DESC LIMIT 1")
_EDITS = "'update', 'attach', 'detach'"
_SUBMITS = "'submit'"

MIGRATIONS = (
    Migration(
        1,
        "receipts, VAT lines, attachments, history, OCR runs",
        (
            """CREATE TABLE receipts (
                id TEXT PRIMARY KEY,
                company_id INTEGER NOT NULL,
                state TEXT NOT NULL,
                version INTEGER NOT NULL,
                source TEXT NOT NULL,
                supplier_partner_id INTEGER,
                supplier_name TEXT,
                supplier_cif TEXT,
                document_number TEXT,
                receipt_date DATE,
                payment_method TEXT,
                total_bani BIGINT,
                expense_account TEXT,
                deductible BOOLEAN NOT NULL,
                buyer_cif_present BOOLEAN NOT NULL,
                notes TEXT,
                edited_fields TEXT NOT NULL,
                rejection_reason TEXT,
                created_by TEXT NOT NULL,
                created_by_name TEXT NOT NULL,
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                submitted_at TIMESTAMP,
                decided_by TEXT,
                decided_at TIMESTAMP,
                exported_at TIMESTAMP,
                export_job_id TEXT
            )""",
            "CREATE INDEX receipts_company_created ON receipts (company_id, created_at, id)",
            "CREATE INDEX receipts_company_state_date ON receipts (company_id, state, receipt_date)",
            "CREATE INDEX receipts_duplicates ON receipts (company_id, supplier_cif, document_number, receipt_date)",
            "CREATE INDEX receipts_export_job ON receipts (export_job_id)",
            """CREATE TABLE receipt_vat_lines (
                receipt_id TEXT NOT NULL REFERENCES receipts (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                rate INTEGER NOT NULL,
                base_bani BIGINT NOT NULL,
                vat_bani BIGINT NOT NULL,
                PRIMARY KEY (receipt_id, position)
            )""",
            """CREATE TABLE receipt_attachments (
                id TEXT PRIMARY KEY,
                receipt_id TEXT NOT NULL REFERENCES receipts (id) ON DELETE CASCADE,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at TIMESTAMP NOT NULL
            )""",
            "CREATE INDEX receipt_attachments_receipt ON receipt_attachments (receipt_id)",
            """CREATE TABLE receipt_history (
                id TEXT PRIMARY KEY,
                receipt_id TEXT NOT NULL,
                company_id INTEGER NOT NULL,
                at TIMESTAMP NOT NULL,
                user_id TEXT,
                username TEXT NOT NULL,
                action TEXT NOT NULL,
                from_state TEXT,
                to_state TEXT,
                comment TEXT
            )""",
            "CREATE INDEX receipt_history_receipt ON receipt_history (receipt_id, at)",
            """CREATE TABLE receipt_ocr_runs (
                id TEXT PRIMARY KEY,
                receipt_id TEXT NOT NULL REFERENCES receipts (id) ON DELETE CASCADE,
                attachment_id TEXT NOT NULL,
                job_id TEXT UNIQUE,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                fields_json TEXT,
                raw_text TEXT,
                applied_json TEXT,
                warnings_json TEXT,
                error TEXT,
                requested_by TEXT NOT NULL,
                created_at TIMESTAMP NOT NULL,
                started_at TIMESTAMP,
                finished_at TIMESTAMP
            )""",
            "CREATE INDEX receipt_ocr_runs_receipt ON receipt_ocr_runs (receipt_id, created_at)",
        ),
    ),
    Migration(
        2,
        "receipts paid through the supplier: the settlement account (5311 or 5121)",
        ("ALTER TABLE receipts ADD COLUMN settlement_account TEXT NOT NULL DEFAULT '5311'",),
    ),
    Migration(
        3,
        "supplier CIFs in canonical form (upper case, no spaces or punctuation), as new receipts store them",
        ("UPDATE receipts SET supplier_cif = UPPER(REPLACE(REPLACE(REPLACE(REPLACE("
         "supplier_cif, ' ', ''), '-', ''), '.', ''), '/', '')) WHERE supplier_cif IS NOT NULL",),
    ),
    Migration(
        4,
        "OCR runs keep only what OCR read: state, attempts, error and times are their job's (the jobs table)",
        # One column per statement: SQLite (3.35+) drops one at a time; none of them is indexed or a key.
        tuple(f"ALTER TABLE receipt_ocr_runs DROP COLUMN {column}"
              for column in ("state", "attempts", "error", "started_at", "finished_at")),
    ),
    Migration(
        5,
        "the settlement account follows the payment method: NULL is the method's usual account (card receipts "
        "stored 5311, which only a receipt paid through the supplier or in cash is paid from)",
        # SQLite cannot drop NOT NULL: a new nullable column takes the choices supplier receipts made
        ("ALTER TABLE receipts ADD COLUMN paid_from TEXT",
         "UPDATE receipts SET paid_from = settlement_account WHERE payment_method = 'supplier'",
         "ALTER TABLE receipts DROP COLUMN settlement_account",
         "ALTER TABLE receipts RENAME COLUMN paid_from TO settlement_account"),
    ),
    Migration(
        6,
        "who last edited a receipt and who submitted it, for four eyes (neither may approve it); "
        "stored receipts take them from their history (no user edit: the creator is the last editor)",
        ("ALTER TABLE receipts ADD COLUMN last_edited_by TEXT",
         "ALTER TABLE receipts ADD COLUMN last_edited_by_name TEXT",
         "ALTER TABLE receipts ADD COLUMN last_edited_at TIMESTAMP",
         "ALTER TABLE receipts ADD COLUMN submitted_by TEXT",
         "ALTER TABLE receipts ADD COLUMN submitted_by_name TEXT",
         *(f"UPDATE receipts SET {column} = COALESCE(({_LATEST.format(value=value, actions=_EDITS)}), {fallback})"
           for column, value, fallback in (("last_edited_by", "user_id", "created_by"),
                                           ("last_edited_by_name", "username", "created_by_name"),
                                           ("last_edited_at", "at", "created_at"))),
         *(f"UPDATE receipts SET {column} = ({_LATEST.format(value=value, actions=_SUBMITS)})"
           for column, value in (("submitted_by", "user_id"), ("submitted_by_name", "username")))),
    ),
    Migration(
        7,
        "released ROA exports: an admin sent an export's receipts back to APPROVED, and the export is void",
        ("""CREATE TABLE receipt_export_releases (
                job_id TEXT PRIMARY KEY,
                company_id INTEGER NOT NULL,
                receipts INTEGER NOT NULL,
                released_at TIMESTAMP NOT NULL,
                released_by TEXT NOT NULL,
                released_by_name TEXT NOT NULL
            )""",),
    ),
    Migration(
        8,
        "a history entry keeps the person's display name (the receipts' *_by_name columns hold display names from "
        "now on); older entries have none and show the username",
        ("ALTER TABLE receipt_history ADD COLUMN name TEXT",),
    ),
)
