"""The dashboard chart picture: a valid, deterministic PNG of the dashboard report's own series."""

from __future__ import annotations

import copy
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from PIL import Image

from roa2web.bot.texts import dashboard_params
from roa2web.exports.chart import ChartUnavailable, month_label, revenue_chart_png, thousands
from tests.bot.report_bodies import COMPANY_ID, TODAY, report_body


@pytest.fixture
async def dashboard(app):
    """The demo company's dashboard for December 2025, as the API serves it."""
    return await report_body(app, "dashboard", dashboard_params(COMPANY_ID, TODAY))


def colours(png: bytes) -> set[tuple[int, ...]]:
    """The distinct RGB colours of a PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _count, colour in image.getcolors(maxcolors=1_000_000) or []}


def test_labels_are_romanian():
    assert [month_label(2025, m) for m in (1, 5, 9, 12)] == ["ian. 2025", "mai 2025", "sept. 2025", "dec. 2025"]
    assert thousands(1234567.0) == "1.234.567"
    assert thousands(-50000.0) == "-50.000"
    assert thousands(0.0) == "0"


async def test_the_chart_is_a_phone_sized_png_with_the_series_colours(dashboard):
    png = revenue_chart_png(dashboard, title="Demo Distribuție SRL")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1000, 560)
    image.verify()
    seen = colours(png)
    assert len(seen) > 50  # bars, line, text anti-aliasing: not a blank picture
    assert {(0x2E, 0x7D, 0x32), (0xC6, 0x28, 0x28), (0x1F, 0x4E, 0x8C)} <= seen  # revenue, expenses, result
    assert "Software" not in Image.open(io.BytesIO(png)).info


async def test_the_same_figures_give_the_same_bytes_whatever_their_json_form(dashboard):
    png = revenue_chart_png(dashboard, title="Firma")
    assert revenue_chart_png(dashboard, title="Firma") == png
    as_text = copy.deepcopy(dashboard)  # money as Decimal or numeric text (e.g. parsed with parse_float=Decimal)
    for month in as_text["series"]:
        for key in ("revenue", "expenses", "result"):
            month[key] = Decimal(repr(month[key])) if key == "revenue" else f"{month[key]:.2f}"
    assert revenue_chart_png(as_text, title="Firma") == png
    changed = copy.deepcopy(dashboard)
    changed["series"][5]["revenue"] = changed["series"][5]["revenue"] * 2
    assert revenue_chart_png(changed, title="Firma") != png


async def test_threads_draw_at_once_and_get_what_one_thread_gets(dashboard):
    alone = revenue_chart_png(dashboard, title="Firma")
    with ThreadPoolExecutor(max_workers=6) as pool:
        drawn = list(pool.map(lambda _: revenue_chart_png(dashboard, title="Firma"), range(12)))
    assert all(png == alone for png in drawn)


async def test_without_matplotlib_a_clear_chart_unavailable(dashboard, monkeypatch):
    for module in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.ticker"):
        monkeypatch.setitem(sys.modules, module, None)  # as if the `telegram` extra were not installed
    with pytest.raises(ChartUnavailable) as raised:
        revenue_chart_png(dashboard, title="Firma")
    assert raised.value.status == 503
    assert "matplotlib" in raised.value.client_detail
    assert "Retry-After" not in raised.value.headers
