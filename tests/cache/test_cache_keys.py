"""Cache keys: equal requests share a key however their parameters were spelled."""

from __future__ import annotations

import datetime as dt
import enum
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roa2web.cache import cache_key
from roa2web.cache.keys import MAX_READABLE_KEY


class Level(enum.Enum):
    SYNTHETIC = "synthetic"


def test_key_is_readable() -> None:
    key = cache_key("trial_balance", 12, {"to": dt.date(2025, 3, 31), "from": dt.date(2025, 1, 1)})
    assert key == 'trial_balance:12:{"from":"2025-01-01","to":"2025-03-31"}'
    assert cache_key("vat", None, {}) == "vat:-:{}"


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=8)), max_size=8))
def test_parameter_order_does_not_matter(params: dict[str, int | str | None]) -> None:
    items = list(params.items())
    random.Random(len(items)).shuffle(items)
    assert cache_key("trial_balance", 1, params) == cache_key("trial_balance", 1, dict(items))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"from": dt.date(2025, 1, 1)}, {"from": "2025-01-01"}),
        ({"account": 401}, {"account": "401"}),
        ({"amount": 1.5}, {"amount": Decimal("1.500")}),
        ({"amount": 2.0}, {"amount": 2}),
        ({"closed": True}, {"closed": "true"}),
        ({"level": Level.SYNTHETIC}, {"level": "synthetic"}),
        ({"accounts": {"5121", "401"}}, {"accounts": frozenset({"401", "5121"})}),
        ({"filters": {"b": 1, "a": None, "c": 2}}, {"filters": {"c": 2, "b": 1}}),
        ({"from": "2025-01-01", "partner": None}, {"from": "2025-01-01"}),
        (
            {"at": dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))},
            {"at": "2025-01-01T10:00:00+00:00"},
        ),
    ],
)
def test_equivalent_spellings_share_a_key(one: dict[str, Any], other: dict[str, Any]) -> None:
    assert cache_key("trial_balance", 1, one) == cache_key("trial_balance", 1, other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"accounts": ["401", "5121"]}, {"accounts": ["5121", "401"]}),  # list order is kept
        ({"from": "2025-01-01"}, {"to": "2025-01-01"}),
        ({"amount": 1.5}, {"amount": 1.05}),
    ],
)
def test_different_requests_have_different_keys(one: dict[str, Any], other: dict[str, Any]) -> None:
    assert cache_key("trial_balance", 1, one) != cache_key("trial_balance", 1, other)


def test_report_and_company_are_part_of_the_key() -> None:
    keys = {cache_key(report, company, {}) for report in ("trial_balance", "balance_sheet") for company in (1, 2, None)}
    assert len(keys) == 6


def test_long_parameters_are_hashed_stably() -> None:
    params = {"accounts": [str(account) for account in range(100, 200)]}
    key = cache_key("trial_balance", 3, params)
    assert key.startswith("trial_balance:3:#") and len(key) < MAX_READABLE_KEY
    assert key == cache_key("trial_balance", 3, dict(params))
    assert key != cache_key("trial_balance", 3, {"accounts": params["accounts"][:-1]})


@pytest.mark.parametrize(
    ("report", "company_id", "params", "error"),
    [
        ("", 1, {}, ValueError),
        ("trial:balance", 1, {}, ValueError),
        ("trial_balance", "1", {}, TypeError),
        ("trial_balance", True, {}, TypeError),
        ("trial_balance", 1, {"x": object()}, TypeError),
        ("trial_balance", 1, {"x": float("nan")}, ValueError),
        ("trial_balance", 1, {1: "x"}, TypeError),
    ],
)
def test_bad_arguments_are_refused(
    report: str, company_id: Any, params: dict[Any, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        cache_key(report, company_id, params)


def test_keys_ignore_parameter_order_and_types_keep_keys_apart() -> None:
    params = {"year": 2025, "level": "analytic", "hide_zero": True, "day": dt.date(2025, 3, 1)}
    expected = 'trial_balance:1:{"day":"2025-03-01","hide_zero":"true","level":"analytic","year":"2025"}'
    assert cache_key("trial_balance", 1, params) == expected
    assert cache_key("trial_balance", 1, dict(reversed(params.items()))) == expected
    with_list = expected.replace('{"day"', '{"accounts":["401"],"day"')
    assert cache_key("trial_balance", 1, {**params, "accounts": ["401"]}) == with_list
    assert cache_key("trial_balance", 1, {"flag": True}) != cache_key("trial_balance", 1, {"flag": 1})
    assert cache_key("trial_balance", 1, {"flag": 1}) == 'trial_balance:1:{"flag":"1"}'
    with pytest.raises(TypeError):
        cache_key("trial_balance", True, params)  # type: ignore[arg-type]  # equal to 1, refused all the same
