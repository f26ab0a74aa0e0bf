"""A receipt's date is judged by the firm's day (Europe/Bucharest), not by the server's clock zone.

On a server whose clock runs in UTC, the firm's day turns at 22:00 or 21:00: a receipt of the firm's today was
refused as "in the future" until midnight UTC. The check runs in a process whose zone has, at this moment, another
date than Bucharest's (one of UTC-12 and UTC+14 always has), so it holds at any hour.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from zoneinfo import ZoneInfo

import pytest

CHECK = textwrap.dedent("""
    import datetime as dt, json
    from roa2web.data_entry.model import ReceiptFields
    from roa2web.data_entry.workflow.service import ReceiptService
    from roa2web.data_entry.workflow.validation import field_errors
    from roa2web.dates import today

    service = ReceiptService(None, None, None, eur_rate=None)  # only its clock is used
    day = today()
    print(json.dumps({
        "local_day": dt.date.today().isoformat(), "firm_day": day.isoformat(),
        "today": [error.type for error in field_errors(ReceiptFields(receipt_date=day), today=service.today())],
        "tomorrow": [error.type for error in
                     field_errors(ReceiptFields(receipt_date=day + dt.timedelta(days=1)), today=service.today())],
    }))
""")


def _zone_on_another_day() -> str:
    """A POSIX TZ whose date differs from Bucharest's now (UTC-12 or UTC+14)."""
    now = dt.datetime.now(dt.UTC)
    firm_day = now.astimezone(ZoneInfo("Europe/Bucharest")).date()
    behind = (now - dt.timedelta(hours=12)).date()
    return "UTC+12" if behind != firm_day else "UTC-14"  # POSIX signs: UTC+12 is twelve hours behind


@pytest.mark.skipif(sys.platform == "win32", reason="the TZ variable sets the clock zone of a POSIX process only")
def test_a_receipt_of_the_firms_today_is_not_in_the_future_and_one_of_tomorrow_is():
    zone = _zone_on_another_day()
    done = subprocess.run([sys.executable, "-c", CHECK], env=os.environ | {"TZ": zone},
                          capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(done.stdout)
    assert found["local_day"] != found["firm_day"], found  # the process's clock really is on another day
    assert found["today"] == [], found
    assert found["tomorrow"] == ["date_in_future"], found
