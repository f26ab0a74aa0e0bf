"""Benchmark: the Telegram bot of a real `roa2web serve`, driven through a fake Bot API on loopback.

Two installs made as a user makes them (`roa2web init`, `roa2web users add`, `roa2web serve`),
served side by side: one with the bot (TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL = the fake), one
without. A scripted conversation (tests/support/bot_conversation.py) links a chat with a code from
the web API, asks /dashboard `--runs` times, sends `--receipts` generated receipt photos and
submits the first (dated today with Editează). Printed: /dashboard → chart picture sent (median of
the runs, and the first apart; target < 1.5 s), photo → fields reply (median, once the OCR model
is loaded), and the RSS the bot adds (the bot's server minus the other, both after the same HTTP
dashboard requests; measured again after the bot's runs, its charts included).

    python scripts/bench/telegram_bot.py [--runs 20] [--receipts 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.support

from live_server import PASSWORD, Server, install, serve, wait_ocr_ready
from PIL import Image

from roa2web.dates import today as firm_today
from tests.support.bot_conversation import Conversation, http_json
from tests.support.fake_bot_api import FakeBotApi
from tests.support.receipt_images import receipt_sample

TARGET_DASHBOARD_S = 1.5
CHAT_ID = 424242
COMPANY = 1


def rss_mb(server: Server) -> float:
    """The server process's resident memory."""
    return round(psutil.Process(server.process.pid).memory_info().rss / 1e6, 1)


def http_dashboards(server: Server, token: str, count: int) -> None:
    """The dashboard over HTTP `count` times (what both servers do before the RSS is compared)."""
    today = firm_today()
    query = f"company_id={COMPANY}&year={today.year}&month={today.month}"
    for _ in range(count):
        request = urllib.request.Request(f"{server.base}/api/reports/dashboard?{query}")  # noqa: S310
        request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
            response.read()


def login(server: Server, username: str) -> str:
    """An access token of `username` on `server`."""
    body = http_json("POST", f"{server.base}/api/auth/login", {"username": username, "password": PASSWORD})
    token: str = body["access_token"]
    return token


def run(root: Path, runs: int, receipts: int) -> dict[str, object]:
    """Both servers, the conversation, the figures."""
    fake = FakeBotApi().start()
    common = {"OCR_ENABLED": "true", "BNR_RATES_ENABLED": "false", "TELEGRAM_RATE_LIMIT_PER_MINUTE": "1000"}
    with_bot = install(root / "bot", TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url, **common)
    without = install(root / "nobot", **common)
    bot_server, plain_server = serve(with_bot), serve(without)
    try:
        fake.wait_call("getUpdates", timeout_s=120)  # the bot has started and polls
        ocr_ready = all([wait_ocr_ready(bot_server.base), wait_ocr_ready(plain_server.base)])  # both models in
        for server in (bot_server, plain_server):
            http_dashboards(server, login(server, "operator"), 5)
        rss_before = {"with_bot": rss_mb(bot_server), "without_bot": rss_mb(plain_server)}

        chat = Conversation(fake, bot_server.base, CHAT_ID, "operator", PASSWORD)
        chat.login()
        chat.link()
        dashboard_s: list[float] = []
        png_ok = True
        for _ in range(runs):
            photo, seconds = chat.dashboard()
            dashboard_s.append(seconds)
            with Image.open(io.BytesIO(photo.file())) as image:
                png_ok = png_ok and image.format == "PNG" and image.width >= 600
        rss_after = {"with_bot": rss_mb(bot_server), "without_bot": rss_mb(plain_server)}

        receipt_s: list[float] = []
        submitted_state = None
        for seed in range(receipts):
            fields, seconds = chat.receipt(receipt_sample(seed, "clean").data)
            receipt_s.append(seconds)
            if seed == 0:  # the receipt's month may be closed in the demo ledger: dated today, then sent
                fields = chat.edit(fields, "Data", f"{firm_today():%d.%m.%Y}")
                answer = chat.tap(fields, "Trimite")
                receipt_id = next(data for text, data in fields.buttons if text.startswith("Trimite")).rsplit(":", 1)[1]
                receipt = http_json("GET", f"{bot_server.base}/api/data-entry/receipts/{receipt_id}", token=chat.token)
                submitted_state = {"reply": answer.text[:200], "state": receipt["state"]}
    finally:
        codes = {"with_bot": bot_server.stop(), "without_bot": plain_server.stop()}
        fake.stop()
    return {
        "dashboard_to_chart_s": {
            "runs": len(dashboard_s), "first": round(dashboard_s[0], 3),
            "median": round(statistics.median(dashboard_s), 3), "max": round(max(dashboard_s), 3),
            "median_after_first": round(statistics.median(dashboard_s[1:] or dashboard_s), 3),
            "target": TARGET_DASHBOARD_S,
        },
        "chart_png_ok": png_ok,
        "photo_to_fields_s": {"runs": len(receipt_s), "ocr_ready": ocr_ready,
                              "median": round(statistics.median(receipt_s), 3) if receipt_s else None,
                              "max": round(max(receipt_s), 3) if receipt_s else None},
        "submitted": submitted_state,
        "rss_mb": {"before_bot_runs": rss_before, "after_bot_runs": rss_after,
                   "bot_adds_idle": round(rss_before["with_bot"] - rss_before["without_bot"], 1),
                   "bot_adds_after_charts": round(rss_after["with_bot"] - rss_after["without_bot"], 1)},
        "server_exit_codes": codes,
    }


def main() -> None:
    """Run, print, optionally write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--receipts", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="roa2web-bot-bench-") as root:
        figures = run(Path(root), max(1, args.runs), max(1, args.receipts))
    figures["wall_s"] = round(time.monotonic() - started, 1)
    dash = figures["dashboard_to_chart_s"]
    assert isinstance(dash, dict)
    print(f"/dashboard -> chart sent: median {dash['median']} s over {dash['runs']} runs "
          f"(first {dash['first']} s, max {dash['max']} s; target < {TARGET_DASHBOARD_S} s)")
    print(f"photo -> fields reply: {figures['photo_to_fields_s']}")
    print(f"RSS the bot adds: {figures['rss_mb']}")
    print(f"submitted receipt: {figures['submitted']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
