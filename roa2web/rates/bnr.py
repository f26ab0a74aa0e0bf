"""Read the National Bank of Romania's (BNR) reference-rate XML: the daily feed and the yearly files.

Both are `<DataSet xmlns="http://www.bnr.ro/xsd">` with a `<Body>` holding one `<Cube date="YYYY-MM-DD">`
per banking day, each with `<Rate currency="EUR">4.9741</Rate>` lines; `multiplier="100"` means the
rate is for 100 units (HUF, JPY, KRW...). A rate is RON per `multiplier` units of the currency, kept
as the exact decimal the bank wrote.

The bank's files have no DTD; a document that declares one (entities included) is refused by a
first expat pass that builds nothing, before the tree is built, so no entity is ever expanded or
fetched (whatever the document's encoding).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

NAMESPACE = "{http://www.bnr.ro/xsd}"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a yearly file is well under 1 MB
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class BnrFeedError(ValueError):
    """The document is not the bank's reference-rate XML (or is damaged)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One reference rate: on `day`, `multiplier` units of `currency` cost `rate` RON."""

    day: dt.date
    currency: str
    rate: Decimal
    multiplier: int = 1

    @property
    def ron_per_unit(self) -> Decimal:
        """RON for one unit of the currency (exact)."""
        return self.rate / self.multiplier


@dataclass(frozen=True, slots=True)
class Feed:
    """What one document holds: its quotes, the days they are for, and what was skipped."""

    quotes: tuple[Quote, ...]
    publishing_date: dt.date | None
    skipped: int = 0  # rates without a usable value (the bank writes none for some currencies some days)

    @property
    def days(self) -> tuple[dt.date, ...]:
        """The banking days the document has rates for, in order."""
        return tuple(sorted({quote.day for quote in self.quotes}))


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(NAMESPACE)


def _day(text: str | None, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise BnrFeedError(f"{what} {text!r} is not a YYYY-MM-DD date") from None


def _quote(day: dt.date, element: ET.Element) -> Quote | None:
    currency = (element.get("currency") or "").strip().upper()
    if not _CURRENCY.match(currency):
        raise BnrFeedError(f"rate of {day}: {currency!r} is not a currency code")
    try:
        rate = Decimal((element.text or "").strip())
        multiplier = int(element.get("multiplier") or "1")
    except (InvalidOperation, ValueError):
        return None
    if not rate.is_finite() or rate <= 0 or multiplier <= 0:
        return None
    return Quote(day, currency, rate, multiplier)


def _refuse_declarations(document: bytes) -> None:
    def refuse(*_: object) -> None:
        raise BnrFeedError("the document declares a DTD or entities, which the bank's files never do")

    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = refuse
    scanner.EntityDeclHandler = refuse
    try:
        scanner.Parse(document, True)
    except expat.ExpatError as error:
        raise BnrFeedError(f"not well-formed XML: {error}") from None


def parse_feed(document: bytes) -> Feed:
    """The quotes of a BNR reference-rate document (daily or yearly); raises BnrFeedError when it is not one."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise BnrFeedError(f"the document has {len(document)} bytes, more than a rate file ever has")
    _refuse_declarations(document)
    try:
        root = ET.fromstring(document)  # noqa: S314 - checked above: no DTD, no entity
    except ET.ParseError as error:
        raise BnrFeedError(f"not well-formed XML: {error}") from None
    if _tag(root) != "DataSet":
        raise BnrFeedError(f"the root element is <{_tag(root)}>, not the bank's <DataSet>")
    publishing = root.find(f"{NAMESPACE}Header/{NAMESPACE}PublishingDate")
    body = root.find(f"{NAMESPACE}Body")
    if body is None:
        raise BnrFeedError("the document has no <Body>")
    origin = body.find(f"{NAMESPACE}OrigCurrency")
    if origin is not None and (origin.text or "").strip() != "RON":
        raise BnrFeedError(f"the rates are in {origin.text!r}, not RON")
    quotes: list[Quote] = []
    skipped = 0
    for cube in body.iter(f"{NAMESPACE}Cube"):
        day = _day(cube.get("date"), "a <Cube> date")
        for element in cube.iter(f"{NAMESPACE}Rate"):
            quote = _quote(day, element)
            if quote is None:
                skipped += 1
            else:
                quotes.append(quote)
    if not quotes:
        raise BnrFeedError("the document has no reference rate")
    published = _day(publishing.text, "the publishing date") if publishing is not None else None
    return Feed(tuple(quotes), published, skipped)
