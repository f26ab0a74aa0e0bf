"""Romanian export file names and the Content-Disposition header that carries them."""

from __future__ import annotations

import datetime as dt

from roa2web.exports.naming import (
    company_slug,
    content_disposition,
    export_filename,
    period_label,
    period_slug,
    slug,
)
from roa2web.exports.service import export_title

TODAY = dt.date(2025, 4, 3)


def test_slugs_fold_diacritics_and_drop_the_legal_form():
    assert slug("Balanța de verificare") == "balanta-de-verificare"
    assert slug("Vechimea facturilor neachitate") == "vechimea-facturilor-neachitate"
    assert slug("Şarpe ţeapă") == "sarpe-teapa"  # cedilla forms too
    assert company_slug("ALFA COMERT SRL") == "ALFA-COMERT"
    assert company_slug("Băneasa Invest S.R.L.") == "BANEASA-INVEST"
    assert company_slug("ENERGIE SA") == "ENERGIE"
    assert company_slug("SRL") == "SRL"


def test_periods_from_report_parameters():
    assert period_slug({"year": 2025, "month_from": 1, "month_to": 3}, TODAY) == "2025-01-03"
    assert period_slug({"year": 2025, "month_from": 3, "month_to": 3}, TODAY) == "2025-03"
    assert period_slug({"year": 2025, "month": 11}, TODAY) == "2025-11"
    assert period_slug({"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 3, 31)}, TODAY) == (
        "2025-01-01_2025-03-31")
    assert period_slug({"as_of": dt.date(2025, 6, 30)}, TODAY) == "2025-06-30"
    assert period_slug({"kind": "sales"}, TODAY) == "2025-04-03"


def test_export_filename_and_header():
    name = export_filename("Balanța de verificare", "ALFA COMERT SRL",
                           {"year": 2025, "month_from": 1, "month_to": 3}, "xlsx", today=TODAY)
    assert name == "balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx"
    header = content_disposition("trezorerie_ȘTEFĂNEȘTI_2025.pdf")
    assert header == ("attachment; filename=\"trezorerie_STEFANESTI_2025.pdf\"; "
                      "filename*=UTF-8''trezorerie_%C8%98TEF%C4%82NE%C8%98TI_2025.pdf")


def test_period_labels_word_a_period_as_the_export_headers_do():
    assert period_label({"year": 2025, "month_from": 1, "month_to": 12}) == "ianuarie 2025 – decembrie 2025"
    assert period_label({"year": 2025, "month_from": 3, "month_to": 3}) == "martie 2025"
    assert period_label({"year": 2025, "month": 6}) == "iunie 2025"
    assert period_label({"date_from": "2025-11-01", "date_to": "2025-11-30"}) == "noiembrie 2025"  # a whole month
    assert period_label({"date_from": "2025-01-01", "date_to": "2025-03-31"}) == "ianuarie 2025 – martie 2025"
    assert period_label({"date_from": "2025-03-01", "date_to": "2025-03-15"}) == "01.03.2025 – 15.03.2025"
    assert period_label({"date_from": "2024-12-01", "date_to": "2025-01-31"}) == "01.12.2024 – 31.01.2025"
    assert period_label({"date_from": dt.date(2025, 2, 1), "date_to": None}) == "de la 01.02.2025"
    assert period_label({"date_to": "2025-02-28"}) == "până la 28.02.2025"
    assert period_label({"as_of": "2025-12-31", "kind": "sales"}) == "la 31.12.2025"
    assert period_label({"kind": "sales"}) == ""
    assert period_label({"year": "două mii", "month": 3}) == ""  # a job's params are not trusted
    assert period_label({"year": 2025, "month": 13}) == ""
    assert period_label({"as_of": "31.12.2025"}) == ""


def test_an_export_jobs_title_names_the_report_its_period_and_format():
    def title(report, params, fmt):
        return export_title({"report": report, "format": fmt, "params": {"company_id": 1, **params}})

    assert title("trial_balance", {"year": 2025, "month_from": 1, "month_to": 12}, "xlsx") == (
        "Balanța de verificare, ianuarie 2025 – decembrie 2025 (XLSX)")
    assert title("dashboard", {"year": 2025, "month": 6}, "pdf") == "Tablou de bord, iunie 2025 (PDF)"
    assert title("treasury", {"date_from": "2025-03-01", "date_to": "2025-03-31"}, "csv") == (
        "Trezorerie, martie 2025 (CSV)")
    assert title("invoices_aging", {"as_of": "2025-12-31"}, "xlsx") == (
        "Vechimea facturilor neachitate, la 31.12.2025 (XLSX)")
    assert title("invoices", {"kind": "sales"}, "csv") == "Facturi (CSV)"
    assert export_title({"report": "gone", "params": None}) == "Export raport"
