"""REPORTS: every report runs from raw parameters, renders generically, and serializes exactly."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from roa2web.reports import REPORTS, ReportParameterError
from roa2web.reports.money import dumps

RAW_PARAMS: dict[str, dict[str, Any]] = {
    "dashboard": {"company_id": 1, "year": 2025, "month": 6},
    "invoices": {"company_id": 1, "kind": "sales", "status": "all", "as_of": "2025-06-30"},
    "invoices_aging": {"company_id": 1, "kind": "purchases", "as_of": "2025-06-30", "basis": "issue_date"},
    "treasury": {"company_id": 1, "date_from": "2025-02-01", "date_to": "2025-05-31"},
    "trial_balance": {"company_id": 1, "year": 2025, "month_from": 2, "month_to": 5, "level": "analytic"},
    "journal": {"company_id": 1, "year": 2025, "month_from": 3, "month_to": 3},
}


def leaves(value, key=""):
    """Every (key, scalar) of a JSON document."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, key)
    else:
        yield key, value


def test_every_report_is_registered_with_parameters_matching_its_builder():
    assert set(REPORTS) == set(RAW_PARAMS)
    for name, spec in REPORTS.items():
        builder_params = list(inspect.signature(spec.builder).parameters)[1:]
        assert set(spec.params.model_fields) == set(builder_params), name
        assert spec.title and all(column.label for column in spec.columns)
        assert len({column.key for column in spec.columns}) == len(spec.columns)


@pytest.mark.parametrize("name", sorted(RAW_PARAMS))
async def test_a_report_renders_generically_from_raw_parameters(ledger, name):
    spec = REPORTS[name]
    result = await spec.run(ledger, RAW_PARAMS[name])
    rows = [spec.cells(item) for item in spec.rows(result)]
    assert rows and all(len(cells) == len(spec.columns) for cells in rows)
    for cells in rows:
        for column, value in zip(spec.columns, cells, strict=True):
            if column.kind == "money":
                assert isinstance(value, Decimal) and value.as_tuple().exponent == -2
            elif column.kind == "date":
                assert isinstance(value, dt.date)
            elif column.kind == "int":
                assert isinstance(value, int)
    totals = spec.totals(result)
    if totals is not None:
        cells = spec.cells(totals)
        money = [v for c, v in zip(spec.columns, cells, strict=True) if c.kind == "money"]
        assert money and all(isinstance(v, Decimal) for v in money)
    assert all(isinstance(label, str) and label for label, _ in spec.summary(result))


@pytest.mark.parametrize("name", sorted(RAW_PARAMS))
async def test_json_has_two_decimals_on_every_amount(ledger, name):
    result = await REPORTS[name].run(ledger, RAW_PARAMS[name])
    text = dumps(result)
    document = json.loads(text, parse_float=Decimal)
    scalars = list(leaves(document))
    amounts = [value for _, value in scalars if isinstance(value, Decimal)]
    assert amounts and all(amount.as_tuple().exponent == -2 for amount in amounts)
    quoted = [(k, v) for k, v in scalars if isinstance(v, str) and re.fullmatch(r"-?[0-9]+[.][0-9]{2}", v)]
    accounts = {"account", "synthetic", "debit_account", "credit_account"}  # account codes look like 5121.01
    assert all(k in accounts for k, _ in quoted), quoted  # amounts are numbers, not strings


@pytest.mark.parametrize(
    ("name", "raw", "field"),
    [
        ("trial_balance", {"company_id": 1, "year": 2025, "month_from": 2, "month_to": 13}, "month_to"),
        ("trial_balance", {"company_id": 1, "year": 2025, "month_from": 6, "month_to": 5}, "month_from"),
        ("trial_balance", {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 2, "level": "x"}, "level"),
        ("dashboard", {"company_id": 1, "year": 2025, "month": 6, "colour": "red"}, "colour"),
        ("treasury", {"company_id": 1, "date_from": "2024-12-01", "date_to": "2025-01-31"}, "date_to"),
        ("invoices_aging", {"company_id": 1, "as_of": "yesterday"}, "as_of"),
        ("invoices", {"company_id": "one"}, "company_id"),
    ],
)
async def test_bad_raw_parameters_become_report_parameter_errors(ledger, name, raw, field):
    with pytest.raises(ReportParameterError) as error:
        await REPORTS[name].run(ledger, raw)
    assert error.value.field == field
