"""Read receipt fields out of rebuilt lines with Romanian fiscal-receipt rules.

Only reading: every value is taken as printed (amounts in bani), with the OCR score of the boxes
it came from. Besides the first reading of each amount, every plausible one is kept as a candidate
(other TOTAL-like lines, other amounts on the line, a neighbouring line's amount on a tilted photo, an
amount whose decimal comma was lost); the receipt's arithmetic chooses between them (arithmetic.py).
Cross-checks and repairs are in repair.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from roa2web.accounting.cif import is_ascii_digits
from roa2web.data_entry.ocr.dates import misread_date
from roa2web.data_entry.ocr.found import Found
from roa2web.data_entry.ocr.lines import Line
from roa2web.data_entry.ocr.normalize import canonical

_TVA = r"[T1I]\s?[VWYH]\s?[AN&4]"
_BON = r"[B8][O0]N"
_NR = r"[NM][RT]?\.?"
_AMOUNT = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)\s?[.,]\s?([0-9]{2})(?![0-9%])(?!\s?%)")
# a rate; '19.00l' (% read as l); '199', '116' (% read as 9 or 6, only after a rate of 2024-2026, before an amount)
_RATE = re.compile(r"([0-9]{1,2})(?:\s?[.,]\s?([0-9]{1,2}))?\s?%|([0-9]{1,2})\s?[.,]\s?[0-9]{2}[1lI](?=\s|$)"
                   r"|(?<![0-9])(21|19|11|9|5)[96](?=\s+[0-9])")
# a date; its first separator may be read as a colon, a dash as =
_DATE = re.compile(r"(?<![0-9])([0-3]?[0-9])\s?[.\-/:=]\s?([01]?[0-9])\s?[.\-/=]\s?(2[0-9]{3})(?![0-9])")
_GLUED_TIME = re.compile(r"([.\-/]\s?2[0-9]{3})([0-2][0-9]\s?:\s?[0-5][0-9])")
_GLUED_DATE = re.compile(r"([0-9])(?=[0-3][0-9][.\-/][01][0-9][.\-/]2[0-9]{3})")
_TIME = re.compile(r"(?<![0-9.,])([0-2][0-9])\s?:\s?([0-5][0-9])(?:\s?:\s?([0-5][0-9]))?(?![0-9.,])")
_LABEL_END = r"(?:(?![A-Z])|(?=CLIENT|R[O0Q][0-9]))"
_CIF_LABEL = re.compile(
    r"C\s?[.,]?\s?[I1L]\s?[.,]?\s?F\s?[.,]?" + _LABEL_END + r"|C\s?[.,]?\s?U\s?[.,]?\s?[I1LE]\s?[.,]?" + _LABEL_END
    + r"|C[O0][DO0]\s*(?:DE\s*)?FISCAL|C[O0]D\s*" + _TVA + r"|C[O0][DL](?=\s?[.:]?\s?R\s?[O0Q]\s?[0-9])"
    + r"|C[O0][DL]\s[A-Z0-9]{5,7}(?=\s?[.:]?\s?R\s?[O0Q]\s?[0-9])"  # FISCAL garbled ('COD PTSCAL: RO...')
)
_CIF_VALUE = re.compile(r"^\W*((?:[RP]\s?[O0Q]\s?)?[0-9OILSBZ][0-9OILSBZ ]{0,12})")
_BARE_CIF = re.compile(r"(?<![\w/])((?:R\s?[O0]\s?)?[0-9]{6,10}|80[0-9]{9,10})(?![\w/])")
_BUYER = re.compile(r"CLIENT|CUMP[AĂ]R[AĂ]TOR|BENEFICIAR")
_NUMBER_LABELS = (
    re.compile(_BON + r"\s*FISCAL\s*" + _NR + r"\s*[:.]?\s*([0-9]{1,8})"),
    re.compile(_NR + r"\s*" + _BON + r"(?:\s*FISCAL)?\s*[:.]?\s*([0-9]{1,8})"),
    re.compile(r"\b[B8][FE]\s*[:.]?\s*([0-9]{1,8})"),
    re.compile(_BON + r"\s*" + _NR + r"\s*[:.]?\s*([0-9]{1,8})"),
)
_TOTAL = re.compile(r"^\W*TOTAL(?!\s*" + _TVA + r")")
_SUBTOTAL = re.compile(r"SUB\s?TOTAL")
_TOTAL_VAT = re.compile(r"TOTAL[\s\-]*" + _TVA + r"\b|" + _TVA + r"[\s\-]*TOTAL\b")
_VAT = re.compile(r"^\W*" + _TVA + r"(?:\s*([A-G8€])\b|\b|(?=[0-9]))")
_ITEM_END = re.compile(r"([0-9]+)\s?[.,]\s?([0-9]{2})\s*\*?\s*([A-G8€])?\W*$")
_QTY_PRICE = re.compile(
    r"([0-9]+(?:[.,][0-9]{1,3})?)\s*(?:BUC|KG|L|BUCATI|BC)?\.?\s*[X×*]\s*([0-9]+)\s?[.,]\s?([0-9]{2})")
_LETTER_LOOKALIKE = {"8": "B", "€": "C"}
_ONLY_NUMBERS = re.compile(r"[0-9.,\s]+")
_LOST_COMMA = re.compile(r"(?<![0-9.,])([0-9]{3,7})\W*$")
_CASH = re.compile(r"NUMERAR|CASH|\bNUM\b")
_VOUCHER = re.compile(r"TICHET|VOUCHER|BON\s*VALORIC")
_CARD = re.compile(r"CARD(?![A-Z])|\bPOS\b")
_CHANGE = re.compile(r"^\W*REST\b")
_COMPANY = re.compile(r"(?:S\.?\s?R\.?\s?L|\bS\.?\s?A|\bS\.?\s?N\.?\s?C|\bP\.?\s?F\.?\s?A|\bI\.?\s?I)\.?\s*$")
_ADDRESS = re.compile(r"\b(?:STR|BD|BDUL|CALEA|SOS|NR|JUD|BL|SC|AP|LOC)\b\.?")


@dataclass(frozen=True)
class VatFound:
    """A printed VAT-per-rate line: group letter (if printed), rate, VAT amount."""

    letter: str | None
    rate: int
    vat_bani: int
    score: float
    line: int


@dataclass(frozen=True)
class ItemFound:
    """A sold line: value and VAT letter (when read), with quantity × unit price when printed."""

    value_bani: int
    letter: str | None
    quantity_milli: int | None
    unit_price_bani: int | None
    score: float
    line: int


@dataclass
class Extraction:
    """Everything read from one receipt, before arithmetic checks."""

    supplier_name: Found[str] | None = None
    supplier_cif: Found[str] | None = None
    buyer_cif: Found[str] | None = None
    receipt_number: Found[str] | None = None
    date: Found[dt.date] | None = None
    time: Found[str] | None = None
    total: Found[int] | None = None
    subtotal: Found[int] | None = None
    payment_method: Found[str] | None = None
    payment_amount: Found[int] | None = None
    change: Found[int] | None = None
    vat_total: Found[int] | None = None
    vat_lines: list[VatFound] = field(default_factory=list)
    # VAT lines whose rate was read but not their amount (vat_bani 0)
    vat_rates: list[VatFound] = field(default_factory=list)
    items: list[ItemFound] = field(default_factory=list)
    # every reading of an amount ("total", "subtotal", "vat_total", "payment", "change"), first ones first;
    # without a TOTAL line, also "unlabelled": the amounts of lines that name nothing; with one, "below_total":
    # those of such lines below it (where TOTAL TVA is when its label was misread)
    amounts: dict[str, list[Found[int]]] = field(default_factory=dict)


def parse_amount(text: str) -> int | None:
    """The last money amount in `text`, in bani: '1.234,56' -> 123456, '7.26' -> 726."""
    matches = list(_AMOUNT.finditer(text))
    if not matches:
        return None
    return _bani(matches[-1])


def _last_amount(line: Line, index: int) -> Found[int] | None:
    matches = list(_AMOUNT.finditer(line.text))
    if not matches:
        return None
    match = matches[-1]
    return Found(_bani(match), line.score_of(match.start(), match.end()), index)


def _amount_near(lines: list[Line], index: int) -> Found[int] | None:
    """The amount on line `index`, or on the next line when that holds nothing but an amount."""
    own = _last_amount(lines[index], index)
    if own is not None or index + 1 >= len(lines):
        return own
    if _ONLY_NUMBERS.fullmatch(lines[index + 1].text.strip()):
        return _last_amount(lines[index + 1], index + 1)
    return None


def extract_fields(lines: list[Line]) -> Extraction:
    """Read every field the receipt prints."""
    canon = [Line(canonical(line.text), line.spans, line.glyphs) for line in lines]
    found = Extraction(supplier_name=_supplier_name(lines, canon))
    for index, line in enumerate(canon):
        _read_cif(found, line, line.text, index)
        unglued = _unglue(line.text)
        _read_number(found, line, unglued, index)
        _read_date_time(found, line, unglued, index)
        _read_money(found, canon, line.text, index)
    found.supplier_cif = found.supplier_cif or _unlabelled_cif(canon)
    found.date = found.date or misread_date(canon)
    totals = [reading.line for reading in (found.subtotal, found.total) if reading is not None]
    found.items = _read_items(canon, min(totals, default=len(canon)))
    item_lines = {item.line for item in found.items}
    if found.total is None:
        found.amounts["unlabelled"] = _unlabelled_amounts(canon, item_lines)
    else:
        found.amounts["below_total"] = [amount for amount in _unlabelled_amounts(canon, item_lines)
                                        if amount.line > found.total.line]
    return found


def _supplier_name(lines: list[Line], canon: list[Line]) -> Found[str] | None:
    """The company name: the first header line with a legal form (SRL, SA…), else the first plain one."""
    header = [index for index, line in enumerate(canon[:5])
              if sum(char.isalpha() for char in line.text) >= 3 and not _CIF_LABEL.search(line.text)]
    named = [index for index in header if _COMPANY.search(canon[index].text)]
    plain = [index for index in header if not (_ADDRESS.search(canon[index].text) or _DATE.search(canon[index].text))]
    if not (named or plain):
        return None
    chosen = (named or plain)[0]
    name = re.sub(r"(?<=[A-Za-z])(SRL|S\.R\.L\.?)$", r" \1", " ".join(lines[chosen].text.split()))
    return Found(name, lines[chosen].score, chosen)


def name_check(name: str) -> bool | None:
    """Whether `name` reads like a company's name.

    True with a legal form (SRL, SA…); False when it holds a time, a date or more digits than letters
    (a line read out of place); None otherwise.
    """
    if _COMPANY.search(name):
        return True
    if _TIME.search(name) or _DATE.search(name) or sum(c.isdigit() for c in name) > sum(c.isalpha() for c in name):
        return False
    return None


def _unlabelled_cif(lines: list[Line]) -> Found[str] | None:
    """A lone 6-10 digit number in the header, when no CIF label was readable."""
    for index, line in enumerate(lines[:6]):
        match = _BARE_CIF.search(line.text)
        if match and not _DATE.search(line.text):
            start, end = match.span(1)
            return Found(match.group(1), 0.8 * line.score_of(start, end), index, glyphs=line.glyphs_of(start, end))
    return None


def _read_cif(found: Extraction, line: Line, text: str, index: int) -> None:
    label = _CIF_LABEL.search(text)
    if label is None:
        return
    tail = text[label.end():]
    is_buyer = bool(_BUYER.search(text[: label.start()] + tail[:12]))
    tail = _BUYER.sub("", tail, count=1) if is_buyer else tail
    value = _CIF_VALUE.search(tail.replace(":", " "))
    if value is None or sum(is_ascii_digits(char) for char in value.group(1)) < 2:
        return
    token = value.group(1).strip()
    offset = label.end() + value.start(1)  # in the line itself only when no buyer label was cut out of the tail
    glyphs = () if is_buyer else line.glyphs_of(offset, offset + len(token))
    reading = Found(token, line.score_of(offset, offset + len(token)), index, glyphs=glyphs)
    if is_buyer and found.buyer_cif is None:
        found.buyer_cif = reading
    elif not is_buyer and found.supplier_cif is None:
        found.supplier_cif = reading


def _read_number(found: Extraction, line: Line, text: str, index: int) -> None:
    if found.receipt_number is not None:
        return
    for pattern in _NUMBER_LABELS:
        match = pattern.search(text)
        if match:
            digits = next(group for group in match.groups() if group)
            found.receipt_number = Found(str(int(digits)), line.score_of(match.start(), match.end()), index)
            return


def _unglue(text: str) -> str:
    """Put back the spaces the recogniser dropped around a date: 'BF:156925-01-202513:33'."""
    return _GLUED_TIME.sub(r"\1 \2", _GLUED_DATE.sub(r"\1 ", text))


def _read_date_time(found: Extraction, line: Line, text: str, index: int) -> None:
    if found.date is None:
        for match in _DATE.finditer(text):
            try:
                day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                continue
            found.date = Found(day, line.score_of(match.start(), match.end()), index)
            break
    if found.time is None or (found.date is not None and found.date.line == index != found.time.line):
        for match in _TIME.finditer(text):
            hour, minute, second = match.groups()
            if int(hour) < 24:
                value = f"{hour}:{minute}" + (f":{second}" if second else "")
                found.time = Found(value, line.score_of(match.start(), match.end()), index)
                break


def _read_money(found: Extraction, lines: list[Line], text: str, index: int) -> None:
    if _TOTAL_VAT.search(text):
        found.vat_total = found.vat_total or _amount_near(lines, index)
        _collect(found, "vat_total", lines, index)
    elif _SUBTOTAL.search(text):
        found.subtotal = found.subtotal or _amount_near(lines, index)
        _collect(found, "subtotal", lines, index)
    elif _TOTAL.search(text):
        found.total = found.total or _amount_near(lines, index)
        _collect(found, "total", lines, index)
    elif _VAT.search(text):
        vat, has_amount = _read_vat(lines, text, index)
        if vat is not None:
            (found.vat_lines if has_amount else found.vat_rates).append(vat)
    elif _CHANGE.search(text):
        found.change = found.change or _amount_near(lines, index)
        _collect(found, "change", lines, index)
    elif found.payment_method is None and (method := _payment_method(text)):
        found.payment_method = Found(method, lines[index].score, index)
        found.payment_amount = _amount_near(lines, index)
        _collect(found, "payment", lines, index)


def _payment_method(text: str) -> str | None:
    """'voucher', 'cash' or 'card' when the line names how the receipt was paid."""
    if _VOUCHER.search(text):
        return "voucher"
    if _CASH.search(text):
        return "cash"
    return "card" if _CARD.search(text) else None


def _collect(found: Extraction, name: str, lines: list[Line], index: int) -> None:
    """Every reading of the amount labelled on line `index`, added to the candidates of `name`."""
    found.amounts.setdefault(name, []).extend(amount_candidates(lines, index))


def amount_candidates(lines: list[Line], index: int) -> list[Found[int]]:
    """The readings of the amount labelled on line `index`, cheapest first.

    The line's last amount (or the next line's, when that holds nothing but an amount) costs 0; the
    line's other amounts, a lone number whose decimal comma was lost, and the amounts of the unlabelled
    lines above and below (grouped wrongly on a tilted photo) cost 1.
    """
    line = lines[index]
    near = _amount_near(lines, index)
    found = [near] if near is not None else []
    found += [_found(line, match, index, 1) for match in list(_AMOUNT.finditer(line.text))[:-1]]
    lost = _LOST_COMMA.search(line.text)
    if near is None and lost is not None:
        score = line.score_of(lost.start(), lost.end())
        found.append(Found(int(lost.group(1)), score, index, 1))
    for other in (index - 1, index + 1):
        if 0 <= other < len(lines) and (near is None or other != near.line) and _unlabelled(lines[other].text):
            found += [_found(lines[other], match, other, 1) for match in _AMOUNT.finditer(lines[other].text)]
    return found


def _unlabelled(text: str) -> bool:
    """Whether a line names no amount of its own (no total, VAT, payment, change or date on it)."""
    labels = (_TOTAL_VAT, _SUBTOTAL, _TOTAL, _VAT, _CHANGE, _DATE, _CASH, _CARD, _VOUCHER)
    return not any(label.search(text) for label in labels)


def _unlabelled_amounts(lines: list[Line], item_lines: set[int]) -> list[Found[int]]:
    """The amounts on lines that name none (cost 2): where TOTAL may be when its label was misread."""
    return [_found(line, match, index, 2) for index, line in enumerate(lines)
            if index not in item_lines and _unlabelled(line.text) and not _QTY_PRICE.search(line.text)
            for match in _AMOUNT.finditer(line.text)]


def _found(line: Line, match: re.Match[str], index: int, cost: int) -> Found[int]:
    return Found(_bani(match), line.score_of(match.start(), match.end()), index, cost)


def _bani(match: re.Match[str]) -> int:
    return int(match.group(1).replace(".", "")) * 100 + int(match.group(2))


def _read_vat(lines: list[Line], text: str, index: int) -> tuple[VatFound | None, bool]:
    """The VAT line on line `index` and whether its amount was read; the amount may stand alone on the next line.

    A rate read without any amount gives a VatFound with vat_bani 0 (repair.py may work the amount out).
    """
    line = lines[index]
    head = _VAT.search(text)
    if head is None:
        return None, False
    rate_match = _RATE.search(text, head.end())
    if rate_match is not None:
        rate = int(rate_match.group(1) or rate_match.group(3) or rate_match.group(4))
        amounts_from = rate_match.end()
    else:
        numbers = list(_AMOUNT.finditer(text, head.end()))
        if len(numbers) < 2:
            return None, False
        rate, amounts_from = int(numbers[0].group(1)), numbers[0].end()
    letter = _LETTER_LOOKALIKE.get(head.group(1) or "", head.group(1))
    amounts = list(_AMOUNT.finditer(text, amounts_from))
    if amounts:
        score = line.score_of(head.start(), amounts[-1].end())
        return VatFound(letter, rate, _bani(amounts[-1]), score, index), True
    below = index + 1 < len(lines) and _ONLY_NUMBERS.fullmatch(lines[index + 1].text.strip())
    amount = _last_amount(lines[index + 1], index + 1) if below else None
    score = line.score_of(head.start(), len(text))
    if amount is not None:
        return VatFound(letter, rate, amount.value, min(score, amount.score), index), True
    return VatFound(letter, rate, 0, score, index), False


def _qty_only(text: str) -> re.Match[str] | None:
    """The quantity × price on a line that prints nothing else of value (the item's line follows)."""
    qty = _QTY_PRICE.search(text)
    return qty if qty and not _AMOUNT.search(text, qty.end()) else None


def _milli(quantity: str) -> int:
    """A printed quantity in thousandths: '1,433' -> 1433, '2' -> 2000."""
    whole, _, fraction = quantity.replace(",", ".").partition(".")
    return int(whole) * 1000 + int((fraction + "000")[:3])


def _read_items(lines: list[Line], stop: int) -> list[ItemFound]:
    """Item lines above `stop` (the first TOTAL).

    Those ending in an amount and a VAT letter, or an amount under a quantity × price line.
    """
    items = []
    for index, line in enumerate(lines[:stop]):
        text = line.text
        end = _ITEM_END.search(text)
        if end is None or _VAT.search(text) or _CIF_LABEL.search(text) or _DATE.search(text):
            continue
        qty = _QTY_PRICE.search(text[: end.start()]) or (_qty_only(lines[index - 1].text) if index else None)
        letter = _LETTER_LOOKALIKE.get(end.group(3) or "", end.group(3))
        if letter is None and qty is None:
            continue
        quantity = _milli(qty.group(1)) if qty else None
        price = int(qty.group(2)) * 100 + int(qty.group(3)) if qty else None
        score = line.score_of(end.start(), end.end())
        items.append(ItemFound(_bani(end), letter, quantity, price, score, index))
    return items
