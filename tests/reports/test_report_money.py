"""Money helpers: bani <-> Decimal with two places, and JSON numbers that keep them."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest

from roa2web.reports.money import dumps, json_default, to_bani, to_money


@pytest.mark.parametrize(
    ("bani", "text"),
    [(0, "0.00"), (5, "0.05"), (123450, "1234.50"), (-99, "-0.99"), (10**15 + 1, "10000000000000.01")],
)
def test_to_money_has_exactly_two_places_and_round_trips(bani, text):
    money = to_money(bani)
    assert str(money) == text and money.as_tuple().exponent == -2
    assert to_bani(money) == bani
    assert dumps({"v": money}) == b'{"v":' + text.encode() + b"}"


def test_to_bani_accepts_lei_and_refuses_fractions_of_a_ban():
    assert to_bani("12.3") == 1230 and to_bani(7) == 700 and to_bani(Decimal("-0.01")) == -1
    for bad in ("1.005", "abc", "NaN", "Infinity"):
        with pytest.raises(ValueError, match=r"amount|decimals"):
            to_bani(bad)


def test_json_default_refuses_what_it_does_not_know():
    with pytest.raises(TypeError):
        json_default(object())
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps({"v": Decimal("NaN")}, default=json_default)
