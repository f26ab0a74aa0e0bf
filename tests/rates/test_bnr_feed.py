"""Reading the bank's XML: daily feed, yearly file, multipliers, and documents that are not the bank's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from roa2web.rates.bnr import BnrFeedError, parse_feed
from tests.support.rates import DAILY, YEAR_2025

HEAD = b'<DataSet xmlns="http://www.bnr.ro/xsd"><Header><PublishingDate>2025-01-03</PublishingDate></Header><Body>'
TAIL = b"</Body></DataSet>"


def test_the_daily_feed_gives_one_day_exact_decimals_and_multipliers():
    feed = parse_feed(DAILY.read_bytes())
    assert feed.days == (dt.date(2026, 12, 4),)
    assert feed.publishing_date == dt.date(2026, 12, 4)
    by_currency = {quote.currency: quote for quote in feed.quotes}
    assert by_currency["EUR"].rate == Decimal("5.1133") and by_currency["EUR"].multiplier == 1
    huf = by_currency["HUF"]
    assert (huf.rate, huf.multiplier, huf.ron_per_unit) == (Decimal("1.3082"), 100, Decimal("0.013082"))


def test_the_yearly_file_gives_every_banking_day_of_the_year():
    feed = parse_feed(YEAR_2025.read_bytes())
    assert len(feed.days) == 248 and len(feed.quotes) == 248 * 6
    assert feed.days[0] == dt.date(2025, 1, 3) and feed.days[-1] == dt.date(2025, 12, 31)
    assert dt.date(2025, 4, 18) not in feed.days  # Good Friday: no rates
    assert all(day.weekday() < 5 for day in feed.days)


def test_a_rate_without_a_value_is_skipped_and_counted():
    document = HEAD + (b'<Cube date="2025-01-03"><Rate currency="EUR">4.9741</Rate><Rate currency="XDR">-</Rate>'
                       b'<Rate currency="USD">0</Rate></Cube>') + TAIL
    feed = parse_feed(document)
    assert [(q.currency, q.rate) for q in feed.quotes] == [("EUR", Decimal("4.9741"))]
    assert feed.skipped == 2


@pytest.mark.parametrize(("document", "why"), [
    (b"<html><body>Service Unavailable</body></html>", "<DataSet>"),
    (b"\x89PNG\r\n\x1a\n", "not well-formed"),
    (HEAD + b'<Cube date="2025-01-03"><Rate currency="EUR">4.97' + TAIL, "not well-formed"),
    (HEAD + TAIL, "no reference rate"),
    (HEAD + b'<Cube date="03.01.2025"><Rate currency="EUR">4.9741</Rate></Cube>' + TAIL, "not a YYYY-MM-DD"),
    (HEAD + b'<Cube date="2025-01-03"><Rate currency="euro">4.9741</Rate></Cube>' + TAIL, "currency code"),
    (HEAD.replace(b"<Body>", b"<Body><OrigCurrency>EUR</OrigCurrency>") + TAIL, "not RON"),
])
def test_a_document_that_is_not_the_banks_is_refused(document, why):
    with pytest.raises(BnrFeedError, match=why):
        parse_feed(document)


def test_entities_are_refused_before_parsing():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE DataSet [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + HEAD + b"&b;" + TAIL)
    with pytest.raises(BnrFeedError, match="DTD or entities"):
        parse_feed(laughs)
    external = b'<!DOCTYPE DataSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + HEAD + b"&x;" + TAIL
    with pytest.raises(BnrFeedError, match="DTD or entities"):
        parse_feed(external)
    in_utf16 = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE DataSet [<!ENTITY x "y">]>'
                + (HEAD + b"&x;" + TAIL).decode()).encode("utf-16")
    with pytest.raises(BnrFeedError, match="DTD or entities"):
        parse_feed(in_utf16)
