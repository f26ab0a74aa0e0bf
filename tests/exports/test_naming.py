"""Romanian export file names and the Content-Disposition header that carries them."""

from __future__ import annotations

import datetime as dt

from roa2web.exports.naming import company_slug, content_disposition, export_filename, period_slug, slug

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
