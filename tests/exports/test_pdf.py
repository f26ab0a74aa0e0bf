"""PDF exports: Romanian diacritics survive (embedded Unicode font), header on every page, totals."""

from __future__ import annotations

from decimal import Decimal

import pypdfium2

from roa2web.exports.fonts import font_files
from roa2web.exports.numbers import format_money, format_value
from roa2web.exports.pdf import write_pdf


def _pages(path):
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[index].get_textpage().get_text_range() for index in range(len(pdf))]
    finally:
        pdf.close()


def test_trial_balance_pdf(document, trial_balance, tmp_path):
    _, result = trial_balance
    path = tmp_path / "tb.pdf"
    calls = []
    write_pdf(document, path, lambda done, total: calls.append((done, total)))
    pages = _pages(path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Balanța de verificare" in text
        assert "ALFA COMERT SRL (CIF RO28461357) · Perioada: ianuarie 2025 – martie 2025" in text
        assert "Generat la 03.04.2025" in text
        assert f"Pagina {number} din {len(pages)}" in text
        assert "Sold inițial" in text  # the column headings repeat on every page
    everything = "\n".join(pages)
    for letter in "șțăîâ":
        assert letter in everything, letter
    assert "Cheltuieli privind energia și apa" in everything
    totals = result.totals
    last = pages[-1]
    assert "TOTAL" in last
    assert format_money(totals.current_debit) in last and format_money(totals.closing_credit) in last
    assert "Nivel:" in last and "sintetică" in last
    assert calls[-1] == (len(document.rows), len(document.rows))


def test_romanian_number_formats():
    assert format_money(Decimal("1234567.8")) == "1.234.567,80"
    assert format_money(Decimal("-5")) == "-5,00"
    assert format_value(12345) == "12.345"
    assert format_value(None) == "" and format_value(True) == "da"


def test_the_packaged_font_is_used():
    regular, bold = font_files()
    assert regular.name == "DejaVuSansCondensed.ttf" and bold.name == "DejaVuSansCondensed-Bold.ttf"
    assert "roa2web" in str(regular.parent)
