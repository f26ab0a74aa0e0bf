"""Done-when of the Telegram module: with the fake Bot API running and the server started normally
(`roa2web init`, `roa2web serve`), a scripted conversation links a chat, reads the dashboard with its
chart, and turns a receipt photo into a submitted receipt.

It runs scripts/bench/telegram_bot.py briefly (the same conversation the benchmark times) and reads
back what it found; nothing here depends on the machine's speed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "telegram_bot.py"
pytestmark = pytest.mark.slow


@pytest.mark.timeout(900)
def test_a_served_app_links_a_chat_draws_the_dashboard_and_submits_a_photographed_receipt(tmp_path: Path) -> None:
    out = tmp_path / "bot.json"
    done = subprocess.run([sys.executable, str(BENCH), "--runs", "2", "--receipts", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=840, check=False)
    assert out.exists(), f"the conversation did not finish ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["dashboard_to_chart_s"]["runs"] == 2
    assert figures["chart_png_ok"]
    assert figures["photo_to_fields_s"]["ocr_ready"]
    assert figures["submitted"]["state"] == "PENDING", figures["submitted"]
    assert figures["server_exit_codes"] == {"with_bot": 0, "without_bot": 0}
