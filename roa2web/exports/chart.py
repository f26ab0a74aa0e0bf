"""The dashboard's twelve-month chart as a PNG: revenue and expenses as bars, the result as a line.

Drawn from the dashboard report exactly as its JSON reads (`ReportService.get("dashboard", ...)`
decoded: money as numbers, or as Decimals or numeric text), so the bot's picture and a PDF show
the figures the API serves. matplotlib's object API (a `Figure` on an Agg canvas, never pyplot's
global state) so worker threads may draw at once; matplotlib comes with the `telegram` extra and
is imported on first use: without it, ChartUnavailable. The same input gives the same bytes (no
time or version in the PNG's metadata).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from roa2web.exports.numbers import format_money
from roa2web.problems import Problem

WIDTH_PX, HEIGHT_PX, DPI = 1000, 560, 100
SHORT_MONTHS = ("ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec.")
REVENUE_COLOUR, EXPENSES_COLOUR, RESULT_COLOUR = "#2e7d32", "#c62828", "#1f4e8c"


class ChartUnavailable(Problem):
    """The chart cannot be drawn here: matplotlib (the `telegram` extra) is not installed.

    A 503 without Retry-After: an install is missing, trying again will not help.
    """

    status = 503
    kind = "chart-unavailable"
    title = "Graficul nu este disponibil"
    public_detail = "Serverul nu are biblioteca de grafice (matplotlib) instalată."


def month_label(year: int, month: int) -> str:
    """'ian. 2025', 'mai 2025', 'sept. 2025'."""
    return f"{SHORT_MONTHS[month - 1]} {year}"


def thousands(value: float) -> str:
    """A y-axis tick in whole lei: 1234567 -> '1.234.567'."""
    return format_money(Decimal(round(value))).rsplit(",", 1)[0]


def _amount(value: Any) -> float:
    """A money value of the JSON (number, Decimal or numeric text) as a float for plotting."""
    return float(Decimal(repr(value) if isinstance(value, float) else value))


def revenue_chart_png(dashboard: Mapping[str, Any], *, title: str) -> bytes:
    """A 1000×560 PNG of the dashboard's series: revenue and expenses per month, and the result.

    `dashboard` is the decoded dashboard report (its `series`: twelve {year, month, revenue,
    expenses, result}); `title` goes on top (e.g. the company's name). Raises ChartUnavailable
    when matplotlib is missing. Safe to call from several threads at once.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter
    except ImportError as exc:
        raise ChartUnavailable(f"matplotlib cannot be imported: {exc}") from exc
    series: Sequence[Mapping[str, Any]] = dashboard["series"]
    labels = [month_label(int(m["year"]), int(m["month"])) for m in series]
    revenue = [_amount(m["revenue"]) for m in series]
    expenses = [_amount(m["expenses"]) for m in series]
    result = [_amount(m["result"]) for m in series]
    positions = range(len(series))

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # attaches itself: savefig draws with Agg, whatever pyplot's backend
    axes = figure.add_subplot()
    width = 0.38
    bars_revenue = axes.bar([p - width / 2 for p in positions], revenue, width, label="Venituri",
                            color=REVENUE_COLOUR, zorder=2)
    bars_expenses = axes.bar([p + width / 2 for p in positions], expenses, width, label="Cheltuieli",
                             color=EXPENSES_COLOUR, zorder=2)
    (line_result,) = axes.plot(positions, result, label="Rezultat", color=RESULT_COLOUR, marker="o", linewidth=2.2,
                               markersize=6, zorder=3)
    axes.axhline(0, color="#555555", linewidth=0.8, zorder=1)
    axes.set_xticks(list(positions), [label.replace(" ", "\n") for label in labels], fontsize=12)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: thousands(value)))
    axes.tick_params(axis="y", labelsize=12)
    axes.set_ylabel("lei", fontsize=12)
    axes.grid(axis="y", color="#dddddd", zorder=0)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, fontsize=15, fontweight="bold", loc="left")
    axes.legend(handles=[bars_revenue, bars_expenses, line_result], loc="upper left", ncols=3, fontsize=12,
                frameon=False)
    axes.margins(x=0.01, y=0.12)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def warm_up() -> bool:
    """Import matplotlib and draw once (fonts, caches) so the first chart a user asks for is not the slow one.

    False where matplotlib is missing.
    """
    months = [{"year": 2025, "month": month, "revenue": 0, "expenses": 0, "result": 0} for month in range(1, 13)]
    try:
        revenue_chart_png({"series": months}, title="")
    except ChartUnavailable:
        return False
    return True
