"""Dates the recogniser garbled: a day or month with a confused digit, a space for a separator, no separators.

fields.py reads the dates printed readably; these readings are its fallback (cost 1, checked as repaired).
"""

from __future__ import annotations

import datetime as dt
import re

from roa2web.data_entry.ocr.found import Found
from roa2web.data_entry.ocr.lines import Line

_LOOSE_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})\s?[.\-/]\s?([0-9]{1,2})\s?[.\-/]\s?(2[0-9]{3})(?![0-9])")
_SPACED_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})[.\-/ ]\s?([0-9]{1,2})[.\-/ ]\s?(2[0-9]{3})(?![0-9])")
_GLUED_DAY = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])(2[0-9]{3})(?![0-9])")
_DATE_LINE = re.compile(r"D\s?A\s?T\s?A|\bORA\b")
# digits the recogniser reads for another on a blurred date (read → could have been)
DATE_CONFUSIONS: dict[str, str] = {"0": "86", "6": "058", "8": "036", "9": "08", "3": "8", "5": "6", "7": "1", "1": "7"}


def misread_date(lines: list[Line]) -> Found[dt.date] | None:
    """A date no line printed readably (cost 1), when exactly one reading explains what was read.

    A day or month that is not one (65-95-2024) may have one confused digit each (05-05-2024): the reading
    that changes fewest digits is taken when it is the only one. On a line labelled DATA or ORA a space may
    stand for a separator (28 01.2025), and eight digits without separators are a date too (22052026).
    """
    for index, line in enumerate(lines):
        dated = _DATE_LINE.search(line.text)
        pattern = _SPACED_DATE if dated else _LOOSE_DATE
        days = {day for match in pattern.finditer(line.text) for day in _confused_days(*match.groups())}
        if not days and dated:
            days = {day for match in _GLUED_DAY.finditer(line.text) for day in _confused_days(*match.groups())}
        if len(days) == 1:
            return Found(days.pop(), line.score, index, 1)
    return None


def _confused_days(day: str, month: str, year: str) -> set[dt.date]:
    """The dates day.month.year can be, with the fewest confused digits.

    None changed when it is valid as read, else at most one in the day and one in the month; several dates
    when readings with as few changes disagree.
    """
    def readings(digits: str) -> list[tuple[int, int]]:
        variants = [(int(digits[:at] + other + digits[at + 1:]), 1) for at, digit in enumerate(digits)
                    for other in DATE_CONFUSIONS.get(digit, "")]
        return [(int(digits), 0), *variants]

    by_changes: dict[int, set[dt.date]] = {}
    for day_number, day_changes in readings(day):
        for month_number, month_changes in readings(month):
            try:
                date = dt.date(int(year), month_number, day_number)
            except ValueError:
                continue
            by_changes.setdefault(day_changes + month_changes, set()).add(date)
    return by_changes[min(by_changes)] if by_changes else set()
